"""The studio's own settings, read often and changed rarely, so kept in memory between changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from domain import clock
from domain.access.actors import StaffActor, require_admin
from domain.config import Config
from domain.i18n import N_
from domain.models import SignInMethods, StudioSettings
from domain.validation import Cleaner


@dataclass(frozen=True)
class Studio:
    name: str
    timezone: str
    currency: str
    default_language: str
    phone_region: str
    sign_in_methods: SignInMethods
    message_retention_days: int
    policy_renewal_months: int
    allow_prepay: bool
    card_fee_percent: Decimal
    base_url: str  # from the deployment, for links in emails

    @property
    def offers_codes(self) -> bool:
        return self.sign_in_methods in (SignInMethods.BOTH, SignInMethods.CODES)

    @property
    def offers_password(self) -> bool:
        return self.sign_in_methods in (SignInMethods.BOTH, SignInMethods.PASSWORD)


_current: Studio | None = None


async def ensure_settings(config: Config, *, name: str = 'Kinroll Studio') -> Studio:
    """Create the settings row on first start; the deployment's environment wins on every start."""
    values = dict(
        timezone=config.timezone,
        currency=config.currency,
        default_language=config.default_language,
        phone_region=config.phone_region,
    )
    settings = await StudioSettings.first()
    if settings is None:
        settings = await StudioSettings.create(name=name, **values)  # type: ignore[arg-type]
    else:
        await StudioSettings.filter(id=settings.id).update(**values)
        settings = await StudioSettings.get(id=settings.id)
    return _remember(settings, config.base_url)


async def change(**values) -> Studio:
    """Staff changing the studio's own settings (sign-in methods, history retention, policy renewal)."""
    settings = await StudioSettings.first()
    assert settings is not None, 'settings exist from start-up'
    settings.update_from_dict(values)
    await settings.save()
    return _remember(settings, current().base_url)


def current() -> Studio:
    assert _current is not None, 'ensure_settings runs at start-up'
    return _current


def today() -> dt.date:
    """The date at the studio, which is what a parent means by today."""
    return clock.now().astimezone(ZoneInfo(current().timezone)).date()


def _remember(settings: StudioSettings, base_url: str) -> Studio:
    global _current
    _current = Studio(
        settings.name,
        settings.timezone,
        settings.currency,
        settings.default_language,
        settings.phone_region,
        settings.sign_in_methods,
        settings.message_retention_days,
        settings.policy_renewal_months,
        settings.allow_prepay,
        Decimal(str(settings.card_fee_percent)),
        base_url,
    )
    return _current


async def update_settings(
    by: StaffActor,
    *,
    sign_in_methods: str,
    message_retention_days: int,
    allow_prepay: bool | None = None,
    card_fee_percent: str | None = None,
) -> Studio:
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
    return await change(**{**changes, 'sign_in_methods': SignInMethods(methods)})
