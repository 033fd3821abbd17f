"""Staff write to families: an email to every family asks "Send to N contacts in M families?" before it goes and
then shows in View Sent Emails; a missing subject is said beside the field with nothing queued; opened from a
family's page it goes to that family; the contact's Mass Email Opt-Out is switched on the family page."""

from nicegui.testing import User

from domain.models import Contact, OutboxMessage, StaffAuditEntry, StudioMessage
from tests.factories import make_family
from tests.pages.helpers import press, staff_signs_in, table_rows
from tests.pages.portal.messages.steps import eventually


def field(user: User, marker: str):
    return user.find(marker=marker).elements.pop()


async def test_an_email_to_every_family_asks_with_the_count_then_goes_and_is_listed(user: User):
    made = await make_family('Ager', 'holly@example.com')
    await Contact.create(family=made.family, first_name='Sam', last_name='Ager', email='sam@example.com')
    await make_family('Gunnar', 'deanne@example.com')
    await staff_signs_in(user)
    await user.open('/staff/messages')
    field(user, 'subject').set_value('Recital')
    field(user, 'body').set_value('Saturday at 10.')
    press(user, 'Send…')
    await user.should_see('Send to 3 contacts in 2 families?')
    assert not await StudioMessage.exists()
    press(user, 'Send')
    await user.should_see('Queued for 3 contacts')
    await eventually(lambda: OutboxMessage.filter(kind='studio_message').exists())
    assert await OutboxMessage.filter(kind='studio_message').count() == 3
    await user.should_see('View Sent Emails')
    (row,) = table_rows(user)
    assert (row['subject'], row['audience'], row['recipients'], row['by']) == (
        'Recital',
        'Every family',
        3,
        'Front Desk',
    )


async def test_a_missing_subject_is_said_beside_the_field_and_nothing_is_queued(user: User):
    await make_family('Ager', 'holly@example.com')
    await staff_signs_in(user)
    await user.open('/staff/messages')
    field(user, 'body').set_value('Saturday at 10.')
    press(user, 'Send…')
    await eventually(lambda: _error_shown(field(user, 'subject')))
    assert field(user, 'subject').error == 'This field is required'
    assert not await StudioMessage.exists() and not await OutboxMessage.exists()


async def _error_shown(element) -> bool:
    return bool(element.error)


async def test_opened_from_a_familys_page_it_goes_to_that_family_whatever_their_opt_out(user: User):
    made = await make_family('Ager', 'holly@example.com')
    await Contact.filter(id=made.parent.id).update(mass_email_opt_out=True)
    await make_family('Gunnar', 'deanne@example.com')
    await staff_signs_in(user)
    await user.open(f'/staff/messages?family={made.family.id}')
    assert field(user, 'audience').value == f'family:{made.family.id}'
    field(user, 'subject').set_value('Your balance')
    field(user, 'body').set_value('Thank you.')
    press(user, 'Send…')
    await user.should_see('Send to 1 contact in 1 family?')
    press(user, 'Send')
    await user.should_see('Queued for 1 contact')
    (copy,) = await OutboxMessage.filter(kind='studio_message')
    assert copy.to_address == 'holly@example.com'


async def test_staff_switch_a_contacts_mass_email_opt_out_on_the_family_page(user: User):
    made = await make_family('Ager', 'holly@example.com')
    await staff_signs_in(user)
    await user.open(f'/staff/families/{made.family.id}')
    user.find(marker=f'mass-email-opt-out-{made.parent.id}').click()

    async def opted_out() -> bool:
        return (await Contact.get(id=made.parent.id)).mass_email_opt_out

    await eventually(opted_out)
    assert await StaffAuditEntry.filter(action='message_opt_out').exists()
