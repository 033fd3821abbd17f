"""The staff console: sign in, then watch the Parent Portal Log as it happens."""

from __future__ import annotations

import datetime as dt

from fastapi.responses import RedirectResponse
from nicegui import ui

from components import session
from components.forms import text_field
from components.frame import heading
from components.i18n import _, adopt_browser_language
from components.log_table import PortalLogTable
from domain import access, studio
from domain.errors import SignInFailed
from domain.portal_log import LogFilter


@ui.page('/staff/sign-in')
async def staff_sign_in_page():
    if await session.current_staff():
        return RedirectResponse('/staff')
    adopt_browser_language()

    async def sign_in() -> None:
        try:
            token, _staff = await access.sign_in_staff(email.value or '', password.value or '', session.client_ip())
        except SignInFailed:
            password.error = _(SignInFailed.MESSAGE)
            return
        session.remember_staff(token)
        ui.navigate.to('/staff')

    ui.page_title(_('Staff sign in'))
    with ui.column().classes('w-full max-w-sm mx-auto p-4 gap-3'):
        heading(_('Staff sign in'))
        email = text_field(_('Email'), autocomplete='username', kind='email')
        password = text_field(_('Password'), autocomplete='current-password', kind='password')
        password.on('keydown.enter', sign_in)
        ui.button(_('Sign in'), on_click=sign_in).props('unelevated color=primary').classes('w-full')


@ui.page('/staff')
async def staff_console_page():
    staff = await session.current_staff()
    if staff is None:
        return RedirectResponse('/staff/sign-in')
    adopt_browser_language()

    async def sign_out() -> None:
        await access.sign_out_staff(session.staff_token())
        session.forget_staff()
        ui.navigate.to('/staff/sign-in')

    async def search() -> None:
        await table.search(LogFilter(_date(start.value), _date(end.value), text.value or '', studio.current().timezone))

    ui.page_title(_('Parent Portal Log'))
    with ui.header().classes('bg-white text-black shadow-sm px-4 py-2 items-center justify-between'):
        ui.label(studio.current().name + ' · ' + _('Staff')).classes('font-bold')
        with ui.row().classes('items-center gap-2'):
            ui.label(staff.name).classes('text-sm')
            ui.button(_('Sign out'), on_click=sign_out).props('flat color=primary')
    with ui.column().classes('w-full p-4 gap-3'):
        heading(_('Parent Portal Log'))
        with ui.row().classes('items-end gap-2 w-full'):
            start = text_field(_('From'), kind='date').classes(remove='w-full', add='w-40')
            end = text_field(_('To'), kind='date').classes(remove='w-full', add='w-40')
            text = text_field(_('Search')).classes(remove='w-full', add='w-64')
            text.on('keydown.enter', search)
            ui.button(_('Search'), icon='search', on_click=search).props('unelevated color=primary')
        table = PortalLogTable()
    await table.search(LogFilter(timezone=studio.current().timezone))


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
