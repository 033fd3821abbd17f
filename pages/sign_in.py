"""The one link every parent is given: sign in with email and password."""

from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from components import session
from components.forms import text_field
from components.frame import portal_frame
from components.i18n import _, remember_language
from domain import access
from domain.errors import SignInFailed


@ui.page('/')
async def sign_in_page():
    if await session.current_parent():
        return RedirectResponse('/portal')

    async def sign_in() -> None:
        try:
            token, actor = await access.sign_in_parent(email.value or '', password.value or '', session.client_ip())
        except SignInFailed:
            password.error = _(SignInFailed.MESSAGE)
            return
        session.remember_parent(token)
        remember_language(actor.language)
        ui.navigate.to('/portal')

    with portal_frame(_('Parent Portal')):
        ui.label(_('Sign in to see your family\'s account, classes and payments.')).classes('text-gray-700')
        with ui.card().classes('w-full'):
            email = text_field(_('Email'), autocomplete='username', kind='email')
            password = text_field(_('Password'), autocomplete='current-password', kind='password')
            password.on('keydown.enter', sign_in)
            ui.button(_('Sign in'), on_click=sign_in).props('unelevated color=primary size=lg').classes('w-full')
