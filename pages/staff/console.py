"""The staff console's door and first room: sign in with password and authenticator, then the live log."""

from __future__ import annotations

import segno
from fastapi.responses import RedirectResponse
from nicegui import ui

from components import session
from components.forms import primary_button, show_errors, text_field
from components.frame import heading
from components.guards import staff_page
from components.i18n import _, adopt_browser_language
from components.log_table import PortalLogTable
from components.staff_frame import staff_frame
from domain.access import staff_accounts as staff_accounts
from domain.access.actors import StaffActor
from domain.errors import SignInFailed, ValidationFailed
from domain.portal_log import ABSENCES, SHARING, LogFilter
from domain.studio import settings


@ui.page('/staff/sign-in')
async def staff_sign_in_page():
    if await session.current_staff():
        return RedirectResponse('/staff')
    adopt_browser_language()

    async def sign_in() -> None:
        try:
            token, _staff = await staff_accounts.sign_in(
                email.value or '', password.value or '', code.value or '', session.client_ip()
            )
        except staff_accounts.NeedsEnrolment as enrolment:
            show_enrolment(enrolment)
            return
        except SignInFailed:
            code.error = _(SignInFailed.MESSAGE)
            return
        session.hand_over('staff', token)

    def show_enrolment(enrolment: staff_accounts.NeedsEnrolment) -> None:
        enrolment_box.clear()
        with enrolment_box:
            ui.label(
                _(
                    'Set up your authenticator app: scan this code, or type the key, then enter the 6-digit code '
                    'it shows.'
                )
            )
            alt = _('QR code for your authenticator app')
            qr_code = ui.image(segno.make(enrolment.uri).svg_data_uri(scale=5)).classes('w-48 h-48')
            qr_code.props['alt'] = alt
            ui.label(enrolment.secret).classes('font-mono text-lg').mark('totp-secret')
        enrolment_box.set_visibility(True)

    ui.page_title(_('Staff sign in'))
    with ui.column().classes('w-full max-w-sm mx-auto p-4 gap-3'):
        heading(_('Staff sign in'))
        email = text_field(_('Email'), autocomplete='username', kind='email')
        password = text_field(_('Password'), autocomplete='current-password', kind='password')
        enrolment_box = ui.column().classes('w-full items-center gap-2')
        enrolment_box.set_visibility(False)
        code = text_field(_('Authenticator code'), autocomplete='one-time-code').props('inputmode=numeric maxlength=6')
        code.on('keydown.enter', sign_in)
        primary_button(_('Sign in'), sign_in)


@staff_page('/staff')
async def staff_console_page(staff: StaffActor):

    async def search() -> None:
        dates = {'start': start, 'end': end}
        try:
            topic = ABSENCES if absences_only.value else SHARING if sharing_only.value else ''
            criteria = LogFilter.typed(start.value, end.value, text.value, settings.current().timezone, topic)
        except ValidationFailed as failure:
            show_errors(dates, failure.errors)
            return
        show_errors(dates, {})
        await table.search(criteria)

    with staff_frame(_('Parent Portal Log'), staff):
        with ui.row().classes('items-end gap-2 w-full'):
            start = text_field(_('From'), kind='date').classes(remove='w-full', add='w-40')
            end = text_field(_('To'), kind='date').classes(remove='w-full', add='w-40')
            text = text_field(_('Search')).classes(remove='w-full', add='w-64')
            text.on('keydown.enter', search)
            ui.button(_('Search'), icon='search', on_click=search).props('unelevated color=primary')
            # the studio's guide has staff read absences and makeups by themselves, so one tap shows only those
            absences_only = ui.switch(_('Absences and makeups only'), on_change=search).mark('log-absences-only')
            sharing_only = ui.switch(_('Photos, news and resources only'), on_change=search).mark('log-sharing-only')
        table = PortalLogTable()
    await table.search(LogFilter(timezone=settings.current().timezone))
