"""Edits never lose data (issue 14, point 4): a save from a stale form is refused with what is stored now."""

import asyncio
import dataclasses

import pytest

from domain.access.actors import StaffActor
from domain.family import contacts, participants, versions
from domain.family.contacts import ContactForm
from domain.family.participants import ParticipantForm
from domain.family.versions import ChangedMeanwhile
from domain.models import Contact, Participant, PortalEvent, StaffAuditEntry
from tests.factories import make_family, make_staff, signed_in

pytestmark = pytest.mark.usefixtures('database')


def edited(form, **changes):
    return dataclasses.replace(form, **changes)


async def desk() -> StaffActor:
    made = await make_staff()
    return StaffActor(made.id, made.name, made.email, made.role)


async def test_two_saves_of_one_child_from_the_same_version_at_once_exactly_one_wins():
    made = await make_family('Ager', 'holly@example.com')
    actor = await signed_in('holly@example.com')
    loaded = ParticipantForm.of(made.children[0])
    allergy = edited(loaded, allergies='Tree nuts (EpiPen in bag)')
    note = edited(loaded, medical_notes='Asthma: inhaler before class')
    outcomes = await asyncio.gather(
        participants.update_participant(actor, made.children[0].id, allergy),
        participants.update_participant(actor, made.children[0].id, note),
        return_exceptions=True,
    )
    refused = [o for o in outcomes if isinstance(o, ChangedMeanwhile)]
    assert len(refused) == 1 and sum(isinstance(o, Participant) for o in outcomes) == 1
    stored = await Participant.get(id=made.children[0].id)
    assert stored.version == 2
    assert (stored.allergies, stored.medical_notes) in {(allergy.allergies, ''), ('', note.medical_notes)}
    assert refused[0].stored == ParticipantForm.of(stored)  # their values, to show beside yours
    assert await PortalEvent.filter(kind='participant_updated').count() == 1


async def test_a_stale_form_is_refused_and_keeping_mine_keeps_theirs_too():
    made = await make_family('Ager', 'holly@example.com')
    actor = await signed_in('holly@example.com')
    child = made.children[0]
    loaded = ParticipantForm.of(child)
    await participants.update_participant(actor, child.id, edited(loaded, allergies='Tree nuts (EpiPen in bag)'))
    mine = edited(loaded, medical_notes='Asthma')
    with pytest.raises(ChangedMeanwhile) as refused:
        await participants.update_participant(actor, child.id, mine)
    assert (await Participant.get(id=child.id)).medical_notes == ''
    assert versions.differing(mine, refused.value.stored) == ['allergies', 'medical_notes']
    await participants.update_participant(actor, child.id, versions.merged(loaded, mine, refused.value.stored))
    stored = await Participant.get(id=child.id)
    assert (stored.allergies, stored.medical_notes, stored.version) == ('Tree nuts (EpiPen in bag)', 'Asthma', 3)


async def test_two_saves_of_one_contact_at_once_exactly_one_wins():
    made = await make_family('Ager', 'holly@example.com')
    actor = await signed_in('holly@example.com')
    loaded = ContactForm.of(made.parent)
    outcomes = await asyncio.gather(
        contacts.update_contact(actor, made.parent.id, edited(loaded, city='Springfield')),
        contacts.update_contact(actor, made.parent.id, edited(loaded, home_phone='312 555 0144')),
        return_exceptions=True,
    )
    assert sorted(type(o).__name__ for o in outcomes) == ['ChangedMeanwhile', 'ContactSaved']
    stored = await Contact.get(id=made.parent.id)
    assert stored.version == 2
    assert (stored.city, stored.home_phone) in {('Springfield', None), ('', '+13125550144')}


async def test_staff_and_a_parent_saving_one_child_at_once_are_held_to_the_same_rule():
    made = await make_family('Ager', 'holly@example.com')
    actor, staff = await signed_in('holly@example.com'), await desk()
    child = made.children[0]
    loaded = ParticipantForm.of(child)
    outcomes = await asyncio.gather(
        participants.update_participant(actor, child.id, edited(loaded, allergies='Peanuts')),
        participants.update_participant_by_staff(staff, child.id, edited(loaded, medical_notes='Asthma')),
        return_exceptions=True,
    )
    assert sum(isinstance(o, ChangedMeanwhile) for o in outcomes) == 1
    stored = await Participant.get(id=child.id)
    assert (stored.allergies, stored.medical_notes) in {('Peanuts', ''), ('', 'Asthma')}


async def test_a_role_staff_set_makes_a_contact_form_loaded_before_it_stale():
    from domain.family import roles
    from domain.models import ContactRole

    made = await make_family('Ager', 'holly@example.com')
    await Contact.filter(id=made.parent.id).update(is_billing=True)
    jen = await Contact.create(family=made.family, first_name='Jen', last_name='Ager', role=ContactRole.GUARDIAN)
    loaded = ContactForm.of(jen)
    await roles.set_contact_standing(await desk(), jen.id, role='pickup', is_primary=False, is_billing=False)
    with pytest.raises(ChangedMeanwhile):
        await contacts.update_contact(await signed_in('holly@example.com'), jen.id, edited(loaded, city='Joliet'))
    assert (await Contact.get(id=jen.id)).role == ContactRole.PICKUP


async def test_staff_edits_are_logged_with_the_staff_member_and_keep_health_notes_private():
    made = await make_family('Ager', 'holly@example.com')
    staff = await desk()
    child = made.children[0]
    await participants.update_participant_by_staff(
        staff, child.id, edited(ParticipantForm.of(child), birthdate='2012-05-06', allergies='Bee stings')
    )
    line = await PortalEvent.all().order_by('-id').first()
    assert line.message == (
        'Birthdate for Barbie Ager set to 5/6/2012; Allergies for Barbie Ager updated by Front Desk'
    )
    assert (line.family_id, line.user_id) == (made.family.id, 'desk@example.com')
    entry = await StaffAuditEntry.get(action='participant_updated')
    assert entry.new_values == {'birthdate': '2012-05-06', 'allergies': 'private, changed'}
    assert 'Bee' not in str(entry.old_values) + str(entry.new_values)


async def test_staff_edit_a_contact_under_the_parents_rules_and_are_audited():
    from domain.errors import ValidationFailed

    made = await make_family('Ager', 'holly@example.com')
    staff = await desk()
    loaded = ContactForm.of(made.parent)
    with pytest.raises(ValidationFailed) as refused:
        await contacts.update_contact_by_staff(staff, made.parent.id, edited(loaded, email='typo@example.com'))
    assert refused.value.errors == {'email': contacts.SIGN_IN_IS_THEIRS}  # proven by them, with a code
    await contacts.update_contact_by_staff(
        staff, made.parent.id, edited(loaded, city='Springfield', role='pickup', is_billing=True)
    )
    stored = await Contact.get(id=made.parent.id)
    assert (stored.city, stored.role, stored.is_billing, stored.version) == ('Springfield', 'guardian', False, 2)
    line = await PortalEvent.all().order_by('-id').first()
    assert line.message == 'Address for Holly Ager changed by Front Desk'
    entry = await StaffAuditEntry.get(action='contact_updated')
    assert (entry.old_values, entry.new_values) == ({'city': ''}, {'city': 'Springfield'})
    with pytest.raises(contacts.CannotRemovePrimary):
        await contacts.remove_contact_by_staff(staff, made.parent.id)


async def test_a_language_chosen_from_the_menu_makes_a_you_form_open_elsewhere_stale():
    made = await make_family('Ager', 'holly@example.com')
    actor = await signed_in('holly@example.com')
    loaded = ContactForm.of(made.parent)
    await contacts.set_preferred_language(actor, 'es')
    with pytest.raises(ChangedMeanwhile) as refused:
        await contacts.update_contact(actor, made.parent.id, edited(loaded, city='Joliet'))
    assert refused.value.stored.preferred_language == 'es'
    assert (await Contact.get(id=made.parent.id)).preferred_language == 'es'
