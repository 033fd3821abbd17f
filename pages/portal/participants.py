"""The family's participants: each one's details, which a guardian can correct, and adding a brother or sister.

A save is made against the version the form was loaded with: if someone else saved meanwhile (another device,
another guardian, the studio), the page shows their values beside yours and lets you keep yours or take theirs.
"""

from __future__ import annotations

from nicegui import ui

from components.edit_conflicts import ChangedMeanwhileNotice
from components.forms import PARTICIPANT_LABELS, ParticipantFields, save_button, saved
from components.frame import not_found, portal_frame
from components.guards import parent_page
from components.i18n import _
from components.tiles import tile
from domain.access.actors import Actor, NotYourRole
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.family import participants
from domain.family.participants import ParticipantForm
from domain.family.versions import ChangedMeanwhile
from domain.photos import photos
from pages.portal.photos.child_photo import child_photo_section


@parent_page('/portal/participants')
async def participants_page(actor: Actor):
    family = await participants.family_participants(actor)
    thumbnails = await photos.family_thumbnails(actor)
    with portal_frame(_('Participants'), actor, back='/portal'):
        for child in family.participants:
            tile(
                child.full_name,
                '',
                f'/portal/participants/{child.id}',
                icon='child_care',
                image=thumbnails.get(child.id),
            )
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
        notice.offer(refused, loaded, yours, save=save, take=take, show_errors=editor.show_errors)

    def take(theirs: ParticipantForm) -> None:
        nonlocal loaded
        loaded = theirs
        editor.fill(theirs)
        editor.show_errors({})
        notice.hide()

    with portal_frame(participant.full_name, actor, back='/portal') as column:
        title = next(e for e in column if isinstance(e, ui.label) and e.tag == 'h1')  # the frame's heading
        await child_photo_section(actor, participant)
        editor = ParticipantFields(loaded)
        if view.editable:
            notice = ChangedMeanwhileNotice(PARTICIPANT_LABELS)
            save_button(save)
        else:  # an authorized pickup or emergency contact sees the child; the guardians keep the details
            for field in editor.fields.values():
                field.disable()
