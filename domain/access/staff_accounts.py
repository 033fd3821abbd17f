"""Staff accounts: password plus a TOTP second factor, a lockout, and what each role may do.

The authenticator secret is kept sealed (sealed_secrets.py) and opened only in memory, to check a code or to
show it for enrolment.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
from dataclasses import dataclass

import pyotp
from tortoise.expressions import F, Q
from tortoise.queryset import QuerySet

from domain import audit, clock, db
from domain.access import passwords, sealed_secrets, sessions
from domain.access.actors import StaffActor, require_admin
from domain.access.passwords import check_new_password
from domain.errors import DomainError, NotFound, SignInFailed, ValidationFailed
from domain.models import StaffRole, StaffUser
from domain.studio import settings
from domain.unit_of_work import UnitOfWork
from domain.validation import EMAIL_TAKEN, Cleaner

MAX_FAILED = 3
LOCKOUT = dt.timedelta(minutes=15)
ISSUER = 'Kinroll'
# Longer than these is nobody's address, password or code: refused before the database (and before a password
# hash of a pasted megabyte), with the words of any other refusal.
MAX_EMAIL_LENGTH = 254  # the column's
MAX_PASSWORD_LENGTH = 1024  # far above any password the portal lets anyone choose (passwords.MAX_LENGTH)
MAX_CODE_LENGTH = 12  # six digits, with room for the spaces an authenticator app shows or a paste adds

log = logging.getLogger('kinroll.staff')


class NeedsEnrolment(DomainError):
    """The password was right and no authenticator is set up yet: show the secret, then ask for a code."""

    def __init__(self, secret: str, uri: str) -> None:
        super().__init__('authenticator enrolment needed')
        self.secret, self.uri = secret, uri


def new_totp_secret() -> str:
    return pyotp.random_base32()


def _enrolment(staff: StaffUser, secret: str) -> NeedsEnrolment:
    uri = pyotp.TOTP(secret).provisioning_uri(name=staff.email, issuer_name=f'{ISSUER} {settings.current().name}')
    return NeedsEnrolment(secret, uri)


def _authenticator_secret(staff: StaffUser) -> str | None:
    """The secret in clear, in memory for this one check; None when it does not open with this deployment's key."""
    try:
        return sealed_secrets.unseal(staff.totp_sealed)
    except sealed_secrets.SealedElsewhere:
        log.error(
            'staff account %s cannot sign in: its authenticator secret does not open with this PORTAL_SECRET '
            '(it was sealed under another, or altered). Start the portal with the secret it was sealed under, '
            'or have an administrator reset the authenticator so that they enrol again.',
            staff.id,
        )
        return None


async def sign_in(email: str, password: str, code: str, client_ip: str = '') -> tuple[str, StaffActor]:
    """Password and authenticator code together. Three wrong tries lock the account for 15 minutes.

    Each attempt takes one of the remaining tries before it is judged, so simultaneous guesses get no more than
    three between them; and an authenticator code opens one sign-in only, even from two browsers in its window.
    """
    email = email.strip()
    if len(email) > MAX_EMAIL_LENGTH or len(password) > MAX_PASSWORD_LENGTH or len(code) > MAX_CODE_LENGTH:
        raise SignInFailed()  # no try taken: no account's password or code was tested
    staff = await StaffUser.get_or_none(email=email.lower())
    password_ok = await passwords.verify_password(staff.password_hash if staff else None, password)
    if staff is None:
        raise SignInFailed()
    code = ''.join(code.split())
    now = clock.now()
    secret = _authenticator_secret(staff) if password_ok else None
    step = _time_step_of(secret, code, now) if secret is not None else None
    async with UnitOfWork() as uow:
        account = StaffUser.filter(id=staff.id).using_db(uow.connection)
        taken = await account.filter(
            Q(locked_until=None) | Q(locked_until__lte=now), failed_attempts__lt=MAX_FAILED
        ).update(failed_attempts=F('failed_attempts') + 1)  # one statement tests a try is left and takes it
        if taken and secret is not None and not staff.totp_confirmed and not code:
            raise _enrolment(staff, secret)  # rolled back: no try used
        token: str | None = None
        if taken and step is not None and await _first_use_of(account, step):
            await account.update(failed_attempts=0, locked_until=None, totp_confirmed=True)
            token = await sessions.start_staff_session(uow, staff.id, client_ip)
        elif taken:
            await _count_failure(uow, staff.id, now)
    if token is None:
        raise SignInFailed()
    return token, StaffActor(staff.id, staff.name, staff.email, staff.role)


def _time_step_of(secret: str, code: str, now: dt.datetime) -> int | None:
    """The 30-second step whose code this is, within one step either side for a phone's clock drift."""
    totp = pyotp.TOTP(secret)
    for offset in (-1, 0, 1):
        if code and hmac.compare_digest(totp.at(now, counter_offset=offset).encode(), code.encode()):
            return totp.timecode(now) + offset
    return None


async def _first_use_of(account: QuerySet[StaffUser], step: int) -> bool:
    """Mark the code's step used unless it, or a later one, already was: in one statement, so that the same code
    from two browsers at once opens one sign-in."""
    return bool(await account.filter(Q(last_totp_step=None) | Q(last_totp_step__lt=step)).update(last_totp_step=step))


async def _count_failure(uow: UnitOfWork, staff_id: int, now: dt.datetime) -> None:
    """The try is already taken: the last one locks the account, and the count starts again after the lockout."""
    account = StaffUser.filter(id=staff_id).using_db(uow.connection)
    if (await account.get()).failed_attempts >= MAX_FAILED:
        await account.update(failed_attempts=0, locked_until=now + LOCKOUT)


async def create_staff(
    email: str,
    name: str,
    password: str,
    role: StaffRole = StaffRole.FRONT_DESK,
    *,
    totp_secret: str | None = None,
    by: StaffActor | None = None,
) -> StaffUser:
    """A staff account. `by` is the administrator adding it, whom the staff audit names; without one (the
    first account, the demo, tests) nobody is signed in to name."""
    if by is not None:
        require_admin(by)
    password_hash = await passwords.hash_password(password)
    async with UnitOfWork() as uow:
        staff = await StaffUser.create(
            email=email.strip().lower(),
            name=name,
            role=role,
            password_hash=password_hash,
            totp_sealed=sealed_secrets.seal(totp_secret or new_totp_secret()),
            using_db=uow.connection,
        )
        if by is not None:
            account = {'email': staff.email, 'name': staff.name, 'role': staff.role}
            await audit.record(uow, by, 'staff_added', f'Staff account: {staff.email}', None, account)
    return staff


@dataclass(frozen=True)
class StaffForm:
    email: str
    name: str
    role: str
    password: str


async def add_staff(by: StaffActor, form: StaffForm) -> StaffUser:
    """An administrator adds a colleague, who sets up an authenticator at their first sign-in."""
    require_admin(by)
    clean = Cleaner()
    email = clean.email('email', form.email, required=True)
    name = clean.name('name', form.name, max_length=120)
    role = clean.choice('role', form.role, {r.value for r in StaffRole})
    clean.raise_if_invalid()
    check_new_password(form.password)
    if await StaffUser.filter(email=email).exists():
        raise ValidationFailed({'email': EMAIL_TAKEN})
    return await create_staff(email or '', name, form.password, StaffRole(role), by=by)


async def list_staff() -> list[StaffUser]:
    return await StaffUser.all().order_by('name')


async def reset_authenticator(by: StaffActor, staff_id: int) -> None:
    """An administrator gives a colleague a new authenticator secret, shown at their next sign-in with their
    password: after a lost phone, or when their secret was sealed under another PORTAL_SECRET."""
    require_admin(by)
    async with UnitOfWork() as uow:
        account = StaffUser.filter(id=staff_id).using_db(uow.connection)
        staff = await account.get_or_none()
        if staff is None:
            raise NotFound()
        await account.update(totp_sealed=sealed_secrets.seal(new_totp_secret()), totp_confirmed=False)
        old, new = {'authenticator_set_up': staff.totp_confirmed}, {'authenticator_set_up': False}
        await audit.record(uow, by, 'staff_authenticator_reset', f'Staff account: {staff.email}', old, new)


async def seal_authenticator_secrets(deployment_secret: str) -> int:
    """Seal authenticator secrets under the deployment's secret from now on, and seal those kept in clear before
    migration 0008. Run as the portal starts; a row is replaced only while it is still clear, so processes that
    start together seal each secret once. SQLite's log is written out after, so the clear ones leave the file
    (secure_delete has zeroed the space they held). The number sealed now."""
    sealed_secrets.use_key(deployment_secret)
    sealed = 0
    async with UnitOfWork() as uow:
        for staff in await StaffUser.exclude(totp_sealed='').using_db(uow.connection):
            if sealed_secrets.is_clear(staff.totp_sealed):
                sealed += (
                    await StaffUser.filter(id=staff.id, totp_sealed=staff.totp_sealed)
                    .using_db(uow.connection)
                    .update(totp_sealed=sealed_secrets.seal(staff.totp_sealed))
                )
    if sealed:
        await db.write_out_the_log()
        log.info('sealed %s staff authenticator secrets kept in clear until now', sealed)
    return sealed
