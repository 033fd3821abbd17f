"""The parent portal's event dates by day, and booking one for a child or the family.

Each date is one card: its text as escaped HTML (one element: time, place, ages, fee, openings, and for each
child whether they may come and, if not, why), a box per child who may come, and Register. Registering first
shows what will be posted and the event's policies to sign, then books, in one service call.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from babel.dates import format_date, format_skeleton
from nicegui import ui

from components import session
from components.class_labels import about_html, ages_label, hours_text, openings_text, place_text
from components.consent import PolicyConsent
from components.frame import heading, portal_frame
from components.guards import parent_page
from components.i18n import _, current_language, money, ngettext, reader_locale
from domain.access.actors import Actor
from domain.classes import event_booking
from domain.classes.event_booking import CannotRegister, DateFull, EventDate, FamilyEvents
from domain.classes.events import CHOOSE_CHILDREN
from domain.errors import NotFound, ValidationFailed
from domain.registration.policies import Acceptance, PolicyChanged
from domain.studio import settings


@dataclass
class _Booking:
    """What the page shows: the list, a date being confirmed for some children, or a booking done."""

    listing: FamilyEvents
    confirming: EventDate | None = None
    comers: tuple[int, ...] = ()  # the children chosen for the date being confirmed
    booked: list[str] | None = None  # who was registered, as the success message lists them


@parent_page('/portal/events')
async def events_page(actor: Actor):
    state = _Booking(await event_booking.family_events(actor, settings.today()))
    chosen: dict[int, set[int]] = {}  # per date, the children ticked
    consents: dict[int, PolicyConsent] = {}

    async def refresh_list() -> None:
        state.listing, state.confirming = await event_booking.family_events(actor, settings.today()), None
        chosen.clear()
        content.refresh()

    def confirm(date: EventDate, comers: tuple[int, ...]) -> None:
        if not date.for_family and not comers:
            ui.notify(_(CHOOSE_CHILDREN), type='warning')
            return
        state.confirming, state.comers = date, comers
        consents.clear()
        content.refresh()

    def back() -> None:
        state.confirming = None
        content.refresh()

    async def book() -> None:
        date = state.confirming
        assert date is not None
        acceptances = {
            version_id: Acceptance(bool(consent.given.get('accepted')), consent.given.get('typed_name', ''))
            for version_id, consent in consents.items()
        }
        try:
            await event_booking.book_event(
                actor, date.line.occurrence.id, list(state.comers), acceptances, user_agent=session.user_agent()
            )
        except ValidationFailed as failure:
            signed_here = {str(version_id) for version_id in consents}
            if any(key.split('.', 1)[-1] not in signed_here for key in failure.errors):
                ui.notify(_(PolicyChanged.MESSAGE), type='warning')  # a policy changed since the page was built
                await refresh_list()
                return
            for version_id, consent in consents.items():
                box, name = failure.errors.get(f'policy.{version_id}'), failure.errors.get(f'name.{version_id}')
                consent.show_errors(_(box) if box else None, _(name) if name else None)
            return
        except CannotRegister as refused:
            said = '; '.join(problem.text(current_language()) for problem in refused.problems.values())
            ui.notify(said, type='warning', multi_line=True)
            await refresh_list()
            return
        except DateFull as full:
            ui.notify(_full_text(full.openings), type='warning', multi_line=True)
            await refresh_list()
            return
        except NotFound:
            ui.notify(_('This date is no longer offered. The list is up to date again.'), type='warning')
            await refresh_list()
            return
        state.booked = _comers(date, state.comers)
        content.refresh()

    with portal_frame(_('Events'), actor, back='/portal'):

        @ui.refreshable
        def content() -> None:
            if state.booked is not None:
                _booked(state.booked, state.confirming)
            elif state.confirming is not None:
                _confirmation(actor, state.confirming, state.comers, consents, book, back)
            else:
                _dates(state.listing, chosen, confirm)

        content()


# The list


def _dates(listing: FamilyEvents, chosen: dict[int, set[int]], confirm) -> None:
    ui.link(_('Weekly classes: see the classes'), '/portal/classes').classes('kr-link')
    if not listing.dates:
        with ui.column().classes('gap-1').mark('no-events'):
            ui.label(_('No events are coming up. Look again soon.'))
        return
    for day, dates in itertools.groupby(listing.dates, key=lambda date: date.line.occurrence.date):
        heading(format_date(day, 'full', locale=reader_locale()), 2).mark('event-day')
        for date in dates:
            _date_card(date, listing.has_children, chosen.setdefault(date.line.occurrence.id, set()), confirm)


def _date_card(date: EventDate, has_children: bool, ticked: set[int], confirm) -> None:
    with ui.column().classes('w-full gap-2 bg-white rounded p-3 shadow-sm').mark('event-card') as card:
        ui.html(_card_html(date), sanitize=False).classes('kr-class w-full')
        if date.can_book:
            _register_controls(date, ticked, confirm)
        elif not date.for_family and not has_children and date.line.bookable:
            ui.link(_('Add a child'), '/portal/participants/new').classes('kr-link')
    card.props['aria-label'] = date.line.event.name  # typed by staff: a value, never inside a props string


def _register_controls(date: EventDate, ticked: set[int], confirm) -> None:
    """The family's Register; or a child's own; or a box for each child who may come, then Register."""
    free = [child for child in date.children if child.problem is None]
    label, comers = _('Register'), lambda: tuple(c.participant_id for c in free if c.participant_id in ticked)
    if date.for_family:
        comers = tuple
    elif len(free) == 1:
        only = free[0]
        label, comers = _('Register {child}').format(child=only.first_name), lambda: (only.participant_id,)
    else:
        with ui.row().classes('w-full gap-x-3 gap-y-0'):
            for child in free:
                ui.checkbox(
                    child.first_name,
                    on_change=lambda e, child_id=child.participant_id: (
                        ticked.add(child_id) if e.value else ticked.discard(child_id)
                    ),
                ).mark(f'come-{date.line.occurrence.id}-{child.participant_id}')
    ui.button(label, on_click=lambda: confirm(date, comers())).props('unelevated no-caps color=primary').classes(
        'w-full'
    ).mark(f'register-{date.line.occurrence.id}')


def _card_html(date: EventDate) -> str:
    """The date's text in the reader's language, every piece typed by staff escaped."""
    language = current_language()
    event = date.line.event
    lines = [
        f'<h3>{escape(event.name)}</h3>',
        f'<p>{escape(hours_text(date.line))}</p>',
        f'<p>{escape(place_text(date.line))}</p>',
    ]
    if not date.for_family:
        lines.append(f'<p>{escape(ages_label(event.min_age_months, event.max_age_months, language))}</p>')
    lines.append(f'<p>{escape(_fee_text(date))}</p>')
    lines.append(f'<p class="kr-openings kr-{date.openings_word()}">{escape(openings_text(date.openings))}</p>')
    if date.date_problem:
        lines.append(f'<p class="kr-reason">{escape(date.date_problem.text(language))}</p>')
    elif date.for_family:
        if date.family_registered:
            registered = escape(_('Your family is registered'))
            lines.append(f'<p class="kr-can">{registered}</p>')
    else:
        for child in date.children:
            name = escape(child.first_name)
            if child.registered:
                registered = escape(_('{child}: registered').format(child=child.first_name))
                lines.append(f'<p class="kr-can">{registered}</p>')
            elif child.problem:
                lines.append(f'<p class="kr-reason">{name}: {escape(child.problem.text(language))}</p>')
    lines.append(about_html(_('About this event'), event.description))
    return ''.join(lines)


def _fee_text(date: EventDate) -> str:
    if date.fee <= 0:
        return _('Free')
    if date.for_family:
        return _('{amount} for the family').format(amount=money(date.fee))
    return _('{amount} a child').format(amount=money(date.fee))


def _full_text(openings: int) -> str:
    if not openings:
        return _(DateFull.MESSAGE)
    return ngettext(
        'Only {count} place is left on this date: choose fewer children',
        'Only {count} places are left on this date: choose fewer children',
        openings,
    ).format(count=openings)


# Confirming, and done


def _comers(date: EventDate, comers: tuple[int, ...]) -> list[str]:
    if date.for_family:
        return [_('Your family')]
    names = {child.participant_id: child.first_name for child in date.children}
    return [names[child_id] for child_id in comers]


def _when(date: EventDate) -> str:
    return f'{format_skeleton("yMMMEd", date.line.occurrence.date, locale=reader_locale())}, {hours_text(date.line)}'


def _confirmation(
    actor: Actor, date: EventDate, comers: tuple[int, ...], consents: dict[int, PolicyConsent], book, back
) -> None:
    total = date.fee * max(len(comers), 1)
    heading(_('Confirm your registration'), 2)
    with ui.column().classes('w-full gap-2 bg-white rounded p-3').mark('confirmation'):
        ui.label(date.line.event.name).classes('font-medium break-words')
        ui.label(_when(date)).classes('text-sm text-gray-700')
        ui.label(place_text(date.line)).classes('text-sm text-gray-700 break-words')
        for who in _comers(date, comers):
            with ui.row().classes('w-full items-start justify-between no-wrap gap-2').mark('confirmation-line'):
                ui.label(who).classes('min-w-0 break-words')
                ui.label(money(date.fee)).classes('shrink-0')
        with ui.row().classes('w-full items-center justify-between no-wrap gap-2 font-bold'):
            ui.label(_('Total'))
            ui.label(money(total)).mark('confirmation-total')
    if date.policies:
        heading(_('Policies for this event'), 2)
        ui.label(_('Tick each box and type your full name ({name}) to sign.').format(name=actor.contact_name)).classes(
            'text-gray-700'
        )
        for version in date.policies:
            consents[version.id] = PolicyConsent(version, {'accepted': False, 'typed_name': ''})
    if total > Decimal('0'):
        ui.label(_('The fees are added to your account; you can pay them under Payments.')).classes('text-sm')
    ui.button(_('Register'), on_click=book).props('unelevated no-caps color=primary').classes('w-full').mark('book')
    ui.button(_('Back'), on_click=back).props('flat no-caps color=primary').classes('w-full').mark('back')


def _booked(who: list[str], date: EventDate | None) -> None:
    ui.label(_('Registered!')).classes('text-xl font-bold text-positive').mark('registered')
    if date is not None:
        ui.label(f'{date.line.event.name} · {_when(date)}').classes('break-words')
    for name in who:
        ui.label(name).classes('break-words')
    ui.label(_('We have emailed you the details, with the date for your calendar.')).classes('text-gray-700')
    ui.link(_('See my schedule'), '/portal/schedule').classes('kr-link')
    ui.link(_('Back to the events'), '/portal/events').classes('kr-link')
    ui.link(_('Payments'), '/portal/payments').classes('kr-link')
