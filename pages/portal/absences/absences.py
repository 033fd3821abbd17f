"""Absences and makeups, on one phone screen: the studio's closed dates first, then the form that reports an
absence (one child or several, one class or every class, a day or a range of days), the family's absences with
Cancel, and its makeup credits with Book a makeup (pages/portal/absences/makeups.py). A contact staff did not
allow to manage absences sees the lists without a button, and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import NamedTuple

from nicegui import ui

from components.forms import show_errors, text_field
from components.frame import heading, portal_frame
from components.guards import parent_page
from components.i18n import _, ngettext, time_of_day, weekday_day
from domain.absences import absences, rights
from domain.absences.absences import (
    CHOOSE_CHILD,
    TOO_FAR_AHEAD,
    AbsenceLine,
    AbsenceStarted,
    ChildDays,
    MeetingDay,
)
from domain.absences.makeups import family_credits
from domain.absences.rights import AbsencesOff, NotAllowedAbsences
from domain.absences.rules import REASON_NAMES, CreditRule
from domain.access.actors import Actor
from domain.errors import NotFound, ValidationFailed
from domain.i18n import N_
from domain.models import CreditStatus
from domain.studio import settings
from pages.portal.absences import makeups

PAGE = '/portal/absences'
EVERY_CLASS = 'every'  # the class select's first choice: every class the chosen children have
CHOOSE_DAY = N_('Choose the day')
PREVIEW_LINES = 6  # meetings listed before "and N more": the range can cover weeks of classes
ABSENCE_CREDITS = {
    CreditStatus.PENDING: N_('Makeup credit: waiting for the studio'),
    CreditStatus.AVAILABLE: N_('Makeup credit issued'),
    CreditStatus.BOOKED: N_('Makeup credit issued'),
    CreditStatus.USED: N_('Makeup credit issued'),
    CreditStatus.EXPIRED: N_('Makeup credit issued'),
    CreditStatus.REVOKED: N_('Makeup credit withdrawn'),
    CreditStatus.REFUSED: N_('No makeup credit'),
}


class Covered(NamedTuple):
    """One meeting the form would report."""

    child: str
    course: str
    meeting: MeetingDay


def refusal(failure: Exception) -> str:
    """Why an action was refused, in the reader's language."""
    if isinstance(failure, NotAllowedAbsences | AbsencesOff | AbsenceStarted):
        return _(failure.message)
    return _('This absence is no longer there. The list is up to date again.')


@parent_page(PAGE)
async def absences_page(actor: Actor):
    with portal_frame(_('Absences and makeups'), actor, back='/portal'):
        await _closures()

        @ui.refreshable
        async def shown() -> None:
            allowed = await rights.may_manage(None, actor)  # read afresh: an untick shows at the next refresh
            if not allowed:
                ui.label(_(NotAllowedAbsences.MESSAGE)).classes('bg-white rounded p-3 border break-words').mark(
                    'read-only'
                )
            credits = await family_credits(actor)
            # a credit to book or a makeup ahead is what a parent coming from the dashboard's tile looks for
            to_act_on = any(c.status in (CreditStatus.AVAILABLE, CreditStatus.BOOKED) for c in credits)
            if to_act_on:
                makeups.credit_list(actor, credits, allowed, shown.refresh)
            if allowed:
                await _report_section(actor, shown.refresh)
            await _absence_list(actor, allowed, shown.refresh)
            if not to_act_on:
                makeups.credit_list(actor, credits, allowed, shown.refresh)

        await shown()


async def _closures() -> None:
    """The studio's closed dates ahead: nothing can be reported or booked on them, and families plan around them."""
    closed = await absences.upcoming_closures()
    if not closed:
        return
    with ui.column().classes('w-full gap-1 bg-white rounded p-3 border').mark('closures') as notice:
        notice.props['role'] = 'note'
        for day, name in closed:
            said = _('The studio is closed on {day}').format(day=weekday_day(day))
            ui.label(f'{said}: {name}' if name else said).classes('break-words font-medium')
        ui.label(_('No absences or makeups on closed dates.')).classes('text-sm text-gray-700 break-words')


async def _report_section(actor: Actor, refresh: Callable) -> None:
    heading(_('Report an absence'), 2)
    if not settings.current().absences.reported:
        ui.label(_(AbsencesOff.MESSAGE)).classes('text-gray-700 break-words').mark('reporting-off')
        return
    children = await absences.report_choices(actor)
    if not any(child.classes for child in children):
        ui.label(_('None of your children has a class coming up to report an absence from.')).classes(
            'text-gray-700 break-words'
        ).mark('nothing-to-report')
        return
    ReportForm(actor, [child for child in children if child.classes], refresh)


class ReportForm:
    """Children as checkboxes, "Every class" or one of theirs, a day or a range, the reason and a note; the meetings
    it covers are listed before it is sent, each saying whether it is already reported or too late for a credit."""

    def __init__(self, actor: Actor, children: list[ChildDays], refresh: Callable) -> None:
        self.actor, self.children, self.refresh = actor, children, refresh
        with ui.column().classes('w-full gap-2 bg-white rounded p-3 shadow-sm').mark('report-form'):
            ui.label(_('Who will miss class')).classes('font-medium')
            self.kids = {
                child.participant_id: ui.checkbox(
                    child.first_name, value=len(children) == 1, on_change=self.update
                ).mark(f'child-{child.participant_id}')
                for child in children
            }
            self.kids_error = ui.label('').classes('text-negative text-sm').mark('children-error')
            self.kids_error.props['role'] = 'alert'
            self.course = (
                ui.select({EVERY_CLASS: _('Every class')}, value=EVERY_CLASS, label=_('Class'), on_change=self.update)
                .props('outlined')
                .classes('w-full')
                .mark('course')
            )
            self.several = ui.checkbox(_('Several days'), on_change=self.update).mark('several-days')
            # empty on purpose: a day filled in for the parent is reported by a tap that meant something else
            self.first_day = text_field(_('Day'), '', kind='date').mark('first-day')
            self.first_day.on_value_change(self.update)
            self.last_day = text_field(_('Last day'), '', kind='date').mark('last-day')
            self.last_day.on_value_change(self.update)
            self.reason = (
                ui.select({r.value: _(name) for r, name in REASON_NAMES.items()}, label=_('Reason'))
                .props('outlined')
                .classes('w-full')
                .mark('reason')
            )
            self.note = ui.textarea(_('Note for the studio (optional)')).props('outlined autogrow').classes('w-full')
            self.note.mark('note')
            with ui.column().classes('w-full gap-1').mark('report-preview') as self.preview:
                self.preview.props['aria-live'] = 'polite'
            ui.button(_('Report the absence'), on_click=self.send).props('unelevated no-caps color=primary').classes(
                'w-full'
            ).mark('report')
        self.update()

    def chosen(self) -> list[int]:
        return [kid for kid, box in self.kids.items() if box.value]

    def _meetings(self) -> list[Covered]:
        """(child, class, meeting) for the chosen children and class."""
        kids = set(self.chosen())
        course = None if self.course.value in (None, EVERY_CLASS) else int(self.course.value)
        return sorted(
            (
                Covered(child.first_name, place.course, meeting)
                for child in self.children
                if child.participant_id in kids
                for place in child.classes
                if course is None or place.course_id == course
                for meeting in place.days
            ),
            key=lambda covered: (covered.meeting.date, covered.meeting.start, covered.child),
        )

    def _days(self) -> tuple[dt.date | None, dt.date | None]:
        first, last = _date(self.first_day.value), _date(self.last_day.value)
        return first, (last if self.several.value else None)

    def update(self) -> None:
        """Offer the chosen children's classes, show the last day only for a range, and list what is covered."""
        kids = set(self.chosen())
        classes = {
            str(place.course_id): place.course
            for child in self.children
            if child.participant_id in kids
            for place in child.classes
        }
        options = {EVERY_CLASS: _('Every class'), **dict(sorted(classes.items(), key=lambda item: item[1]))}
        if options != self.course.options:
            self.course.set_options(options, value=self.course.value if self.course.value in options else EVERY_CLASS)
        self.first_day.props['label'] = _('First day') if self.several.value else _('Day')
        self.last_day.set_visibility(bool(self.several.value))
        self._show_preview()

    def _show_preview(self) -> None:
        first, last = self._days()
        self.preview.clear()
        if first is None or not self.chosen():
            return
        covered = [c for c in self._meetings() if first <= c.meeting.date <= (last or first)]
        rules = settings.current().absences
        late_loses_credit = rules.earns_credit(in_time=True) is True and rules.earns_credit(in_time=False) is False
        new = sum(not c.meeting.reported for c in covered)
        with self.preview:
            if not covered:
                ui.label(_('No class of theirs meets on these days.')).classes('text-sm text-gray-700 break-words')
                return
            said = (
                ngettext('This reports {count} class:', 'This reports {count} classes:', new).format(count=new)
                if new
                else _('These classes are reported already:')
            )
            ui.label(said).classes('text-sm font-medium').mark('report-count')
            for child, course, meeting in covered[:PREVIEW_LINES]:
                said = f'{child} · {course} · {weekday_day(meeting.date)}, {time_of_day(meeting.start)}'
                if meeting.reported:
                    said += ' · ' + _('already reported')
                elif late_loses_credit and not meeting.in_time:
                    said += ' · ' + _('too late for a makeup credit')
                ui.label(said).classes('text-sm break-words')
            if len(covered) > PREVIEW_LINES:
                more = len(covered) - PREVIEW_LINES
                ui.label(ngettext('and {count} more', 'and {count} more', more).format(count=more)).classes(
                    'text-sm text-gray-700'
                )

    async def send(self) -> None:
        fields = {
            'course_id': self.course,
            'first_day': self.first_day,
            'last_day': self.last_day,
            'reason': self.reason,
            'note': self.note,
        }
        kids = self.chosen()
        first, last = self._days()
        self.kids_error.text = ''
        if not kids:
            self.kids_error.text = _(CHOOSE_CHILD)
            show_errors(fields, {})
            return
        if first is None:
            show_errors(fields, {'first_day': CHOOSE_DAY})
            return
        if self.several.value and last is None:
            show_errors(fields, {'last_day': CHOOSE_DAY})
            return
        course = None if self.course.value in (None, EVERY_CLASS) else int(self.course.value)
        try:
            reported = await absences.report(
                self.actor,
                participant_ids=kids,
                course_id=course,
                first_day=first,
                last_day=last,
                reason=self.reason.value or '',
                note=self.note.value or '',
            )
        except ValidationFailed as failure:
            errors = dict(failure.errors)
            if message := errors.pop('participant_ids', None):
                self.kids_error.text = _(message)
            if not self.several.value:  # one day: the hidden last day is that day, its message is the day's
                errors.setdefault('first_day', errors.pop('last_day', ''))
            show_errors(fields, {name: _said(message) for name, message in errors.items() if message})
            return
        except (NotAllowedAbsences, AbsencesOff, AbsenceStarted, NotFound) as failure:
            ui.notify(refusal(failure), type='warning', multi_line=True)
            self.refresh()
            return
        count = len(reported)
        said = ngettext('{count} absence reported', '{count} absences reported', count).format(count=count)
        ui.notify(said if count else _('These classes were reported already'), type='positive')
        self.refresh()


def _said(message: str) -> str:
    """A field's message, translated; the limit of days ahead said with its number and its last day."""
    if message != TOO_FAR_AHEAD:
        return _(message)
    days = settings.current().absences.ahead_days
    return ngettext(
        'The studio takes absences up to {days} day ahead: until {day}',
        'The studio takes absences up to {days} days ahead: until {day}',
        days,
    ).format(days=days, day=weekday_day(settings.today() + dt.timedelta(days=days)))


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:  # a browser without a date picker lets anything be typed
        return None


async def _absence_list(actor: Actor, allowed: bool, refresh: Callable) -> None:
    heading(_('Reported absences'), 2)
    lines = await absences.family_absences(actor)
    if not lines:
        ui.label(_('No absences reported.')).classes('text-gray-700').mark('no-absences')
    for line in lines:
        _absence_card(actor, line, allowed, refresh)


def _absence_card(actor: Actor, line: AbsenceLine, allowed: bool, refresh: Callable) -> None:
    with ui.column().classes('w-full gap-1 bg-white rounded p-3 shadow-sm').mark(f'absence-{line.id}'):
        ui.label(f'{line.child} · {line.course}').classes('font-medium break-words')
        reason = _('Excused by the studio') if line.by_studio else _(REASON_NAMES[line.reason])
        ui.label(f'{weekday_day(line.date)}, {time_of_day(line.start)} · {reason}').classes('text-sm break-words')
        if line.note:
            ui.label(line.note).classes('text-sm text-gray-700 break-words')
        said = _('Reported by {name}').format(name=line.reported_by)
        if not line.in_time:
            late_loses_credit = settings.current().absences.credit == CreditRule.IN_TIME and line.credit is None
            said += ' · ' + (
                _('after the notice time, so no makeup credit') if late_loses_credit else _('after the notice time')
            )
        ui.label(said).classes('text-sm text-gray-700 break-words').mark(f'absence-reported-{line.id}')
        if line.credit is not None:
            ui.label(_(ABSENCE_CREDITS[line.credit])).classes('text-sm').mark(f'absence-credit-{line.id}')
        if allowed and line.cancellable:
            dialog = _cancel_dialog(actor, line, refresh)
            ui.button(_('Cancel the absence'), on_click=dialog.open).props('flat no-caps color=negative').mark(
                f'ask-cancel-absence-{line.id}'
            )


def _cancel_dialog(actor: Actor, line: AbsenceLine, refresh: Callable) -> ui.dialog:
    async def cancel() -> None:
        dialog.close()
        try:
            await absences.cancel(actor, line.id)
        except (NotAllowedAbsences, AbsencesOff, AbsenceStarted, NotFound) as failure:
            ui.notify(refusal(failure), type='warning', multi_line=True)
        else:
            ui.notify(_('Absence cancelled: {child} is expected in class').format(child=line.child), type='positive')
        refresh()

    question = _('Cancel the absence? {child} comes to {course} on {day} after all.').format(
        child=line.child, course=line.course, day=weekday_day(line.date)
    )
    with ui.dialog() as dialog, ui.card().classes('w-full max-w-sm').mark(f'cancel-absence-{line.id}'):
        dialog.props['aria-label'] = _('Cancel the absence')
        ui.label(question).classes('break-words')
        with ui.row().classes('w-full justify-end gap-2 wrap'):
            ui.button(_('Keep it'), on_click=dialog.close).props('flat no-caps color=primary')
            ui.button(_('Cancel the absence'), on_click=cancel).props('unelevated no-caps color=negative')
    return dialog
