"""Kinroll's door: read the configuration, open the database, register the pages, serve."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from nicegui import app, ui
from nicegui.storage import Storage

from components.setup import icons, security_headers, speedups, styles
from domain import db, events, unit_of_work
from domain.access import codes, sessions
from domain.adapters.gateways import SandboxGateway, StripeGateway
from domain.adapters.mail import ConsoleMailer, SmtpMailer
from domain.adapters.redis_relay import RedisRelay
from domain.adapters.sms import ConsoleSmsSender, HttpSmsSender
from domain.billing import payments
from domain.config import Config, ConfigError
from domain.messages import outbox
from domain.operations import backup, demo, housekeeping
from domain.operations.logs import use_json_logs
from domain.studio import settings


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog='main.py', description='Kinroll parent portal')
    parser.add_argument('--demo', action='store_true', help='load the demo studio (idempotent) and allow no secret')
    parser.add_argument(
        'command',
        nargs='*',
        metavar='backup FILE',
        help='instead of serving: an online SQLite backup to FILE, checked with PRAGMA integrity_check',
    )
    args, _unknown = parser.parse_known_args(argv)  # the test runner calls this file with its own arguments
    words = args.command
    args.command, args.target = (
        ('backup', words[1] if len(words) > 1 else '') if words[:1] == ['backup'] else ('serve', '')
    )
    if args.command == 'backup' and not args.target:
        parser.error('backup needs a FILE to write')
    return args


def run_backup(config: Config, target: str) -> None:
    try:
        size = backup.backup(config.database_url, Path(target))
    except backup.BackupFailed as failure:
        sys.exit(f'kinroll: backup failed: {failure}')
    print(f'backup written to {target} ({size} bytes), integrity check ok')


def serve_after(start: Callable[[], Awaitable[None]], *, then_close: Callable[[], Awaitable[None]]) -> None:
    """Run start before the first request is served (app.on_startup would run it beside them), close last.

    Always wraps NiceGUI's own lifespan, never an earlier wrapper: the test runner executes this file
    once per test in one process.
    """
    nicegui_lifespan = getattr(app.router.lifespan_context, 'nicegui_lifespan', app.router.lifespan_context)

    @asynccontextmanager
    async def lifespan(application):
        await start()
        try:
            async with nicegui_lifespan(application) as state:
                yield state
        finally:
            await then_close()

    lifespan.nicegui_lifespan = nicegui_lifespan  # type: ignore[attr-defined]
    app.router.lifespan_context = lifespan


def main() -> None:
    args = parse_args(sys.argv[1:])
    try:
        config = Config.from_env(demo=args.demo)
    except ConfigError as error:
        sys.exit(f'kinroll: {error}')
    if args.command == 'backup':
        run_backup(config, args.target)
        return
    if config.log_format == 'json':
        use_json_logs()
    if config.redis_url:
        Storage.redis_url = config.redis_url  # browser storage shared by every process
    relay = RedisRelay(config.redis_url, events.bus) if config.redis_url else None

    worker = outbox.OutboxWorker()
    cleaner = housekeeping.daily_clean_up()
    resolver = payments.pending_payment_resolver()

    async def start() -> None:
        await db.open_database(config.database_url)
        await settings.ensure_settings(config)
        if relay:
            await relay.start()
        codes.use_key(config.secret)
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
        worker.start()
        cleaner.start()
        resolver.start()
        if args.demo and await demo.seed():
            logging.getLogger('kinroll').info('demo studio loaded')
        if args.demo:
            print(
                f'Demo parent: {demo.DEMO_PARENT_EMAIL} / {demo.DEMO_PARENT_PASSWORD}\n'
                f'Demo staff:  {demo.DEMO_STAFF_EMAIL} / {demo.DEMO_STAFF_PASSWORD}  (console at /staff)\n'
                f'             authenticator secret {demo.DEMO_STAFF_TOTP_SECRET}; codes also print with\n'
                '             .venv/bin/python -c "import pyotp; '
                f"print(pyotp.TOTP('{demo.DEMO_STAFF_TOTP_SECRET}').now())\"",
                flush=True,
            )
        speedups.settle_heap()  # last: what start-up loaded is kept out of the collector's way

    async def stop() -> None:
        """A graceful stop: saves in progress finish, queued messages go out, then the database closes."""
        await resolver.stop()
        await cleaner.stop()
        await unit_of_work.drain()
        await worker.stop()
        if relay:
            await relay.stop()
        await db.close_database()

    serve_after(start, then_close=stop)

    icons.install()  # every icon as an inline SVG: no icon font to download
    styles.install()  # the stylesheet and the studio's colour, once for every page
    speedups.install()  # measured speed-ups: signature inspection, tab storage, the garbage collector
    security_headers.install(config)  # CSP, no framing, nosniff; the websocket answers only the portal's origin
    import pages.endpoints.health
    import pages.endpoints.payment_webhooks
    import pages.portal.contacts
    import pages.portal.dashboard
    import pages.portal.messages
    import pages.portal.participants
    import pages.portal.payments
    import pages.portal.policies
    import pages.portal.security
    import pages.public.register
    import pages.public.sign_in
    import pages.staff.console
    import pages.staff.families
    import pages.staff.registration
    import pages.staff.settings  # noqa: F401

    ui.run(
        host=config.host,
        port=config.port,
        title='Kinroll',
        storage_secret=config.secret,
        # the browser's cookie: HttpOnly always (Starlette), SameSite=Lax, Secure when served over HTTPS
        session_middleware_kwargs={'same_site': 'lax', 'https_only': config.https},
        reload=False,
        show=False,
        favicon='🎒',
        tailwind=False,  # components/styles.py writes out the few utility classes Kinroll uses
        language='en-US',
        uvicorn_logging_level=os.environ.get('PORTAL_LOG_LEVEL', 'warning'),
    )


if __name__ in {'__main__', '__mp_main__'}:
    main()
