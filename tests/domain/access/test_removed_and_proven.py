"""A removed contact cannot be given portal access again; a code sent to an address typed for a contact proves it."""

import pytest

from domain.access import codes, portal_access, sessions
from domain.access.actors import SignedIn, StaffActor
from domain.access.portal_access import RemovedContact
from domain.family import contacts
from domain.models import Contact, ContactRole
from tests.domain.family.test_roles import second_contact
from tests.factories import code_from, make_family, make_staff, signed_in

pytestmark = pytest.mark.usefixtures('database')


async def test_staff_cannot_tick_login_again_for_a_removed_contact():
    made = await make_family('Bestie', 'mary@example.com')
    mark = await second_contact(made, 'Mark', ContactRole.GUARDIAN)
    await contacts.remove_contact(await signed_in('mary@example.com'), mark.id)
    staff_user = await make_staff()
    desk = StaffActor(staff_user.id, staff_user.name, staff_user.email, staff_user.role)
    with pytest.raises(RemovedContact):
        await portal_access.set_portal_access(desk, mark.id, allow_login=True, allow_manage_absences=False)
    assert (await Contact.get(id=mark.id)).allow_login is False


async def test_a_code_to_an_email_typed_for_a_contact_makes_it_their_sign_in(delivered):
    made = await make_family('Bestie', 'mary@example.com')
    await Contact.create(
        family=made.family, first_name='Gran', last_name='Bestie', pending_email='gran@example.com', allow_login=True
    )
    sent = await codes.send_code('gran@example.com')
    outcome = await codes.enter_code(sent.attempt_id, await code_from(delivered))
    assert isinstance(outcome, SignedIn) and await sessions.resolve_parent(outcome.token) is not None
    gran = await Contact.get(first_name='Gran')
    assert (gran.email, gran.pending_email) == ('gran@example.com', '')
