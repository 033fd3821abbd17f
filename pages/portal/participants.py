"""The family's participants: each one's details, which a guardian can correct, and adding a brother or sister.

A save is made against the version the form was loaded with: if someone else saved meanwhile (another device,
another guardian, the studio), the page shows their values beside yours and lets you keep yours or take theirs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any

from nicegui import ui

from components.forms import bring_into_view, gender_options, save_button, saved, show_errors, text_field
from components.frame import not_found, portal_frame
from components.guards import parent_page
from components.i18n import _
from components.tiles import tile
from domain.access.actors import Actor, NotYourRole
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.family import participants, versions
from domain.family.participants import ParticipantForm
from domain.family.versions import ChangedMeanwhile
from domain.i18n import N_

PARTICIPANT_LABELS = {
    'first_name': N_('First name'),
    'last_name': N_('Last name'),
    'birthdate': N_('Birthdate'),
    'gender': N_('Gender'),
    'allergies': N_('Allergies'),
    'medical_notes': N_('Medical notes'),
}


class ParticipantFields:
    """The fields of one participant, for a parent or for staff."""

    def __init__(self, form: ParticipantForm) -> None:
        self.fields: dict[str, Any] = {
            'first_name': text_field(_('First name'), form.first_name),
            'last_name': text_field(_('Last name'), form.last_name),
            'birthdate': text_field(_('Birthdate'), str(form.birthdate or ''), kind='date'),
            'gender': ui.select(gender_options(), value=form.gender, label=_('Gender'))
            .props('outlined stack-label')
            .classes('w-full'),
            'allergies': ui.textarea(_('Allergies'), value=form.allergies)
            .props('outlined stack-label autogrow')
            .classes('w-full'),
            'medical_notes': ui.textarea(_('Medical notes'), value=form.medical_notes)
            .props('outlined stack-label autogrow')
            .classes('w-full'),
        }

    def read(self, loaded: ParticipantForm) -> ParticipantForm:
        values = {name: field.value or '' for name, field in self.fields.items()}
        return dataclasses.replace(loaded, **{**values, 'birthdate': values['birthdate'] or None})

    def fill(self, form: ParticipantForm) -> None:
        for name, field in self.fields.items():
            field.value = getattr(form, name) or ''

    def show_errors(self, errors: dict[str, str]) -> None:
        show_errors(self.fields, errors)


def shown_value(name: str, value: Any) -> str:
    """A stored or typed value in words, for "theirs" and "yours"."""
    if isinstance(value, bool):
        return _('Yes') if value else _('No')
    if name == 'gender':
        return gender_options().get(value, str(value))
    return str(value) if value not in (None, '') else '—'


class ChangedMeanwhileNotice:
    """Shown when a save is refused because someone else saved first: for each field where theirs and yours
    differ, both; then keep yours (saved again, over what they saved, in the fields you changed) or take theirs.
    Nothing is overwritten until the person chooses."""

    def __init__(self, labels: dict[str, str], shown: Callable[[str, Any], str] = shown_value) -> None:
        self.labels, self.shown = labels, shown
        self.box = ui.column().classes('w-full gap-1 border rounded p-3 border-negative').mark('changed-meanwhile')
        self.box.visible = False

    def show(
        self,
        refused: ChangedMeanwhile,
        yours: Any,
        *,
        keep: Callable[[], Awaitable[None]],
        take: Callable[[], None],
    ) -> None:
        self.box.clear()
        with self.box:
            ui.label(_(refused.MESSAGE)).classes('font-semibold text-negative').props('role=alert')
            for name in versions.differing(yours, refused.stored):
                if name not in self.labels:
                    continue
                with ui.column().classes('w-full gap-0').mark(f'changed-{name}'):
                    ui.label(_(self.labels[name])).classes('font-semibold')
                    ui.label(_('Theirs: {value}').format(value=self.shown(name, getattr(refused.stored, name))))
                    ui.label(_('Yours: {value}').format(value=self.shown(name, getattr(yours, name))))
            with ui.row().classes('w-full gap-2'):
                ui.button(_('Keep mine'), on_click=keep).props('unelevated color=primary')
                ui.button(_('Take theirs'), on_click=take).props('outline color=primary')
        self.box.visible = True
        bring_into_view(self.box)

    def hide(self) -> None:
        self.box.clear()
        self.box.visible = False


@parent_page('/portal/participants')
async def participants_page(actor: Actor):
    family = await participants.family_participants(actor)
    with portal_frame(_('Participants'), actor, back='/portal'):
        for child in family.participants:
            tile(child.full_name, '', f'/portal/participants/{child.id}', icon='child_care')
        if not family.participants:
            ui.label(_('No participants yet.')).classes('text-gray-700')
        if family.may_add:
            ui.button(
                _('Add a child'), icon='person_add', on_click=lambda: ui.navigate.to('/portal/participants/new')
            ).props('unelevated color=primary size=lg').classes('w-full')


@parent_page('/portal/participants/new')
async def new_participant_page(actor: Actor):
    if not (await participants.family_participants(actor)).may_add:
        not_found(actor)
        return
    blank = ParticipantForm('', actor.contact_name.rsplit(' ', 1)[-1])  # a brother or sister: the family's name

    async def add() -> None:
        try:
            added = await participants.add_participant(actor, editor.read(blank))
        except ValidationFailed as failure:
            editor.show_errors(failure.errors)
            return
        except DomainError as refused:
            ui.notify(_(refused.MESSAGE), type='warning')
            return
        ui.navigate.to(f'/portal/participants/{added.id}')

    with portal_frame(_('Add a child'), actor, back='/portal/participants'):
        editor = ParticipantFields(blank)
        save_button(add, _('Add'))


@parent_page('/portal/participants/{participant_id}')
async def participant_page(actor: Actor, participant_id: str):
    try:
        view = await participants.participant_view(actor, int(participant_id))
    except (NotFound, ValueError):
        not_found(actor)
        return
    participant = view.participant
    loaded = ParticipantForm.of(participant)

    async def save(form: ParticipantForm | None = None) -> None:
        nonlocal loaded
        yours = form or editor.read(loaded)
        try:
            stored = await participants.update_participant(actor, participant.id, yours)
        except ValidationFailed as failure:
            editor.show_errors(failure.errors)
            return
        except ChangedMeanwhile as refused:
            changed_meanwhile(refused, yours)
            return
        except (NotFound, NotYourRole):
            ui.navigate.reload()
            return
        editor.show_errors({})
        notice.hide()
        loaded = ParticipantForm.of(stored)
        editor.fill(loaded)
        title.text = stored.full_name  # a renamed child is named so at once, not at the next visit
        saved()

    def changed_meanwhile(refused: ChangedMeanwhile, yours: ParticipantForm) -> None:
        mine = versions.merged(loaded, yours, refused.stored)
        editor.show_errors({'version': refused.MESSAGE})  # the save button's line: not saved, and why
        notice.show(refused, yours, keep=lambda: save(mine), take=lambda: take(refused.stored))

    def take(theirs: ParticipantForm) -> None:
        nonlocal loaded
        loaded = theirs
        editor.fill(theirs)
        editor.show_errors({})
        notice.hide()

    with portal_frame(participant.full_name, actor, back='/portal') as column:
        title = next(e for e in column if isinstance(e, ui.label) and e.tag == 'h1')  # the frame's heading
        editor = ParticipantFields(loaded)
        if view.editable:
            notice = ChangedMeanwhileNotice(PARTICIPANT_LABELS)
            save_button(save)
        else:  # an authorized pickup or emergency contact sees the child; the guardians keep the details
            for field in editor.fields.values():
                field.disable()
