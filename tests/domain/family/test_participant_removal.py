"""Staff remove a child who left the studio (issue 14, point 5): never deleted, their history stays readable by
staff, and to the parents they are as missing as another family's child; a stale page does not bring them back."""

import dataclasses

import pytest

from domain.access.actors import StaffActor
from domain.errors import NotFound
from domain.family import directory, participants
from domain.family.dashboard import dashboard
from domain.family.participants import ParticipantForm
from domain.models import Participant, PortalEvent, StaffAuditEntry
from domain.unit_of_work import UnitOfWork
from tests.factories import make_family, make_staff, signed_in

pytestmark = pytest.mark.usefixtures('database')


async def desk() -> StaffActor:
    made = await make_staff()
    return StaffActor(made.id, made.name, made.email, made.role)


async def test_a_removed_child_leaves_the_parents_pages_and_keeps_their_row_and_log_lines():
    made = await make_family('Bestie', 'holly@example.com', children=('Ava', 'Zed'))
    ava, zed = made.children
    actor, staff = await signed_in('holly@example.com'), await desk()
    await participants.update_participant(
        actor, ava.id, dataclasses.replace(ParticipantForm.of(ava), allergies='Peanuts')
    )

    await participants.remove_participant_by_staff(staff, ava.id)

    assert [p.id for p in (await dashboard(actor)).participants] == [zed.id]
    assert [p.id for p in (await participants.family_participants(actor)).participants] == [zed.id]
    with pytest.raises(NotFound):
        await participants.participant_view(actor, ava.id)
    stored = await Participant.get(id=ava.id)  # kept, never deleted
    assert stored.removed_at is not None and stored.allergies == 'Peanuts'
    said = [e.message for e in await PortalEvent.filter(family_id=made.family.id).order_by('id')]
    assert said[-2:] == ['Allergies for Ava Bestie updated', 'Participant removed: Ava Bestie by Front Desk']
    file = await directory.family_file(made.family.id)
    assert [p.id for p in file.participants] == [zed.id]
    assert [p.id for p in file.removed_participants] == [ava.id]


async def test_the_removal_is_in_the_staff_audit():
    made = await make_family('Bestie', 'holly@example.com', children=('Ava',))
    staff = await desk()
    await participants.remove_participant_by_staff(staff, made.children[0].id)
    entry = await StaffAuditEntry.get(action='participant_removed')
    assert (entry.family_id, entry.target, entry.staff_name) == (
        made.family.id,
        'Participant Ava Bestie of the Bestie family',
        'Front Desk',
    )


async def test_a_removed_childs_id_is_as_missing_to_the_parent_as_another_familys():
    made = await make_family('Bestie', 'holly@example.com', children=('Ava',))
    other = await make_family('Gunnar', 'gunnar@example.com', children=('Aaron',))
    actor = await signed_in('holly@example.com')
    await participants.remove_participant_by_staff(await desk(), made.children[0].id)
    for wanted in (made.children[0].id, other.children[0].id):
        with pytest.raises(NotFound):
            await participants.participant_view(actor, wanted)


@pytest.mark.parametrize('who', ['parent', 'staff'])
async def test_a_save_from_a_page_loaded_before_the_removal_is_refused_and_does_not_bring_them_back(who):
    made = await make_family('Bestie', 'holly@example.com', children=('Ava',))
    ava = made.children[0]
    actor, staff = await signed_in('holly@example.com'), await desk()
    stale = dataclasses.replace(ParticipantForm.of(ava), medical_notes='Asthma')
    await participants.remove_participant_by_staff(staff, ava.id)
    with pytest.raises(NotFound):
        if who == 'parent':
            await participants.update_participant(actor, ava.id, stale)
        else:
            await participants.update_participant_by_staff(staff, ava.id, stale)
    stored = await Participant.get(id=ava.id)
    assert stored.removed_at is not None and stored.medical_notes == ''
    with pytest.raises(NotFound):
        await participants.remove_participant_by_staff(staff, ava.id)  # once is enough
    assert await StaffAuditEntry.filter(action='participant_removed').count() == 1


async def test_a_save_racing_the_removal_is_refused_not_reported_as_changed_meanwhile():
    """The removal raises the version: a save that loaded the child before it finds it removed, not changed."""
    made = await make_family('Bestie', 'holly@example.com', children=('Ava',))
    ava = made.children[0]
    staff = await desk()
    loaded = await Participant.get(id=ava.id)
    await participants.remove_participant_by_staff(staff, ava.id)
    with pytest.raises(NotFound):
        async with UnitOfWork() as uow:
            await participants._save(uow, loaded, dataclasses.replace(ParticipantForm.of(loaded), allergies='Eggs'))
    assert (await Participant.get(id=ava.id)).allergies == ''
