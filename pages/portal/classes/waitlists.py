"""The family's waitlists: a place kept for a child comes first, with Accept (on to the checkout, which enrols as
any enrolment does) and Decline; then each child waiting, with their place in line, and Leave. The Classes
screen's "Join the waitlist" dialog lives here too, beside the page it leads to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from nicegui import ui

from components.forms import confirm_dialog
from components.frame import heading, portal_frame
from components.guards import parent_page
from components.i18n import _, current_language
from domain import i18n
from domain.access.actors import Actor
from domain.classes import waitlists
from domain.classes.browsing import ClassOffer
from domain.classes.enrolment import NotEligible
from domain.classes.waitlists import (
    AlreadyWaiting,
    FamilyWaitlistLine,
    HasOpenings,
    NoWaitlist,
    OfferGone,
    TooManyWaitlists,
)
from domain.errors import NotFound, ValidationFailed
from domain.models import WaitlistMode, WaitlistStatus
from domain.studio import settings
from pages.portal.classes.waitlist_labels import ordinal, place_in_line


def kept_until(line: FamilyWaitlistLine, expires: dt.datetime) -> str:
    """ "A place in Ballet 2 is kept for Ava until Thu, Dec 3, 10:00 AM"."""
    studio = settings.current()
    until = i18n.format_opening(expires, studio.timezone, current_language(), studio.phone_region)
    said = _('A place in {course} is kept for {child} until {moment}')
    return said.format(course=line.course, child=line.child, moment=until)


def refusal(failure: Exception) -> str:
    """Why joining was refused, in the reader's language."""
    if isinstance(failure, NotEligible):
        language = current_language()
        return '; '.join(reason.text(language) for reasons in failure.reasons.values() for reason in reasons)
    if isinstance(failure, AlreadyWaiting):
        return _(AlreadyWaiting.MESSAGE).format(child=failure.child, name=failure.name)
    if isinstance(failure, TooManyWaitlists):
        return _(TooManyWaitlists.MESSAGE).format(child=failure.child, most=failure.most)
    if isinstance(failure, HasOpenings):
        return _(HasOpenings.MESSAGE).format(name=failure.name)
    if isinstance(failure, NoWaitlist):
        return _(NoWaitlist.MESSAGE)
    return _('This class is no longer offered.')


@parent_page(waitlists.PAGE)
async def waitlists_page(actor: Actor):
    with portal_frame(_('Waitlists'), actor, back='/portal/classes'):

        @ui.refreshable
        async def shown() -> None:
            lines = await waitlists.family_waitlists(actor)
            if not lines:
                ui.label(
                    _('No child of yours is on a waitlist. When a class is full, you can join its waitlist there.')
                ).classes('text-gray-700').mark('no-waitlists')
                ui.link(_('See the classes'), '/portal/classes').classes('kr-link')
                return
            offers = [(line, line.offer_expires_at) for line in lines if line.offer_expires_at]  # offers alone
            waiting = [line for line in lines if line.status == WaitlistStatus.WAITING]
            if offers:
                heading(_('Places kept for you'), 2)
                for line, expires in offers:
                    _offer_card(actor, line, expires, shown.refresh)
            if waiting:
                heading(_('Waiting'), 2)
                for line in waiting:
                    _waiting_card(actor, line, shown.refresh)

        await shown()


def _offer_card(actor: Actor, line: FamilyWaitlistLine, expires: dt.datetime, refresh: Callable) -> None:
    async def accept() -> None:
        try:
            checkout_id = await waitlists.accept_offer(actor, line.entry_id)
        except NotEligible as refused:
            ui.notify(refusal(refused), type='warning', multi_line=True)
            return
        except (OfferGone, NotFound):
            ui.notify(_(OfferGone.MESSAGE), type='warning')
            refresh()
            return
        ui.navigate.to(f'/portal/classes/checkout/{checkout_id}')

    async def decline() -> None:
        dialog.close()
        try:
            await waitlists.decline_offer(actor, line.entry_id)
        except (OfferGone, NotFound):
            ui.notify(_(OfferGone.MESSAGE), type='warning')
        else:
            ui.notify(_('Declined: the place goes to the next child in line'), type='positive')
        refresh()

    question = _(
        'Decline the place in {course} for {child}? It goes to the next child in line, and {child} leaves the waitlist.'
    )
    dialog = confirm_dialog(
        question.format(course=line.course, child=line.child),
        _('Decline the place'),
        decline,
        danger=True,
        marker=f'decline-{line.entry_id}',
    )
    with ui.column().classes('w-full gap-2 bg-white rounded p-3 shadow-sm').mark('waitlist-offer'):
        ui.label(kept_until(line, expires)).classes('font-medium break-words')
        with ui.row().classes('w-full gap-2 wrap'):
            ui.button(_('Accept'), on_click=accept).props('unelevated no-caps color=primary').mark(
                f'accept-{line.entry_id}'
            )
            ui.button(_('Decline'), on_click=dialog.open).props('outline no-caps color=primary').mark(
                f'ask-decline-{line.entry_id}'
            )


def _waiting_card(actor: Actor, line: FamilyWaitlistLine, refresh: Callable) -> None:
    async def leave() -> None:
        dialog.close()
        try:
            await waitlists.leave(actor, line.entry_id)
        except (OfferGone, NotFound):
            ui.notify(_('{child} is no longer on this waitlist').format(child=line.child), type='warning')
        else:
            ui.notify(_('{child} left the waitlist for {course}').format(child=line.child, course=line.course))
        refresh()

    question = _('Take {child} off the waitlist for {course}? Their place in line is lost.')
    dialog = confirm_dialog(
        question.format(child=line.child, course=line.course),
        _('Leave the waitlist'),
        leave,
        danger=True,
        marker=f'leave-{line.entry_id}',
    )
    with ui.column().classes('w-full gap-1 bg-white rounded p-3 shadow-sm').mark('waitlist-line'):
        ui.label(f'{line.child} · {line.course}').classes('font-medium break-words')
        where = place_in_line(line.position) if line.position is not None else _('On the waitlist')
        ui.label(where).classes('text-sm').mark('place-in-line')
        if line.auto_enrol:
            ui.label(
                _('When a place opens, {child} is enrolled and your saved card charged.').format(child=line.child)
            ).classes('text-sm text-gray-700 break-words')
        ui.button(_('Leave'), on_click=dialog.open).props('flat no-caps color=primary').mark(
            f'ask-leave-{line.entry_id}'
        )


# The Classes screen's part


def join_button(
    actor: Actor,
    offer: ClassOffer,
    names: dict[int, str],
    asked: list[int],
    joined: Callable[[int], None] | None = None,
) -> None:
    """ "Join the waitlist" on a full class's card, for the children who may wait for it. Its dialog is built on
    the first tap, not with every card: the Classes screen keeps each card to a few elements. `joined` hears of
    each child who joined, so the card can say they wait."""
    able = [kid for kid in asked if offer.may_wait(kid)]
    if not able:
        return
    built: list[ui.dialog] = []
    answered: list[bool] = []  # a child joined from the dialog built: the next tap asks afresh

    def open_dialog() -> None:
        if built and answered:
            built.pop().delete()
            answered.clear()
        if not built:
            built.append(_join_dialog(actor, offer, names, able, on_joined))
        built[0].open()

    def on_joined(child_id: int) -> None:
        able.remove(child_id)
        answered.append(True)
        button.set_visibility(bool(able))
        if joined is not None:
            joined(child_id)

    button = ui.button(_('Join the waitlist'), on_click=open_dialog).props('outline no-caps color=primary')
    button.classes('w-full').mark(f'wait-{offer.line.course.id}')


def _join_dialog(
    actor: Actor, offer: ClassOffer, names: dict[int, str], able: list[int], on_joined: Callable[[int], None]
) -> ui.dialog:
    """Choose the child (and, in a class that enrols from its list, whether to be enrolled automatically); a
    refusal is said beside the choice, a place in line once joined."""
    course = offer.line.course
    with ui.dialog() as dialog, ui.card().classes('w-full max-w-sm').mark(f'join-{course.id}'):
        heading(_('Join the waitlist for {course}').format(course=course.name), 2)
        with ui.column().classes('w-full gap-2') as body:
            child = ui.radio({kid: names[kid] for kid in able}, value=able[0]).mark('waitlist-child')
            child.props['aria-label'] = _('Child')
            automatic = None
            if waitlists.mode_of(course) == WaitlistMode.AUTO_ENROL:
                automatic = ui.checkbox(_('Enrol us automatically and charge my saved card')).mark('auto-enrol')
            refused = ui.label('').classes('text-negative text-sm break-words').mark('join-refused')
            refused.props['role'] = 'alert'

            async def join() -> None:
                chosen = int(child.value)
                try:
                    joined = await waitlists.join(
                        actor, chosen, course.id, auto_enrol=bool(automatic is not None and automatic.value)
                    )
                except (NotEligible, AlreadyWaiting, TooManyWaitlists, HasOpenings, NoWaitlist, NotFound) as failure:
                    refused.text = refusal(failure)
                    return
                except ValidationFailed as failure:  # automatic enrolment without a saved card
                    refused.text = _(next(iter(failure.errors.values())))
                    return
                on_joined(chosen)
                body.clear()
                with body:
                    if joined.position is not None:
                        place = ordinal(joined.position, current_language())
                        said = _('{child} is {place} in line').format(child=joined.child, place=place)
                    else:
                        said = _('{child} is on the waitlist').format(child=joined.child)
                    ui.label(said).classes('font-medium break-words').mark('joined')
                    ui.link(_('See your waitlists'), waitlists.PAGE).classes('kr-link')
                    ui.button(_('Close'), on_click=dialog.close).props('flat no-caps color=primary')

            with ui.row().classes('w-full justify-end gap-2 wrap'):
                ui.button(_('Cancel'), on_click=dialog.close).props('flat no-caps color=primary')
                ui.button(_('Join'), on_click=join).props('unelevated no-caps color=primary').mark('join')
    return dialog
