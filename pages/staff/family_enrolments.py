"""A family's classes as staff see them on the family page: each child's enrolments with a drop button, and
enrolling a child at the desk, past the age limits only with a typed reason.

The family page shows `enrolments_panel(staff, file, enrolable_labels(file))` under its participants.
"""

from __future__ import annotations

import datetime as dt

from nicegui import ui

from components.class_labels import schedule_text
from components.forms import confirm_dialog, show_errors
from components.i18n import _, current_language, day, ngettext
from domain.access.actors import StaffActor
from domain.classes import enrolment
from domain.classes.enrolment import NotEligible
from domain.errors import DomainError, ValidationFailed
from domain.family.directory import FamilyFile
from domain.models import Enrolment, Participant
from domain.studio import settings


def enrolable_labels(file: FamilyFile) -> dict[int, str]:
    """Each class the desk may choose, as it is told apart on the phone: "Jazz 1 · Tue 4:00 PM–5:00 PM · 6 places
    left" (or Full)."""
    labels = {}
    for offered in file.enrolable:
        left = offered.openings
        places = ngettext('{count} place left', '{count} places left', left).format(count=left) if left else _('Full')
        when = schedule_text(offered.patterns)
        labels[offered.course.id] = ' · '.join(part for part in (offered.course.name, when, places) if part)
    return labels


def enrolments_panel(staff: StaffActor, file: FamilyFile, labels: dict[int, str]) -> ui.column:
    with ui.column().classes('w-full gap-4').mark('enrolments') as panel:
        for child in file.participants:
            theirs = [e for e in file.enrolments if e.participant_id == child.id]
            with ui.card().classes('w-full max-w-3xl').mark(f'enrolments-{child.id}'):
                ui.label(child.full_name).classes('font-semibold')
                if not theirs:
                    ui.label(_('Not enrolled in any class')).classes('text-gray-700')
                for one in theirs:
                    enrolment_row(staff, one)
                enrol_form(staff, child, labels)
    return panel


def _status(one: Enrolment, today: dt.date) -> str:
    if one.dropped_on is not None and one.dropped_on <= today:
        return _('Dropped {day}').format(day=day(one.dropped_on))
    if one.dropped_on is not None:
        return _('Drops {day}').format(day=day(one.dropped_on))
    if one.starts_on > today:
        return _('Starts {day}').format(day=day(one.starts_on))
    return _('Enrolled since {day}').format(day=day(one.starts_on))


def enrolment_row(staff: StaffActor, one: Enrolment) -> ui.row:
    today = settings.today()

    async def drop() -> None:
        try:
            await enrolment.drop_by_staff(staff, one.id, dt.date.fromisoformat(drop_on.value or today.isoformat()))
        except ValidationFailed as failure:
            confirm.close()
            show_errors({'dropped_on': drop_on}, failure.errors)
            return
        except (DomainError, ValueError):
            confirm.close()
            ui.notify(_('Enter the date as year-month-day'), type='warning')
            return
        ui.navigate.reload()

    with ui.row().classes('w-full items-center gap-3 wrap') as row:
        ui.label(one.course.name).classes('font-medium')
        ui.label(_status(one, today)).classes('text-gray-700')
        if one.dropped_on is None:
            drop_on = ui.input(_('Drop from'), value=max(today, one.starts_on).isoformat()).props(
                'outlined dense stack-label type=date'
            )
            question = _('Drop this child from {name}?').format(name=one.course.name)
            confirm = confirm_dialog(question, _('Drop'), drop, danger=True, marker=f'drop-{one.id}')
            ui.button(_('Drop'), on_click=confirm.open).props('flat color=negative')
    return row


def enrol_form(staff: StaffActor, child: Participant, labels: dict[int, str]) -> ui.expansion:
    async def enrol() -> None:
        try:
            await enrolment.enrol_by_staff(
                staff, child.id, int(course.value or 0), age_override_reason=reason.value or ''
            )
        except NotEligible as refused:
            said = [r.text(current_language()) for reasons in refused.reasons.values() for r in reasons]
            problems.text = ' · '.join(said)
            problems.set_visibility(True)
            reason.set_visibility(any(r.is_age for reasons in refused.reasons.values() for r in reasons))
            return
        except DomainError as refused:
            problems.text = _(refused.MESSAGE).format(**vars(refused))
            problems.set_visibility(True)
            return
        ui.navigate.reload()

    with ui.expansion(_('Enrol in a class'), icon='add').classes('w-full') as form:
        course = (
            ui.select(labels, label=_('Class'), with_input=True).props('outlined dense stack-label').classes('w-72')
        )
        reason = ui.input(_('Reason to enrol outside the age limits')).props('outlined dense stack-label')
        reason.classes('w-full')
        reason.set_visibility(False)
        problems = ui.label('').classes('text-negative').props('role=alert')
        problems.set_visibility(False)
        ui.button(_('Enrol'), on_click=enrol).props('unelevated color=primary')
    return form
