"""The family's balance and ledger, paying it, statements, and the cards on file."""

from __future__ import annotations

import contextlib
import datetime as dt

from nicegui import app, ui

from components.card_labels import card_label
from components.forms import primary_button, show_errors, text_field
from components.frame import heading, portal_frame
from components.guards import parent_page
from components.i18n import _, current_language, day, money
from domain.access.actors import Actor
from domain.billing import ledger, payments, statements
from domain.billing.payments import CheckoutView, TypedCard
from domain.errors import NotFound, ValidationFailed
from domain.models import Payment, PaymentStatus
from domain.studio import settings

CHECKOUT_KEY = 'checkout_key'  # one per browser until its payment is settled: a reload or a second tab reuses it


@parent_page('/portal/payments', billing=True)
async def payments_page(actor: Actor):
    account = await payments.checkout_view(actor, recent=20)

    async def download() -> None:
        try:
            period = statements.StatementRange.parse(start.value or '', end.value or '')
        except ValidationFailed as failure:
            show_errors({'start': start, 'end': end}, failure.errors)
            return
        show_errors({'start': start, 'end': end}, {})
        pdf = await statements.family_statement(actor, period, current_language())
        ui.download(pdf, f'statement-{period.start}-{period.end}.pdf', 'application/pdf')

    with portal_frame(_('Payments'), actor, back='/portal'):
        with ui.card().classes('w-full'):
            ui.label(_('Balance due') if account.balance >= 0 else _('Credit on account')).classes('text-gray-700')
            ui.label(money(abs(account.balance))).classes('text-3xl font-bold').mark('balance')
            if account.pending > 0:
                ui.label(
                    _('A payment of {amount} is being confirmed by the card processor.').format(
                        amount=money(account.pending)
                    )
                ).classes('text-sm')
            if account.may_pay:
                ui.link(_('Make a payment'), '/portal/payments/pay').classes('kr-link text-lg font-semibold').mark(
                    'make-payment'
                )
        ui.link(_('Billing information: your cards'), '/portal/payments/cards').classes('kr-link')
        heading(_('Recent activity'), 2)
        if not account.recent:
            ui.label(_('Nothing posted to your account yet.')).classes('text-gray-700')
        with ui.list().props('separator').classes('w-full bg-white rounded'):
            for line in account.recent:
                with ui.item():
                    with ui.item_section():
                        ui.item_label(ledger.described(line.description, current_language()))
                        ui.item_label(f'{day(line.posted_at)} · {_(ledger.KIND_NAMES[line.kind])}').props('caption')
                    with ui.item_section().props('side'):
                        ui.item_label(money(line.effect)).classes('font-medium text-black')
        heading(_('Statement'), 2)
        today = settings.today()
        with ui.row().classes('w-full no-wrap gap-2'):
            start = text_field(
                _('From'), (today.replace(day=1) - dt.timedelta(days=60)).replace(day=1).isoformat(), kind='date'
            ).classes('flex-1 min-w-0')
            end = text_field(_('To'), today.isoformat(), kind='date').classes('flex-1 min-w-0')
        ui.button(_('Download statement (PDF)'), icon='download', on_click=download).props(
            'outline no-caps color=primary'
        ).classes('w-full')


@parent_page('/portal/payments/pay', billing=True)
async def pay_page(actor: Actor):
    key = app.storage.user.get(CHECKOUT_KEY)
    earlier = await payments.settle_payment_for_key(actor, key) if key else None
    with portal_frame(_('Make a payment'), actor, back='/portal/payments'):
        if earlier is not None:  # a reload, or a second tab, after this browser's checkout was sent
            PaymentOutcome(earlier)
            return
        if not key:
            key = app.storage.user[CHECKOUT_KEY] = payments.new_checkout_key()
        Checkout(actor, key, await payments.checkout_view(actor))


class PaymentOutcome:
    """What became of a payment, in plain words, and what the parent can do next."""

    def __init__(self, payment: Payment) -> None:
        if payment.status != PaymentStatus.PENDING:
            app.storage.user.pop(CHECKOUT_KEY, None)  # settled: the next payment is a new checkout
        with ui.card().classes('w-full gap-2').props('role=status'):
            if payment.status == PaymentStatus.APPROVED:
                ui.label(_('Payment approved')).classes('text-xl font-bold text-positive').mark('outcome')
                ui.label(
                    _('{total} was charged to {card}.').format(total=money(payment.total), card=card_label(payment))
                )
                ui.label(_('A receipt is on its way to your email.')).classes('text-sm')
                ui.label(_('Reference: {reference}').format(reference=payment.reference)).classes('text-sm')
            elif payment.status == PaymentStatus.DECLINED:
                ui.label(_('Payment declined')).classes('text-xl font-bold text-negative').mark('outcome')
                ui.label(_(payments.decline_message(payment)))
                ui.label(_('Nothing was charged.')).classes('text-sm')
                ui.link(_('Try again'), '/portal/payments/pay').classes('kr-link')
            else:
                ui.label(_('Waiting for the card processor')).classes('text-xl font-bold').mark('outcome')
                ui.label(
                    _(
                        'We have not heard back yet whether {total} was charged. We keep asking, and it will '
                        'never be charged twice. Check again in a minute.'
                    ).format(total=money(payment.total))
                )
                ui.link(_('Check again'), '/portal/payments/pay').classes('kr-link')
        ui.link(_('Back to payments'), '/portal/payments').classes('kr-link')


class Checkout:
    """Amount and card, then a review of every fee, then one tap to pay."""

    def __init__(self, actor: Actor, key: str, view: CheckoutView) -> None:
        self.actor, self.key, self.view = actor, key, view
        self.container = ui.column().classes('w-full gap-3')
        self.ask()

    def ask(self) -> None:
        view = self.view
        self.container.clear()
        with self.container:
            ui.label(_('Balance due: {amount}').format(amount=money(view.amount_due)))
            self.amount = (
                text_field(_('Amount to pay'), str(view.amount_due) if view.amount_due > 0 else '')
                .props('inputmode=decimal')
                .mark('amount')
            )
            options = {card.id: card_label(card) for card in view.cards}
            if view.takes_typed_cards:
                options[0] = _('A new card')
            default = next((c.id for c in view.cards if c.is_default), 0)
            pay_with = _('Pay with')
            ui.label(pay_with).classes('text-gray-700')
            self.choice = (
                ui.radio(
                    options,
                    value=default,
                    on_change=lambda: self.new_card_fields.set_visibility(self.choice.value == 0),
                )
                if options
                else None
            )
            if self.choice is not None:
                self.choice.props['aria-label'] = pay_with
            with ui.column().classes('w-full gap-2') as self.new_card_fields:
                self.card_fields = card_inputs()
                self.keep = ui.checkbox(_('Keep this card for next time'), value=True)
            self.new_card_fields.set_visibility(view.takes_typed_cards and default == 0)
            if not view.takes_typed_cards and not view.cards:
                ui.label(_("Add a card first: you will type it on our card processor's secure page."))
                ui.link(_('Add a card'), '/portal/payments/cards').classes('kr-link')
                return
            primary_button(_('Review payment'), self.review).mark('review')

    def _typed_card(self) -> TypedCard | None:
        if self.choice is None or self.choice.value != 0:
            return None
        return TypedCard(
            self.card_fields['card_number'].value or '',
            self.card_fields['card_expiry'].value or '',
            self.card_fields['card_cvc'].value or '',
        )

    def review(self) -> None:
        fields = {'amount': self.amount, **self.card_fields}
        try:
            quoted = payments.quote(self.amount.value or '', self.view.payable, new_card=self._typed_card())
        except ValidationFailed as failure:  # a wrong card number or a past expiry too, before "Pay"
            show_errors(fields, failure.errors)
            return
        show_errors(fields, {})
        card = next((c for c in self.view.cards if self.choice and c.id == self.choice.value), None)
        for field in self.container.default_slot.children:
            field.set_visibility(False)
        with self.container, ui.card().classes('w-full gap-1') as review:
            heading(_('Review your payment'), 2)
            rows = [(_('Payment'), money(quoted.amount))]
            if quoted.fee:
                rows.append(
                    (_('Card fee ({percent}%)').format(percent=quoted.fee_percent.normalize()), money(quoted.fee))
                )
            rows.append((_('Total to be charged'), money(quoted.total)))
            for label, value in rows:
                with ui.row().classes('w-full justify-between no-wrap'):
                    ui.label(label)
                    ui.label(value).classes('font-semibold')
            ui.label(card_label(card) if card else _('A new card')).classes('text-sm text-gray-700')

            async def confirm() -> None:
                pay_button.disable()  # a double tap sends nothing more; the key would catch it anyway
                try:
                    payment = await payments.pay(
                        self.actor,
                        self.key,
                        quoted.amount,
                        card_id=card.id if card else None,
                        new_card=self._typed_card(),
                        keep_new_card=bool(self.keep.value),
                    )
                except ValidationFailed as failure:
                    self._back_to_form(review)
                    show_errors({'amount': self.amount, **self.card_fields}, failure.errors)
                    if card_error := failure.errors.get('card'):
                        ui.notify(_(card_error), type='negative')
                    return
                except payments.TooManyCards as refused:
                    ui.notify(_(refused.MESSAGE), type='negative')
                    pay_button.enable()
                    return
                for field in self.card_fields.values():
                    field.value = ''  # the number leaves the page as soon as it has been used
                self.container.clear()
                with self.container:
                    PaymentOutcome(payment)

            pay_button = primary_button(_('Pay {total}').format(total=money(quoted.total)), confirm).mark('pay')

            ui.button(_('Change'), on_click=lambda: self._back_to_form(review)).props(
                'flat no-caps color=primary'
            ).classes('w-full')

    def _back_to_form(self, review: ui.card) -> None:
        """Leave the review: the form comes back as it was typed."""
        review.delete()
        for field in self.container.default_slot.children:
            field.set_visibility(True)
        self.new_card_fields.set_visibility(self.choice is not None and self.choice.value == 0)


def card_inputs() -> dict[str, ui.input]:
    """A card's number, expiry and security code, keyed as the payment service names its errors."""
    return {
        'card_number': text_field(_('Card number'), autocomplete='cc-number')
        .props('inputmode=numeric maxlength=23')
        .mark('card-number'),
        'card_expiry': text_field(_('Expiry (MM/YY)'), autocomplete='cc-exp')
        .props('inputmode=numeric maxlength=7')
        .mark('card-expiry'),
        'card_cvc': text_field(_('Security code'), autocomplete='cc-csc')
        .props('inputmode=numeric maxlength=4')
        .mark('card-cvc'),
    }


@parent_page('/portal/payments/cards', billing=True)
async def cards_page(actor: Actor):
    view = await payments.checkout_view(actor)

    async def act(action, card_id: int) -> None:
        with contextlib.suppress(NotFound):
            await action(actor, card_id)
        ui.navigate.reload()

    async def add() -> None:
        try:
            await payments.add_card(
                actor,
                TypedCard(
                    fields['card_number'].value or '', fields['card_expiry'].value or '', fields['card_cvc'].value or ''
                ),
            )
        except ValidationFailed as failure:
            show_errors(fields, failure.errors)
            return
        except payments.CardAlreadyOnFile as refused:
            show_errors(fields, {'card_number': refused.MESSAGE})
            return
        except (payments.TooManyCards, payments.ProcessorUnavailable) as refused:
            ui.notify(_(refused.MESSAGE), type='negative')
            return
        ui.navigate.reload()

    async def add_at_processor() -> None:
        try:
            url = await payments.start_card_setup(
                actor, return_url=settings.current().base_url + '/portal/payments/cards'
            )
        except payments.TooManyCards as refused:
            ui.notify(_(refused.MESSAGE), type='negative')
            return
        ui.navigate.to(url)

    with portal_frame(_('Billing information'), actor, back='/portal/payments'):
        if not view.cards:
            ui.label(_('No cards on file.')).classes('text-gray-700')
        for card in view.cards:
            with ui.card().classes('w-full gap-1').mark(f'card-{card.id}'):
                ui.label(card_label(card)).classes('font-medium')
                with ui.row().classes('gap-2'):
                    if card.is_default:
                        ui.label(_('Default card')).classes('text-sm text-positive')
                    else:
                        ui.button(
                            _('Make default'), on_click=lambda c=card: act(payments.set_default_card, c.id)
                        ).props('flat dense no-caps color=primary')
                    ui.button(_('Remove'), on_click=lambda c=card: act(payments.remove_card, c.id)).props(
                        'flat dense no-caps color=negative'
                    )
        if not view.may_add_card:
            ui.label(_(payments.TooManyCards.MESSAGE)).classes('text-sm text-gray-700')
            return
        heading(_('Add a card'), 2)
        if not view.takes_typed_cards:
            ui.label(
                _("You will type your card on our card processor's secure page; it never passes through this portal.")
            ).classes('text-sm text-gray-700')
            primary_button(_('Add a card'), add_at_processor)
            return
        fields = card_inputs()
        primary_button(_('Save card'), add)
        ui.label(
            _('Only the card type, its last four digits and expiry are kept. The security code is never stored.')
        ).classes('text-sm text-gray-700')
