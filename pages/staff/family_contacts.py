"""What staff set for each contact of a family: the role, the primary contact, the billing contacts, and the
contact's Mass Email Opt-Out (saved on its own, as the contact asked).

The staff family page shows `contact_role_editor(staff, contact)` under each contact.
"""

from __future__ import annotations

from nicegui import ui

from components.forms import saved
from components.i18n import _
from domain.access.actors import ROLE_NAMES, StaffActor
from domain.errors import DomainError
from domain.family import contacts, roles
from domain.models import Contact


def contact_role_editor(staff: StaffActor, contact: Contact) -> ui.row:
    """Role, primary and billing of one contact, saved together: the service keeps the family's rules."""

    async def save() -> None:
        try:
            await roles.set_contact_standing(
                staff, contact.id, role=role.value, is_primary=bool(primary.value), is_billing=bool(billing.value)
            )
        except DomainError as refused:
            ui.notify(_(refused.MESSAGE), type='warning')
            return
        saved()
        ui.navigate.reload()  # the contact's details form below now holds a version from before this change

    with ui.row().classes('items-center gap-4 wrap') as editor:
        role = (
            ui.select(
                {value.value: _(name) for value, name in ROLE_NAMES.items()},
                value=contact.role.value,
                label=_('Role in the family'),
            )
            .props('outlined dense stack-label')
            .classes('w-56')
        )
        primary = ui.checkbox(_('Primary contact'), value=contact.is_primary)
        billing = ui.checkbox(_('Billing contact'), value=contact.is_billing)
        ui.button(_('Save role'), on_click=save).props('outline color=primary')
        mass_email_opt_out(staff, contact)
    return editor


def mass_email_opt_out(staff: StaffActor, contact: Contact) -> ui.switch:
    async def switched(event) -> None:
        try:
            await contacts.set_mass_email_opt_out_by_staff(staff, contact.id, bool(event.value))
        except DomainError as refused:
            ui.notify(_(refused.MESSAGE), type='warning')
            return
        saved()

    return ui.switch(_('Mass Email Opt-Out'), value=contact.mass_email_opt_out, on_change=switched).mark(
        f'mass-email-opt-out-{contact.id}'
    )
