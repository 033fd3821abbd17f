"""Form fields that show a service's validation messages beside themselves."""

from __future__ import annotations

from dataclasses import replace

from nicegui import ui
from nicegui.elements.mixins.validation_element import ValidationElement

from domain.contacts import ContactForm
from domain.errors import ValidationFailed
from domain.i18n import LANGUAGE_NAMES

from .i18n import _


def text_field(label: str, value: str = '', *, autocomplete: str | None = None, kind: str = 'text') -> ui.input:
    field = ui.input(label, value=value or '').props(f'outlined stack-label type={kind}').classes('w-full')
    if autocomplete:
        field.props(f'autocomplete={autocomplete}')
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


class ContactFields:
    """The fields of one contact; used for yourself, another guardian, a pick-up person."""

    def __init__(self, form: ContactForm, *, is_self: bool) -> None:
        self.fields: dict[str, ValidationElement] = {
            'first_name': text_field(_('First name'), form.first_name, autocomplete='given-name'),
            'last_name': text_field(_('Last name'), form.last_name, autocomplete='family-name'),
        }
        if not is_self:
            self.fields['relationship'] = text_field(_('Relationship (for example Grandmother)'), form.relationship)
        self.fields |= {
            'email': text_field(_('Email'), form.email, autocomplete='email', kind='email'),
            'mobile_phone': text_field(_('Mobile phone'), form.mobile_phone, autocomplete='tel', kind='tel'),
            'home_phone': text_field(_('Home phone'), form.home_phone, kind='tel'),
            'work_phone': text_field(_('Work phone'), form.work_phone, kind='tel'),
            'address1': text_field(_('Address'), form.address1, autocomplete='address-line1'),
            'address2': text_field(_('Address line 2'), form.address2, autocomplete='address-line2'),
            'city': text_field(_('City'), form.city, autocomplete='address-level2'),
            'state': text_field(_('State / province'), form.state, autocomplete='address-level1'),
            'postal_code': text_field(_('ZIP / postal code'), form.postal_code, autocomplete='postal-code'),
        }
        if is_self:
            self.fields['preferred_language'] = ui.select(
                LANGUAGE_NAMES, value=form.preferred_language, label=_('Preferred language'),
            ).props('outlined stack-label').classes('w-full')
        self.flags = {
            'is_primary': ui.checkbox(_('Primary contact'), value=form.is_primary),
            'is_billing': ui.checkbox(_('Billing contact'), value=form.is_billing),
            'can_pick_up': ui.checkbox(_('Authorized to pick up'), value=form.can_pick_up),
            'is_emergency': ui.checkbox(_('Emergency contact'), value=form.is_emergency),
        }

    def read(self, original: ContactForm) -> ContactForm:
        values = {name: field.value or '' for name, field in self.fields.items()}
        flags = {name: bool(box.value) for name, box in self.flags.items()}
        return replace(original, **values, **flags)

    def show_errors(self, errors: dict[str, str]) -> None:
        show_errors(self.fields, errors)
