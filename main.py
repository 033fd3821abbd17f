"""Kinroll's door: read the configuration, open the database, register the pages, serve."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager

from nicegui import app, ui

from domain import access, access_codes, db, demo, housekeeping, outbox, studio
from domain.adapters.mail import ConsoleMailer, SmtpMailer
from domain.adapters.sms import ConsoleSmsSender, HttpSmsSender
from domain.config import Config, ConfigError


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog='main.py', description='Kinroll parent portal')
    parser.add_argument('--demo', action='store_true', help='load the demo studio (idempotent) and allow no secret')
    args, _unknown = parser.parse_known_args(argv)  # the test runner calls this file with its own arguments
    return args


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

    worker = outbox.OutboxWorker()
    cleaner = housekeeping.DailyCleanUp()

    async def start() -> None:
        await db.open_database(config.database_url)
        await studio.ensure_settings(config)
        access_codes.use_key(config.secret)
        access.configure_idle(dt.timedelta(seconds=config.idle_seconds), dt.timedelta(seconds=config.idle_warning_seconds))
        outbox.configure(SmtpMailer(config.mail) if config.mail else ConsoleMailer(),
                         HttpSmsSender(config.sms) if config.sms else ConsoleSmsSender())
        worker.start()
        cleaner.start()
        if args.demo and await demo.seed():
            logging.getLogger('kinroll').info('demo studio loaded')
        if args.demo:
            print(f'Demo parent: {demo.DEMO_PARENT_EMAIL} / {demo.DEMO_PARENT_PASSWORD}\n'
                  f'Demo staff:  {demo.DEMO_STAFF_EMAIL} / {demo.DEMO_STAFF_PASSWORD}  (console at /staff)\n'
                  f'             authenticator secret {demo.DEMO_STAFF_TOTP_SECRET}; codes also print with\n'
                  f'             .venv/bin/python -c "import pyotp; print(pyotp.TOTP(\'{demo.DEMO_STAFF_TOTP_SECRET}\').now())"',
                  flush=True)

    async def stop() -> None:
        await cleaner.stop()
        await worker.stop()
        await db.close_database()

    serve_after(start, then_close=stop)

    import pages.contacts  # noqa: F401  (importing a page module registers its routes)
    import pages.dashboard  # noqa: F401
    import pages.messages  # noqa: F401
    import pages.participants  # noqa: F401
    import pages.payments  # noqa: F401
    import pages.security  # noqa: F401
    import pages.sign_in  # noqa: F401
    import pages.staff  # noqa: F401
    import pages.staff_families  # noqa: F401
    import pages.staff_settings  # noqa: F401

    ui.run(host=config.host, port=config.port, title='Kinroll', storage_secret=config.secret,
           # the browser's cookie: HttpOnly always (Starlette), SameSite=Lax, Secure when served over HTTPS
           session_middleware_kwargs={'same_site': 'lax', 'https_only': config.https},
           reload=False, show=False, favicon='🎒', language='en-US',
           uvicorn_logging_level=os.environ.get('PORTAL_LOG_LEVEL', 'warning'))


if __name__ in {'__main__', '__mp_main__'}:
    main()
