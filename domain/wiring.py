"""The composition root: the one place where the configuration becomes adapters and background jobs.

`main.py` builds a `Portal` from the configuration and runs `start` before the first request and `stop` after
the last. Tests wire their own pieces directly (`outbox.configure(...)`, `payments.configure(...)`).
"""

from __future__ import annotations

import datetime as dt
import logging

from domain import db, events, unit_of_work
from domain.absences.worker import AbsenceWorker
from domain.access import codes, sessions, staff_accounts
from domain.adapters import storage
from domain.adapters.gateways import SandboxGateway, StripeGateway
from domain.adapters.mail import ConsoleMailer, SmtpMailer
from domain.adapters.redis_relay import RedisRelay
from domain.adapters.sms import ConsoleSmsSender, HttpSmsSender
from domain.adapters.storage import LocalStorage, S3Storage
from domain.billing import payments
from domain.classes import tuition, waitlists
from domain.config import Config
from domain.files import links
from domain.messages import outbox
from domain.news.worker import NewsWorker
from domain.operations import demo, housekeeping
from domain.operations.logs import keep_records_short, use_json_logs
from domain.studio import settings


class Portal:
    """What one serving process runs beside its pages."""

    def __init__(self, config: Config, *, demo: bool) -> None:
        self.config, self.demo = config, demo
        keep_records_short()
        if config.log_format == 'json':
            use_json_logs()  # before the web server starts, which then sets up its own loggers
        self.relay = RedisRelay(config.redis_url, events.bus) if config.redis_url else None
        self.settings = settings.Reloader(events.bus)
        self.worker = outbox.OutboxWorker()
        self.cleaner = housekeeping.daily_clean_up()
        self.resolver = payments.pending_payment_resolver()
        self.tuition = tuition.monthly_tuition()
        self.waitlists = waitlists.WaitlistWorker()
        self.absences = AbsenceWorker()
        self.news = NewsWorker()

    async def start(self) -> None:
        config = self.config
        await db.open_database(config.database_url)
        await settings.ensure_settings(config)
        self.settings.start()  # before the relay, whose first subscription reloads once more
        if self.relay:
            await self.relay.start()
        codes.use_key(config.secret)
        links.use_key(config.secret)
        if config.storage:  # several processes or machines: every one of them reaches the same bucket
            bucket = S3Storage(config.storage)
            await bucket.ensure_bucket()
            storage.configure(bucket)
        else:
            storage.configure(LocalStorage(config.data_dir / 'files'))
        await staff_accounts.seal_authenticator_secrets(config.secret)  # and those kept in clear before 0008
        sessions.configure_idle(
            dt.timedelta(seconds=config.idle_seconds), dt.timedelta(seconds=config.idle_warning_seconds)
        )
        outbox.configure(
            SmtpMailer(config.mail) if config.mail else ConsoleMailer(),
            HttpSmsSender(config.sms) if config.sms else ConsoleSmsSender(),
        )
        payments.configure(
            StripeGateway(config.stripe.secret_key, config.stripe.webhook_secret, api_base=config.stripe.api_base)
            if config.stripe
            else SandboxGateway()
        )
        self.worker.start()
        self.cleaner.start()
        self.resolver.start()
        self.tuition.start()
        self.waitlists.start()
        self.absences.start()
        self.news.start()
        if self.demo:
            await load_demo()

    async def stop(self) -> None:
        """A graceful stop: saves in progress finish, queued messages go out, then the database closes."""
        await self.news.stop()
        await self.absences.stop()
        await self.waitlists.stop()
        await self.tuition.stop()
        await self.resolver.stop()
        await self.cleaner.stop()
        await unit_of_work.drain()
        await self.worker.stop()
        if self.relay:
            await self.relay.stop()
        await self.settings.stop()
        await db.close_database()


async def load_demo() -> None:
    """The demo studio, loaded once, and how to sign in to it."""
    if await demo.seed():
        logging.getLogger('kinroll').info('demo studio loaded')
    print(
        f'Demo parent: {demo.DEMO_PARENT_EMAIL} / {demo.DEMO_PARENT_PASSWORD}\n'
        f'Demo staff:  {demo.DEMO_STAFF_EMAIL} / {demo.DEMO_STAFF_PASSWORD}  (console at /staff)\n'
        f'             authenticator secret {demo.DEMO_STAFF_TOTP_SECRET}; codes also print with\n'
        '             .venv/bin/python -c "import pyotp; '
        f"print(pyotp.TOTP('{demo.DEMO_STAFF_TOTP_SECRET}').now())\"\n"
        f'Instructors: {", ".join(email for email, _ in demo.DEMO_INSTRUCTORS.values())}\n'
        f'             / {demo.DEMO_INSTRUCTOR_PASSWORD}, with the same authenticator codes',
        flush=True,
    )
