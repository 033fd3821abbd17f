"""Staff accounts: password plus a TOTP second factor, a lockout, and what each role may do."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pyotp

from . import access, studio
from .access import StaffActor
from .errors import DomainError, SignInFailed, ValidationFailed
from .i18n import N_
from .models import SignInMethods, StaffRole, StaffUser
from .passwords import check_new_password
from .unit_of_work import UnitOfWork
from .validation import Cleaner

MAX_FAILED = 3
LOCKOUT = dt.timedelta(minutes=15)
ISSUER = 'Kinroll'


class NeedsEnrolment(DomainError):
    """The password was right and no authenticator is set up yet: show the secret, then ask for a code."""

    def __init__(self, secret: str, uri: str) -> None:
        super().__init__('authenticator enrolment needed')
        self.secret, self.uri = secret, uri


class PermissionDenied(DomainError):
    MESSAGE = N_('Only an administrator can do this')


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_totp_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(staff: StaffUser) -> str:
    return pyotp.TOTP(staff.totp_secret).provisioning_uri(
        name=staff.email, issuer_name=f'{ISSUER} {studio.current().name}'
    )


async def sign_in(email: str, password: str, code: str, client_ip: str = '') -> tuple[str, StaffActor]:
    """Password and authenticator code together. Three wrong tries lock the account for 15 minutes."""
    staff = await StaffUser.get_or_none(email=email.strip().lower())
    password_ok = await access.verify_password(staff.password_hash if staff else None, password)
    if staff is None:
        raise SignInFailed()
    if staff.locked_until and _now() < staff.locked_until:
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
        token = await access.start_staff_session(uow, staff.id, client_ip)
    return token, StaffActor(staff.id, staff.name, staff.email, staff.role)


async def _count_failure(staff: StaffUser) -> None:
    failed = staff.failed_attempts + 1
    if failed >= MAX_FAILED:
        await StaffUser.filter(id=staff.id).update(failed_attempts=0, locked_until=_now() + LOCKOUT)
    else:
        await StaffUser.filter(id=staff.id).update(failed_attempts=failed)


def require_admin(staff: StaffActor) -> None:
    if staff.role != StaffRole.ADMIN:
        raise PermissionDenied(PermissionDenied.MESSAGE)


async def create_staff(
    email: str, name: str, password: str, role: StaffRole = StaffRole.FRONT_DESK, *, totp_secret: str | None = None
) -> StaffUser:
    return await StaffUser.create(
        email=email.strip().lower(),
        name=name,
        role=role,
        password_hash=await access.hash_password(password),
        totp_secret=totp_secret or new_totp_secret(),
    )


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
        raise ValidationFailed({'email': N_('This email address is already in use. Use another one.')})
    return await create_staff(email or '', name, form.password, StaffRole(role))


async def list_staff() -> list[StaffUser]:
    return await StaffUser.all().order_by('name')


async def update_settings(
    by: StaffActor,
    *,
    sign_in_methods: str,
    message_retention_days: int,
    allow_prepay: bool | None = None,
    card_fee_percent: str | None = None,
) -> studio.Studio:
    require_admin(by)
    clean = Cleaner()
    methods = clean.choice('sign_in_methods', sign_in_methods, {m.value for m in SignInMethods})
    if not 1 <= message_retention_days <= 3650:
        clean.fail('message_retention_days', N_('Enter a number of days from 1 to 3650'))
    changes: dict = {'sign_in_methods': methods, 'message_retention_days': message_retention_days}
    if allow_prepay is not None:
        changes['allow_prepay'] = allow_prepay
    if card_fee_percent is not None:
        try:
            percent = Decimal(str(card_fee_percent).strip() or '0')
            if not percent.is_finite() or not 0 <= percent <= 10 or percent != percent.quantize(Decimal('0.01')):
                raise ValueError
            changes['card_fee_percent'] = percent
        except (ArithmeticError, ValueError):
            clean.fail('card_fee_percent', N_('Enter a percentage from 0 to 10, like 2.9'))
    clean.raise_if_invalid()
    return await studio.change(**{**changes, 'sign_in_methods': SignInMethods(methods)})
