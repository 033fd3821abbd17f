"""The one link every parent is given: a one-time code to a mobile or email, or a password.

A number or address that belongs to nobody yet is verified the same way, then continues to registration.
"""

from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import app, ui

from components import session
from components.forms import primary_button, text_field, translated_error
from components.frame import portal_frame
from components.i18n import _, current_language, remember_language
from domain import access, access_codes, passwords, studio
from domain.access_codes import CodeRejected, CodesNotOffered, NotAllowed, SignedIn, TooMany, TooSoon
from domain.errors import SignInFailed, ValidationFailed

ATTEMPT_KEY = 'code_attempt'
VERIFIED_KEY = 'verified_destination'


def _enter_portal(token: str, language: str) -> None:
    session.remember_parent(token)
    remember_language(language)
    app.storage.user.pop(ATTEMPT_KEY, None)
    ui.navigate.to('/portal')


@ui.page('/')
async def start_page():
    if await session.current_parent():
        return RedirectResponse('/portal')
    settings = studio.current()
    with portal_frame(_('Parent Portal')):
        ui.label(_("Sign in to see your family's account, classes and payments. New to the studio? "
                   'Start the same way.')).classes('text-gray-700')
        if settings.offers_codes:
            with ui.card().classes('w-full'):
                CodeSignIn()
        if settings.offers_password:
            if settings.offers_codes:
                with ui.expansion(_('Sign in with a password instead')).classes('w-full bg-white rounded'):
                    password_sign_in()
            else:
                with ui.card().classes('w-full'):
                    password_sign_in()


class CodeSignIn:
    """Ask for a number or address, then for the code sent to it. The attempt survives a reload."""

    def __init__(self) -> None:
        self.show()

    @ui.refreshable_method
    def show(self) -> None:
        attempt = app.storage.user.get(ATTEMPT_KEY)
        if attempt is None:
            self._ask_for_destination()
        else:
            self._ask_for_code(attempt)

    def _remember_attempt(self, sent: access_codes.CodeSent) -> None:
        app.storage.user[ATTEMPT_KEY] = {'attempt_id': sent.attempt_id, 'destination': sent.destination}
        self.show.refresh()

    def _ask_for_destination(self) -> None:
        async def send() -> None:
            try:
                sent = await access_codes.send_code(destination.value or '', client_ip=session.client_ip(),
                                                    language=current_language())
            except ValidationFailed as failure:
                destination.error = translated_error(failure, 'destination')
                return
            except (TooSoon, TooMany, CodesNotOffered) as refusal:
                destination.error = _(refusal.MESSAGE)
                return
            self._remember_attempt(sent)

        destination = text_field(_('Mobile number or email'), autocomplete='username').mark('destination')
        destination.on('keydown.enter', send)
        primary_button(_('Send me a code'), send)

    def _ask_for_code(self, attempt: dict) -> None:
        async def check() -> None:
            try:
                outcome = await access_codes.enter_code(attempt['attempt_id'], code.value or '',
                                                        client_ip=session.client_ip())
            except (CodeRejected, NotAllowed) as refusal:
                code.error = _(refusal.MESSAGE)
                return
            if isinstance(outcome, SignedIn):
                _enter_portal(outcome.token, outcome.actor.language)
            else:
                app.storage.user.pop(ATTEMPT_KEY, None)
                app.storage.user[VERIFIED_KEY] = {'destination': outcome.destination, 'channel': outcome.channel.value}
                ui.navigate.to('/register')

        async def resend() -> None:
            try:
                sent = await access_codes.send_code(attempt['destination'], client_ip=session.client_ip(),
                                                    language=current_language())
            except (TooSoon, TooMany) as refusal:
                code.error = _(refusal.MESSAGE)
                return
            self._remember_attempt(sent)
            ui.notify(_('A new code is on its way'))

        def start_over() -> None:
            app.storage.user.pop(ATTEMPT_KEY, None)
            self.show.refresh()

        ui.label(_('We sent a 6-digit code to {destination}. It works for 10 minutes.')
                 .format(destination=attempt['destination']))
        code = text_field(_('Code'), autocomplete='one-time-code').props('inputmode=numeric maxlength=6').mark('code')
        code.on('keydown.enter', check)
        primary_button(_('Continue'), check)
        with ui.row().classes('w-full justify-between'):
            ui.button(_('Send a new code'), on_click=resend).props('flat no-caps color=primary')
            ui.button(_('Use a different number or email'), on_click=start_over).props('flat no-caps color=primary')


def password_sign_in() -> None:
    async def sign_in() -> None:
        try:
            token, actor = await access.sign_in_parent(email.value or '', password.value or '', session.client_ip())
        except SignInFailed:
            password.error = _(SignInFailed.MESSAGE)
            return
        _enter_portal(token, actor.language)

    with ui.column().classes('w-full gap-3 p-2'):
        email = text_field(_('Email'), autocomplete='username', kind='email')
        password = text_field(_('Password'), autocomplete='current-password', kind='password')
        password.on('keydown.enter', sign_in)
        primary_button(_('Sign in'), sign_in)
        ui.link(_('Forgot your password?'), '/forgot').classes('kr-link')


@ui.page('/forgot')
async def forgot_page():
    async def send() -> None:
        await passwords.request_reset(email.value or '', client_ip=session.client_ip())
        form.clear()
        with form:
            ui.label(_('If {email} belongs to a parent portal account, a link to choose a new password is on its way. '
                       'It works for 60 minutes.').format(email=email.value)).props('role=status')

    with portal_frame(_('Forgot your password?'), back='/'):
        with ui.card().classes('w-full') as form:
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
        _enter_portal(signed.token, signed.actor.language)

    with portal_frame(_('Choose a new password'), back='/'):
        if not await passwords.reset_link_is_usable(token):
            ui.label(_(passwords.ResetLinkInvalid.MESSAGE))
            ui.link(_('Ask for a new link'), '/forgot').classes('kr-link')
            return
        ui.label(_('At least 8 characters. A few words that mean something to you make a strong password.'))
        password = text_field(_('New password'), autocomplete='new-password', kind='password') \
            .props('counter maxlength=128')
        password.on('keydown.enter', save)
        primary_button(_('Save my new password'), save)


@ui.page('/register')
async def register_page():
    verified = app.storage.user.get(VERIFIED_KEY)
    if not verified:
        return RedirectResponse('/')
    with portal_frame(_('Welcome!'), back='/'):
        ui.label(_('Thank you: {destination} is verified, and we have kept it for you.')
                 .format(destination=verified['destination']))
        ui.label(_('Online registration for new families opens soon. Until then, please contact the studio '
                   'to register. You will not need to verify your number or email again.'))


@ui.page('/signed-out')
async def signed_out_page():
    """Where the idle countdown sends the page: the session ends on the server too."""
    actor = await session.current_parent()
    if actor:
        await access.sign_out_parent(session.parent_token(), actor, idle=True)
        session.forget_parent()
    with portal_frame(_('You were signed out'), back=None):
        ui.label(_('For your security, you were signed out after a while without activity.'))
        ui.link(_('Sign in again'), '/').classes('kr-link')
