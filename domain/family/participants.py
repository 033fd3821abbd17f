"""A parent looking after their participants' details."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from domain import portal_log
from domain.access.actors import Actor, NotYourRole, standing
from domain.models import Gender, Participant
from domain.records import owned
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

    @classmethod
    def of(cls, participant: Participant) -> ParticipantForm:
        return cls(
            participant.first_name,
            participant.last_name,
            participant.birthdate,
            participant.gender.value,
            participant.allergies,
            participant.medical_notes,
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


async def participant_view(actor: Actor, participant_id: int) -> ParticipantView:
    me = await standing(actor)
    return ParticipantView(await owned(Participant, actor, participant_id), me.manages_children)


async def update_participant(actor: Actor, participant_id: int, form: ParticipantForm) -> Participant:
    """Apply a parent's edit to one of their own participants and record it in the portal log."""
    async with UnitOfWork() as uow:
        participant = await owned(Participant, actor, participant_id, uow)
        if not (await standing(actor, uow)).manages_children:
            raise NotYourRole()
        values = form.cleaned(settings.today())
        changes = describe_changes(participant, values)
        if changes:
            for field, value in values.items():
                setattr(participant, field, value)
            await participant.save(using_db=uow.connection)
            await portal_log.record(uow, actor.subject, 'participant_updated', '; '.join(changes))
    return participant


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
