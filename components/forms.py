"""Form fields that show a service's validation messages beside themselves."""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import replace
from typing import Any

from nicegui import ui
from nicegui.elements.mixins.validation_element import ValidationElement

from components.i18n import _
from domain.errors import ValidationFailed
from domain.family.contacts import CONTACT_FLAGS, ContactForm
from domain.family.participants import ParticipantForm
from domain.i18n import LANGUAGE_NAMES, N_
from domain.models import Gender


def text_field(label: str, value: str = '', *, autocomplete: str | None = None, kind: str = 'text') -> ui.input:
    field = ui.input(label, value=value or '').props('outlined stack-label').classes('w-full')
    field.props['type'] = kind
    if autocomplete:
        field.props['autocomplete'] = autocomplete
    return field


def show_errors(fields: dict[str, ValidationElement], errors: dict[str, str]) -> None:
    """Put each message beside its field (Quasar announces it to screen readers) and clear the others.

    On a phone the first wrong field is often far above the Save button: the page scrolls to it and puts the
    cursor in it, and the line under the save button that was pressed says the save failed, and why."""
    first = next((name for name in fields if name in errors), None)
    for name, field in fields.items():
        field.error = _(errors[name]) if name in errors else None
    if first is not None:
        bring_into_view(fields[first])
    feedback = _pressed.get()
    if feedback is not None and errors:
        feedback.failed(_(errors[first] if first is not None else next(iter(errors.values()))))


def bring_into_view(field: ui.element) -> None:
    """Scroll a field to the middle of the screen (clear of the header) and put the cursor in it (an input,
    a select or a checkbox: its own focusable part)."""
    ui.run_javascript(FOCUS_SCRIPT % field.id)


FOCUS_SCRIPT = """
const field = getHtmlElement(%d);
if (field) {
  field.scrollIntoView({block: 'center'});
  const focusable = 'input, textarea, [tabindex]:not([tabindex="-1"])';
  (field.matches(focusable) ? field : field.querySelector(focusable))?.focus({preventScroll: true});
}
"""


def translated_error(failure: ValidationFailed, field: str) -> str | None:
    message = failure.errors.get(field)
    return _(message) if message else None


def primary_button(label: str, on_click) -> ui.button:
    """The one main action of a form: full width, thumb-sized."""
    return ui.button(label, on_click=on_click).props('unelevated color=primary size=lg').classes('w-full')


class SaveFeedback:
    """The line under a save button: "Saved", or what is wrong and where; screen readers read out each change.

    It empties the moment the next save starts, so a "Saved" from before never stands beside a new mistake."""

    def __init__(self) -> None:
        # always in the page, only its text changes: a live region that appears is not reliably read out
        self.line = ui.label('').classes('text-sm w-full').props('role=status').mark('save-feedback')

    def clear(self) -> None:
        self.line.text = ''
        self.line.classes(remove='text-positive text-negative')

    def saved(self) -> None:
        self.line.text = '✓ ' + _('Saved')
        self.line.classes(remove='text-negative', add='text-positive')

    def failed(self, message: str) -> None:
        """The first wrong field's own message; the cursor is in that field, whose label a screen reader reads."""
        self.line.text = _('Not saved: {message}').format(message=message)
        self.line.classes(remove='text-positive', add='text-negative')


_pressed: ContextVar[SaveFeedback | None] = ContextVar('the save button being handled', default=None)


def save_button(on_click: Callable[[], Any], label: str | None = None) -> ui.button:
    """A form's Save, with its own feedback line: the save's `show_errors` and `saved()` speak there."""

    async def save() -> None:
        feedback.clear()
        pressed = _pressed.set(feedback)
        try:
            result = on_click()
            if inspect.isawaitable(result):
                await result
        finally:
            _pressed.reset(pressed)

    button = primary_button(label or _('Save'), save)
    feedback = SaveFeedback()
    return button


def saved() -> None:
    """Say that a save worked: under its save button until the next save starts, elsewhere as a notification."""
    feedback = _pressed.get()
    if feedback is None:
        ui.notify(_('Saved'), type='positive')
    else:
        feedback.saved()


# (field, label, autocomplete, input type) of a contact, in the order a form asks them
CONTACT_INPUTS = (
    ('first_name', N_('First name'), 'given-name', 'text'),
    ('last_name', N_('Last name'), 'family-name', 'text'),
    ('relationship', N_('Relationship (for example Grandmother)'), None, 'text'),
    ('email', N_('Email'), 'email', 'email'),
    ('mobile_phone', N_('Mobile phone'), 'tel', 'tel'),
    ('home_phone', N_('Home phone'), None, 'tel'),
    ('work_phone', N_('Work phone'), None, 'tel'),
    ('address1', N_('Address'), 'address-line1', 'text'),
    ('address2', N_('Address line 2'), 'address-line2', 'text'),
    ('city', N_('City'), 'address-level2', 'text'),
    ('state', N_('State / province'), 'address-level1', 'text'),
    ('postal_code', N_('ZIP / postal code'), 'postal-code', 'text'),
)


def gender_options() -> dict[str, str]:
    return {
        Gender.FEMALE.value: _('Female'),
        Gender.MALE.value: _('Male'),
        Gender.NONBINARY.value: _('Non-binary'),
        Gender.UNSPECIFIED.value: _('Prefer not to say'),
    }


def language_select(value: str) -> ui.select:
    return (
        ui.select(LANGUAGE_NAMES, value=value, label=_('Preferred language'))
        .props('outlined stack-label')
        .classes('w-full')
    )


class ContactFields:
    """The fields of one contact; used for yourself, another guardian, a pick-up person."""

    def __init__(self, form: ContactForm, *, is_self: bool) -> None:
        self.fields: dict[str, ValidationElement] = {
            name: text_field(_(label), getattr(form, name), autocomplete=autocomplete, kind=kind)
            for name, label, autocomplete, kind in CONTACT_INPUTS
            if not (is_self and name == 'relationship')
        }
        if is_self:
            self.fields['preferred_language'] = language_select(form.preferred_language)
        self.flags = {flag.name: ui.checkbox(_(flag.label), value=getattr(form, flag.name)) for flag in CONTACT_FLAGS}

    def read(self, original: ContactForm) -> ContactForm:
        values = {name: field.value or '' for name, field in self.fields.items()}
        flags = {name: bool(box.value) for name, box in self.flags.items()}
        return replace(original, **values, **flags)

    def show_errors(self, errors: dict[str, str]) -> None:
        show_errors(self.fields, errors)


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


def fill_contact(fields: ContactFields, form: ContactForm) -> None:
    """Show a contact's stored values in its fields (after a save, or when taking theirs)."""
    for name, field in {**fields.fields, **fields.flags}.items():
        field.value = getattr(form, name)


def confirm_dialog(
    question: str, action: str, on_confirm: Callable, *, danger: bool = False, marker: str = ''
) -> ui.dialog:
    """Ask before an action that cannot simply be undone: the question, Cancel, and the action itself. The
    dialog's `question` label may be rewritten before it opens, when the question depends on what is asked."""
    with ui.dialog() as dialog, ui.card().mark(marker):
        dialog.question = ui.label(question)  # type: ignore[attr-defined]
        with ui.row().classes('w-full justify-end'):
            ui.button(_('Cancel'), on_click=dialog.close).props('flat')
            button = ui.button(action, on_click=on_confirm).props('unelevated')
            button.props['color'] = 'negative' if danger else 'primary'
    return dialog
