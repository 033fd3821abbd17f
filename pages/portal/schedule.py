"""My schedule: the family's classes, makeups and events for the next four weeks, by day, each child reported
absent said so on their meeting, and the private calendar link that puts them on a phone."""

from __future__ import annotations

import contextlib
import datetime as dt

from nicegui import ui

from components.forms import confirm_dialog
from components.frame import heading, portal_frame
from components.guards import parent_page
from components.i18n import _, day, time_of_day, weekday_day
from domain.absences.rules import REASON_NAMES
from domain.access.actors import Actor
from domain.classes import calendar_feeds
from domain.classes.schedule import FamilySchedule, Kind, ScheduleItem, family_schedule
from domain.errors import NotFound
from domain.studio import settings


@parent_page('/portal/schedule')
async def schedule_page(actor: Actor):
    schedule = await family_schedule(actor)
    with portal_frame(_('My schedule'), actor, back='/portal'):
        if not schedule.items and not any(child.classes for child in schedule.children):
            with ui.column().classes('gap-1').mark('no-classes'):
                ui.label(_('No classes yet.'))
                ui.link(_('Browse classes to enrol.'), '/portal/classes').classes('kr-link')
        else:
            _next_meetings(schedule)
            _days(schedule.items)
        _calendar_link(actor, schedule.feed_since)


def _next_meetings(schedule: FamilySchedule) -> None:
    enrolled = [child for child in schedule.children if child.classes or child.next]
    if not enrolled:
        return
    heading(_('Coming up'), 2)
    soonest_first = sorted(
        enrolled, key=lambda c: (c.next.date, c.next.start) if c.next else (dt.date.max, dt.time.max)
    )
    with ui.column().classes('w-full gap-1 bg-white rounded p-3').mark('coming-up'):
        for child in soonest_first:
            if child.next:
                when = f'{weekday_day(child.next.date)}, {time_of_day(child.next.start)}'
                what = child.next.what
                if child.next.kind == Kind.MAKEUP:
                    what = _('{course} (makeup)').format(course=what)
                ui.label(f'{child.first_name}: {what} · {when}').classes('break-words')
            else:
                nothing_ahead = _('no meetings ahead')
                ui.label(f'{child.first_name}: {nothing_ahead}').classes('text-gray-700')
            if child.classes:  # every class they are in, however far off its first meeting
                enrolled_in = _('Enrolled in {classes}').format(classes=', '.join(child.classes))
                ui.label(enrolled_in).classes('text-sm text-gray-700 break-words px-3')
                ui.link(_('Drop or transfer'), '/portal/classes/requests').classes('kr-link text-sm px-3').mark(
                    f'drop-or-transfer-{child.participant_id}'
                )


def _days(items: list[ScheduleItem]) -> None:
    heading(_('The next four weeks'), 2)
    if not items:
        ui.label(_('Nothing in the next four weeks.')).classes('text-gray-700')
    today = settings.today()
    for date in sorted({item.date for item in items}):
        with ui.column().classes('w-full gap-1'):
            heading(_day_heading(date, today), 3)
            for item in (item for item in items if item.date == date):
                _item(item)


def _item(item: ScheduleItem) -> None:
    with ui.column().classes('w-full gap-0 bg-white rounded p-3').mark('schedule-item'):
        with ui.row().classes('w-full items-start justify-between no-wrap gap-2'):
            ui.label(item.what).classes('font-medium break-words min-w-0')
            ui.label(f'{time_of_day(item.start)}–{time_of_day(item.end)}').classes('shrink-0 text-sm')
        if item.kind == Kind.MAKEUP:
            ui.label(_('Makeup: {names}').format(names=', '.join(item.who))).classes('text-sm font-medium')
        elif item.who or not item.absent:
            ui.label(', '.join(item.who) if item.who else _('Whole family')).classes('text-sm')
        if item.absent:
            away = ', '.join(
                _('{child} ({reason})').format(child=a.first_name, reason=_(REASON_NAMES[a.reason]))
                for a in item.absent
            )
            ui.label(_('Absent: {names}').format(names=away)).classes('text-sm text-gray-700 break-words').mark(
                'schedule-absent'
            )
        ui.label(' · '.join(part for part in (item.location, item.room) if part)).classes('text-sm text-gray-700')
        if item.closed:
            closed = _('The studio is closed: no class')
            ui.label(f'{closed} ({item.note})' if item.note else closed).classes('text-sm text-negative')


def _calendar_link(actor: Actor, live_since: dt.datetime | None) -> None:
    """Making the link shows it this once (only its digest is kept); after that the page can only stop it."""
    heading(_('Calendar on your phone'), 2)
    ui.label(_("Subscribe once, and your phone's calendar keeps your family's classes and events up to date."))
    state: dict = {'since': live_since, 'address': None}

    async def make() -> None:
        state['address'] = await calendar_feeds.feed_address(actor)
        section.refresh()

    async def stop() -> None:
        dialog.close()
        with contextlib.suppress(NotFound):  # stopped meanwhile, from another device: the outcome is the same
            await calendar_feeds.revoke_feed(actor)
        state['since'] = state['address'] = None
        ui.notify(_('The calendar link is stopped.'))
        section.refresh()

    dialog = confirm_dialog(
        _('Stop this calendar link? Calendars subscribed to it stop updating.'), _('Stop the link'), stop, danger=True
    )

    @ui.refreshable
    def section() -> None:
        address = state['address']
        if address:
            _fresh_link(address)
        elif state['since']:
            ui.label(_('Your calendar link has been on since {date}.').format(date=day(state['since'])))
            ui.label(_('Lost it? A new link stops the old one.')).classes('text-sm text-gray-700')
        if address or state['since']:
            ui.button(_('Make a new link'), on_click=make).props('outline no-caps color=primary').classes('w-full')
            ui.button(_('Stop this link'), on_click=dialog.open).props('flat no-caps color=negative').classes('w-full')
        else:
            ui.button(_('Make my calendar link'), icon='today', on_click=make).props(
                'unelevated no-caps color=primary'
            ).classes('w-full')

    section()


def _fresh_link(address: str) -> None:
    subscribe = calendar_feeds.webcal(address)
    with ui.column().classes('w-full gap-2 bg-white rounded p-3').mark('calendar-link'):
        ui.label(_('Copy your link now: for your privacy it is shown only this once.')).classes('font-medium')
        _copyable(_('Calendar link (iPhone, Outlook)'), subscribe)
        ui.link(_('Add to my calendar'), subscribe).classes('kr-link')
        _copyable(_('For Google Calendar: Other calendars › From URL'), address)
        ui.label(
            _("Anyone with this link can see your family's schedule. Stop it if it was shared by mistake.")
        ).classes('text-sm text-gray-700')


def _copyable(label: str, value: str) -> None:
    def copy() -> None:
        ui.clipboard.write(value)
        ui.notify(_('Copied'))

    with ui.row().classes('w-full items-end no-wrap gap-2'):
        ui.input(label, value=value).props('readonly dense').classes('flex-1 min-w-0')
        ui.button(_('Copy'), on_click=copy).props('flat no-caps color=primary').classes('shrink-0')


def _day_heading(date: dt.date, today: dt.date) -> str:
    if date == today:
        return _('Today') + f' · {weekday_day(date)}'
    if date == today + dt.timedelta(days=1):
        return _('Tomorrow') + f' · {weekday_day(date)}'
    return weekday_day(date)
