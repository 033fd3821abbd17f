"""A parent's Messages: the studio's messages beside the portal's, marked "From the studio"; the registration
they submitted, with the agreement's words as signed though the policy changed since; Mass Email Opt-Out on
their own page, in the Parent Portal Log."""

from nicegui.testing import User

from components.consent import PolicyText
from domain.classes.audiences import Audience
from domain.messages import studio_messages
from domain.models import AudienceKind, Contact, OutboxMessage, PortalEvent, StudioMessageChannel
from domain.registration import policies
from domain.registration.policies import Acceptance, PolicyForm
from tests.factories import make_family, signed_in
from tests.pages.helpers import sign_in
from tests.pages.portal.messages.steps import eventually, owner, registered_family


async def test_a_studio_message_shows_from_the_studio_and_opens_as_typed(user: User):
    made = await make_family('Ager', 'holly@example.com')
    await studio_messages.send(
        await owner(),
        channel=StudioMessageChannel.EMAIL,
        subject='Recital on Saturday',
        body='Doors open at 9.\n<b>Bring water</b>',
        audience=Audience(AudienceKind.FAMILY, made.family.id),
    )
    await sign_in(user)
    await user.open('/portal/messages')
    await user.should_see('From the studio')
    await user.should_see('Your registration')
    copy = await OutboxMessage.get(kind='studio_message')
    await user.open(f'/portal/messages/{copy.id}')
    await user.should_see('You receive this because your family is a client of Kinroll Studio.', retries=30)
    await user.should_see('From the studio')
    await user.should_see('<b>Bring water</b>')  # the staff's words as text, never markup


async def test_the_registration_shows_answers_and_the_agreement_as_signed(user: User):
    boss = await owner()
    version, _made = await registered_family(boss)
    revised = await policies.revise_policy(boss, version.policy_id, PolicyForm('Waiver, revised', 'Today we say so.'))
    await policies.agree(await signed_in('holly@example.com'), {revised.id: Acceptance(True, 'Holly Ager')})
    await sign_in(user)
    await user.open('/portal/messages')
    user.find(marker='registration').click()
    await user.should_see('How did you hear about us?', retries=30)
    for shown in ('A friend', 'Ava Ager', 'Swimming level', 'Beginner', 'Liability waiver', 'Agreed by Holly Ager'):
        await user.should_see(shown)
    await user.should_not_see('Waiver, revised')
    (text,) = user.find(kind=PolicyText).elements
    assert '<strong>Dance is physical.</strong>' in text.content and '&lt;script&gt;' in text.content


async def test_a_family_the_studio_entered_is_told_there_is_no_registration(user: User):
    await make_family('Ager', 'holly@example.com')
    await sign_in(user)
    await user.open('/portal/messages/registration')
    await user.should_see('The studio entered your family, so there is no online registration to show.')


async def test_mass_email_opt_out_is_switched_on_your_own_page_and_logged(user: User):
    made = await make_family('Ager', 'holly@example.com')
    await sign_in(user)
    await user.open('/portal/you')
    user.find(marker='mass-email-opt-out').click()

    async def opted_out() -> bool:
        return (await Contact.get(id=made.parent.id)).mass_email_opt_out

    await eventually(opted_out)
    lines = await PortalEvent.filter(kind='message_opt_out').values_list('message', flat=True)
    assert lines == ['Mass Email Opt-Out for Holly Ager checked']
