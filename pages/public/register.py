"""Online registration for a new family: short steps on a phone, kept as the parent types.

What is typed is saved to the draft a moment after each change, so a reload, a dropped connection or a
locked phone brings the parent back to the same step with everything still filled in.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import datetime as dt
import time
from typing import Any

from fastapi.responses import RedirectResponse
from nicegui import background_tasks, context, ui

from components import session
from components.code_entry import CodeEntry, enter_portal
from components.consent import PolicyConsent
from components.forms import (
    CONTACT_INPUTS,
    bring_into_view,
    gender_options,
    language_select,
    primary_button,
    text_field,
)
from components.frame import heading, portal_frame
from components.guards import parent_page
from components.i18n import _, adopt_browser_language, day
from domain.access.actors import Actor
from domain.errors import ValidationFailed
from domain.family.contacts import CONTACT_FLAGS
from domain.i18n import LANGUAGE_NAMES, N_
from domain.models import CodePurpose, Question, QuestionKind, QuestionScope
from domain.registration import drafts, policies, questions
from domain.registration.drafts import Draft, DraftGone, StepInvalid
from domain.studio import settings

SAVE_AFTER = 0.4  # seconds of quiet before what was typed is saved
STEP_TITLES = {
    'you': N_('About you'),
    'contacts': N_('Other contacts'),
    'participants': N_('Participants'),
    'questions': N_('A few questions'),
    'policies': N_('Our policies'),
    'password': N_('Password'),
}
YOU_INPUTS = (
    'first_name',
    'last_name',
    'email',
    'mobile_phone',
    'address1',
    'address2',
    'city',
    'state',
    'postal_code',
)
OTHER_INPUTS = ('first_name', 'last_name', 'relationship', 'email', 'mobile_phone')
OTHER_FLAGS = ('can_pick_up', 'is_emergency')


@ui.page('/register')
async def register_page():
    if await session.current_parent():
        return RedirectResponse('/portal')
    token = session.registration_token()
    try:
        draft = await drafts.resume(token)
    except DraftGone:
        draft = None
    adopt_browser_language()  # before the title is translated: a first visit has no language remembered yet
    # once the steps begin, their own Back is the way back: the frame's would leave the registration
    with portal_frame(_('Register your family'), back='/' if draft is None else None):
        if draft is None:
            ui.label(
                _(
                    'Welcome! First we check your mobile number or email address with a 6-digit code. '
                    'Then you tell us about your family, a few minutes on your phone.'
                )
            )
            with ui.card().classes('w-full'):
                CodeEntry(CodePurpose.REGISTER)
            ui.link(_('Already registered? Sign in'), '/').classes('kr-link')
            return
        await Wizard(token, draft).show()


class Wizard:
    def __init__(self, token: str, draft: Draft) -> None:
        self.token, self.draft = token, draft
        self.inputs: dict[str, Any] = {}  # error key -> field (or a PolicyConsent)
        self.section: Any = None
        self.pending_errors: dict[str, str] = {}
        self.checking = False  # everything typed is shown once more before it is sent
        self._changed_at = 0.0
        self._unsaved = False
        self._saver: asyncio.Task | None = None
        context.client.on_disconnect(self._save_now)  # the phone locked or the page closed: keep it at once

    # ---- the frame of every step ----

    @ui.refreshable_method
    async def show(self) -> None:
        draft = self.draft
        self.inputs = {}
        self.section = copy.deepcopy(draft.data.get(drafts.SECTIONS.get(draft.step, ''), None))
        number, count = draft.steps.index(draft.step) + 1, len(draft.steps)
        progress = (
            _('Check and send') if self.checking else _('Step {number} of {count}').format(number=number, count=count)
        )
        if not self.checking:  # the check screen's heading says it already
            ui.label(progress).classes('text-sm text-gray-700')
        value = 1 if self.checking else number / count
        ui.linear_progress(value=value, show_value=False).props('rounded').props['aria-label'] = progress
        if self.checking:
            heading(_('Check and send'), 2)
            await self._check()
            primary_button(_('Send my registration'), self.submit).mark('send')
            ui.button(_('Back'), on_click=self.stop_checking).props('flat no-caps color=primary').classes('w-full')
            return
        heading(_(STEP_TITLES[draft.step]), 2)
        self.general_error = ui.label('').classes('text-negative').props('role=alert')
        self.general_error.set_visibility(False)
        await getattr(self, f'_{draft.step}')()
        last = draft.step == draft.steps[-1]
        primary_button(_('Check my registration') if last else _('Next'), self.check if last else self.next).mark(
            'next'
        )
        if number > 1:
            ui.button(_('Back'), on_click=self.back).props('flat no-caps color=primary').classes('w-full')
        if self.pending_errors:
            self._show_errors(self.pending_errors)
            self.pending_errors = {}

    async def next(self) -> None:
        try:
            self.draft = await drafts.advance(self.token, self.draft.step, self.section)
        except StepInvalid as invalid:
            self._show_errors(invalid.errors)
            return
        except DraftGone:
            ui.navigate.to('/register')
            return
        await self.show.refresh()
        ui.run_javascript('window.scrollTo(0, 0)')

    async def back(self) -> None:
        if self.section is not None:
            await drafts.keep(self.token, drafts.SECTIONS[self.draft.step], self.section)
        self.draft = await drafts.go_back(self.token, self.draft.step)
        await self.show.refresh()

    async def check(self) -> None:
        """The last step's own check, then everything once more to read over before it is sent."""
        password = self.inputs.get('password')
        if password is not None and password.value:  # typed but not set apart: take it with the registration
            try:
                await drafts.choose_password(self.token, password.value)
            except ValidationFailed as failure:
                password.error = _(failure.errors.get('password', ''))
                return
        try:
            self.draft = await drafts.advance(self.token, self.draft.step, self.section)
        except StepInvalid as invalid:
            self._show_errors(invalid.errors)
            return
        except DraftGone:
            ui.navigate.to('/register')
            return
        self.checking = True
        await self.show.refresh()
        ui.run_javascript('window.scrollTo(0, 0)')

    async def stop_checking(self) -> None:
        self.checking = False
        await self.show.refresh()

    async def submit(self) -> None:
        try:
            signed = await drafts.submit(self.token, client_ip=session.client_ip(), user_agent=session.user_agent())
        except StepInvalid as invalid:
            self.checking = False
            self.draft = await drafts.resume(self.token)
            self.pending_errors = invalid.errors
            await self.show.refresh()
            return
        except DraftGone:
            ui.navigate.to('/register')
            return
        enter_portal(signed, then='registered')  # signed in at once: the thanks are said on the other side

    def _show_errors(self, errors: dict[str, str]) -> None:
        """Each message beside its field, the rest above the step; then the first of them is brought into view."""
        wrong: list[ui.element] = []  # in the order the step shows them
        placed = set()
        for key, field in self.inputs.items():
            if isinstance(field, PolicyConsent):
                version_id = key.split('.', 1)[1]
                box_key, name_key = f'policy.{version_id}', f'name.{version_id}'
                box, name = errors.get(box_key), errors.get(name_key)
                field.show_errors(_(box) if box else None, _(name) if name else None)
                placed |= {box_key, name_key}
                wrong += [element for element, error in ((field.box, box), (field.name, name)) if error]
            else:
                field.error = _(errors[key]) if key in errors else None
                placed.add(key)
                if key in errors:
                    wrong.append(field)
        general = [_(message) for key, message in errors.items() if key not in placed]
        self.general_error.text = ' '.join(general)
        self.general_error.set_visibility(bool(general))
        if general or wrong:
            bring_into_view(self.general_error if general else wrong[0])

    # ---- reading it over, and the word that it was sent ----

    async def _check(self) -> None:
        """Everything the family typed, as it will be sent; Back returns to the steps to change any of it."""
        data = self.draft.data
        ui.label(_('Please read this over. Nothing is sent until you press "Send my registration".')).classes(
            'text-gray-700'
        )
        you = data.get('you', {})
        with _summary(_(STEP_TITLES['you'])):
            _line(_full_name(you))
            for name in ('email', 'mobile_phone'):
                _line(you.get(name))
            _line(', '.join(filter(None, (you.get(name) for name in YOU_INPUTS[4:]))))
            _line(LANGUAGE_NAMES.get(you.get('preferred_language', ''), ''))
        others = data.get('contacts', [])
        if others:
            flags = {flag.name: flag.short for flag in CONTACT_FLAGS}
            with _summary(_(STEP_TITLES['contacts'])):
                for contact in others:
                    roles = [_(flags[name]) for name in OTHER_FLAGS if contact.get(name)]
                    _line(' · '.join(filter(None, [_full_name(contact), contact.get('relationship'), *roles])))
        genders = gender_options()
        with _summary(_(STEP_TITLES['participants'])):
            for child in data.get('participants', []):
                _line(_full_name(child)).classes('font-semibold')
                _line(' · '.join(filter(None, [_birthdate(child.get('birthdate')), genders.get(child.get('gender'))])))
                for name, label in (('allergies', _('Allergies')), ('medical_notes', _('Medical notes'))):
                    if child.get(name):
                        _line(f'{label}: {child[name]}')
        if 'questions' in self.draft.steps:
            await self._check_answers(data)
        if 'policies' in self.draft.steps:
            with _summary(_(STEP_TITLES['policies'])):
                agreed = data.get('agreements', {})
                for version in await policies.current_versions(everyone=True):
                    typed = agreed.get(str(version.id), {}).get('typed_name', '')
                    _line(_('{policy}: signed by {name}').format(policy=version.title, name=typed))
        if 'password' in self.draft.steps:
            with _summary(_(STEP_TITLES['password'])):
                _line(
                    _('Your password is set.')
                    if self.draft.has_password
                    else _('No password: you sign in with a code.')
                )

    async def _check_answers(self, data: dict) -> None:
        answers = data.get('answers', {})
        yes_no = {'yes': _('Yes'), 'no': _('No')}

        def shown(question: Question, given: dict) -> None:
            value = given.get(str(question.id))
            values = value if isinstance(value, list) else [value] if value not in (None, '') else []
            given_text = ', '.join(yes_no.get(str(v), str(v)) for v in values) or '—'  # an optional one left empty
            joiner = ' ' if question.prompt.rstrip().endswith(('?', ':', '？', '：')) else ': '
            _line(f'{question.prompt.rstrip()}{joiner}{given_text}')

        with _summary(_(STEP_TITLES['questions'])):
            for question in await questions.active_questions(QuestionScope.FAMILY):
                shown(question, answers.get('family', {}))
            for_each = await questions.active_questions(QuestionScope.PARTICIPANT)
            if for_each:
                per_child = answers.get('participants', [])
                for index, child in enumerate(data.get('participants', [])):
                    _line(_('About {name}').format(name=child.get('first_name', ''))).classes('font-semibold')
                    for question in for_each:
                        shown(question, per_child[index] if index < len(per_child) else {})

    # ---- keeping what is typed ----

    def changed(self) -> None:
        self._changed_at = time.monotonic()
        self._unsaved = True
        if self._saver is None or self._saver.done():
            self._saver = background_tasks.create(self._save_when_quiet(), name='keep registration draft')

    async def _save_when_quiet(self) -> None:
        while True:
            await asyncio.sleep(SAVE_AFTER)
            if time.monotonic() - self._changed_at >= SAVE_AFTER:
                break
        await self._save_now()

    async def _save_now(self) -> None:
        if not self._unsaved or self.draft.step not in drafts.SECTIONS:
            return
        self._unsaved = False
        # DraftGone: sent meanwhile; ValidationFailed: more than any family types (the step's check says so)
        with contextlib.suppress(DraftGone, ValidationFailed):
            await drafts.keep(self.token, drafts.SECTIONS[self.draft.step], copy.deepcopy(self.section))

    def _bind(self, key: str, target: dict, name: str, element):
        element.on_value_change(lambda e: self._set(target, name, e.value))
        self.inputs[key] = element
        return element

    def _set(self, target: dict, name: str, value: Any) -> None:
        target[name] = value
        self.changed()

    def _text(
        self, key: str, target: dict, name: str, label: str, *, autocomplete: str | None = None, kind: str = 'text'
    ) -> ui.input:
        return self._bind(
            key, target, name, text_field(label, target.get(name) or '', autocomplete=autocomplete, kind=kind)
        )

    # ---- the steps ----

    async def _you(self) -> None:
        you = self.section
        ui.label(_('The parent or guardian who looks after the account.')).classes('text-gray-700')
        specs = {name: (label, autocomplete, kind) for name, label, autocomplete, kind in CONTACT_INPUTS}
        for name in YOU_INPUTS:
            label, autocomplete, kind = specs[name]
            field = self._text(name, you, name, _(label), autocomplete=autocomplete, kind=kind)
            if name == self.draft.locked_field:
                field.props('readonly')
                field.props['hint'] = _('Verified')
        self._bind(
            'preferred_language', you, 'preferred_language', language_select(you.get('preferred_language', 'en'))
        )

    async def _contacts(self) -> None:
        ui.label(
            _(
                'Another parent or guardian, people allowed to pick up, emergency contacts. '
                'You can skip this and add them later.'
            )
        ).classes('text-gray-700')
        labels = {name: (label, autocomplete, kind) for name, label, autocomplete, kind in CONTACT_INPUTS}
        flags = {flag.name: flag.label for flag in CONTACT_FLAGS}
        for index, contact in enumerate(self.section):
            with ui.card().classes('w-full gap-2').props('flat bordered'):
                heading(_('Contact {number}').format(number=index + 1), 3).classes('text-base')
                for name in OTHER_INPUTS:
                    label, _autocomplete, kind = labels[name]
                    self._text(f'contacts.{index}.{name}', contact, name, _(label), kind=kind)
                for name in OTHER_FLAGS:
                    ui.checkbox(
                        _(flags[name]),
                        value=bool(contact.get(name)),
                        on_change=lambda e, c=contact, n=name: self._set(c, n, e.value),
                    )
                ui.button(_('Remove this contact'), on_click=lambda i=index: self._remove(i)).props(
                    'flat no-caps color=negative'
                )
        if len(self.section) < drafts.MAX_CONTACTS:
            ui.button(_('Add a contact'), icon='person_add', on_click=lambda: self._add({})).props(
                'outline no-caps color=primary'
            ).classes('w-full')

    async def _participants(self) -> None:
        ui.label(_('Each child (or adult) who will take classes.')).classes('text-gray-700')
        family_name = self.draft.data.get('you', {}).get('last_name', '')
        for index, child in enumerate(self.section):
            child.setdefault('last_name', family_name)  # not yet typed in: the family's name, as for the others
            prefix = f'participants.{index}.'
            with ui.card().classes('w-full gap-2').props('flat bordered'):
                heading(_('Participant {number}').format(number=index + 1), 3).classes('text-base')
                self._text(prefix + 'first_name', child, 'first_name', _('First name'))
                self._text(prefix + 'last_name', child, 'last_name', _('Last name'))
                self._text(prefix + 'birthdate', child, 'birthdate', _('Birthdate'), kind='date')
                self._bind(
                    prefix + 'gender',
                    child,
                    'gender',
                    ui.select(gender_options(), value=child.get('gender') or 'unspecified', label=_('Gender'))
                    .props('outlined stack-label')
                    .classes('w-full'),
                )
                for name, label in (('allergies', _('Allergies')), ('medical_notes', _('Medical notes'))):
                    self._bind(
                        prefix + name,
                        child,
                        name,
                        ui.textarea(label, value=child.get(name) or '')
                        .props('outlined stack-label autogrow')
                        .classes('w-full'),
                    )
                if len(self.section) > 1:
                    ui.button(_('Remove this participant'), on_click=lambda i=index: self._remove(i)).props(
                        'flat no-caps color=negative'
                    )
        if len(self.section) < drafts.MAX_PARTICIPANTS:
            ui.button(
                _('Add another participant'), icon='add', on_click=lambda: self._add({'last_name': family_name})
            ).props('outline no-caps color=primary').classes('w-full')

    async def _add(self, blank: dict) -> None:
        self.section.append(blank)
        await self._keep_and_refresh()

    async def _remove(self, index: int) -> None:
        del self.section[index]
        await self._keep_and_refresh()

    async def _keep_and_refresh(self) -> None:
        await drafts.keep(self.token, drafts.SECTIONS[self.draft.step], self.section)
        self.draft = await drafts.resume(self.token)
        await self.show.refresh()

    async def _questions(self) -> None:
        answers = self.section
        for_family = await questions.active_questions(QuestionScope.FAMILY)
        for_each = await questions.active_questions(QuestionScope.PARTICIPANT)
        for question in for_family:
            self._question(f'family.{question.id}', answers.setdefault('family', {}), question)
        children = self.draft.data.get('participants', [])
        per_child = answers.setdefault('participants', [])
        while len(per_child) < len(children):
            per_child.append({})
        if for_each:
            for index, child in enumerate(children):
                heading(_('About {name}').format(name=child.get('first_name', '')), 3).classes('text-base')
                for question in for_each:
                    self._question(f'participants.{index}.{question.id}', per_child[index], question)

    def _question(self, key: str, answers: dict, question: Question) -> None:
        name, value = str(question.id), answers.get(str(question.id))
        label = question.prompt + ('' if question.required else ' ' + _('(optional)'))
        kind = question.kind
        if kind == QuestionKind.LONG_TEXT:
            element = ui.textarea(label, value=value or '').props('outlined stack-label autogrow')
        elif kind in (QuestionKind.YES_NO, QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
            options = {'yes': _('Yes'), 'no': _('No')} if kind == QuestionKind.YES_NO else question.choices
            multiple = kind == QuestionKind.MULTIPLE_CHOICE
            element = ui.select(
                options, value=value or ([] if multiple else None), label=label, multiple=multiple
            ).props('outlined stack-label')
            element.props['use-chips'] = multiple
        else:
            kind_name = {QuestionKind.DATE: 'date', QuestionKind.NUMBER: 'text'}.get(kind, 'text')
            element = text_field(label, value or '', kind=kind_name)
            if kind == QuestionKind.NUMBER:
                element.props('inputmode=decimal')
        self._bind(key, answers, name, element.classes('w-full'))

    async def _policies(self) -> None:
        you = self.draft.data.get('you', {})
        full_name = f'{you.get("first_name", "")} {you.get("last_name", "")}'.strip()
        ui.label(
            _('Please read each policy, tick the box and type your full name ({name}) to sign.').format(name=full_name)
        ).classes('text-gray-700')
        for version in await policies.current_versions(everyone=True):
            given = self.section.setdefault(str(version.id), {'accepted': False, 'typed_name': ''})
            self.inputs[f'consent.{version.id}'] = PolicyConsent(version, given, self.changed)

    async def _password(self) -> None:
        optional = settings.current().offers_codes
        if optional:
            ui.label(
                _(
                    'Optional: you can always sign in with a code sent to your phone or email. '
                    'A password lets you sign in without one.'
                )
            ).classes('text-gray-700')
        if self.draft.has_password:
            ui.label('✓ ' + _('Your password is set.')).classes('text-positive').mark('password-set')
        field = text_field(_('New password'), autocomplete='new-password', kind='password').props(
            'counter maxlength=128'
        )
        self.inputs['password'] = field

        async def choose() -> None:
            try:
                await drafts.choose_password(self.token, field.value or '')
            except ValidationFailed as failure:
                field.error = _(failure.errors.get('password', ''))
                return
            self.draft = await drafts.resume(self.token)
            await self.show.refresh()

        ui.button(_('Change password') if self.draft.has_password else _('Set password'), on_click=choose).props(
            'outline no-caps color=primary'
        ).classes('w-full')


def _summary(title: str) -> ui.card:
    """One part of the registration as it will be sent."""
    with ui.card().classes('w-full gap-1').props('flat bordered') as card:
        heading(title, 3).classes('text-base')
    return card


def _line(text: str | None) -> ui.label:
    label = ui.label(text or '').classes('break-words')
    label.set_visibility(bool(text))
    return label


def _full_name(person: dict) -> str:
    return f'{person.get("first_name") or ""} {person.get("last_name") or ""}'.strip()


def _birthdate(typed: str | None) -> str:
    try:
        return day(dt.date.fromisoformat(typed or ''))
    except ValueError:
        return typed or ''


@parent_page('/register/sent')
async def registration_sent_page(actor: Actor):
    """Where a family lands the moment its registration is sent, already signed in."""
    with portal_frame(_('Register your family'), actor):
        with ui.column().classes('w-full gap-3').props('role=status'):
            heading(_('Thank you! Your registration is sent.'), 2)
            ui.label(_('The studio has it now. In your account you can see and change everything you told us.'))
        primary_button(_('Go to my account'), lambda: ui.navigate.to('/portal')).mark('enter')
