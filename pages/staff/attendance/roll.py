"""One meeting's roster on a phone: a compact row per child (name, a Makeup or Trial chip, the allergy and medical
notes written out under the name beside their icons, the family's reported reason) with Present / Absent /
Late / Excused; "All present", "Undo" back to what was loaded, and Save. Before the class starts the marks can
be chosen but Save waits for the start (it comes on by itself then, keeping the marks). When the studio decides
each credit, the desk and admins grant or refuse a waiting one here."""

from __future__ import annotations

import datetime as dt

from nicegui import ui

from components.forms import save_button
from components.guards import staff_page
from components.i18n import _, moment, time_of_day, weekday_day
from components.staff_frame import staff_frame
from domain import clock
from domain.absences import attendance, credits
from domain.absences.attendance import MeetingRoster, RosterChanged, RosterLine, RosterTooEarly
from domain.absences.credits import CreditDecided
from domain.absences.rules import REASON_NAMES, meeting_start
from domain.access.actors import StaffActor
from domain.errors import NotFound, ValidationFailed
from domain.i18n import N_
from domain.models import AttendanceMark, CreditStatus, RosterRole
from domain.photos import photos
from domain.studio import settings
from pages.staff.classes.missing import no_such_class

MARK_NAMES = {
    AttendanceMark.PRESENT: N_('Present'),
    AttendanceMark.ABSENT: N_('Absent'),
    AttendanceMark.LATE: N_('Late'),
    AttendanceMark.EXCUSED: N_('Excused'),
}
ROLE_NAMES = {RosterRole.MAKEUP: N_('Makeup'), RosterRole.TRIAL: N_('Trial')}
CREDIT_NAMES = {
    CreditStatus.PENDING: N_('Credit awaiting your decision'),
    CreditStatus.AVAILABLE: N_('Credit issued'),
    CreditStatus.BOOKED: N_('Credit booked for a makeup'),
    CreditStatus.USED: N_('Credit used'),
    CreditStatus.EXPIRED: N_('Credit expired'),
    CreditStatus.REVOKED: N_('Credit revoked'),
    CreditStatus.REFUSED: N_('Credit refused'),
}


@staff_page('/staff/attendance/{course_id}/{day}', title=N_('Attendance'), instructors=True)
async def roll_page(staff: StaffActor, course_id: str, day: str):
    try:
        roster = await attendance.meeting_roster(staff, course_id, dt.date.fromisoformat(day))
    except (NotFound, ValueError):
        no_such_class(staff)
        return
    with staff_frame(roster.course, staff):
        ui.link(_('All meetings that day'), f'/staff/attendance?day={roster.date.isoformat()}').classes('kr-link')
        shown = await photos.photo_links_for_staff(staff, [line.participant_id for line in roster.lines])
        RollSheet(staff, roster, {child: links[0] for child, links in shown.items()})


class RollSheet:
    """The roster's rows and the marks chosen on them, against the version they were loaded with."""

    def __init__(self, staff: StaffActor, roster: MeetingRoster, thumbnails: dict[int, str] | None = None) -> None:
        self.staff = staff
        self.thumbnails = thumbnails or {}  # a child's photo beside their name, to know who is who
        self.box = ui.column().classes('w-full max-w-xl gap-2').mark('roll')
        self.show(roster)

    def show(self, roster: MeetingRoster) -> None:
        self.roster = roster
        self.loaded = {line.participant_id: line.mark for line in roster.lines}
        self.toggles: dict[int, ui.toggle] = {}
        self.box.clear()
        with self.box:
            self._summary()
            if not roster.lines:
                ui.label(_('No child is expected at this meeting.')).classes('text-gray-700')
                return
            with ui.row().classes('w-full gap-2'):
                ui.button(_('All present'), on_click=self.all_present).props('outline color=primary no-caps')
                ui.button(_('Undo'), on_click=self.undo).props('flat color=primary no-caps')
            with ui.column().classes('w-full gap-0 bg-white rounded border').mark('children'):
                for line in roster.lines:
                    self._row(line)
            self.problem = ui.label('').classes('text-sm text-negative').props('role=alert').mark('roll-problem')
            self.problem.set_visibility(False)
            self.again = ui.button(_('Reload'), on_click=self.reload).props('outline color=primary no-caps')
            self.again.set_visibility(False)
            if not roster.can_save:
                ui.label(self._too_early()).classes('text-sm text-gray-700').mark('too-early')
            save = save_button(self.save).props('no-caps').mark('save-roll')
            if not roster.can_save:
                save.disable()
                ui.timer(30, self._started)  # Save comes on once the class starts, the marks chosen kept

    def _too_early(self) -> str:
        return _('You can save the roster once the class has started at {time}').format(
            time=time_of_day(self.roster.start)
        )

    async def _started(self) -> None:
        roster = self.roster
        if clock.now() >= meeting_start(roster.date, roster.start, settings.current().timezone):
            await self.reload(keep_marks=True)

    def _summary(self) -> None:
        roster = self.roster
        place = ' · '.join(part for part in (roster.location, roster.room) if part)
        hours = f'{time_of_day(roster.start)}–{time_of_day(roster.end)}'
        ui.label(f'{weekday_day(roster.date)} · {hours} · {place}').classes('text-sm').mark('meeting')
        if roster.taken_at is not None:
            said = _('Saved by {name}, {when}').format(name=roster.taken_by, when=moment(roster.taken_at))
            ui.label(said).classes('text-sm text-gray-700').mark('taken')

    def _row(self, line: RosterLine) -> None:
        child = line.child
        with ui.column().classes('w-full gap-1 px-3 py-2 border').mark(f'child-{line.participant_id}'):
            with ui.row().classes('w-full items-center gap-2 no-wrap'):
                if line.participant_id in self.thumbnails:
                    picture = ui.element('img').style('width:32px;height:32px;border-radius:50%;object-fit:cover')
                    picture.props.update(src=self.thumbnails[line.participant_id], alt='')  # the name says who
                ui.label(child.name).classes('font-medium min-w-0 break-words')
                if line.role in ROLE_NAMES:
                    ui.badge(_(ROLE_NAMES[line.role]), color='primary').props('outline').mark('role')
            if child.has_allergies:
                _alert('warning', _('Allergy: {text}').format(text=_written(child.allergies)), 'allergy')
            if child.has_medical_notes:
                _alert(
                    'medical_information', _('Medical: {text}').format(text=_written(child.medical_notes)), 'medical'
                )
            if line.reason is not None:
                reported = _('Reported absent: {reason}').format(reason=_(REASON_NAMES[line.reason]))
                ui.label(reported + (f' · {line.note}' if line.note else '')).classes(
                    'text-sm text-gray-700 break-words'
                ).mark('reported')
            toggle = ui.toggle({m.value: _(name) for m, name in MARK_NAMES.items()}, value=_value(line.mark))
            toggle.props('dense no-caps spread unelevated toggle-color=primary color=white text-color=primary')
            toggle.classes('w-full').mark('mark')
            toggle.props['aria-label'] = _('Attendance of {name}').format(name=child.name)
            toggle.props['role'] = 'group'  # so a screen reader announces whose marks these are
            self.toggles[line.participant_id] = toggle
            if line.credit is not None:
                self._credit(line)

    def _credit(self, line: RosterLine) -> None:
        assert line.credit is not None
        with ui.row().classes('w-full items-center gap-2').mark('credit'):
            ui.label(_(CREDIT_NAMES[line.credit])).classes('text-sm text-gray-700')
            if line.credit == CreditStatus.PENDING and self.roster.decides_credits and line.credit_id is not None:
                credit_id = line.credit_id
                ui.button(_('Grant'), on_click=lambda: self.decide(credit_id, True)).props(
                    'dense unelevated color=primary no-caps'
                )
                ui.button(_('Refuse'), on_click=lambda: self.decide(credit_id, False)).props(
                    'dense outline color=negative no-caps'
                )

    def all_present(self) -> None:
        """Everyone present, but a child whose family reported an absence keeps what they are marked."""
        reported = {line.participant_id for line in self.roster.lines if line.reason is not None}
        for participant_id, toggle in self.toggles.items():
            if participant_id not in reported:
                toggle.value = AttendanceMark.PRESENT.value

    def undo(self) -> None:
        for participant_id, toggle in self.toggles.items():
            toggle.value = _value(self.loaded[participant_id])

    async def save(self) -> None:
        marks = {pid: toggle.value for pid, toggle in self.toggles.items() if toggle.value}
        if len(marks) < len(self.toggles):
            names = ', '.join(line.child.name for line in self.roster.lines if line.participant_id not in marks)
            self._problem(_('Mark every child on the roster. Not marked yet: {names}').format(names=names))
            return
        roster = self.roster
        try:
            await attendance.save_roll(self.staff, roster.course_id, roster.date, marks, roster.version)
        except RosterChanged:
            self._problem(_(RosterChanged.MESSAGE))
            self.again.set_visibility(True)
            return
        except ValidationFailed as failure:
            self._problem(_(failure.errors.get('marks', failure.message)))
            return
        except RosterTooEarly:
            self._problem(self._too_early())
            return
        except NotFound as refused:
            self._problem(_(refused.message))
            return
        await self.reload()  # the rows rebuilt as saved, under "Saved by …"
        ui.notify(_('Saved'), type='positive')

    async def decide(self, credit_id: int, granted: bool) -> None:
        try:
            if granted:
                await credits.grant(self.staff, credit_id)
            else:
                await credits.refuse(self.staff, credit_id)
        except (CreditDecided, NotFound):
            ui.notify(_(CreditDecided.MESSAGE), type='warning')
        else:
            ui.notify(_('Credit granted') if granted else _('Credit refused'), type='positive')
        await self.reload(keep_marks=True)

    async def reload(self, keep_marks: bool = False) -> None:
        chosen = {pid: toggle.value for pid, toggle in self.toggles.items()} if keep_marks else {}
        roster = await attendance.meeting_roster(self.staff, self.roster.course_id, self.roster.date)
        self.show(roster)
        for participant_id, value in chosen.items():
            if participant_id in self.toggles:
                self.toggles[participant_id].value = value

    def _problem(self, message: str) -> None:
        self.problem.text = message
        self.problem.set_visibility(True)


def _value(mark: AttendanceMark | None) -> str | None:
    return mark.value if mark is not None else None


def _written(text: str) -> str:
    """What the family wrote, on one line that wraps (their line breaks would make the row tall)."""
    return ' '.join(text.split())


def _alert(icon: str, said: str, marker: str) -> None:
    """A health note written out under the child's name, its icon in front as the cue a glance catches."""
    with ui.row().classes('w-full items-start gap-1 no-wrap text-negative').mark(marker):
        ui.icon(icon, size='1.1rem').classes('shrink-0').props('aria-hidden=true')
        ui.label(said).classes('text-sm font-medium min-w-0 break-words').mark(f'{marker}-text')
