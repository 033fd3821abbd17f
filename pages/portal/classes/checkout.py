"""The checkout: the seats held for the studio's hold time with a visible countdown, the fees that enrolling
posts, the classes' policies to agree to, and Enrol. Leaving the page (or Cancel) lets the seats go at once."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from nicegui import ui

from components import session
from components.card_labels import card_label
from components.class_labels import price_text
from components.consent import PolicyConsent
from components.frame import heading, portal_frame
from components.guards import parent_page
from components.i18n import _, current_language, money, month_of, ngettext, weekday_day
from domain import clock, i18n
from domain.access.actors import Actor, PermissionDenied
from domain.billing import payments
from domain.classes import checkout_payment, enrolment
from domain.classes.checkout_payment import PaidNotEnrolled, PaymentDeclined, PaymentPending
from domain.classes.enrolment import CheckoutView, ClassFull, HoldRanOut, NotEligible
from domain.classes.tuition import WHOLE_TERM
from domain.errors import NotFound, ValidationFailed
from domain.records import checked_id
from domain.registration.policies import Acceptance, PolicyChanged
from domain.studio import settings

CHECKOUT_RECONNECT_SECONDS = 90.0
COUNTDOWN_FROM_SECONDS = 3600


def held_text(expires_at: dt.datetime, left: int, places: int) -> str:
    """A short hold counts down ("15:00"); a place an offer keeps for days says its deadline instead."""
    if left > COUNTDOWN_FROM_SECONDS:
        studio = settings.current()
        until = i18n.format_opening(expires_at, studio.timezone, current_language(), studio.phone_region)
        said = ngettext('Your place is kept until {moment}', 'Your places are kept until {moment}', places)
        return said.format(moment=until)
    return _('Your places are held for {time}').format(time=f'{left // 60}:{left % 60:02d}')


# A parent who switches to their banking app, or loses signal on a bus, comes back to the same page and the
# same seats; only a page gone for longer lets them go.
@parent_page('/portal/classes/checkout/{checkout_id}', reconnect_timeout=CHECKOUT_RECONNECT_SECONDS)
async def checkout_page(actor: Actor, checkout_id: str):
    try:
        view = await enrolment.checkout_view(actor, checked_id(checkout_id))
    except (HoldRanOut, NotFound):
        _ran_out(actor)
        return
    state: dict[str, Any] = {'done': False, 'paying': False, 'expires_at': view.expires_at}
    consents: dict[int, PolicyConsent] = {}

    async def let_go() -> None:
        if state['done'] or state['paying']:
            return  # enrolled, gone, or a card being charged: the seats must wait for its answer
        if await checkout_payment.is_paying(actor, view.checkout_id):
            return  # a payment on its way or approved keeps its seats until the hold runs out
        state['done'] = True
        await enrolment.let_go(actor, view.checkout_id)

    async def held_until() -> None:
        """The hold as it is now: paying keeps the seats a little longer."""
        with contextlib.suppress(HoldRanOut, NotFound):
            state['expires_at'] = (await enrolment.checkout_view(actor, view.checkout_id)).expires_at

    async def cancel() -> None:
        await let_go()
        ui.navigate.to('/portal/classes')

    async def enrol() -> None:
        acceptances = {
            version_id: Acceptance(bool(consent.given.get('accepted')), consent.given.get('typed_name', ''))
            for version_id, consent in consents.items()
        }
        card_id = card.value if card is not None else None
        state['paying'] = True
        try:
            done = await checkout_payment.pay_and_enrol(
                actor, view.checkout_id, card_id, acceptances, user_agent=session.user_agent()
            )
        except PaymentDeclined as declined:
            paying.text = _(PaymentDeclined.MESSAGE).format(reason=_(declined.reason))
            await held_until()
            return
        except PaymentPending:
            paying.text = _(PaymentPending.MESSAGE)
            await held_until()
            return
        except PaidNotEnrolled as paid:
            state['done'] = True
            page.clear()
            with page:
                ui.label(_(PaidNotEnrolled.MESSAGE).format(amount=money(paid.amount))).mark('paid-not-enrolled')
                ui.link(_('Back to the classes'), '/portal/classes').classes('kr-link')
            return
        except ValidationFailed as failure:
            if 'card' in failure.errors or 'amount' in failure.errors:
                paying.text = _(failure.errors.get('card') or failure.errors['amount'])
                return
            for version_id, consent in consents.items():
                box, name = failure.errors.get(f'policy.{version_id}'), failure.errors.get(f'name.{version_id}')
                consent.show_errors(_(box) if box else None, _(name) if name else None)
            return
        except (HoldRanOut, NotFound):
            state['done'] = True
            page.clear()
            with page:
                _ran_out_text()
            return
        except NotEligible as refused:
            said = [reason.text(current_language()) for reasons in refused.reasons.values() for reason in reasons]
            ui.notify('; '.join(said), type='warning', multi_line=True)
            return
        except ClassFull as full:
            ui.notify(_(ClassFull.MESSAGE).format(name=full.name), type='warning', multi_line=True)
            return
        except PolicyChanged:
            ui.notify(_(PolicyChanged.MESSAGE), type='warning')
            ui.navigate.reload()
            return
        finally:
            state['paying'] = False
        state['done'] = True
        enrolled = {e.participant_id for e in done} or {line.participant_id for line in view.lines}
        page.clear()
        with page:
            _enrolled([f'{line.child} · {line.course}' for line in view.lines if line.participant_id in enrolled])

    ui.context.client.on_delete(let_go)  # the parent left: closed the tab, went back, lost the phone's signal

    with portal_frame(_('Checkout'), actor), ui.column().classes('w-full gap-3') as page:
        countdown = ui.label().classes('font-medium').mark('countdown')
        countdown.props['role'] = 'timer'

        def tick() -> None:
            left = int((state['expires_at'] - clock.now()).total_seconds())
            if state['done'] and left > 0:
                timer.cancel()
                return
            if left <= 0:
                timer.cancel()
                if not state['done']:
                    state['done'] = True
                    page.clear()
                    with page:
                        _ran_out_text()
                return
            countdown.text = held_text(state['expires_at'], left, len(view.lines))

        timer = ui.timer(1.0, tick)
        tick()
        _lines(view)
        if view.policies:
            heading(_('Policies for these classes'), 2)
            ui.label(
                _('Tick each box and type your full name ({name}) to sign.').format(name=actor.contact_name)
            ).classes('text-gray-700')
            for version in view.policies:
                consents[version.id] = PolicyConsent(version, {'accepted': False, 'typed_name': ''})
        card: ui.radio | None = None
        enrol_label = _('Enrol')
        if checkout_payment.takes_payment(view):
            card, enrol_label = await _payment(actor, view)
            if card is None:
                return  # no card to pay with, or a contact who does not pay: said in the payment section
        else:
            ui.label(_('The fees are added to your account; you can pay them under Payments.')).classes('text-sm')
        paying = ui.label('').classes('text-negative text-sm').props('role=alert').mark('payment-error')
        ui.button(enrol_label, on_click=enrol).props('unelevated no-caps color=primary').classes('w-full').mark('enrol')
        ui.button(_('Cancel and let the places go'), on_click=cancel).props('flat no-caps color=primary').classes(
            'w-full'
        ).mark('cancel-checkout')


async def _payment(actor: Actor, view: CheckoutView) -> tuple[ui.radio | None, str]:
    """The studio takes payment at enrolment: a card on file to charge, what it is charged, and the button's
    words. No card (or a contact whose role does not pay): said, with where to go, and no button."""
    heading(_('Payment'), 2)
    try:
        cards = await payments.list_cards(actor)
    except PermissionDenied:
        ui.label(_('The studio takes payment at enrolment: please ask the contact who pays for your family.'))
        return None, ''
    if not cards:
        ui.label(_('The studio takes payment at enrolment. Add a card under Payments, then choose the classes again.'))
        ui.link(_('Add a card'), '/portal/payments/cards').classes('kr-link')
        return None, ''
    due = await checkout_payment.amount_due(actor, view)
    quoted = payments.quote(due, due)
    card = ui.radio({saved.id: card_label(saved) for saved in cards}, value=cards[0].id).mark('card')
    card.props['aria-label'] = _('Card')
    if quoted.fee:
        ui.label(
            _('Card fee ({percent}%): {fee}').format(percent=quoted.fee_percent.normalize(), fee=money(quoted.fee))
        ).classes('text-sm')
    if due < view.total:
        ui.label(_('Your credit on account pays {amount} of it.').format(amount=money(view.total - due)))
    return card, _('Pay {amount} and enrol').format(amount=money(quoted.total))


def _lines(view: CheckoutView) -> None:
    with ui.column().classes('w-full gap-2 bg-white rounded p-3').mark('checkout-lines'):
        for line in view.lines:
            with ui.row().classes('w-full items-start justify-between no-wrap gap-2').mark('checkout-line'):
                with ui.column().classes('gap-0 min-w-0'):
                    ui.label(f'{line.child} · {line.course}').classes('font-medium break-words')
                    ui.label(_first_period(line)).classes('text-sm text-gray-700')
                ui.label(money(line.price.first_fee)).classes('shrink-0')
        for term, fee in view.registration_fees:
            with ui.row().classes('w-full items-start justify-between no-wrap gap-2').mark('checkout-line'):
                ui.label(_('Registration fee, {session}').format(session=term)).classes('min-w-0 break-words')
                ui.label(money(fee)).classes('shrink-0')
        with ui.row().classes('w-full items-center justify-between no-wrap gap-2 font-bold'):
            ui.label(_('Total'))
            ui.label(money(view.total)).mark('checkout-total')


def _first_period(line) -> str:
    starts = weekday_day(line.starts_on)
    if line.price.first_period == WHOLE_TERM:
        return _('From {day}, for the rest of the session').format(day=starts)
    first = _('From {day}, for {month}').format(day=starts, month=month_of(line.starts_on))
    return first + ' · ' + _('then {price}').format(price=price_text(line.price))


def _enrolled(lines: list[str]) -> None:
    ui.label(_('Enrolled!')).classes('text-xl font-bold text-positive').mark('enrolled')
    for line in lines:
        ui.label(line).classes('break-words')
    ui.label(_('We have emailed you the details, with the classes for your calendar.')).classes('text-gray-700')
    ui.link(_('See my schedule'), '/portal/schedule').classes('kr-link')
    ui.link(_('Choose more classes'), '/portal/classes').classes('kr-link')
    ui.link(_('Payments'), '/portal/payments').classes('kr-link')


def _ran_out(actor: Actor) -> None:
    with portal_frame(_('Checkout'), actor):
        _ran_out_text()


def _ran_out_text() -> None:
    ui.label(_(HoldRanOut.MESSAGE)).mark('ran-out')
    ui.link(_('Back to the classes'), '/portal/classes').classes('kr-link')
