"""Staff accounts: password plus a TOTP second factor, a lockout, and what each role may do."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pyotp

from domain import audit, clock
from domain.access import passwords, sessions
from domain.access.actors import StaffActor, require_admin
from domain.access.passwords import check_new_password
from domain.errors import DomainError, SignInFailed, ValidationFailed
from domain.models import StaffRole, StaffUser
from domain.studio import settings
from domain.unit_of_work import UnitOfWork
from domain.validation import EMAIL_TAKEN, Cleaner

MAX_FAILED = 3
LOCKOUT = dt.timedelta(minutes=15)
ISSUER = 'Kinroll'


class NeedsEnrolment(DomainError):
    """The password was right and no authenticator is set up yet: show the secret, then ask for a code."""

    def __init__(self, secret: str, uri: str) -> None:
        super().__init__('authenticator enrolment needed')
        self.secret, self.uri = secret, uri


def new_totp_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(staff: StaffUser) -> str:
    return pyotp.TOTP(staff.totp_secret).provisioning_uri(
        name=staff.email, issuer_name=f'{ISSUER} {settings.current().name}'
    )


async def sign_in(email: str, password: str, code: str, client_ip: str = '') -> tuple[str, StaffActor]:
    """Password and authenticator code together. Three wrong tries lock the account for 15 minutes."""
    staff = await StaffUser.get_or_none(email=email.strip().lower())
    password_ok = await passwords.verify_password(staff.password_hash if staff else None, password)
    if staff is None:
        raise SignInFailed()
    if staff.locked_until and clock.now() < staff.locked_until:
        raise SignInFailed()
    code = ''.join(code.split())
    if password_ok and not staff.totp_confirmed and not code:
        raise NeedsEnrolment(staff.totp_secret, provisioning_uri(staff))
    if not (password_ok and pyotp.TOTP(staff.totp_secret).verify(code, valid_window=1)):
        await _count_failure(staff)
        raise SignInFailed()
    async with UnitOfWork() as uow:
        await (
            StaffUser.filter(id=staff.id)
            .using_db(uow.connection)
            .update(failed_attempts=0, locked_until=None, totp_confirmed=True)
        )
        token = await sessions.start_staff_session(uow, staff.id, client_ip)
    return token, StaffActor(staff.id, staff.name, staff.email, staff.role)


async def _count_failure(staff: StaffUser) -> None:
    failed = staff.failed_attempts + 1
    if failed >= MAX_FAILED:
        await StaffUser.filter(id=staff.id).update(failed_attempts=0, locked_until=clock.now() + LOCKOUT)
    else:
        await StaffUser.filter(id=staff.id).update(failed_attempts=failed)


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
            totp_secret=totp_secret or new_totp_secret(),
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
