"""Who in a family may do what (issue 14, point 1): roles, one primary, at least one billing contact, soft removal."""

import asyncio

import pytest

from domain.access import sessions, sign_in
from domain.access.actors import NotYourRole, StaffActor, require_billing_access
from domain.errors import NotFound, ValidationFailed
from domain.family import contacts, participants, roles
from domain.family.contacts import (
    CannotRemovePrimary,
    ContactForm,
    LastBillingContact,
    PrimaryMustBeGuardian,
)
from domain.family.dashboard import dashboard
from domain.family.directory import family_file
from domain.family.participants import ParticipantForm
from domain.models import Contact, ContactRole, PortalEvent, StaffAuditEntry
from tests.factories import PASSWORD, make_family, make_staff, signed_in

pytestmark = pytest.mark.usefixtures('database')


async def second_contact(made, first_name: str, role: ContactRole, **flags) -> Contact:
    """Another contact of the family who signs in with a password."""
    from domain.access import passwords

    return await Contact.create(
        family=made.family,
        first_name=first_name,
        last_name=made.family.name,
        email=f'{first_name.lower()}@example.com',
        role=role,
        password_hash=await passwords.hash_password(PASSWORD),
        **flags,
    )


def form_of(contact: Contact, **changes) -> ContactForm:
    return ContactForm(**{**ContactForm.of(contact).__dict__, **changes})


async def family_with_mark():
    made = await make_family('Bestie', 'mary@example.com')
    await Contact.filter(id=made.parent.id).update(is_billing=True)
    mark = await second_contact(made, 'Mark', ContactRole.GUARDIAN)
    return made, mark


async def test_a_guardian_cannot_take_over_or_remove_the_primary_contact():
    made, _mark = await family_with_mark()
    mary = await Contact.get(id=made.parent.id)
    actor = await signed_in('mark@example.com')
    with pytest.raises(NotYourRole):
        await contacts.update_contact(actor, mary.id, form_of(mary, email='mark.owns@example.com'))
    with pytest.raises(CannotRemovePrimary):
        await contacts.remove_contact(actor, mary.id)
    stored = await Contact.get(id=mary.id)
    assert (stored.email, stored.removed_at, stored.is_primary) == ('mary@example.com', None, True)


async def test_nobody_changes_another_contacts_sign_in_email_or_mobile():
    _made, mark = await family_with_mark()
    await Contact.filter(id=mark.id).update(mobile_phone='+13125550102', mobile_verified=True)
    mark = await Contact.get(id=mark.id)
    mary = await signed_in('mary@example.com')
    for changes in ({'email': 'typo@example.com'}, {'mobile_phone': '312 555 0199'}):
        with pytest.raises(ValidationFailed) as refused:
            await contacts.update_contact(mary, mark.id, form_of(mark, **changes))
        assert refused.value.errors == {next(iter(changes)): contacts.SIGN_IN_IS_THEIRS}
    stored = await Contact.get(id=mark.id)
    assert (stored.email, stored.mobile_phone) == ('mark@example.com', '+13125550102')


async def test_nobody_types_a_number_for_a_contact_who_signs_in_then_signs_in_as_them():
    """Mary typing her own phone as Mark's unproven (or missing) mobile would let a code to it sign her in as Mark."""
    _made, mark = await family_with_mark()
    mary = await signed_in('mary@example.com')
    for stored_mobile in ('', '+13125550102'):  # none yet, and one nobody proved
        await Contact.filter(id=mark.id).update(mobile_phone=stored_mobile or None, mobile_verified=False)
        mark = await Contact.get(id=mark.id)
        with pytest.raises(ValidationFailed) as refused:
            await contacts.update_contact(mary, mark.id, form_of(mark, mobile_phone='312 555 0177'))
        assert refused.value.errors == {'mobile_phone': contacts.SIGN_IN_IS_THEIRS}
    assert (await Contact.get(id=mark.id)).mobile_phone == '+13125550102'


async def test_only_the_primary_manages_the_other_guardians_a_guardian_the_pick_up_people():
    made, _mark = await family_with_mark()
    jen = await second_contact(made, 'Jen', ContactRole.GUARDIAN_NO_BILLING)
    mark_acts = await signed_in('mark@example.com')
    with pytest.raises(NotYourRole):
        await contacts.update_contact(mark_acts, jen.id, form_of(jen, city='Elsewhere'))
    with pytest.raises(NotYourRole):
        await contacts.add_contact(mark_acts, ContactForm('Uncle', 'Bob', role=ContactRole.GUARDIAN.value))
    with pytest.raises(NotYourRole):  # no tick: another guardian, without billing, which only the primary adds
        await contacts.add_contact(mark_acts, ContactForm('June', 'Porter', mobile_phone='3125550103'))
    pickup = await contacts.add_contact(mark_acts, ContactForm('Gran', 'Porter', can_pick_up=True))
    assert pickup.role == ContactRole.PICKUP
    await contacts.update_contact(mark_acts, pickup.id, form_of(pickup, city='Springfield'))
    mary = await signed_in('mary@example.com')
    await contacts.update_contact(mary, jen.id, form_of(jen, city='Elsewhere'))
    assert (await Contact.get(id=jen.id)).city == 'Elsewhere'


async def test_a_guardian_without_billing_sees_no_payments_and_pickup_people_only_the_children():
    made, _mark = await family_with_mark()
    await second_contact(made, 'Jen', ContactRole.GUARDIAN_NO_BILLING)
    await second_contact(made, 'Gran', ContactRole.PICKUP, can_pick_up=True)
    jen, gran = await signed_in('jen@example.com'), await signed_in('gran@example.com')
    with pytest.raises(NotYourRole):
        await require_billing_access(jen)
    board = await dashboard(jen)
    assert board.balance is None and [p.full_name for p in board.others] == [
        'Holly Bestie',
        'Mark Bestie',
        'Gran Bestie',
    ]
    await require_billing_access(await signed_in('mary@example.com'))
    board = await dashboard(gran)
    assert (
        board.balance is None and board.others == [] and [p.full_name for p in board.participants] == ['Barbie Bestie']
    )
    with pytest.raises(NotYourRole):
        await contacts.family_contacts(gran)
    with pytest.raises(NotFound):
        await contacts.contact_view(gran, made.parent.id)
    child = made.children[0]
    assert not (await participants.participant_view(gran, child.id)).editable
    with pytest.raises(NotYourRole):
        await participants.update_participant(gran, child.id, ParticipantForm('Barbara', 'Bestie', child.birthdate))
    await contacts.update_contact(gran, gran.contact_id, form_of(await Contact.get(id=gran.contact_id), city='Here'))


async def test_the_last_billing_contact_stays_even_when_two_removals_come_at_once():
    made, mark = await family_with_mark()
    await Contact.filter(id=made.parent.id).update(is_billing=False)
    jen = await second_contact(made, 'Jen', ContactRole.GUARDIAN, is_billing=True)
    await Contact.filter(id=mark.id).update(is_billing=True)
    mary = await signed_in('mary@example.com')
    results = await asyncio.gather(
        contacts.remove_contact(mary, mark.id), contacts.remove_contact(mary, jen.id), return_exceptions=True
    )
    assert sorted(type(r).__name__ for r in results) == ['LastBillingContact', 'NoneType']
    assert await Contact.filter(family_id=made.family.id, removed_at=None, is_billing=True).count() == 1
    with pytest.raises(LastBillingContact):
        survivor = await Contact.get(family_id=made.family.id, removed_at=None, is_billing=True)
        await contacts.update_contact(mary, survivor.id, form_of(survivor, is_billing=False))


async def test_two_hand_overs_at_once_leave_exactly_one_primary():
    made, mark = await family_with_mark()
    jen = await second_contact(made, 'Jen', ContactRole.GUARDIAN)
    mary = await signed_in('mary@example.com')
    results = await asyncio.gather(
        contacts.hand_over_primary(mary, mark.id), contacts.hand_over_primary(mary, jen.id), return_exceptions=True
    )
    assert sorted(type(r).__name__ for r in results) == ['NoneType', 'NotYourRole']
    assert await Contact.filter(family_id=made.family.id, is_primary=True).count() == 1
    assert await PortalEvent.filter(kind='primary_changed').count() == 1


async def test_the_primary_role_goes_only_to_a_guardian_with_billing_and_only_by_the_primary():
    made, mark = await family_with_mark()
    jen = await second_contact(made, 'Jen', ContactRole.GUARDIAN_NO_BILLING)
    with pytest.raises(NotYourRole):
        await contacts.hand_over_primary(await signed_in('mark@example.com'), mark.id)
    mary = await signed_in('mary@example.com')
    with pytest.raises(PrimaryMustBeGuardian):
        await contacts.hand_over_primary(mary, jen.id)
    await contacts.update_contact(mary, mark.id, form_of(mark, is_primary=True))  # a tick is no hand-over
    assert not (await Contact.get(id=mark.id)).is_primary
    await contacts.hand_over_primary(mary, mark.id)
    assert [c.first_name for c in await Contact.filter(family_id=made.family.id, is_primary=True)] == ['Mark']
    assert await PortalEvent.filter(message='Primary contact passed from Holly Bestie to Mark Bestie').exists()


async def test_a_removed_contact_keeps_its_history_for_staff_and_signs_in_no_more():
    made, mark = await family_with_mark()
    token, _ = await sign_in.sign_in_parent('mark@example.com', PASSWORD)
    await contacts.remove_contact(await signed_in('mary@example.com'), mark.id)
    stored = await Contact.get(id=mark.id)
    assert stored.removed_at is not None and stored.pending_email == 'mark@example.com' and stored.email is None
    assert await sessions.resolve_parent(token) is None
    with pytest.raises(sign_in.SignInFailed):
        await sign_in.sign_in_parent('mark@example.com', PASSWORD)
    file = await family_file(made.family.id)
    assert [c.first_name for c in file.contacts] == ['Holly'] and [c.first_name for c in file.removed] == ['Mark']


async def test_staff_set_the_role_primary_and_billing_under_the_same_rules_with_an_audit_entry():
    made, mark = await family_with_mark()
    staff = await make_staff()
    desk = StaffActor(staff.id, staff.name, staff.email, staff.role)
    await roles.set_contact_standing(desk, mark.id, role='guardian', is_primary=True, is_billing=True)
    assert [c.first_name for c in await Contact.filter(family_id=made.family.id, is_primary=True)] == ['Mark']
    with pytest.raises(roles.PrimaryIsPassedOn):
        await roles.set_contact_standing(desk, mark.id, role='guardian', is_primary=False, is_billing=True)
    with pytest.raises(PrimaryMustBeGuardian):
        await roles.set_contact_standing(desk, mark.id, role='pickup', is_primary=True, is_billing=False)
    await roles.set_contact_standing(
        desk, made.parent.id, role='guardian_no_billing', is_primary=False, is_billing=False
    )
    assert (await Contact.get(id=made.parent.id)).role == ContactRole.GUARDIAN_NO_BILLING
    entry = await StaffAuditEntry.filter(action='contact_role_changed').order_by('-id').first()
    assert entry.old_values == {'role': 'guardian', 'is_billing': True}
    assert entry.new_values == {'role': 'guardian_no_billing', 'is_billing': False}


async def test_an_emergency_contact_needs_a_phone_or_an_email_beside_the_phone_field():
    await make_family('Ager', 'holly@example.com')
    actor = await signed_in('holly@example.com')
    with pytest.raises(ValidationFailed) as refused:
        await contacts.add_contact(actor, ContactForm('Uncle', 'Bob', is_emergency=True))
    assert refused.value.errors == {'mobile_phone': contacts.EMERGENCY_NEEDS_A_WAY}
    assert not await Contact.exists(first_name='Uncle')
    await contacts.add_contact(actor, ContactForm('Uncle', 'Bob', is_emergency=True, home_phone='312 555 0144'))
