"""One participant's details, which the parent can correct."""

from __future__ import annotations

from nicegui import ui

from components.forms import gender_options, save_button, show_errors, text_field
from components.frame import not_found, portal_frame
from components.guards import parent_page
from components.i18n import _
from domain.access.actors import Actor
from domain.errors import NotFound, ValidationFailed
from domain.family import participants
from domain.family.participants import ParticipantForm


@parent_page('/portal/participants/{participant_id}')
async def participant_page(actor: Actor, participant_id: str):
    try:
        view = await participants.participant_view(actor, int(participant_id))
    except (NotFound, ValueError):
        not_found(actor)
        return
    participant = view.participant

    async def save() -> None:
        form = ParticipantForm(
            fields['first_name'].value or '',
            fields['last_name'].value or '',
            fields['birthdate'].value or None,
            fields['gender'].value,
            fields['allergies'].value or '',
            fields['medical_notes'].value or '',
        )
        try:
            saved = await participants.update_participant(actor, participant.id, form)
        except ValidationFailed as failure:
            show_errors(fields, failure.errors)
            return
        except NotFound:
            ui.navigate.reload()
            return
        show_errors(fields, {})
        title.text = saved.full_name  # a renamed child is named so at once, not at the next visit
        ui.notify(_('Saved'), type='positive')

    original = ParticipantForm.of(participant)
    with portal_frame(participant.full_name, actor, back='/portal') as column:
        title = next(e for e in column if isinstance(e, ui.label) and e.tag == 'h1')  # the frame's heading
        fields = {
            'first_name': text_field(_('First name'), original.first_name),
            'last_name': text_field(_('Last name'), original.last_name),
            'birthdate': text_field(
                _('Birthdate'), original.birthdate.isoformat() if original.birthdate else '', kind='date'
            ),
            'gender': ui.select(gender_options(), value=original.gender, label=_('Gender'))
            .props('outlined stack-label')
            .classes('w-full'),
            'allergies': ui.textarea(_('Allergies'), value=original.allergies)
            .props('outlined stack-label autogrow')
            .classes('w-full'),
            'medical_notes': ui.textarea(_('Medical notes'), value=original.medical_notes)
            .props('outlined stack-label autogrow')
            .classes('w-full'),
        }
        if view.editable:
            save_button(save)
        else:  # an authorized pickup or emergency contact sees the child; the guardians keep the details
            for field in fields.values():
                field.disable()
