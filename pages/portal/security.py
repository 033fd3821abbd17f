"""The parent's password and devices; also where a temporary password is replaced."""

from __future__ import annotations

from nicegui import ui

from components import session
from components.forms import primary_button, show_errors, text_field
from components.frame import heading, portal_frame
from components.guards import parent_page
from components.i18n import _, ngettext
from domain.access import passwords, sessions
from domain.access.actors import Actor
from domain.errors import ValidationFailed


@parent_page('/portal/security', changing_password=True)
async def security_page(actor: Actor):

    async def change() -> None:
        try:
            await passwords.change_password(actor, session.parent_token(), current.value or '', new.value or '')
        except passwords.WrongCurrentPassword as refusal:
            show_errors(fields, {'current': refusal.MESSAGE})
            return
        except ValidationFailed as failure:
            show_errors(fields, failure.errors)
            return
        show_errors(fields, {})
        if actor.must_change_password:
            ui.navigate.to('/portal')
        else:
            current.value = new.value = ''
            ui.notify(_('Your password was changed. Your other devices were signed out.'), type='positive')

    async def sign_out_elsewhere() -> None:
        ended = await sessions.sign_out_other_devices(actor, session.parent_token())
        ui.notify(
            ngettext('Signed out of {count} other device', 'Signed out of {count} other devices', ended).format(
                count=ended
            ),
            type='positive',
        )

    forced = actor.must_change_password
    with portal_frame(
        _('Choose your own password') if forced else _('Password and devices'),
        actor,
        back=None if forced else '/portal',
    ):
        if forced:
            ui.label(_('You signed in with a temporary password. Choose your own to continue.'))
        with ui.card().classes('w-full'):
            fields = {
                'current': text_field(
                    _('Temporary password') if forced else _('Current password'),
                    autocomplete='current-password',
                    kind='password',
                ),
                'new_password': text_field(_('New password'), autocomplete='new-password', kind='password').props(
                    'counter maxlength=128'
                ),
            }
            current, new = fields['current'], fields['new_password']
            ui.label(
                _('At least 8 characters. A few words that mean something to you make a strong password.')
            ).classes('text-sm text-gray-700')
            primary_button(_('Change password'), change)
        if not forced:
            heading(_('Other devices'), 2)
            ui.label(_('Signed in on a phone or computer you no longer use? Sign it out.')).classes('text-gray-700')
            ui.button(_('Sign out other devices'), on_click=sign_out_elsewhere).props(
                'outline color=primary size=lg'
            ).classes('w-full')
