"""The family's makeup credits on the Absences and makeups screen: where each came from, where it stands and
until when it can be used; Book a makeup (the meetings with a free seat, by date, with the seats left); and a
booked makeup's Cancel, which says before the tap whether the credit comes back or is used."""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby

from nicegui import ui

from components.frame import heading
from components.i18n import _, current_language, ngettext, time_of_day, weekday_day
from domain import clock, i18n
from domain.absences import makeups
from domain.absences.makeups import CreditLine, CreditNotAvailable, MakeupLine, MakeupOption, SeatGone, TooLate
from domain.absences.rights import NotAllowedAbsences
from domain.access.actors import Actor
from domain.errors import NotFound, ValidationFailed
from domain.i18n import N_
from domain.models import CreditOrigin, CreditStatus, MakeupStatus
from domain.studio import settings

ORIGINS = {
    CreditOrigin.ABSENCE: N_('Reported absence'),
    CreditOrigin.EXCUSED: N_('Excused by the studio'),
    CreditOrigin.CLOSURE: N_('Studio closure'),
}
STATUSES = {
    CreditStatus.AVAILABLE: N_('Available'),
    CreditStatus.BOOKED: N_('Booked for a makeup'),
    CreditStatus.PENDING: N_('Waiting for the studio to decide'),
    CreditStatus.USED: N_('Used'),
    CreditStatus.EXPIRED: N_('Expired'),
    CreditStatus.REVOKED: N_('Withdrawn: the class was attended'),
    CreditStatus.REFUSED: N_('Not granted by the studio'),
}
HELD = (CreditStatus.AVAILABLE, CreditStatus.BOOKED, CreditStatus.PENDING)


def opening(moment) -> str:
    """ "Fri, Dec 11, 9:30 AM": a cut-off, with its weekday."""
    studio = settings.current()
    return i18n.format_opening(moment, studio.timezone, current_language(), studio.phone_region)


def refusal(failure: Exception) -> str:
    if isinstance(failure, NotAllowedAbsences | SeatGone | CreditNotAvailable | TooLate):
        return _(failure.message)  # TooLate says why: booking closed, or the class started
    if isinstance(failure, ValidationFailed):
        return _(next(iter(failure.errors.values())))
    return _(CreditNotAvailable.MESSAGE)


def credit_list(actor: Actor, lines: list[CreditLine], allowed: bool, refresh: Callable) -> None:
    """The credits makeups.family_credits read (the absences above use them too)."""
    heading(_('Makeup credits'), 2)
    if not lines:
        ui.label(_('No makeup credits yet. A missed class may earn one, as the studio’s rules say.')).classes(
            'text-gray-700 break-words'
        ).mark('no-credits')
    for line in lines:
        _credit_card(actor, line, allowed, refresh)


def _credit_card(actor: Actor, line: CreditLine, allowed: bool, refresh: Callable) -> None:
    with ui.column().classes('w-full gap-1 bg-white rounded p-3 shadow-sm').mark(f'credit-{line.id}'):
        ui.label(f'{line.child} · {line.course}').classes('font-medium break-words')
        missed = _('Missed {day}').format(day=weekday_day(line.missed_on))
        ui.label(f'{missed} · {_(ORIGINS[line.origin])}').classes('text-sm break-words')
        ui.label(_status(line)).classes('text-sm font-medium break-words').mark(f'credit-status-{line.id}')
        if line.makeup is not None:
            _makeup_part(actor, line, line.makeup, allowed, refresh)
        if allowed and line.status == CreditStatus.AVAILABLE:
            book_button(actor, line, refresh)


def _status(line: CreditLine) -> str:
    """Where the credit stands, with the day that matters: until when it is usable, or when it ran out."""
    late = line.makeup is not None and line.makeup.status == MakeupStatus.LATE_CANCELLED
    if line.status == CreditStatus.USED and late:
        return _('Used: cancelled after the cut-off')
    if line.status == CreditStatus.EXPIRED and line.expires_on:
        return _('Expired after {day}').format(day=weekday_day(line.expires_on))
    status = _(STATUSES[line.status])
    if line.status in HELD:
        until = _('use by {day}').format(day=weekday_day(line.expires_on)) if line.expires_on else _('no expiry')
        status = f'{status} · {until}'
    return status


def _makeup_part(actor: Actor, credit: CreditLine, makeup: MakeupLine, allowed: bool, refresh: Callable) -> None:
    """The makeup booked with the credit; while it can be cancelled, what cancelling does, said before the tap."""
    when = f'{weekday_day(makeup.date)}, {time_of_day(makeup.start)}'
    said = _('Makeup: {course} · {when}').format(course=makeup.course, when=when)
    if makeup.location:
        said += f' · {makeup.location}'
    if makeup.status == MakeupStatus.CANCELLED:  # a late cancellation is said by the credit's status
        said += ' · ' + _('cancelled')
    ui.label(said).classes('text-sm break-words').mark(f'makeup-{makeup.id}')
    if not (allowed and makeup.cancellable):
        return
    ui.label(_cancel_outcome(makeup)).classes('text-sm text-gray-700 break-words').mark(f'cancel-outcome-{makeup.id}')
    ask = _cancel_dialog(actor, credit, makeup, refresh)
    ui.button(_('Cancel the makeup'), on_click=ask).props('flat no-caps color=negative').mark(
        f'ask-cancel-makeup-{makeup.id}'
    )


def _credit_comes_back(makeup: MakeupLine) -> bool:
    """Asked again when the dialog opens: the page may have stayed open past the cut-off."""
    return makeup.credit_back_if_cancelled and clock.now() < makeup.free_cancel_until


def _cancel_outcome(makeup: MakeupLine) -> str:
    if _credit_comes_back(makeup):
        return _('Cancel before {moment} and the credit comes back.').format(moment=opening(makeup.free_cancel_until))
    return _('Cancelling now uses the credit: free cancellation ended {moment}.').format(
        moment=opening(makeup.free_cancel_until)
    )


def _cancel_dialog(actor: Actor, credit: CreditLine, makeup: MakeupLine, refresh: Callable) -> Callable[[], None]:
    """The question before a makeup is cancelled; what opens it, saying what cancelling does at that moment."""

    async def cancel() -> None:
        dialog.close()
        try:
            returned = await makeups.cancel(actor, makeup.id)
        except (NotAllowedAbsences, TooLate, NotFound) as failure:
            ui.notify(refusal(failure), type='warning', multi_line=True)
        else:
            said = _('Makeup cancelled: the credit is back') if returned else _('Makeup cancelled: the credit is used')
            ui.notify(said, type='positive' if returned else 'info')
        refresh()

    def ask() -> None:
        question.text = _('Cancel {child}’s makeup in {course} on {day}? {outcome}').format(
            child=credit.child, course=makeup.course, day=weekday_day(makeup.date), outcome=_cancel_outcome(makeup)
        )
        dialog.open()

    with ui.dialog() as dialog, ui.card().classes('w-full max-w-sm').mark(f'cancel-makeup-{makeup.id}'):
        dialog.props['aria-label'] = _('Cancel the makeup')
        question = ui.label('').classes('break-words').mark('cancel-makeup-question')
        with ui.row().classes('w-full justify-end gap-2 wrap'):
            ui.button(_('Keep it'), on_click=dialog.close).props('flat no-caps color=primary')
            ui.button(_('Cancel the makeup'), on_click=cancel).props('unelevated no-caps color=negative')
    return ask


def book_button(actor: Actor, credit: CreditLine, refresh: Callable) -> None:
    """ "Book a makeup", whose dialog (the meetings this credit may book) is built on the tap, not with the page."""
    built: list[ui.dialog] = []

    async def open_dialog() -> None:
        if built:
            built.pop().delete()
        booking = BookingDialog(actor, credit, refresh)
        built.append(booking.dialog)
        if await booking.load():
            booking.dialog.open()

    ui.button(_('Book a makeup'), on_click=open_dialog).props('unelevated no-caps color=primary').mark(
        f'book-{credit.id}'
    )


class BookingDialog:
    """The meetings a credit may book, grouped by date, each with its seats left and Book. A seat taken
    meanwhile is said at once, and the list is read again."""

    def __init__(self, actor: Actor, credit: CreditLine, refresh: Callable) -> None:
        self.actor, self.credit, self.refresh_page = actor, credit, refresh
        with ui.dialog() as self.dialog, ui.card().classes('w-full max-w-sm').mark(f'booking-{credit.id}'):
            title = _('Book a makeup for {child}').format(child=credit.child)
            self.dialog.props['aria-label'] = title
            heading(title, 2)
            ui.label(
                _('Credit for {course} · {day}').format(course=credit.course, day=weekday_day(credit.missed_on))
            ).classes('text-sm break-words')
            self.said = ui.label('').classes('text-negative text-sm break-words').mark('booking-said')
            self.said.props['role'] = 'alert'
            self.options = ui.column().classes('w-full gap-2').mark('makeup-options')
            with ui.row().classes('w-full justify-end'):
                ui.button(_('Close'), on_click=self.dialog.close).props('flat no-caps color=primary')

    async def load(self) -> bool:
        """Read the meetings afresh and show them by date; False when the credit cannot book any more."""
        try:
            options = await makeups.makeup_options(self.actor, self.credit.id)
        except (CreditNotAvailable, NotFound) as failure:  # booked or expired meanwhile, elsewhere or by the worker
            ui.notify(refusal(failure), type='warning', multi_line=True)
            self.dialog.close()
            self.refresh_page()
            return False
        self.options.clear()
        with self.options:
            if not options:
                ui.label(_('No class has a free makeup seat for now. Please look again later.')).classes(
                    'text-gray-700 break-words'
                ).mark('no-options')
            for day, same_day in groupby(options, key=lambda option: option.date):
                ui.label(weekday_day(day)).classes('font-semibold')
                for option in same_day:
                    self._option_row(option)
        return True

    def _option_row(self, option: MakeupOption) -> None:
        marker = f'option-{option.course_id}-{option.date.isoformat()}'
        with ui.row().classes('w-full items-center justify-between gap-2 no-wrap').mark(marker):
            with ui.column().classes('gap-0 min-w-0 shrink'):
                ui.label(f'{option.course} · {time_of_day(option.start)}–{time_of_day(option.end)}').classes(
                    'font-medium break-words'
                )
                where = ' · '.join(part for part in (option.location, option.instructor) if part)
                if where:
                    ui.label(where).classes('text-sm text-gray-700 break-words')
                seats = ngettext('{count} seat left', '{count} seats left', option.seats_left)
                ui.label(seats.format(count=option.seats_left)).classes('text-sm')
                if not option.credit_back_if_cancelled:  # said before the one tap that books it
                    ui.label(_('Cancelling this one would use the credit')).classes(
                        'text-sm font-medium break-words'
                    ).mark(f'no-free-cancel-{marker}')
            ui.button(_('Book'), on_click=lambda: self.book(option)).props('unelevated no-caps color=primary').classes(
                'shrink-0'
            ).mark(f'book-{marker}')

    async def book(self, option: MakeupOption) -> None:
        try:
            await makeups.book(self.actor, self.credit.id, option.course_id, option.date)
        except (SeatGone, TooLate) as gone:  # the last seat taken, or booking closed, since the list was read
            said = refusal(gone)
            self.said.text = said
            ui.notify(said, type='warning', multi_line=True)
            await self.load()
            return
        except (NotAllowedAbsences, CreditNotAvailable, ValidationFailed, NotFound) as failure:
            ui.notify(refusal(failure), type='warning', multi_line=True)
            self.dialog.close()
            self.refresh_page()
            return
        self.dialog.close()
        said = _('Makeup booked: {child} · {course} · {day}').format(
            child=self.credit.child, course=option.course, day=weekday_day(option.date)
        )
        ui.notify(said, type='positive', multi_line=True)
        self.refresh_page()
