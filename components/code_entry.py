"""Ask for a mobile number or email address, then for the code sent to it. The attempt survives a reload."""

from __future__ import annotations

from nicegui import app, ui

from components import session
from components.forms import primary_button, text_field, translated_error
from components.i18n import _, current_language, remember_language
from domain.access import codes
from domain.access.actors import SignedIn
from domain.access.codes import CodeRejected, CodesNotOffered, NotAllowed, TooMany, TooSoon
from domain.errors import ValidationFailed
from domain.models import CodePurpose
from domain.registration.drafts import AlreadyRegistered


def enter_portal(signed: SignedIn, then: str = '') -> None:
    remember_language(signed.actor.language)
    session.hand_over('parent', signed.token, then)


class CodeEntry:
    """Signing in (a stranger's proven number continues to registration), or proving one to register."""

    def __init__(self, purpose: CodePurpose = CodePurpose.SIGN_IN) -> None:
        self.purpose = purpose
        self.key = f'code_attempt_{purpose.value}'
        self.show()

    @ui.refreshable_method
    def show(self) -> None:
        attempt = app.storage.user.get(self.key)
        if attempt is None:
            self._ask_for_destination()
        else:
            self._ask_for_code(attempt)

    def _remember_attempt(self, sent: codes.CodeSent, typed: str) -> None:
        """Keeps the attempt, and the number or address as the parent typed it: that is what they recognise."""
        app.storage.user[self.key] = {
            'attempt_id': sent.attempt_id,
            'destination': sent.destination,
            'typed': typed.strip() or sent.destination,
        }
        self.show.refresh()

    async def _send(self, typed: str) -> codes.CodeSent:
        return await codes.send_code(
            typed, client_ip=session.client_ip(), language=current_language(), purpose=self.purpose
        )

    def _ask_for_destination(self) -> None:
        async def send() -> None:
            typed = destination.value or ''
            try:
                sent = await self._send(typed)
            except ValidationFailed as failure:
                destination.error = translated_error(failure, 'destination')
                return
            except (TooSoon, TooMany, CodesNotOffered) as refusal:
                destination.error = _(refusal.MESSAGE)
                return
            self._remember_attempt(sent, typed)

        destination = text_field(_('Mobile number or email'), autocomplete='username').mark('destination')
        destination.on('keydown.enter', send)
        primary_button(_('Send me a code'), send)

    def _ask_for_code(self, attempt: dict) -> None:
        # the code being checked (or the one that opened the portal), and the one just refused: a tap on Continue
        # right after the sixth digit sent it neither checks it twice nor spends a second try on the same mistake
        entry = {'checking': None, 'refused': None}

        async def check() -> None:
            typed = (code.value or '').strip()
            if typed in (entry['checking'], entry['refused']):
                return
            entry['checking'] = typed
            try:
                outcome = await codes.enter_code(
                    attempt['attempt_id'], typed, client_ip=session.client_ip(), language=current_language()
                )
            except (CodeRejected, NotAllowed, AlreadyRegistered) as refusal:
                entry['checking'], entry['refused'] = None, typed
                code.error = _(refusal.MESSAGE)
                return
            app.storage.user.pop(self.key, None)
            if isinstance(outcome, SignedIn):
                enter_portal(outcome)
            else:
                session.hand_over('registration', outcome.registration_token)

        async def resend() -> None:
            try:
                sent = await self._send(attempt['destination'])
            except (TooSoon, TooMany) as refusal:
                code.error = _(refusal.MESSAGE)
                return
            self._remember_attempt(sent, attempt.get('typed', ''))
            ui.notify(_('A new code is on its way'))

        def start_over() -> None:
            app.storage.user.pop(self.key, None)
            self.show.refresh()

        ui.label(
            _('We sent a 6-digit code to {destination}. It works for 10 minutes.').format(
                destination=attempt.get('typed') or attempt['destination']
            )
        )
        code = text_field(_('Code'), autocomplete='one-time-code').props('inputmode=numeric maxlength=6').mark('code')
        code.on('keydown.enter', check)
        code.on_value_change(lambda e: check() if is_whole_code(e.value or '') else None)
        primary_button(_('Continue'), check)
        with ui.row().classes('w-full justify-between'):
            ui.button(_('Send a new code'), on_click=resend).props('flat no-caps color=primary')
            ui.button(_('Use a different number or email'), on_click=start_over).props('flat no-caps color=primary')


def is_whole_code(typed: str) -> bool:
    """Six digits: the sixth one typed (or a code pasted or filled in by the phone) sends it without a tap."""
    typed = typed.strip()
    return len(typed) == 6 and typed.isascii() and typed.isdigit()
