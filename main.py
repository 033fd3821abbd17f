"""Kinroll's door: read the configuration, hand it to the composition root, register the pages, serve."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from nicegui import app, ui
from nicegui.storage import Storage

from components.setup import icons, not_found, private_files, security_headers, speedups, styles
from domain import wiring
from domain.config import Config, ConfigError
from domain.operations import backup
from pages.endpoints import session as session_doors


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
    private_files.install(config.data_dir)  # the database, backups and browser storage: the service user's only
    if args.command == 'backup':
        run_backup(config, args.target)
        return
    if config.redis_url:
        Storage.redis_url = config.redis_url  # browser storage shared by every process
    portal = wiring.Portal(config, demo=args.demo)

    async def start() -> None:
        await portal.start()
        speedups.settle_heap()  # last: what start-up loaded is kept out of the collector's way

    serve_after(start, then_close=portal.stop)

    icons.install()  # every icon as an inline SVG: no icon font to download
    styles.install()  # the stylesheet and the studio's colour, once for every page
    speedups.install()  # measured speed-ups: signature inspection, tab storage, the garbage collector
    security_headers.install(config)  # CSP, no framing, nosniff; the websocket answers only the portal's origin
    session_doors.install()  # where a sign-in is handed to the browser, and an ended one left
    not_found.install()  # an address that leads nowhere: a translated page with a way back, never a raw 404
    import pages.endpoints.calendar
    import pages.endpoints.files
    import pages.endpoints.health
    import pages.endpoints.payment_webhooks
    import pages.portal.contacts
    import pages.portal.dashboard
    import pages.portal.messages.messages
    import pages.portal.participants
    import pages.portal.payments
    import pages.portal.policies
    import pages.portal.schedule
    import pages.portal.security
    import pages.public.register
    import pages.public.sign_in
    import pages.staff.audit
    import pages.staff.console
    import pages.staff.families
    import pages.staff.registration
    import pages.staff.settings

    # isort: split
    # classes and events (issue 15)
    import pages.portal.classes.browse
    import pages.portal.classes.checkout
    import pages.portal.events.booking
    import pages.staff.classes.catalogue
    import pages.staff.classes.class_editor
    import pages.staff.classes.roster
    import pages.staff.classes.setup
    import pages.staff.events.events

    # isort: split
    # waitlists, drops, transfers, trials and the staff's queue (issue 16)
    import pages.portal.classes.requests
    import pages.portal.classes.waitlists
    import pages.staff.requests

    # isort: split
    # absences and makeups (issue 17)
    import pages.portal.absences.absences

    # isort: split
    # the instructor's roster of each meeting (issue 17)
    import pages.staff.attendance.meetings
    import pages.staff.attendance.roll

    # isort: split
    # what the studio shares: files, photos, the logo, news, resources, its messages (issue 18)
    import pages.endpoints.logo
    import pages.portal.news.news
    import pages.portal.resources.resources
    import pages.staff.messages.messages
    import pages.staff.news.news
    import pages.staff.photos.review
    import pages.staff.resources.resources  # noqa: F401

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
        uvicorn_logging_level=config.log_level,
    )


if __name__ in {'__main__', '__mp_main__'}:
    main()
