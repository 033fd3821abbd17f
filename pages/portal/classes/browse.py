"""The Classes screen: browse and search the studio's classes, pick a child to see what suits them, and choose
classes for one or several children before one checkout.

A studio may list a few hundred classes, and every element is built and kept on the server for each parent who
has the page open: a class is one card of three elements (its text as escaped HTML, its description folded in a
native <details>, and its button), and the list shows 20 at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from html import escape

from babel.dates import format_interval
from nicegui import ui

from components.class_labels import about_html, ages_label, price_text, schedule_text, weekday_names
from components.frame import heading, portal_frame
from components.guards import parent_page
from components.i18n import _, current_language, money, month_of, ngettext, reader_locale, weekday_day
from domain.access.actors import Actor
from domain.classes import browsing, enrolment, waitlists
from domain.classes.browsing import ClassListing, ClassOffer, Filter
from domain.classes.enrolment import CHOSEN_CLASH, Choice, ClassFull, HoldRanOut, NotEligible, NothingChosen
from domain.classes.tuition import WHOLE_TERM
from domain.errors import NotFound, ValidationFailed
from domain.i18n import N_
from domain.studio import settings
from pages.portal.classes.enrol_requests import ask_button
from pages.portal.classes.waitlist_labels import child_said, openings_said
from pages.portal.classes.waitlists import join_button

PAGE_SIZE = 20
ANY = ''  # the "any" choice of a filter
TIMES_OF_DAY = {'morning': N_('Morning'), 'afternoon': N_('Afternoon'), 'evening': N_('Evening')}


@dataclass
class _Browsing:
    """What the parent has chosen on this page: the filters, how many classes are shown, the basket."""

    chosen: Filter = field(default_factory=Filter)
    show_all_for_child: bool = False
    shown: int = PAGE_SIZE
    basket: list[Choice] = field(default_factory=list)


@parent_page('/portal/classes')
async def classes_page(actor: Actor):
    listing = await browsing.classes_for_family(actor)
    state = _Browsing()
    names = {child.participant_id: child.first_name for child in listing.children}
    titles = {offer.line.course.id: offer.line.course.name for offer in listing.offers}

    def choose(**changes) -> None:
        state.chosen = replace(state.chosen, **changes)
        state.shown, state.show_all_for_child = PAGE_SIZE, False
        results.refresh()

    def toggle(choice: Choice) -> None:
        if choice in state.basket:
            state.basket.remove(choice)
        elif other := browsing.clash_in_basket(listing, state.basket, choice):
            said = _(CHOSEN_CLASH).format(child=names.get(choice.participant_id, ''), other=other)
            ui.notify(said, type='warning', multi_line=True)
            return
        else:
            state.basket.append(choice)
        results.refresh()
        basket.refresh()

    async def check_out() -> None:
        try:
            view = await enrolment.hold_seats(actor, list(state.basket))
        except NotEligible as refused:
            for (child_id, course_id), reasons in refused.reasons.items():
                said = '; '.join(reason.text(current_language()) for reason in reasons)
                ui.notify(f'{names.get(child_id, "")} · {titles.get(course_id, "")}: {said}', type='warning')
            return
        except ClassFull as full:
            ui.notify(_(ClassFull.MESSAGE).format(name=full.name), type='warning', multi_line=True)
            return
        except (NothingChosen, HoldRanOut) as failure:
            ui.notify(_(failure.MESSAGE), type='warning')
            return
        except ValidationFailed as failure:
            ui.notify(_(next(iter(failure.errors.values()))), type='warning')
            return
        except NotFound:
            ui.notify(_('A class you chose is no longer offered. The list is up to date again.'), type='warning')
            ui.navigate.reload()
            return
        ui.navigate.to(f'/portal/classes/checkout/{view.checkout_id}')

    with portal_frame(_('Classes'), actor, back='/portal'):
        ui.link(_('Workshops, camps and parties: see the events'), '/portal/events').classes('kr-link')
        ui.link(_('Your waitlists'), waitlists.PAGE).classes('kr-link').mark('waitlists-link')
        if not listing.children:
            ui.label(_('Add a child to your family first, then choose their classes here.')).classes('text-gray-700')
            ui.link(_('Add a child'), '/portal/participants/new').classes('kr-link')
        else:
            _child_toggle(listing, lambda child_id: choose(child_id=child_id))
        _filters(listing, state, choose)

        def joined(course_id: int, child_id: int) -> ClassOffer:
            """A child joined a class's waitlist from its card: the listing this page shows knows it now."""
            at = next(i for i, offer in enumerate(listing.offers) if offer.line.course.id == course_id)
            listing.offers[at] = replace(listing.offers[at], waiting=listing.offers[at].waiting | {child_id})
            return listing.offers[at]

        @ui.refreshable
        def results() -> None:
            _results(actor, listing, state, names, toggle, more, show_all, joined)

        def more() -> None:
            state.shown += PAGE_SIZE
            results.refresh()

        def show_all() -> None:
            state.show_all_for_child = True
            results.refresh()

        results()

    with ui.footer().classes('bg-white text-black shadow-sm p-3').mark('basket') as footer:

        @ui.refreshable
        def basket() -> None:
            footer.set_visibility(bool(state.basket))
            _basket(state, names, titles, toggle, check_out)

        basket()


def _child_toggle(listing: ClassListing, on_pick) -> None:
    """One chip per child; picking a child shows the classes for their age and gender, and whether they can enrol."""
    options = {0: _('Everyone')} | {child.participant_id: child.first_name for child in listing.children}
    chips = ui.toggle(options, value=0, on_change=lambda e: on_pick(e.value or None))
    chips.props('no-caps rounded unelevated toggle-color=primary color=white text-color=primary').mark('children')
    chips.props['aria-label'] = _('Show classes for')


def _filters(listing: ClassListing, state: _Browsing, choose) -> None:
    search = ui.input(_('Search classes'), on_change=lambda e: choose(text=e.value or '')).props(
        'outlined dense clearable debounce=300 type=search'
    )
    search.classes('w-full').mark('search')
    filters = ui.expansion(_('Day, time, place and more')).classes('w-full bg-white rounded').mark('filters')
    with filters, ui.column().classes('w-full gap-2'):
        days = {ANY: _('Any day')} | {str(number): name for number, name in enumerate(weekday_names())}
        ui.select(
            days,
            value=ANY,
            label=_('Day'),
            on_change=lambda e: choose(weekday=None if e.value in (ANY, None) else int(e.value)),
        ).props('outlined dense').classes('w-full').mark('day')
        times = {ANY: _('Any time')} | {key: _(name) for key, name in TIMES_OF_DAY.items()}
        ui.select(
            times, value=ANY, label=_('Time of day'), on_change=lambda e: choose(time_of_day=e.value or '')
        ).props('outlined dense').classes('w-full').mark('time-of-day')
        if len(listing.locations) > 1:
            places = {ANY: _('Any location')} | {str(key): name for key, name in listing.locations}
            ui.select(
                places,
                value=ANY,
                label=_('Location'),
                on_change=lambda e: choose(location_id=int(e.value) if e.value else None),
            ).props('outlined dense').classes('w-full').mark('location')
        kinds = {ANY: _('Any category')} | {path: path for path in listing.categories}
        ui.select(kinds, value=ANY, label=_('Category'), on_change=lambda e: choose(category=e.value or '')).props(
            'outlined dense'
        ).classes('w-full').mark('category')
        ui.switch(_('Only classes with openings'), on_change=lambda e: choose(with_openings=bool(e.value))).mark(
            'with-openings'
        )


def _results(
    actor: Actor, listing: ClassListing, state: _Browsing, names: dict[int, str], toggle, more, show_all, joined
) -> None:
    found = browsing.filtered(listing, state.chosen, show_all_for_child=state.show_all_for_child)
    count = len(found.offers)
    heading(ngettext('{count} class', '{count} classes', count).format(count=count), 2).mark('class-count')
    child_id = state.chosen.child_id
    if found.not_for_child and child_id is not None:
        ui.button(
            ngettext(
                'Show {count} more class that is not for {child}',
                'Show {count} more classes that are not for {child}',
                found.not_for_child,
            ).format(count=found.not_for_child, child=names.get(child_id, '')),
            on_click=show_all,
        ).props('flat no-caps color=primary').classes('w-full').mark('show-all')
    if not count:
        ui.label(_('No class matches. Try another day, time or category.')).classes('text-gray-700')
    for offer in found.offers[: state.shown]:
        _class_card(actor, offer, names, child_id, state.basket, toggle, joined)
    if count > state.shown:
        ui.button(_('Show more classes'), on_click=more).props('outline no-caps color=primary').classes('w-full').mark(
            'show-more'
        )


def _class_card(
    actor: Actor,
    offer: ClassOffer,
    names: dict[int, str],
    child_id: int | None,
    basket: list[Choice],
    toggle,
    joined: Callable[[int, int], ClassOffer],
) -> None:
    course = offer.line.course
    language = current_language()
    asked = [child_id] if child_id is not None else list(names)
    able = [kid for kid in asked if not offer.reasons.get(kid)]
    with ui.column().classes('w-full gap-2 bg-white rounded p-3 shadow-sm').mark('class-card') as card:
        text = ui.html(_card_html(offer, names, asked, language), sanitize=False).classes('kr-class w-full')
        if len(able) == 1:
            choice = Choice(able[0], course.id)
            chosen = choice in basket
            label = _('Chosen for {child}') if chosen else _('Choose for {child}')
            button = ui.button(label.format(child=names[able[0]]), on_click=lambda choice=choice: toggle(choice))
            if chosen:
                button.props('no-caps outline color=primary')
            else:
                button.props('no-caps unelevated color=primary')
            button.classes('w-full').mark(f'choose-{course.id}')
        elif able:
            with (
                ui.button(_('Choose…'))
                .props('unelevated no-caps color=primary')
                .classes('w-full')
                .mark(f'choose-{course.id}'),
                ui.menu(),
            ):
                for kid in able:
                    choice = Choice(kid, course.id)
                    mark = '✓ ' if choice in basket else ''
                    ui.menu_item(mark + names[kid], on_click=lambda choice=choice: toggle(choice))
        if able and offer.starts is not None and settings.current().trials:
            ui.link(_('Request a trial'), f'/portal/classes/{course.id}/trial').classes('kr-link').mark(
                f'trial-{course.id}'
            )

        def waits(kid: int) -> None:
            text.content = _card_html(joined(course.id, kid), names, asked, language)

        join_button(actor, offer, names, asked, waits)
        ask_button(actor, offer, names, asked)
    card.props['aria-label'] = course.name  # the class's name as typed: a value, never inside a props string


def _card_html(offer: ClassOffer, names: dict[int, str], asked: list[int], language: str) -> str:
    """The card's text in the reader's language, every piece typed by staff escaped."""
    course = offer.line.course
    lines = [
        f'<h3>{escape(course.name)}</h3>',
        f'<p class="kr-muted">{escape(", ".join(offer.line.category_paths))}</p>' if offer.line.category_paths else '',
        f'<p>{escape(schedule_text(offer.patterns))}</p>',
        f'<p>{escape(_dates(offer))}</p>',
        f'<p>{escape(_place(offer))}</p>',
        f'<p>{escape(ages_label(course.min_age_months, course.max_age_months, language))}</p>',
        f'<p>{escape(_price(offer))}</p>',
        f'<p class="kr-openings kr-{offer.openings_word()}">{escape(openings_said(offer))}</p>',
    ]
    for kid in asked:
        reasons = offer.reasons.get(kid, [])
        if waiting := child_said(offer, kid, names[kid]):
            lines.append(f'<p class="kr-reason">{escape(waiting)}</p>')
        elif kid in offer.asked:
            said = _('{child}: your request to enrol waits for the studio').format(child=names[kid])
            lines.append(f'<p class="kr-reason">{escape(said)}</p>')
        elif offer.may_ask(kid):
            can = escape(_('{child} can ask to enrol').format(child=names[kid]))
            lines.append(f'<p class="kr-can">{can}</p>')
        elif reasons:
            said = '; '.join(reason.text(language) for reason in reasons)
            lines.append(f'<p class="kr-reason">{escape(names[kid])}: {escape(said)}</p>')
        else:
            can = escape(_('{child} can enrol').format(child=names[kid]))
            lines.append(f'<p class="kr-can">{can}</p>')
    lines.append(about_html(_('About this class'), course.description))
    return ''.join(lines)


def _dates(offer: ClassOffer) -> str:
    locale = reader_locale()
    course = offer.line.course
    if offer.starts is None:
        return _('No meetings left')
    span = format_interval(offer.starts, offer.last_day or course.ends_on, 'yMMMd', locale=locale)
    left = ngettext('{count} meeting left', '{count} meetings left', offer.meetings_left)
    return f'{span} · {left.format(count=offer.meetings_left)}'


def _place(offer: ClassOffer) -> str:
    parts = [offer.line.location.name, offer.line.room.name if offer.line.room else '', offer.instructor]
    return ' · '.join(part for part in parts if part)


def _price(offer: ClassOffer) -> str:
    """The price, and what enrolling now posts: the first month (or the rest of the session), prorated."""
    price = offer.price
    said = price_text(price)
    if offer.starts is None:
        return said
    start = weekday_day(offer.starts)
    if price.first_period == WHOLE_TERM:
        first = _('Starting {day}: {amount} for the rest of the session')
    else:
        first = _('Starting {day}: {amount} for {month}')
    month = month_of(offer.starts)
    return f'{said} · {first.format(day=start, amount=money(price.first_fee), month=month)}'


def _basket(state: _Browsing, names: dict[int, str], titles: dict[int, str], toggle, check_out) -> None:
    """What the parent has chosen, each with a way to take it off, and the button to check out."""
    with ui.column().classes('w-full max-w-xl mx-auto gap-2'):
        for choice in state.basket:
            with ui.row().classes('w-full items-center justify-between no-wrap gap-2'):
                ui.label(f'{names[choice.participant_id]} · {titles[choice.course_id]}').classes(
                    'text-sm truncate min-w-0'
                )
                remove = ui.button(icon='close', on_click=lambda choice=choice: toggle(choice))
                remove.props('flat round dense color=primary')
                remove.props['aria-label'] = _('Remove {child} from {course}').format(
                    child=names[choice.participant_id], course=titles[choice.course_id]
                )
        count = len(state.basket)
        ui.button(
            ngettext('Check out ({count} class)', 'Check out ({count} classes)', count).format(count=count),
            on_click=check_out,
        ).props('unelevated no-caps color=primary').classes('w-full').mark('check-out')
