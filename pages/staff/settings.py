"""What the studio owner decides: how parents sign in, how long message history is kept, who is staff."""

from __future__ import annotations

from nicegui import ui

from components.forms import show_errors, text_field
from components.frame import heading
from components.guards import staff_page
from components.i18n import _
from components.staff_frame import staff_frame
from domain.access import staff_accounts as staff_accounts
from domain.access.actors import StaffActor
from domain.access.staff_accounts import StaffForm
from domain.errors import ValidationFailed
from domain.i18n import N_
from domain.models import StaffRole
from domain.studio import settings


@staff_page('/staff/settings', role=StaffRole.ADMIN, title=N_('Settings'))
async def settings_page(staff: StaffActor):
    studio = settings.current()
    colleagues = await staff_accounts.list_staff()

    async def save_settings() -> None:
        try:
            await settings.update_settings(
                staff,
                sign_in_methods=methods.value,
                message_retention_days=int(retention.value or 0),
                allow_prepay=bool(prepay.value),
                card_fee_percent=fee.value or '0',
                address=address.value or '',
            )
        except ValidationFailed as failure:
            show_errors(
                {'message_retention_days': retention, 'card_fee_percent': fee, 'address': address}, failure.errors
            )
            return
        show_errors({'message_retention_days': retention, 'card_fee_percent': fee, 'address': address}, {})
        ui.notify(_('Saved'), type='positive')

    async def add() -> None:
        form = StaffForm(
            fields['email'].value or '', fields['name'].value or '', role.value, fields['password'].value or ''
        )
        try:
            await staff_accounts.add_staff(staff, form)
        except ValidationFailed as failure:
            show_errors(fields, failure.errors)
            return
        ui.navigate.reload()

    with staff_frame(_('Settings'), staff):
        heading(_('Parent sign-in'), 2)
        methods = ui.radio(
            {'both': _('One-time code or password'), 'codes': _('One-time code only'), 'password': _('Password only')},
            value=studio.sign_in_methods.value,
        )
        retention = (
            ui.number(
                _('Keep sent emails and texts for (days)'),
                value=studio.message_retention_days,
                min=1,
                max=3650,
                precision=0,
            )
            .props('outlined')
            .classes('w-72')
        )
        heading(_('Payments'), 2)
        prepay = ui.checkbox(_('Parents may pay more than their balance (prepay)'), value=studio.allow_prepay)
        fee = text_field(_('Card fee added to online payments (%)'), str(studio.card_fee_percent)).classes(
            remove='w-full', add='w-72'
        )
        heading(_('Statements'), 2)
        address = (
            ui.textarea(_('Studio address, as it heads statements'), value=studio.address)
            .props('outlined autogrow')
            .classes('w-96')
        )
        ui.button(_('Save'), on_click=save_settings).props('unelevated color=primary')

        heading(_('Staff accounts'), 2)
        columns = [
            {'name': c, 'label': label, 'field': c, 'align': 'left'}
            for c, label in (('name', _('Name')), ('email', _('Email')), ('role', _('Role')))
        ]
        role_names = {
            StaffRole.ADMIN: _('Administrator'),
            StaffRole.FRONT_DESK: _('Front desk'),
            StaffRole.INSTRUCTOR: _('Instructor'),
        }
        ui.table(
            columns=columns,
            rows=[{'id': c.id, 'name': c.name, 'email': c.email, 'role': role_names[c.role]} for c in colleagues],
            row_key='id',
        ).props('flat bordered dense')
        with ui.card().classes('w-96'):
            ui.label(_('Add a staff member')).classes('font-semibold')
            fields = {
                'name': text_field(_('Name')),
                'email': text_field(_('Email'), kind='email'),
                'password': text_field(_('First password'), kind='password'),
            }
            role = ui.radio({r.value: role_names[r] for r in StaffRole}, value=StaffRole.FRONT_DESK.value)
            ui.button(_('Add'), on_click=add).props('unelevated color=primary')

        async def reset() -> None:
            if whose.value is None:
                whose.error = _('Choose a staff member')
                return
            await staff_accounts.reset_authenticator(staff, int(whose.value))
            whose.error = None
            ui.notify(_('They will set up their authenticator again at their next sign-in'), type='positive')

        with ui.card().classes('w-96'):
            ui.label(_('Reset authenticator')).classes('font-semibold')
            ui.label(_('After a lost phone: a new authenticator key, shown at their next sign-in with their password.'))
            whose = ui.select({c.id: c.name for c in colleagues}, label=_('Staff member')).props('outlined')
            ui.button(_('Reset authenticator'), on_click=reset).props('outline no-caps color=primary')
