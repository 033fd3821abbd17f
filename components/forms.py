"""Form fields that show a service's validation messages beside themselves."""

from __future__ import annotations

from dataclasses import replace

from nicegui import ui
from nicegui.elements.mixins.validation_element import ValidationElement

from components.i18n import _
from domain.errors import ValidationFailed
from domain.family.contacts import CONTACT_FLAGS, ContactForm
from domain.i18n import LANGUAGE_NAMES, N_
from domain.models import Gender


def text_field(label: str, value: str = '', *, autocomplete: str | None = None, kind: str = 'text') -> ui.input:
    field = ui.input(label, value=value or '').props('outlined stack-label').classes('w-full')
    field.props['type'] = kind
    if autocomplete:
        field.props['autocomplete'] = autocomplete
    return field


def show_errors(fields: dict[str, ValidationElement], errors: dict[str, str]) -> None:
    """Put each message beside its field (Quasar announces it to screen readers) and clear the others."""
    for name, field in fields.items():
        field.error = _(errors[name]) if name in errors else None


def translated_error(failure: ValidationFailed, field: str) -> str | None:
    message = failure.errors.get(field)
    return _(message) if message else None


def primary_button(label: str, on_click) -> ui.button:
    """The one main action of a form: full width, thumb-sized."""
    return ui.button(label, on_click=on_click).props('unelevated color=primary size=lg').classes('w-full')


def save_button(on_click) -> ui.button:
    return primary_button(_('Save'), on_click)


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
