"""The demo studio's messages: the recital email to every family, a text to Jazz 2, Mary's registration."""

import pytest

from domain.access.actors import Actor
from domain.messages import demo, registration_copy
from domain.models import Contact, StudioMessage
from domain.operations import demo as studio_demo

pytestmark = pytest.mark.usefixtures('database')


async def test_the_demo_seeds_messages_and_marys_registration_once():
    await studio_demo.seed()  # which seeds the studio's messages too, once
    assert not await demo.seed_messages()
    assert [m.channel for m in await StudioMessage.all().order_by('id')] == ['email', 'text']
    mary = await Contact.get(email=studio_demo.DEMO_PARENT_EMAIL).prefetch_related('family')
    copy = await registration_copy.registration_of(Actor.of(mary))
    assert copy is not None and copy.agreements
    assert ('', 'How did you hear about us?', demo.FAMILY_ANSWER) in [
        (a.participant_name, a.prompt, a.value) for a in copy.answers
    ]
