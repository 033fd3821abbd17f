"""A family's participants (the children who take classes): a parent, or staff, correcting their details, and
adding a brother or sister after registration. Both go through the same validation, and both save against the
version the form was loaded with (domain/family/versions.py).

Staff remove a child who left the studio: the row stays, with its agreements, answers, log lines and payments,
readable by staff; to the parents it is as missing as another family's child, and a save from a page loaded
before the removal is refused with NotFound, never bringing them back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tortoise.expressions import F

from domain import audit, clock, portal_log
from domain.access.actors import Actor, NotYourRole, StaffActor, standing
from domain.errors import NotFound
from domain.family.versions import ChangedMeanwhile, save_if_unchanged
from domain.models import Family, Gender, Participant
from domain.portal_log import LogSubject
from domain.records import LARGEST_ID, owned
from domain.studio import settings
from domain.unit_of_work import UnitOfWork
from domain.validation import Cleaner


@dataclass(frozen=True)
class ParticipantForm:
    """What the parent typed, as typed."""

    first_name: str
    last_name: str
    birthdate: str | dt.date | None = None
    gender: str = Gender.UNSPECIFIED.value
    allergies: str = ''
    medical_notes: str = ''
    version: int = 0  # the version the form was loaded with (`of`); a save from another one is refused

    @classmethod
    def of(cls, participant: Participant) -> ParticipantForm:
        """The participant as a form shows them (the birthdate as a date field holds it)."""
        return cls(
            participant.first_name,
            participant.last_name,
            participant.birthdate.isoformat() if participant.birthdate else None,
            participant.gender.value,
            participant.allergies,
            participant.medical_notes,
            participant.version,
        )

    def cleaned(self, today: dt.date) -> dict:
        clean = Cleaner()
        values: dict[str, Any] = {
            'first_name': clean.name('first_name', self.first_name),
            'last_name': clean.name('last_name', self.last_name),
            'birthdate': clean.birthdate('birthdate', self.birthdate, today=today),
            'gender': clean.choice('gender', self.gender, {g.value for g in Gender}),
            'allergies': clean.text('allergies', self.allergies),
            'medical_notes': clean.text('medical_notes', self.medical_notes),
        }
        clean.raise_if_invalid()
        return {**values, 'gender': Gender(values['gender'])}


@dataclass(frozen=True)
class ParticipantView:
    participant: Participant
    editable: bool  # a guardian's; an authorized pickup or emergency contact only sees the child


@dataclass(frozen=True)
class FamilyParticipants:
    participants: list[Participant]
    may_add: bool  # a guardian's; an authorized pickup or emergency contact only sees the children


async def family_participants(actor: Actor) -> FamilyParticipants:
    me = await standing(actor)
    children = await Participant.filter(family_id=actor.family_id, removed_at=None).order_by('first_name', 'id')
    return FamilyParticipants(children, me.manages_children)


async def participant_view(actor: Actor, participant_id: int) -> ParticipantView:
    me = await standing(actor)
    return ParticipantView(await _owned(actor, participant_id), me.manages_children)


async def update_participant(actor: Actor, participant_id: int, form: ParticipantForm) -> Participant:
    """Apply a parent's edit to one of their own participants and record it in the portal log."""
    async with UnitOfWork() as uow:
        participant = await _owned(actor, participant_id, uow)
        if not (await standing(actor, uow)).manages_children:
            raise NotYourRole()
        changes = await _save(uow, participant, form)
        if changes:
            await portal_log.record(uow, actor.subject, 'participant_updated', '; '.join(changes))
    return participant


async def update_participant_by_staff(staff: StaffActor, participant_id: int, form: ParticipantForm) -> Participant:
    """Staff correcting a participant from the family page: the parent's rules, in the Parent Portal Log with the
    staff member named, and in the staff audit (health notes as changed, never their words)."""
    async with UnitOfWork() as uow:
        participant = await _participant(uow, participant_id)
        before = _audited(participant)
        changes = await _save(uow, participant, form)
        if changes:
            family = await Family.filter(id=participant.family_id).using_db(uow.connection).get()
            subject = staff_subject(family, staff)
            await portal_log.record(uow, subject, 'participant_updated', f'{"; ".join(changes)} by {staff.name}')
            old, new = _audit_changes(before, _audited(participant))
            target = f'Participant {participant.full_name} of the {family.name} family'
            await audit.record(uow, staff, 'participant_updated', target, old, new, family_id=family.id)
    return participant


async def add_participant(actor: Actor, form: ParticipantForm) -> Participant:
    """A guardian adds a child (a brother or sister) after registration."""
    async with UnitOfWork() as uow:
        if not (await standing(actor, uow)).manages_children:
            raise NotYourRole()
        participant = await _create(uow, actor.family_id, form)
        await portal_log.record(uow, actor.subject, 'participant_added', f'Participant added: {participant.full_name}')
    return participant


async def add_participant_by_staff(staff: StaffActor, family_id: int, form: ParticipantForm) -> Participant:
    async with UnitOfWork() as uow:
        family = await Family.filter(id=family_id).using_db(uow.connection).first()
        if family is None:
            raise NotFound()
        participant = await _create(uow, family.id, form)
        subject = staff_subject(family, staff)
        await portal_log.record(
            uow, subject, 'participant_added', f'Participant added: {participant.full_name} by {staff.name}'
        )
        target = f'Participant {participant.full_name} of the {family.name} family'
        _, new = _audit_changes({}, _audited(participant))
        await audit.record(uow, staff, 'participant_added', target, None, new, family_id=family.id)
    return participant


async def remove_participant_by_staff(staff: StaffActor, participant_id: int | str) -> None:
    """Staff taking off the family a child who left the studio: never deleted. Their history stays, read-only, on
    the family page; the parents' pages show them no more. Removing one already removed is NotFound."""
    async with UnitOfWork() as uow:
        participant = await _participant(uow, participant_id)
        removed = (
            await Participant.filter(id=participant.id, removed_at=None)
            .using_db(uow.connection)
            .update(removed_at=clock.now(), version=F('version') + 1)  # a form loaded before it is stale
        )
        if not removed:
            raise NotFound()  # removed meanwhile
        family = await Family.filter(id=participant.family_id).using_db(uow.connection).get()
        said = f'Participant removed: {participant.full_name}'
        await portal_log.record(uow, staff_subject(family, staff), 'participant_removed', f'{said} by {staff.name}')
        target = f'Participant {participant.full_name} of the {family.name} family'
        await audit.record(uow, staff, 'participant_removed', target, None, None, family_id=family.id)


def staff_subject(family: Family, staff: StaffActor) -> LogSubject:
    """A Parent Portal Log line of a change staff made to a family: the family's, with the staff member's email
    as its user id (the message names them)."""
    return LogSubject(family.id, family.name, None, '', staff.email, '', '')


async def _save(uow: UnitOfWork, participant: Participant, form: ParticipantForm) -> list[str]:
    """Validate, and write what changed against the form's version; the log's words for it."""
    values = form.cleaned(settings.today())
    changes = describe_changes(participant, values)
    if changes:
        try:
            await save_if_unchanged(uow, participant, form.version, values, ParticipantForm.of)
        except ChangedMeanwhile:
            if participant.removed_at is not None:
                raise NotFound() from None  # removed since the form was loaded: never brought back by a save
            raise
    return changes


async def _create(uow: UnitOfWork, family_id: int, form: ParticipantForm) -> Participant:
    values = form.cleaned(settings.today())
    return await Participant.create(family_id=family_id, **values, using_db=uow.connection)


async def _owned(actor: Actor, participant_id: int | str, uow: UnitOfWork | None = None) -> Participant:
    """One child of the actor's family still in it; a removed one is as missing as another family's."""
    participant = await owned(Participant, actor, participant_id, uow)
    if participant.removed_at is not None:
        raise NotFound()
    return participant


async def _participant(uow: UnitOfWork, participant_id: int | str) -> Participant:
    """A participant still in a family, for staff; or NotFound."""
    try:
        wanted = int(participant_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    participant = None
    if 0 < wanted <= LARGEST_ID:
        participant = await Participant.filter(id=wanted, removed_at=None).using_db(uow.connection).first()
    if participant is None:
        raise NotFound()
    return participant


HEALTH_NOTES = ('allergies', 'medical_notes')


def _audited(participant: Participant) -> dict[str, Any]:
    fields = ('first_name', 'last_name', 'birthdate', 'gender', *HEALTH_NOTES)
    return {name: getattr(participant, name) for name in fields}


def _audit_changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Old and new values for the staff audit; health notes are private there too: only that they changed."""
    old, new = audit.changes(before, after)
    for name in HEALTH_NOTES:
        if name in new:
            old[name], new[name] = 'private', 'private, changed'
    return old, new


def describe_changes(participant: Participant, values: dict) -> list[str]:
    """One log line per changed field, old value to new: "Birthdate for Barbie Ager set to 11/17/2010".

    Health notes are private: the log says they changed, never what they say.
    """
    who = participant.full_name
    changes = []
    new_name = f'{values["first_name"]} {values["last_name"]}'
    if new_name != who:
        changes.append(f'Name for {who} set to {new_name}')
    if values['birthdate'] != participant.birthdate:
        day = values['birthdate']
        changes.append(
            f'Birthdate for {who} set to {day.month}/{day.day}/{day.year}' if day else f'Birthdate for {who} cleared'
        )
    if values['gender'] != participant.gender:
        changes.append(f'Gender for {who} set to {values["gender"].value}')
    if values['allergies'] != participant.allergies:
        changes.append(f'Allergies for {who} updated')
    if values['medical_notes'] != participant.medical_notes:
        changes.append(f'Medical notes for {who} updated')
    return changes
