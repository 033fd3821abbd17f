"""The studio's own settings, read often and changed rarely, so kept in memory between changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .config import Config
from .models import StudioSettings


@dataclass(frozen=True)
class Studio:
    name: str
    timezone: str
    currency: str
    default_language: str
    phone_region: str


_current: Studio | None = None


async def ensure_settings(config: Config, *, name: str = 'Kinroll Studio') -> Studio:
    """Create the settings row on first start; the deployment's environment wins on every start."""
    values = dict(timezone=config.timezone, currency=config.currency,
                  default_language=config.default_language, phone_region=config.phone_region)
    settings = await StudioSettings.first()
    if settings is None:
        settings = await StudioSettings.create(name=name, **values)
    else:
        await StudioSettings.filter(id=settings.id).update(**values)
        settings = await StudioSettings.get(id=settings.id)
    return _remember(settings)


async def rename(name: str) -> Studio:
    settings = await StudioSettings.first()
    assert settings is not None, 'settings exist from start-up'
    settings.name = name
    await settings.save()
    return _remember(settings)


def current() -> Studio:
    assert _current is not None, 'ensure_settings runs at start-up'
    return _current


def today() -> dt.date:
    """The date at the studio, which is what a parent means by today."""
    return dt.datetime.now(ZoneInfo(current().timezone)).date()


def _remember(settings: StudioSettings) -> Studio:
    global _current
    _current = Studio(settings.name, settings.timezone, settings.currency, settings.default_language,
                      settings.phone_region)
    return _current
