"""A day's class meetings, today's by default: one tile each, to open its roster. Instructors see theirs."""

from __future__ import annotations

import datetime as dt

from nicegui import ui

from components.guards import staff_page
from components.i18n import _, time_of_day, weekday_day
from components.staff_frame import staff_frame
from components.tiles import tile
from domain.absences import attendance
from domain.absences.attendance import MeetingLine
from domain.access.actors import StaffActor
from domain.i18n import N_
from domain.studio import settings


@staff_page('/staff/attendance', title=N_('Attendance'), instructors=True)
async def meetings_page(staff: StaffActor, day: str = ''):
    shown = {'day': _chosen_day(day)}

    with staff_frame(_('Attendance'), staff):
        picker = ui.input(_('Date'), value=shown['day'].isoformat()).props('outlined dense stack-label type=date')
        picker.classes('w-full max-w-sm').mark('day')

        @ui.refreshable
        async def listing() -> None:
            meetings = await attendance.meetings_on(staff, shown['day'])
            ui.label(weekday_day(shown['day'])).classes('font-medium').mark('day-shown')
            if not meetings:
                ui.label(_('No class meets on this day.')).classes('text-gray-700').mark('no-meetings')
            with ui.column().classes('w-full max-w-xl gap-2').mark('meetings'):
                for meeting in meetings:
                    _meeting_tile(meeting)

        async def pick(event) -> None:
            try:
                shown['day'] = dt.date.fromisoformat(event.value or '')
            except ValueError:
                return
            listing.refresh()

        picker.on_value_change(pick)
        await listing()


def _chosen_day(typed: str) -> dt.date:
    try:
        return dt.date.fromisoformat(typed)
    except ValueError:
        return settings.today()


def _meeting_tile(meeting: MeetingLine) -> None:
    hours = f'{time_of_day(meeting.start)}–{time_of_day(meeting.end)}'
    place = meeting.room or meeting.location
    expected = _('Expected: {count}').format(count=meeting.expected)
    state = _('Roster saved') if meeting.taken else _('Not taken yet')
    detail = ' · '.join([hours, place, expected, state])
    target = f'/staff/attendance/{meeting.course_id}/{meeting.date.isoformat()}'
    icon = 'check_circle' if meeting.taken else 'groups'
    tile(meeting.course, detail, target, icon=icon).mark(f'meeting-{meeting.course_id}')
