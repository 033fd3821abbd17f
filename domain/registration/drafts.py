"""A new family joins online, step by step from a verified mobile number or email address.

Every step is kept in a draft as the parent types, so leaving the page, a dropped connection or a phone
locking brings them back to the same step with nothing to retype (a password is kept only as its hash).
Submitting checks every step again, then creates the family, its contacts, participants, answers and
agreements in one transaction, logs it, queues the confirmation email and signs the parent in.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass, fields
from typing import Any

from tortoise.exceptions import IntegrityError

from domain import clock, portal_log, tokens
from domain.access import passwords, sign_in
from domain.access.actors import Actor, SignedIn
from domain.access.passwords import check_new_password
from domain.errors import DomainError, ValidationFailed
from domain.family.contacts import ContactForm
from domain.family.participants import ParticipantForm
from domain.i18n import N_
from domain.messages import outbox
from domain.messages.notices import registration_received
from domain.messages.outbox import Recipient
from domain.models import Channel, Contact, ContactRole, Family, Participant, QuestionScope, RegistrationDraft
from domain.portal_log import LogSubject
from domain.registration import policies, questions
from domain.studio import settings
from domain.unit_of_work import UnitOfWork
from domain.validation import EMAIL_TAKEN, Cleaner, display_phone

STEPS = ('you', 'contacts', 'participants', 'questions', 'policies', 'password')
# The part of the draft where each step keeps what is typed. The password step has none: a password is
# never kept as typed, only as its hash (choose_password).
SECTIONS = {
    'you': 'you',
    'contacts': 'contacts',
    'participants': 'participants',
    'questions': 'answers',
    'policies': 'agreements',
}
DRAFT_LIFETIME = dt.timedelta(days=30)
MAX_DRAFT_SIZE = 200_000  # characters of JSON: far more than any family, far less than abuse
MAX_PARTICIPANTS = 12
MAX_CONTACTS = 8
ALREADY_REGISTERED = N_('This is already registered with the studio. Sign in instead.')
PASSWORD_NEEDED = N_('Choose a password: this studio signs parents in with one')


class AlreadyRegistered(DomainError):
    MESSAGE = N_('You already have an account with the studio. Sign in instead.')


class DraftGone(DomainError):
    MESSAGE = N_('This registration has expired or was already sent. Please start again from the sign-in page.')


class StepInvalid(ValidationFailed):
    """A step that cannot be accepted yet: which one, and the message beside each field."""

    def __init__(self, step: str, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.step = step


@dataclass(frozen=True)
class Draft:
    destination: str
    channel: Channel
    step: str
    data: dict
    steps: tuple[str, ...]  # the steps this studio asks, in order

    @property
    def locked_field(self) -> str:
        """The parent's field that holds the verified number or address, which cannot be changed here."""
        return 'email' if self.channel == Channel.EMAIL else 'mobile_phone'

    @property
    def has_password(self) -> bool:
        return bool(self.data.get('password_hash'))


def _initial_data(destination: str, channel: Channel, language: str) -> dict:
    field = 'email' if channel == Channel.EMAIL else 'mobile_phone'
    shown = destination if channel == Channel.EMAIL else display_phone(destination)
    return {
        'you': {field: shown, 'preferred_language': language},
        'contacts': [],
        'participants': [{}],
        'answers': {'family': {}, 'participants': [{}]},
        'agreements': {},
    }


async def begin(uow: UnitOfWork, destination: str, channel: Channel, language: str = 'en') -> str:
    """Open (or reopen) the draft for a number or address just proven; returns the browser's token."""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    existing = await RegistrationDraft.filter(destination=destination).using_db(uow.connection).first()
    if existing and now - existing.updated_at < DRAFT_LIFETIME:
        await (
            RegistrationDraft.filter(id=existing.id)
            .using_db(uow.connection)
            .update(token_hash=tokens.digest(token), verified_at=now)
        )
    else:
        if existing:
            await RegistrationDraft.filter(id=existing.id).using_db(uow.connection).delete()
        await RegistrationDraft.create(
            destination=destination,
            channel=channel,
            token_hash=tokens.digest(token),
            data=_initial_data(destination, channel, language),
            created_at=now,
            updated_at=now,
            verified_at=now,
            using_db=uow.connection,
        )
    return token


async def steps_asked() -> tuple[str, ...]:
    """Questions and policies only when the studio has some; a password only when it can be used."""
    skip = set()
    if not await questions.active_questions():
        skip.add('questions')
    if not await policies.current_versions(everyone=True):
        skip.add('policies')
    if not settings.current().offers_password:
        skip.add('password')
    return tuple(step for step in STEPS if step not in skip)


async def _row(token: str | None) -> RegistrationDraft:
    row = await RegistrationDraft.get_or_none(token_hash=tokens.digest(token)) if token else None
    if row is None or clock.now() - row.updated_at > DRAFT_LIFETIME:
        raise DraftGone()
    return row


async def resume(token: str | None) -> Draft:
    row = await _row(token)
    steps = await steps_asked()
    step = row.step if row.step in steps else _nearest(steps, row.step)
    return Draft(row.destination, row.channel, step, row.data, steps)


def _nearest(steps: tuple[str, ...], wanted: str) -> str:
    """The first asked step at or after `wanted` (the studio may have dropped a step meanwhile)."""
    for step in STEPS[STEPS.index(wanted) :] if wanted in STEPS else ():
        if step in steps:
            return step
    return steps[-1]


async def keep(token: str | None, section: str, value: Any) -> None:
    """Save what the parent has typed so far in one section, unchecked: nothing typed is ever lost."""
    if section not in SECTIONS.values():
        raise ValueError(section)
    row = await _row(token)
    data = {**row.data, section: value}
    if len(json.dumps(data)) > MAX_DRAFT_SIZE:
        raise ValidationFailed({section: N_('This is too long')})
    if section == 'you':
        data['you'] = _with_destination(row, value)
    await RegistrationDraft.filter(id=row.id).update(data=data, updated_at=clock.now())


async def advance(token: str | None, step: str, value: Any = None) -> Draft:
    """Keep the step's values, check them, and move on to the next step when they are right."""
    if value is not None:
        await keep(token, SECTIONS[step], value)
    row = await _row(token)
    clean = Cleaner()
    await _CHECKS[step](clean, row)
    if clean.errors:
        raise StepInvalid(step, clean.errors)
    steps = await steps_asked()
    following = steps[steps.index(step) + 1] if step in steps and step != steps[-1] else step
    await RegistrationDraft.filter(id=row.id).update(step=following, updated_at=clock.now())
    return await resume(token)


async def go_back(token: str | None, step: str) -> Draft:
    steps = await steps_asked()
    previous = steps[max(0, steps.index(step) - 1)] if step in steps else steps[0]
    row = await _row(token)
    await RegistrationDraft.filter(id=row.id).update(step=previous, updated_at=clock.now())
    return await resume(token)


async def choose_password(token: str | None, password: str) -> None:
    """Checked like any new password and kept only as its hash until the family is created."""
    row = await _row(token)
    check_new_password(password)
    password_hash = await passwords.hash_password(password)
    await RegistrationDraft.filter(id=row.id).update(
        data={**row.data, 'password_hash': password_hash}, updated_at=clock.now()
    )


def _with_destination(row: RegistrationDraft, you: dict) -> dict:
    field = 'email' if row.channel == Channel.EMAIL else 'mobile_phone'
    return {**you, field: row.destination if row.channel == Channel.EMAIL else display_phone(row.destination)}


def _contact_form(typed: dict) -> ContactForm:
    names = {f.name for f in fields(ContactForm)}
    values = {k: v for k, v in typed.items() if k in names}
    return ContactForm(**{'first_name': '', 'last_name': '', **values})


def _participant_form(typed: dict) -> ParticipantForm:
    names = {f.name for f in fields(ParticipantForm)}
    values = {k: v for k, v in typed.items() if k in names}
    return ParticipantForm(**{'first_name': '', 'last_name': '', **values})


def _merge(clean: Cleaner, prefix: str, check) -> Any:
    try:
        return check()
    except ValidationFailed as failure:
        for field, message in failure.errors.items():
            clean.fail(prefix + field, message)
        return None


async def _check_you(clean: Cleaner, row: RegistrationDraft) -> dict | None:
    you = _with_destination(row, row.data.get('you', {}))
    values = _merge(clean, '', lambda: _contact_form(you).cleaned(email_required=True))
    if values is None:
        return None
    if values['email'] and await Contact.filter(email=values['email']).exists():
        clean.fail('email', ALREADY_REGISTERED)
    if values['mobile_phone'] and await Contact.filter(mobile_phone=values['mobile_phone']).exists():
        clean.fail('mobile_phone', ALREADY_REGISTERED)
    return values


async def _check_contacts(clean: Cleaner, row: RegistrationDraft) -> list[dict]:
    typed = row.data.get('contacts', [])[:MAX_CONTACTS]
    parent_email = (row.data.get('you', {}).get('email') or '').strip().lower()
    seen = {parent_email} if parent_email else set()
    forms = []
    for index, contact in enumerate(typed):
        values = _merge(clean, f'contacts.{index}.', lambda c=contact: _contact_form(c).cleaned(email_required=False))
        if values is not None:
            forms.append((index, values))
    emails = [values['email'] for _index, values in forms if values['email']]
    taken = set(await Contact.filter(email__in=emails).values_list('email', flat=True)) if emails else set()
    cleaned = []
    for index, values in forms:
        email = values['email']
        if email and (email in seen or email in taken):
            clean.fail(f'contacts.{index}.email', EMAIL_TAKEN)
        seen.add(email)
        cleaned.append(values)
    return cleaned


async def _check_participants(clean: Cleaner, row: RegistrationDraft) -> list[dict]:
    typed = row.data.get('participants', [])[:MAX_PARTICIPANTS]
    if not typed:
        clean.fail('participants', N_('Add at least one participant'))
    today = settings.today()
    cleaned = []
    for index, participant in enumerate(typed):
        values = _merge(clean, f'participants.{index}.', lambda p=participant: _participant_form(p).cleaned(today))
        cleaned.append(values or {})
    return cleaned


async def _check_questions(clean: Cleaner, row: RegistrationDraft) -> dict:
    answers = row.data.get('answers', {})
    family_questions = await questions.active_questions(QuestionScope.FAMILY)
    participant_questions = await questions.active_questions(QuestionScope.PARTICIPANT)
    per_participant = answers.get('participants', [])
    count = len(row.data.get('participants', []))
    return {
        'family': questions.clean_answers(clean, 'family.', family_questions, answers.get('family', {})),
        'participants': [
            questions.clean_answers(
                clean,
                f'participants.{i}.',
                participant_questions,
                per_participant[i] if i < len(per_participant) else {},
            )
            for i in range(count)
        ],
        'questions': (family_questions, participant_questions),
    }


def _acceptances(row: RegistrationDraft) -> dict[int, policies.Acceptance]:
    return {
        int(version_id): policies.Acceptance(bool(given.get('accepted')), str(given.get('typed_name', '')))
        for version_id, given in row.data.get('agreements', {}).items()
    }


async def _check_policies(clean: Cleaner, row: RegistrationDraft) -> list:
    versions = await policies.current_versions(everyone=True)
    you = row.data.get('you', {})
    full_name = f'{you.get("first_name", "")} {you.get("last_name", "")}'
    policies.check_acceptances(clean, versions, _acceptances(row), full_name)
    return versions


async def _check_password(clean: Cleaner, row: RegistrationDraft) -> None:
    if not settings.current().offers_codes and not row.data.get('password_hash'):
        clean.fail('password', PASSWORD_NEEDED)


_CHECKS = {
    'you': _check_you,
    'contacts': _check_contacts,
    'participants': _check_participants,
    'questions': _check_questions,
    'policies': _check_policies,
    'password': _check_password,
}


async def submit(token: str | None, *, client_ip: str = '', user_agent: str = '') -> SignedIn:
    """Check every step again, then create everything in one transaction and sign the parent in."""
    row = await _row(token)
    steps = await steps_asked()
    checked: dict[str, Any] = {}
    for step in steps:
        clean = Cleaner()
        checked[step] = await _CHECKS[step](clean, row)
        if clean.errors:
            if not await RegistrationDraft.filter(id=row.id).update(step=step):
                # Another tap submitted this draft meanwhile: its own family is now what the checks refuse.
                raise DraftGone()
            raise StepInvalid(step, clean.errors)
    language = checked['you']['preferred_language']
    async with UnitOfWork() as uow:
        # Claiming the draft makes a double tap, a retry or a second tab register the family only once.
        if not await RegistrationDraft.filter(id=row.id).using_db(uow.connection).delete():
            raise DraftGone()
        family, parent = await _create_family(uow, row, checked)
        participants = await _create_participants(uow, family, checked)
        subject = LogSubject.of(parent, user_id=row.destination, client_ip=client_ip)
        if 'questions' in checked:
            await _save_answers(uow, family, participants, checked['questions'])
        if checked.get('policies'):
            await policies.record_agreements(
                uow, subject, checked['policies'], _acceptances(row), user_agent=user_agent
            )
        names = ', '.join(p.full_name for p in participants)
        await portal_log.record(
            uow,
            subject,
            'registration_submitted',
            f'Registration submitted: {family.name} family, participants: {names}',
        )
        # a family that registered by phone hears at the email it typed, which is not a sign-in until proven
        recipient = Recipient(
            parent.full_name, parent.email or parent.pending_email or '', language, family.id, parent.id
        )
        await outbox.enqueue(
            uow,
            Channel.EMAIL,
            recipient,
            registration_received(language, parent.first_name, names, settings.current().base_url + '/'),
        )
        session_token = await sign_in.admit(
            uow, parent, subject, f'Login successful after registration for UserID: {row.destination}'
        )
    return SignedIn(session_token, Actor.of(parent, client_ip))


async def _create_family(uow: UnitOfWork, row: RegistrationDraft, checked: dict) -> tuple[Family, Contact]:
    you = checked['you']
    for field in ('email', 'mobile_phone'):  # checked again inside the transaction: another may have just won
        if you[field] and await Contact.filter(**{field: you[field]}).using_db(uow.connection).exists():
            raise StepInvalid('you', {field: ALREADY_REGISTERED})
    family = await Family.create(name=you['last_name'], using_db=uow.connection)
    # Only the address the code proved signs in: an email typed after proving a mobile waits for its own code.
    by_phone = row.channel == Channel.SMS
    proven = {**you, 'email': None, 'pending_email': you['email'] or ''} if by_phone else you
    parent = Contact(
        family=family,
        **{**proven, 'is_primary': True, 'is_billing': True, 'role': ContactRole.GUARDIAN},
        mobile_verified=by_phone,
        allow_login=True,
        password_hash=row.data.get('password_hash'),
    )
    others = [
        Contact(family=family, **{**values, 'preferred_language': you['preferred_language']}, allow_login=False)
        for values in checked.get('contacts', [])
    ]
    try:
        await parent.save(using_db=uow.connection)
    except IntegrityError as exc:
        raise StepInvalid('you', {'email': ALREADY_REGISTERED}) from exc
    for index, contact in enumerate(others):
        try:
            await contact.save(using_db=uow.connection)
        except IntegrityError as exc:
            raise StepInvalid('contacts', {f'contacts.{index}.email': EMAIL_TAKEN}) from exc
    return family, parent


async def _create_participants(uow: UnitOfWork, family: Family, checked: dict) -> list[Participant]:
    made = []
    for values in checked['participants']:
        made.append(await Participant.create(family=family, **values, using_db=uow.connection))
    return made


async def _save_answers(uow: UnitOfWork, family: Family, participants: list[Participant], answered: dict) -> None:
    family_questions, participant_questions = answered['questions']
    now = clock.now()
    await questions.save_answers(uow, family.id, None, family_questions, answered['family'], now)
    for participant, values in zip(participants, answered['participants'], strict=False):
        await questions.save_answers(uow, family.id, participant, participant_questions, values, now)


async def purge_stale(now: dt.datetime | None = None) -> int:
    """Drafts nobody touched for the draft lifetime are removed by the daily clean-up."""
    return await RegistrationDraft.filter(updated_at__lt=(now or clock.now()) - DRAFT_LIFETIME).delete()
