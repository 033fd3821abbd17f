"""The live Parent Portal Log table: paged from the database, new lines pushed in by the event bus."""

from __future__ import annotations

import asyncio
import datetime as dt

from nicegui import context, ui

from components.i18n import _, current_language
from domain import events, i18n, portal_log
from domain.portal_log import LogFilter, LogLine
from domain.studio import settings

BATCH_SECONDS = 0.1  # lines arriving within this long go to the browser in one update


class LiveTable(ui.table, component='live_table.js'):
    """A table whose newest rows can be put on top in the browser without sending the others again.

    A row's family is a link to its staff page when the row names one (`family_page`), shown as text."""

    def prepend(self, rows: list[dict], limit: int) -> None:
        with self.props.suspend_updates():  # kept here for a page that reconnects, not sent
            self.rows[:] = (rows + self.rows)[:limit]
        self.run_method('prepend', rows, limit)


class PortalLogTable:
    def __init__(self) -> None:
        self.language = current_language()  # kept: live lines arrive outside any request
        self.criteria = LogFilter(timezone=settings.current().timezone)
        self.cursors: list[tuple[dt.datetime, int] | None] = []  # where each page shown so far began
        self.next_cursor: tuple[dt.datetime, int] | None = None
        self.lines: list[LogLine] = []
        self.arrived: list[LogLine] = []  # live lines waiting for the next batched update
        columns = [
            {'name': 'when', 'label': _('Date/Time'), 'field': 'when', 'align': 'left'},
            {'name': 'family', 'label': _('Family'), 'field': 'family', 'align': 'left'},
            {'name': 'contact', 'label': _('Contact'), 'field': 'contact', 'align': 'left'},
            {'name': 'user_id', 'label': _('Portal User ID'), 'field': 'user_id', 'align': 'left'},
            {'name': 'email', 'label': _('Contact Email'), 'field': 'email', 'align': 'left'},
            {'name': 'message', 'label': _('Message'), 'field': 'message', 'align': 'left'},
        ]
        self.table = (
            LiveTable(columns=columns, rows=[], row_key='id', pagination=0)
            .props('flat bordered dense wrap-cells hide-pagination')
            .classes('w-full')
        )
        with ui.row().classes('items-center gap-2'):
            self.newer = ui.button(_('Newer'), icon='chevron_left', on_click=self.show_newer).props('flat')
            self.older = ui.button(_('Older'), icon='chevron_right', on_click=self.show_older).props('flat')
        unsubscribe = events.bus.subscribe(events.PORTAL_LOG, self.receive)
        context.client.on_delete(unsubscribe)

    def row(self, line: LogLine) -> dict:
        return {
            'id': line.id,
            'when': i18n.format_moment(line.occurred_at, self.criteria.timezone, self.language),
            'family': line.family_name,
            'family_page': f'/staff/families/{line.family_id}' if line.family_id else '',
            'contact': line.contact_name,
            'user_id': line.user_id,
            'email': line.contact_email,
            'message': line.message,
        }

    async def search(self, criteria: LogFilter) -> None:
        self.criteria = criteria
        self.cursors = []
        await self._load(None)

    async def show_older(self) -> None:
        if self.next_cursor:
            await self._load(self.next_cursor)

    async def show_newer(self) -> None:
        if len(self.cursors) > 1:
            self.cursors.pop()
            await self._load(self.cursors.pop())

    async def _load(self, cursor: tuple[dt.datetime, int] | None) -> None:
        page = await portal_log.search(self.criteria, before=cursor)
        self.cursors.append(cursor)
        self.next_cursor = page.cursor if page.has_more else None
        self._show(page.lines)
        self.newer.set_enabled(len(self.cursors) > 1)
        self.older.set_enabled(self.next_cursor is not None)

    def receive(self, line: LogLine) -> None:
        """A new line anywhere in the portal, for the newest page: batched, so a busy portal sends each
        console a few updates a second instead of one whole table per line."""
        if self.cursors != [None] or not self.criteria.matches(line):
            return
        self.arrived.append(line)
        if len(self.arrived) == 1:
            asyncio.get_running_loop().call_later(BATCH_SECONDS, self._show_arrived)

    def _show_arrived(self) -> None:
        arrived, self.arrived = self.arrived, []
        if self.cursors != [None] or self.table.is_deleted:
            return
        shown = {line.id for line in self.lines}  # a line committed while the page was loading is there already
        newest = [line for line in reversed(arrived) if line.id not in shown]
        if not newest:
            return
        lines = [*newest, *self.lines]
        if len(lines) > portal_log.PAGE_SIZE:
            lines = lines[: portal_log.PAGE_SIZE]
            self.next_cursor = (lines[-1].occurred_at, lines[-1].id)
            self.older.set_enabled(True)
        self.lines = lines
        self.table.prepend([self.row(line) for line in newest], portal_log.PAGE_SIZE)

    def _show(self, lines: list[LogLine]) -> None:
        self.lines = lines
        self.table.rows = [self.row(line) for line in lines]
