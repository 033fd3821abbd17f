"""The one link every parent is given: a one-time code to a mobile or email, or a password.

A number or address that belongs to nobody yet is verified the same way, then continues to registration.
"""

from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from components import session
from components.code_entry import CodeEntry, enter_portal
from components.forms import primary_button, text_field, translated_error
from components.frame import portal_frame
from components.i18n import _, adopt_browser_language
from domain.access import passwords, sign_in
from domain.access.actors import SignedIn
from domain.errors import SignInFailed, ValidationFailed
from domain.studio import settings


@ui.page('/')
async def start_page():
    if await session.current_parent():
        return RedirectResponse('/portal')
    studio = settings.current()
    adopt_browser_language()  # before the title is translated: a first visit has no language remembered yet
    with portal_frame(_('Parent Portal')):
        ui.label(
            _("Sign in to see your family's account, classes and payments. New to the studio? Start the same way.")
        ).classes('text-gray-700')
        if studio.offers_codes:
            with ui.card().classes('w-full'):
                CodeEntry()
        if studio.offers_password:
            if studio.offers_codes:
                with ui.expansion(_('Sign in with a password instead')).classes('w-full bg-white rounded'):
                    password_sign_in()
            else:
                with ui.card().classes('w-full'):
                    password_sign_in()
                ui.link(_('New family? Register here'), '/register').classes('kr-link')


def password_sign_in() -> None:
    async def submit() -> None:
        try:
            token, actor = await sign_in.sign_in_parent(email.value or '', password.value or '', session.client_ip())
        except SignInFailed:
            password.error = _(SignInFailed.MESSAGE)
            return
        enter_portal(SignedIn(token, actor))

    with ui.column().classes('w-full gap-3 p-2'):
        email = text_field(_('Email'), autocomplete='username', kind='email')
        password = text_field(_('Password'), autocomplete='current-password', kind='password')
        password.on('keydown.enter', submit)
        primary_button(_('Sign in'), submit)
        ui.link(_('Forgot your password?'), '/forgot').classes('kr-link')


@ui.page('/forgot')
async def forgot_page():
    async def send() -> None:
        await passwords.request_reset(email.value or '', client_ip=session.client_ip())
        form.clear()
        with form:
            ui.label(
                _(
                    'If {email} belongs to a parent portal account, a link to choose a new password is on its way. '
                    'It works for 60 minutes.'
                ).format(email=email.value)
            ).props('role=status')

    adopt_browser_language()
    with portal_frame(_('Forgot your password?'), back='/'), ui.card().classes('w-full') as form:
        ui.label(_("Enter your email address and we'll send you a link to choose a new password."))
        email = text_field(_('Email'), autocomplete='email', kind='email')
        primary_button(_('Email me a link'), send)


@ui.page('/reset/{token}')
async def reset_page(token: str):
    async def save() -> None:
        try:
            signed = await passwords.reset_with_link(token, password.value or '', client_ip=session.client_ip())
        except ValidationFailed as failure:
            password.error = translated_error(failure, 'password')
            return
        except passwords.ResetLinkInvalid as refusal:
            password.error = _(refusal.MESSAGE)
            return
        enter_portal(signed)

    adopt_browser_language()
    with portal_frame(_('Choose a new password'), back='/'):
        if not await passwords.reset_link_is_usable(token):
            ui.label(_(passwords.ResetLinkInvalid.MESSAGE))
            ui.link(_('Ask for a new link'), '/forgot').classes('kr-link')
            return
        ui.label(_('At least 8 characters. A few words that mean something to you make a strong password.'))
        password = text_field(_('New password'), autocomplete='new-password', kind='password').props(
            'counter maxlength=128'
        )
        password.on('keydown.enter', save)
        primary_button(_('Save my new password'), save)


@ui.page('/signed-out')
async def signed_out_page():
    """Where the idle countdown sends the page once it has ended the session (components/idle.py).

    Anyone may link here, so this page only says so and ends nothing."""
    adopt_browser_language()
    with portal_frame(_('You were signed out'), back=None):
        ui.label(_('For your security, you were signed out after a while without activity.'))
        ui.link(_('Sign in again'), '/').classes('kr-link')
