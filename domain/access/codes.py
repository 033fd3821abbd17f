"""Signing in with a one-time code sent to a mobile number or an email address.

The answer looks the same whether or not the number or address belongs to a contact: a code is sent
either way. For a contact, the code signs them in; for anyone else it proves the number or address is
theirs, and they continue into registration with it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from tortoise.expressions import F, Q

from domain import clock, portal_log
from domain.access import limits, sign_in
from domain.access.actors import Actor, AddressShared, SignedIn, may_sign_in
from domain.errors import DomainError
from domain.i18n import N_
from domain.messages import outbox
from domain.messages.notices import sign_in_code
from domain.messages.outbox import Recipient
from domain.models import AccessCode, Channel, CodePurpose, Contact
from domain.portal_log import LogSubject
from domain.registration import drafts
from domain.studio import settings
from domain.unit_of_work import UnitOfWork
from domain.validation import Cleaner

CODE_LIFETIME = dt.timedelta(minutes=10)
RESEND_AFTER = dt.timedelta(seconds=60)
MAX_CODES_PER_HOUR = 5
MAX_CODES_PER_IP_PER_HOUR = 20
MAX_WRONG_ENTRIES = 5

_key = secrets.token_bytes(32)


def use_key(secret: str) -> None:
    """Codes are hashed with a key from the deployment's secret: a copied database alone cannot test guesses."""
    global _key
    _key = hashlib.sha256(f'access-codes:{secret}'.encode()).digest()


class CodesNotOffered(DomainError):
    MESSAGE = N_('This studio signs parents in with a password. Use the password form.')


class TooSoon(DomainError):
    MESSAGE = N_('A code was sent less than a minute ago. Please wait a moment before asking again.')


class TooMany(DomainError):
    MESSAGE = N_('Too many codes were asked for. Please try again in an hour.')


class CodeRejected(DomainError):
    MESSAGE = N_('That code is not right, or it has expired. Check it, or ask for a new one.')


class NotAllowed(DomainError):
    MESSAGE = N_('This account cannot use the parent portal. Please contact the studio.')


@dataclass(frozen=True)
class CodeSent:
    attempt_id: str
    destination: str
    channel: Channel


@dataclass(frozen=True)
class Verified:
    """The number or address belongs to nobody yet: it is proven theirs, and their registration draft is open."""

    destination: str
    channel: Channel
    registration_token: str


def parse_destination(typed: str) -> tuple[str, Channel]:
    """An email address or a mobile number, cleaned; anything else is refused beside the field."""
    clean = Cleaner()
    if '@' in typed:
        value = clean.email('destination', typed, required=True)
        channel = Channel.EMAIL
    else:
        value = clean.phone('destination', typed, region=settings.current().phone_region)
        if value is None and 'destination' not in clean.errors:
            clean.fail('destination', N_('Enter your mobile number or email address'))
        channel = Channel.SMS
    clean.raise_if_invalid()
    assert value is not None
    return value, channel


def _digest(attempt_id: str, code: str) -> str:
    return hmac.new(_key, f'{attempt_id}:{code}'.encode(), hashlib.sha256).hexdigest()


async def _find_contact(destination: str, channel: Channel) -> Contact | None:
    """The one contact this address signs in, never a choice among several.

    A proven address (a sign-in email, a mobile a code proved) signs in its contact. An address nobody proved
    signs in the one contact it was typed for (another parent, a registration by phone): their code is the
    proof. An address several contacts share is refused with the same words for all, and staff are told.
    """
    if channel == Channel.EMAIL:
        proven, typed = Q(email=destination), Q(pending_email=destination, email=None)
    else:
        proven, typed = Q(mobile_phone=destination, mobile_verified=True), Q(mobile_phone=destination)
    live = Contact.filter(removed_at=None).prefetch_related('family')
    holders = await live.filter(proven).limit(2) or await live.filter(typed).limit(2)
    if len(holders) > 1:
        async with UnitOfWork() as uow:
            await portal_log.record(
                uow,
                LogSubject(user_id=destination),
                'sign_in_shared',
                f'Sign-in by code refused: {destination} belongs to more than one contact. '
                'Staff to settle which contact signs in with it',
            )
        raise AddressShared()
    return holders[0] if holders else None


async def send_code(
    typed: str, *, client_ip: str = '', language: str = 'en', purpose: CodePurpose = CodePurpose.SIGN_IN
) -> CodeSent:
    """Send a fresh six-digit code, within the limits, and say the same thing for known and unknown people.

    A studio that signs parents in with passwords only still verifies new families this way.
    """
    if purpose == CodePurpose.SIGN_IN and not settings.current().offers_codes:
        raise CodesNotOffered()
    destination, channel = parse_destination(typed)
    contact = await _find_contact(destination, channel)
    attempt_id = secrets.token_urlsafe(24)
    code = f'{secrets.randbelow(10**6):06d}'
    recipient = Recipient(
        contact.full_name if contact else '',
        destination,
        contact.preferred_language if contact else language,
        contact.family_id if contact else None,
        contact.id if contact else None,
    )
    async with UnitOfWork() as uow:  # a refusal raised in here leaves nothing written
        await _within_limits(uow, destination, client_ip)
        now = clock.now()
        await AccessCode.create(
            attempt_id=attempt_id,
            destination=destination,
            channel=channel,
            code_hash=_digest(attempt_id, code),
            client_ip=client_ip,
            created_at=now,
            expires_at=now + CODE_LIFETIME,
            purpose=purpose,
            using_db=uow.connection,
        )
        await outbox.enqueue(
            uow, channel, recipient, sign_in_code(recipient.language), secret=code, expires_at=now + CODE_LIFETIME
        )
        await portal_log.record(
            uow,
            _subject(contact, destination, client_ip),
            'code_sent',
            f'Sign-in code sent by {"email" if channel == Channel.EMAIL else "text"} to {destination}',
        )
    return CodeSent(attempt_id, destination, channel)


async def _within_limits(uow: UnitOfWork, destination: str, client_ip: str) -> None:
    """Count the codes of the last hour with the address's and the IP's keys held: a send arriving meanwhile
    waits for this one's code to be written, then counts it."""
    await limits.hold(uow, f'code-to:{destination}', *([f'code-from:{client_ip}'] if client_ip else []))
    now = clock.now()
    recent = (
        await AccessCode.filter(destination=destination, created_at__gte=now - dt.timedelta(hours=1))
        .using_db(uow.connection)
        .order_by('-created_at')
    )
    if recent and now - recent[0].created_at < RESEND_AFTER:
        raise TooSoon()
    if len(recent) >= MAX_CODES_PER_HOUR or (
        client_ip
        and await AccessCode.filter(client_ip=client_ip, created_at__gte=now - dt.timedelta(hours=1))
        .using_db(uow.connection)
        .count()
        >= MAX_CODES_PER_IP_PER_HOUR
    ):
        raise TooMany()


async def enter_code(attempt_id: str, code: str, *, client_ip: str = '', language: str = 'en') -> SignedIn | Verified:
    """Check a code against the attempt it was sent for. Five wrong entries end the code.

    A contact's code signs them in, unless it was sent to register: then they are offered sign-in instead.
    Anyone else's code opens (or reopens) their registration draft.
    """
    now = clock.now()
    record = await AccessCode.get_or_none(attempt_id=attempt_id)
    typed = ''.join(code.split())
    if record is None:
        raise CodeRejected()
    contact = await _find_contact(record.destination, record.channel)
    subject = _subject(contact, record.destination, client_ip)
    refusal: DomainError | None = None
    async with UnitOfWork() as uow:
        # An entry takes its try in the statement that tests one is left: a right code is used up, a wrong one
        # counted, and an entry that finds the code used, expired or out of tries takes nothing.
        still_open = AccessCode.filter(
            id=record.id, used_at=None, expires_at__gt=now, wrong_entries__lt=MAX_WRONG_ENTRIES
        ).using_db(uow.connection)
        # Six plain digits, or not the code: anything longer or stranger is not even hashed.
        plausible = len(typed) == 6 and typed.isascii()
        right = plausible and hmac.compare_digest(record.code_hash, _digest(attempt_id, typed))
        if right:
            right = bool(await still_open.update(used_at=now))  # so of five tabs entering it at once, one wins
        else:
            await still_open.update(wrong_entries=F('wrong_entries') + 1)
        if not right:
            await portal_log.record(
                uow, subject, 'code_failed', f'Incorrect or expired sign-in code for {record.destination}'
            )
            refusal = CodeRejected()
        elif contact is None:
            await portal_log.record(uow, subject, 'code_verified', f'Verified {record.destination} for registration')
            draft_token = await drafts.begin(uow, record.destination, record.channel, language)
            outcome: SignedIn | Verified = Verified(record.destination, record.channel, draft_token)
        elif record.purpose == CodePurpose.REGISTER:
            await portal_log.record(
                uow,
                subject,
                'registration_refused',
                f'Registration refused: {record.destination} is already registered',
            )
            refusal = drafts.AlreadyRegistered(drafts.AlreadyRegistered.MESSAGE)
        elif not may_sign_in(
            allow_login=contact.allow_login, family_status=contact.family.status, removed=contact.removed_at is not None
        ):
            await portal_log.record(
                uow, subject, 'login_not_allowed', f'Login not allowed for UserID: {record.destination}'
            )
            refusal = NotAllowed()
        else:
            from domain.family import address_change  # the family area builds on access: imported when used

            await address_change.mark_proven(uow, contact, record.channel, record.destination)  # their code proved it
            token = await sign_in.admit(
                uow, contact, subject, f'Login successful with a code for UserID: {record.destination}'
            )
            outcome = SignedIn(token, Actor.of(contact, client_ip))
    if refusal:  # raised only now: the log lines above are kept
        raise refusal
    return outcome


def _subject(contact: Contact | None, destination: str, client_ip: str) -> LogSubject:
    if contact is None:
        return LogSubject(user_id=destination, client_ip=client_ip)
    return LogSubject.of(contact, user_id=destination, client_ip=client_ip)
