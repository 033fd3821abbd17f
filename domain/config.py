"""Configuration read from the environment, once, at start-up."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

SUPPORTED_LANGUAGES = ('en', 'es', 'zh_Hans')
LOG_LEVELS = ('warning', 'critical', 'error', 'info', 'debug', 'trace')  # the web server's; the first is the default


class ConfigError(Exception):
    """The environment does not describe a portal that can start."""


@dataclass(frozen=True)
class Config:
    database_url: str
    secret: str
    host: str
    port: int
    data_dir: Path
    timezone: str
    currency: str
    default_language: str
    phone_region: str
    base_url: str = 'http://localhost:8080'
    idle_seconds: int = 30 * 60
    idle_warning_seconds: int = 60
    mail: MailSettings | None = None
    sms: SmsSettings | None = None
    stripe: StripeSettings | None = None  # None: the built-in sandbox processor
    storage: S3Settings | None = None  # None: files in a folder under data_dir
    redis_url: str = ''  # set: browser storage and portal events are shared between processes through Redis
    log_format: str = 'text'  # or 'json': one JSON object per line
    log_level: str = 'warning'  # the web server's, one of LOG_LEVELS

    @property
    def https(self) -> bool:
        """Cookies are marked Secure when the portal is reached over HTTPS."""
        return self.base_url.startswith('https://')

    @classmethod
    def from_env(cls, *, demo: bool = False, env: dict[str, str] | None = None) -> Config:
        env = dict(os.environ if env is None else env)
        data_dir = Path(env.get('PORTAL_DATA_DIR', 'data')).resolve()
        secret = env.get('PORTAL_SECRET', '')
        if not secret:
            if not demo:
                raise ConfigError('PORTAL_SECRET must be set (a long random string); only --demo runs without one.')
            secret = 'kinroll-demo-secret-not-for-production'
        language = env.get('PORTAL_DEFAULT_LANGUAGE', 'en')
        if language not in SUPPORTED_LANGUAGES:
            raise ConfigError(f'PORTAL_DEFAULT_LANGUAGE must be one of {", ".join(SUPPORTED_LANGUAGES)}')
        try:
            port = int(env.get('PORTAL_PORT', '8080'))
        except ValueError as exc:
            raise ConfigError('PORTAL_PORT must be a number') from exc
        return cls(
            database_url=env.get('PORTAL_DATABASE_URL') or sqlite_url(data_dir / 'kinroll.sqlite3'),
            secret=secret,
            host=env.get('PORTAL_HOST', '0.0.0.0'),
            port=port,
            data_dir=data_dir,
            timezone=env.get('PORTAL_TIMEZONE', 'America/Chicago'),
            currency=env.get('PORTAL_CURRENCY', 'USD'),
            default_language=language,
            phone_region=env.get('PORTAL_PHONE_REGION', 'US'),
            base_url=env.get('PORTAL_BASE_URL', f'http://localhost:{port}').rstrip('/'),
            idle_seconds=int(env.get('PORTAL_IDLE_SECONDS', 30 * 60)),
            idle_warning_seconds=int(env.get('PORTAL_IDLE_WARNING_SECONDS', 60)),
            mail=MailSettings.from_env(env),
            sms=SmsSettings.from_env(env),
            stripe=StripeSettings.from_env(env),
            storage=S3Settings.from_env(env),
            redis_url=env.get('PORTAL_REDIS_URL', ''),
            log_format=_choice(env, 'PORTAL_LOG_FORMAT', ('text', 'json')),
            log_level=_choice(env, 'PORTAL_LOG_LEVEL', LOG_LEVELS, any_case=True),
        )


def _choice(env: dict[str, str], name: str, allowed: tuple[str, ...], *, any_case: bool = False) -> str:
    value = env.get(name, allowed[0])
    value = value.lower() if any_case else value
    if value not in allowed:
        raise ConfigError(f'{name} must be one of {", ".join(allowed)}')
    return value


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    security: str  # 'starttls', 'tls' or 'none'
    user: str
    password: str
    sender: str

    @classmethod
    def from_env(cls, env: dict[str, str]) -> MailSettings | None:
        if not env.get('PORTAL_SMTP_HOST'):
            return None
        security = env.get('PORTAL_SMTP_SECURITY', 'starttls')
        if security not in ('starttls', 'tls', 'none'):
            raise ConfigError('PORTAL_SMTP_SECURITY must be starttls, tls or none')
        default_port = {'starttls': '587', 'tls': '465', 'none': '25'}[security]
        return cls(
            env['PORTAL_SMTP_HOST'],
            int(env.get('PORTAL_SMTP_PORT', default_port)),
            security,
            env.get('PORTAL_SMTP_USER', ''),
            env.get('PORTAL_SMTP_PASSWORD', ''),
            env.get('PORTAL_MAIL_FROM', 'portal@localhost'),
        )


@dataclass(frozen=True)
class SmsSettings:
    """A Twilio-compatible REST API: POST {url}/Accounts/{account}/Messages.json with basic auth."""

    url: str
    account: str
    token: str
    sender: str

    @classmethod
    def from_env(cls, env: dict[str, str]) -> SmsSettings | None:
        if not env.get('PORTAL_SMS_URL'):
            return None
        return cls(
            env['PORTAL_SMS_URL'].rstrip('/'),
            env.get('PORTAL_SMS_ACCOUNT', ''),
            env.get('PORTAL_SMS_TOKEN', ''),
            env.get('PORTAL_SMS_FROM', ''),
        )


@dataclass(frozen=True)
class StripeSettings:
    secret_key: str
    webhook_secret: str
    api_base: str

    @classmethod
    def from_env(cls, env: dict[str, str]) -> StripeSettings | None:
        gateway = env.get('PORTAL_PAYMENT_GATEWAY', 'sandbox')
        if gateway == 'sandbox':
            return None
        if gateway != 'stripe':
            raise ConfigError('PORTAL_PAYMENT_GATEWAY must be sandbox or stripe')
        if not env.get('PORTAL_STRIPE_SECRET_KEY') or not env.get('PORTAL_STRIPE_WEBHOOK_SECRET'):
            raise ConfigError('Stripe needs PORTAL_STRIPE_SECRET_KEY and PORTAL_STRIPE_WEBHOOK_SECRET')
        return cls(
            env['PORTAL_STRIPE_SECRET_KEY'],
            env['PORTAL_STRIPE_WEBHOOK_SECRET'],
            env.get('PORTAL_STRIPE_API_BASE', 'https://api.stripe.com').rstrip('/'),
        )


@dataclass(frozen=True)
class S3Settings:
    """S3-compatible object storage for files (AWS S3, MinIO, Ceph, …), which every process can reach."""

    bucket: str
    endpoint_url: str  # '' for AWS itself
    region: str
    access_key_id: str
    secret_access_key: str = field(repr=False)

    @classmethod
    def from_env(cls, env: dict[str, str]) -> S3Settings | None:
        bucket = env.get('PORTAL_S3_BUCKET', '')
        if not bucket:
            return None
        if not re.fullmatch(r'[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]', bucket):
            raise ConfigError('PORTAL_S3_BUCKET is not a bucket name: 3 to 63 lowercase letters, digits, dots, dashes.')
        missing = [name for name in ('PORTAL_S3_ACCESS_KEY_ID', 'PORTAL_S3_SECRET_ACCESS_KEY') if not env.get(name)]
        if missing:
            raise ConfigError(
                f'PORTAL_S3_BUCKET is set, so files are kept in S3-compatible storage, which also needs '
                f'{" and ".join(missing)}.'
            )
        return cls(
            bucket=bucket,
            endpoint_url=env.get('PORTAL_S3_ENDPOINT_URL', '').rstrip('/'),
            region=env.get('PORTAL_S3_REGION') or 'us-east-1',
            access_key_id=env['PORTAL_S3_ACCESS_KEY_ID'],
            secret_access_key=env['PORTAL_S3_SECRET_ACCESS_KEY'],
        )


def sqlite_url(path: Path) -> str:
    """A SQLite URL with the durability settings money and agreements need.

    WAL lets readers run beside the one writer; synchronous=FULL makes every committed
    transaction survive a power cut, not only a process crash; busy_timeout waits for a lock
    instead of failing a parent's save.
    """
    return f'sqlite://{path}?journal_mode=WAL&synchronous=FULL&busy_timeout=5000'
