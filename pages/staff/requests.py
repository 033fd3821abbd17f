"""The staff's queue of what families asked for: drops, transfers, trials and enrolment requests, the waiting ones
first and oldest first. Tapping a row opens its decision: approve or decline, with a message to the family."""

from __future__ import annotations

from nicegui import ui

from components.forms import show_errors
from components.guards import staff_page
from components.i18n import _, current_language, day, moment, money
from components.staff_frame import recount_requests, staff_frame
from domain.access.actors import StaffActor
from domain.classes import requests
from domain.classes.enrolment import NotEligible
from domain.classes.requests import KIND_NAMES, AlreadyDecided, AlreadyLeft, NoPlace, RequestLine, TrialDayPassed
from domain.errors import NotFound, ValidationFailed
from domain.i18n import N_
from domain.models import RequestStatus

STATUSES = {
    RequestStatus.PENDING: N_('Waiting'),
    RequestStatus.APPROVED: N_('Approved'),
    RequestStatus.DECLINED: N_('Declined'),
    RequestStatus.CANCELLED: N_('Cancelled by the family'),
}


@staff_page('/staff/requests', title=N_('Requests'))
async def requests_page(staff: StaffActor):
    lines: dict[int, RequestLine] = {}
    chosen: dict[str, RequestLine | None] = {'line': None}

    def open_decision(event) -> None:
        line = lines.get(int(event.args[1]['id']))
        if line is None:
            return
        chosen['line'] = line
        what = _(KIND_NAMES[line.kind])
        course = f'{line.course} → {line.target}' if line.target else line.course
        summary.text = f'{what}: {line.child} ({line.family}) · {course} · {day(line.on_date)}'
        details.clear()
        with details:
            for label, value in _details(line):
                with ui.row().classes('w-full gap-2 no-wrap'):
                    ui.label(label).classes('text-sm text-gray-700 shrink-0')
                    ui.label(value).classes('text-sm break-words whitespace-pre-wrap min-w-0')
        pending = line.status == RequestStatus.PENDING
        message.value = ''
        message.error = None
        message.set_visibility(pending)
        approve_button.set_visibility(pending)
        decline_button.set_visibility(pending)
        decided.text = '' if pending else line.decision_message
        dialog.open()

    async def decide(approved: bool) -> None:
        line = chosen['line']
        if line is None:
            return
        if not approved and not (message.value or '').strip():
            message.error = _(requests.DECLINE_NEEDS_WHY)
            return
        decision = requests.approve if approved else requests.decline
        try:
            await decision(staff, line.id, message.value or '')
        except ValidationFailed as failure:
            show_errors({'message': message}, failure.errors)
            return
        except (AlreadyDecided, NotFound):
            ui.notify(_(AlreadyDecided.MESSAGE), type='warning')
            dialog.close()
            table.refresh()
            await recount_requests()
            return
        except NoPlace as full:
            ui.notify(_(NoPlace.MESSAGE).format(name=full.name), type='warning', multi_line=True)
            return
        except NotEligible as refused:
            language = current_language()
            said = '; '.join(r.text(language) for reasons in refused.reasons.values() for r in reasons)
            ui.notify(said, type='warning', multi_line=True)
            return
        except (AlreadyLeft, TrialDayPassed) as failure:
            ui.notify(_(failure.MESSAGE), type='warning', multi_line=True)
            return
        else:
            done = (
                _('Approved: the family is told by email') if approved else _('Declined: the family is told by email')
            )
            ui.notify(done, type='positive')
        dialog.close()
        table.refresh()
        await recount_requests()

    with staff_frame(_('Requests'), staff):
        ui.label(_('Tap a request to approve or decline it. The family is told by email, with your message.')).classes(
            'text-sm text-gray-700'
        )

        @ui.refreshable
        async def table() -> None:
            lines.clear()
            queue = await requests.queue(staff)
            lines.update({line.id: line for line in queue})
            columns = [
                {'name': c, 'label': label, 'field': c, 'align': 'left'}
                for c, label in (
                    ('asked', _('Asked')),
                    ('status', _('Status')),
                    ('kind', _('Request')),
                    ('child', _('Student')),
                    ('course', _('Class')),
                    ('date', _('Date')),
                    ('reason', _('Reason')),
                    ('note', _('Note')),
                )
            ]
            rows = [
                {
                    'id': line.id,
                    'asked': moment(line.created_at),
                    'status': _(STATUSES[line.status]),
                    'kind': _(KIND_NAMES[line.kind]),
                    'family': line.family,
                    'child': line.child,
                    'course': f'{line.course} → {line.target}' if line.target else line.course,
                    'date': day(line.on_date),
                    'reason': _(line.reason) if line.reason else '',
                    'note': line.note,
                }
                for line in queue
            ]
            shown = (
                ui.table(columns=columns, rows=rows, row_key='id')
                .props('flat bordered dense wrap-cells')
                .classes('w-full')
            )
            shown.mark('queue')
            shown.on('row-click', open_decision)
            if not rows:
                ui.label(_('Nothing to decide.')).classes('text-gray-700').mark('empty-queue')

        await table()

    with ui.dialog() as dialog, ui.card().classes('w-96').mark('decision'):
        summary = ui.label('').classes('font-medium break-words')
        details = ui.column().classes('w-full gap-1').mark('details')
        decided = ui.label('').classes('text-sm break-words')
        message = (
            ui.textarea(_('Message to the family (needed to decline)')).props('outlined autogrow').classes('w-full')
        )
        message.mark('message')
        with ui.row().classes('w-full justify-end gap-2'):
            ui.button(_('Close'), on_click=dialog.close).props('flat')
            decline_button = ui.button(_('Decline'), on_click=lambda: decide(False)).props('outline color=negative')
            decline_button.mark('decline')
            approve_button = ui.button(_('Approve'), on_click=lambda: decide(True)).props('unelevated color=primary')
            approve_button.mark('approve')


def _details(line: RequestLine) -> list[tuple[str, str]]:
    """What the desk weighs before deciding: the family's reason and note, and what a drop or transfer changes."""
    shown = []
    if line.target:
        shown.append((_('To class'), line.target))
    if line.reason:
        shown.append((_('Reason'), _(line.reason)))
    if line.last_class is not None:
        shown.append((_('Last class'), day(line.last_class)))
    if line.credit:
        shown.append((_('Credit due'), money(line.credit)))
    if line.note:
        shown.append((_('Note'), line.note))
    return shown
