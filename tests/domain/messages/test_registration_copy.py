"""The registration a family submitted, under Messages: its answers and the agreements as signed, even after
the policy changed and was agreed again; a family the studio entered has none; a pick-up contact sees none."""

import datetime as dt

import pytest

from domain import clock
from domain.access.actors import Actor, NotYourRole
from domain.messages.registration_copy import registration_of
from domain.models import Contact, ContactRole
from domain.registration import policies
from domain.registration.policies import Acceptance, PolicyForm
from tests.domain.registration.test_drafts import fill_in, studio_with_questions_and_a_policy, verify
from tests.factories import make_family

pytestmark = pytest.mark.usefixtures('database')


async def registered(delivered):
    owner, version = await studio_with_questions_and_a_policy()
    token = await verify(delivered)
    await fill_in(token, version.id)
    signed = await drafts_submit(token)
    return owner, version, signed.actor


async def drafts_submit(token: str):
    from domain.registration import drafts

    await drafts.choose_password(token, 'a long walk on the beach')
    return await drafts.submit(token, client_ip='198.51.100.7')


async def test_the_registration_shows_answers_and_agreements_as_signed_after_the_policy_changed(delivered):
    owner, version, parent = await registered(delivered)
    revised = await policies.revise_policy(owner, version.policy_id, PolicyForm('Waiver, revised', 'New words.'))
    with clock.pinned(clock.now() + dt.timedelta(days=30)):
        await policies.agree(parent, {revised.id: Acceptance(True, 'Deanne Gunnar')})

    copy = await registration_of(parent)
    assert copy is not None
    assert [(a.participant_name, a.prompt, a.value) for a in copy.answers] == [
        ('', 'How did you hear about us?', 'A friend'),
        ('Pia Gunnar', 'Swimming level', 'Beginner'),
    ]
    (agreement,) = copy.agreements
    assert (agreement.title_shown, agreement.text_shown, agreement.typed_name) == (
        'Liability waiver',
        '**Dance is a physical activity.**',
        'Deanne Gunnar',
    )
    assert agreement.agreed_at <= copy.submitted_at


async def test_a_family_the_studio_entered_has_no_registration_to_show():
    made = await make_family('Ager', 'holly@example.com')
    assert await registration_of(Actor(made.parent.id, made.family.id, 'Ager', 'Holly Ager', '', 'en')) is None


async def test_a_pick_up_contact_does_not_see_the_registration(delivered):
    _owner, _version, parent = await registered(delivered)
    gran = await Contact.get(family_id=parent.family_id, first_name='Gran')
    assert gran.role == ContactRole.PICKUP
    with pytest.raises(NotYourRole):
        await registration_of(Actor(gran.id, parent.family_id, 'Gunnar', 'Gran Gunnar', '', 'en'))
