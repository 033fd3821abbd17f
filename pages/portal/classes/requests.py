"""Asking the studio: a drop from a date (with what stops being charged and any credit shown before sending), a
transfer to another class, a trial of a class; and the family's requests with where each stands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from babel.dates import format_date
from nicegui import app, ui

from components.forms import show_errors
from components.frame import heading, not_found, portal_frame
from components.guards import parent_page
from components.i18n import _, current_language, day, money, reader_locale, weekday_day
from domain.access.actors import Actor
from domain.classes import requests
from domain.classes.enrolment import NotEligible
from domain.classes.requests import (
    KIND_NAMES,
    AlreadyDecided,
    DropChoices,
    EnrolledClass,
    NoPlace,
    RequestLine,
    RequestPending,
    TrialsOff,
)
from domain.errors import NotFound, ValidationFailed
from domain.i18n import N_
from domain.models import RequestKind, RequestStatus
from domain.records import checked_id

PAGE = '/portal/classes/requests'
SENT_KEY = 'requests-sent'  # what the requests page says once it opens after a form was sent
STATUSES = {
    RequestStatus.PENDING: N_('Waiting for the studio'),
    RequestStatus.APPROVED: N_('Approved'),
    RequestStatus.DECLINED: N_('Declined'),
    RequestStatus.CANCELLED: N_('Cancelled'),
}


def long_day(value: dt.date) -> str:
    """ "Monday, December 14, 2026", "lunes, 14 de diciembre de 2026": a class's last day, nothing abbreviated."""
    return format_date(value, 'full', locale=reader_locale())


def refusal(failure: Exception) -> str:
    """Why a request was refused, in the reader's language."""
    if isinstance(failure, NotEligible):
        language = current_language()
        return '; '.join(reason.text(language) for reasons in failure.reasons.values() for reason in reasons)
    if isinstance(failure, NoPlace):
        return _(NoPlace.MESSAGE).format(name=failure.name)
    if isinstance(failure, RequestPending | AlreadyDecided | TrialsOff):
        return _(failure.MESSAGE)
    return _('This class is no longer offered.')


def _back_to_requests(said: str) -> None:
    """To the requests list, which says `said` when it opens: a notice shown on the form would leave with it."""
    app.storage.user[SENT_KEY] = said
    ui.navigate.to(PAGE)


@parent_page(PAGE)
async def requests_page(actor: Actor):
    if sent := app.storage.user.pop(SENT_KEY, None):
        ui.notify(sent, type='positive', multi_line=True)
    with portal_frame(_('Drops, transfers and trials'), actor, back='/portal/schedule'):

        @ui.refreshable
        async def shown() -> None:
            overview = await requests.family_overview(actor)
            heading(_('Your classes'), 2)
            if not overview.classes:
                ui.label(_('No classes yet.')).classes('text-gray-700')
            for place in overview.classes:
                _class_row(place)
            ui.link(_('Request a trial from the classes list'), '/portal/classes').classes('kr-link')
            heading(_('Your requests'), 2)
            if not overview.requests:
                ui.label(_('No requests yet.')).classes('text-gray-700').mark('no-requests')
            for line in overview.requests:
                _request_card(actor, line, shown.refresh)

        await shown()


def _class_row(place: EnrolledClass) -> None:
    with ui.column().classes('w-full gap-1 bg-white rounded p-3 shadow-sm').mark(f'class-{place.enrolment_id}'):
        ui.label(f'{place.child} · {place.course}').classes('font-medium break-words')
        if place.pending:
            ui.label(_('A request for this class is waiting for the studio')).classes('text-sm text-gray-700')
            return
        with ui.row().classes('w-full gap-2 wrap'):
            ui.link(_('Drop'), f'{PAGE}/drop/{place.enrolment_id}').classes('kr-link').mark(
                f'drop-{place.enrolment_id}'
            )
            ui.link(_('Transfer'), f'{PAGE}/transfer/{place.enrolment_id}').classes('kr-link').mark(
                f'transfer-{place.enrolment_id}'
            )


def _request_card(actor: Actor, line: RequestLine, refresh: Callable) -> None:
    async def cancel() -> None:
        dialog.close()
        try:
            await requests.cancel_request(actor, line.id)
        except (AlreadyDecided, NotFound):
            ui.notify(_(AlreadyDecided.MESSAGE), type='warning')
        else:
            ui.notify(_('Request cancelled'), type='positive')
        refresh()

    dialog = _cancel_dialog(line, cancel)
    what = _(KIND_NAMES[line.kind])
    with ui.column().classes('w-full gap-1 bg-white rounded p-3 shadow-sm').mark('request'):
        course = f'{line.course} → {line.target}' if line.target else line.course
        ui.label(f'{what}: {line.child} · {course}').classes('font-medium break-words')
        ui.label(_request_day(line)).classes('text-sm break-words').mark(f'request-day-{line.id}')
        if line.reason:
            ui.label(_(line.reason)).classes('text-sm text-gray-700 break-words')
        status = _(STATUSES[line.status])
        said = f'{status} · {day(line.decided_at)}' if line.decided_at else status
        ui.label(said).classes('text-sm font-medium').mark(f'status-{line.id}')
        if line.decision_message:
            ui.label(line.decision_message).classes('text-sm break-words')
        if line.status == RequestStatus.PENDING:
            ui.button(_('Cancel the request'), on_click=dialog.open).props('flat no-caps color=negative').mark(
                f'ask-cancel-{line.id}'
            )


CHOOSE_TARGET = N_('Choose the new class')
CHOOSE_DAY = N_('Choose the first day in the new class')
DAY_SAID = {
    RequestKind.ENROL: N_('Starts {day}'),  # the class's next meeting when it was asked: the desk may start later
    RequestKind.DROP: N_('Drop date: {day}'),
    RequestKind.TRANSFER: N_('First day in the new class: {day}'),
    RequestKind.TRIAL: N_('Trial on {day}'),
}


def _request_day(line: RequestLine) -> str:
    """The request's day, saying what it is: "Drop date: Mon, Feb 15 · last class Mon, Feb 8", "Trial on …"."""
    said = _(DAY_SAID[line.kind]).format(day=weekday_day(line.on_date))
    if line.kind == RequestKind.DROP and line.last_class:
        said += ' · ' + _('last class {day}').format(day=weekday_day(line.last_class))
    return said


CANCEL_QUESTIONS = {
    RequestKind.DROP: N_("Cancel {child}'s drop from {course}?"),
    RequestKind.TRANSFER: N_("Cancel {child}'s move from {course} to {target}?"),
    RequestKind.TRIAL: N_("Cancel {child}'s trial of {course}?"),
    RequestKind.ENROL: N_("Cancel {child}'s request to enrol in {course}?"),
}


def _cancel_dialog(line: RequestLine, on_cancel: Callable) -> ui.dialog:
    """Ask before cancelling, naming the request; "Keep it" is the way out, so no button just says Cancel."""
    question = _(CANCEL_QUESTIONS[line.kind]).format(child=line.child, course=line.course, target=line.target)
    with ui.dialog() as dialog, ui.card().classes('w-full max-w-sm').mark(f'cancel-{line.id}'):
        ui.label(question).classes('break-words')
        with ui.row().classes('w-full justify-end gap-2 wrap'):
            ui.button(_('Keep it'), on_click=dialog.close).props('flat no-caps color=primary')
            ui.button(_('Cancel the request'), on_click=on_cancel).props('unelevated no-caps color=negative')
    return dialog


@parent_page(PAGE + '/drop/{enrolment_id}')
async def drop_page(actor: Actor, enrolment_id: str):
    try:
        wanted = checked_id(enrolment_id)
        choices = await requests.drop_choices(actor, wanted)
    except NotFound:
        not_found(actor)
        return
    title = _('Drop {child} from {course}').format(child=choices.child, course=choices.course)
    with portal_frame(title, actor, back=PAGE):
        if not choices.dates:
            ui.label(_('No date is left for a drop. Please contact the studio.')).mark('no-dates')
            return
        await _drop_form(actor, wanted, choices)


async def _drop_form(actor: Actor, enrolment_id: int, choices: DropChoices) -> None:
    dates = {d.isoformat(): weekday_day(d) for d in choices.dates}

    def chosen_day() -> dt.date:
        return dt.date.fromisoformat(when.value)

    async def preview() -> None:
        on_date = chosen_day()
        last = choices.last_classes.get(on_date)
        last_class.text = _('Last class: {day}').format(day=long_day(last)) if last else _('No class before this date')
        outcome = await requests.drop_preview(actor, enrolment_id, on_date)
        stops.text = _('No longer charged: {amount}').format(amount=money(outcome.stops))
        credit.text = _('Credit to your account: {amount}').format(amount=money(outcome.credit))

    async def send() -> None:
        fields = {'on_date': when, 'reason': reason, 'note': note}
        try:
            request = await requests.request_drop(
                actor, enrolment_id, chosen_day(), reason.value or '', note.value or ''
            )
        except ValidationFailed as failure:
            show_errors(fields, failure.errors)
            return
        except (RequestPending, NotFound) as failure:
            ui.notify(refusal(failure), type='warning', multi_line=True)
            return
        if request.status == RequestStatus.APPROVED:
            _back_to_requests(_('Done: the drop is approved'))
        else:
            _back_to_requests(_('Sent: the studio will answer by email'))

    when = (
        ui.select(dates, value=next(iter(dates)), label=_('Drop date'), on_change=preview)
        .props('outlined')
        .classes('w-full')
        .mark('on_date')
    )
    # a label, not the field's hint: Quasar keeps a hint to one short line, and this one needs two at 360 px
    ui.label(_('The drop date is not attended: the last class is the one before it')).classes(
        'text-sm text-gray-700 break-words'
    ).mark('drop-date-hint')
    last_class = ui.label('').classes('font-medium').mark('last-class')
    reason = (
        ui.select({r: _(r) for r in choices.reasons}, label=_('Reason'))
        .props('outlined')
        .classes('w-full')
        .mark('reason')
    )
    note = ui.textarea(_('Note for the studio')).props('outlined autogrow').classes('w-full')
    note.mark('note')
    with ui.column().classes('w-full gap-1 bg-white rounded p-3').mark('preview'):
        ui.label(_('Before you send')).classes('font-medium')
        stops = ui.label('').classes('text-sm')
        credit = ui.label('').classes('text-sm')
    ui.button(_('Send the drop request'), on_click=send).props('unelevated no-caps color=primary').classes(
        'w-full'
    ).mark('send')
    await preview()


@parent_page(PAGE + '/transfer/{enrolment_id}')
async def transfer_page(actor: Actor, enrolment_id: str):
    try:
        wanted = checked_id(enrolment_id)
        targets = await requests.transfer_targets(actor, wanted)
    except NotFound:
        not_found(actor)
        return
    by_id = {str(target.course_id): target for target in targets}
    with portal_frame(_('Transfer to another class'), actor, back=PAGE):
        if not targets:
            ui.label(_('No other class can take this child now. Please contact the studio.')).mark('no-targets')
            return

        def dates_of(course_id: str) -> dict[str, str]:
            return {d.isoformat(): weekday_day(d) for d in by_id[course_id].dates}

        def pick(event) -> None:
            options = dates_of(event.value) if event.value else {}
            when.set_options(options, value=next(iter(options), None))
            when.set_enabled(bool(options))

        async def send() -> None:
            fields = {'target': target, 'on_date': when, 'note': note}
            if not target.value or not when.value:  # nothing is chosen for the parent: they pick the class
                show_errors(fields, {'target': CHOOSE_TARGET} if not target.value else {'on_date': CHOOSE_DAY})
                return
            try:
                await requests.request_transfer(
                    actor, wanted, int(target.value), dt.date.fromisoformat(when.value), note.value or ''
                )
            except ValidationFailed as failure:
                show_errors(fields, failure.errors)
                return
            except (NotEligible, NoPlace, RequestPending, NotFound) as failure:
                ui.notify(refusal(failure), type='warning', multi_line=True)
                return
            _back_to_requests(_('Sent: the studio will answer by email'))

        target = (
            ui.select({key: t.name for key, t in by_id.items()}, value=None, label=_('New class'), on_change=pick)
            .props('outlined')
            .classes('w-full')
            .mark('target')
        )
        when = (
            ui.select({}, value=None, label=_('First day in the new class'))
            .props('outlined')
            .classes('w-full')
            .mark('on_date')
        )
        when.set_enabled(False)  # its days are the chosen class's
        when.props['hint'] = _('The old class ends the day before')
        note = ui.textarea(_('Note for the studio')).props('outlined autogrow')
        note.classes('w-full').mark('note')
        ui.button(_('Send the transfer request'), on_click=send).props('unelevated no-caps color=primary').classes(
            'w-full'
        ).mark('send')


@parent_page('/portal/classes/{course_id}/trial')
async def trial_page(actor: Actor, course_id: str):
    try:
        wanted = checked_id(course_id)
        choices = await requests.trial_choices(actor, wanted)
    except NotFound:
        not_found(actor)
        return
    except TrialsOff:
        with portal_frame(_('Request a trial'), actor, back='/portal/classes'):
            ui.label(_(TrialsOff.MESSAGE))
        return
    with portal_frame(_('Try {course}').format(course=choices.course), actor, back='/portal/classes'):
        if not choices.children or not choices.dates:
            ui.label(_('None of your children can try this class now.')).mark('no-trial')
            return

        async def send() -> None:
            fields = {'on_date': when, 'note': note}
            try:
                await requests.request_trial(
                    actor, int(child.value), wanted, dt.date.fromisoformat(when.value), note.value or ''
                )
            except ValidationFailed as failure:
                show_errors(fields, failure.errors)
                return
            except (NotEligible, RequestPending, TrialsOff, NotFound) as failure:
                ui.notify(refusal(failure), type='warning', multi_line=True)
                return
            _back_to_requests(_('Sent: the studio will answer by email'))

        kids = {str(kid_id): name for kid_id, name in choices.children}
        child = ui.select(kids, value=next(iter(kids)), label=_('Child')).props('outlined').classes('w-full')
        child.mark('child')
        dates = {d.isoformat(): weekday_day(d) for d in choices.dates}
        when = (
            ui.select(dates, value=next(iter(dates)), label=_('Trial day'))
            .props('outlined')
            .classes('w-full')
            .mark('on_date')
        )
        note = ui.textarea(_('Note for the studio')).props('outlined autogrow')
        note.classes('w-full').mark('note')
        ui.button(_('Send the trial request'), on_click=send).props('unelevated no-caps color=primary').classes(
            'w-full'
        ).mark('send')
