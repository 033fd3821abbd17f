"""A typed card is checked before any processor sees it: its check digit, its expiry, its security code."""

import datetime as dt
from decimal import Decimal

import pytest

from domain.billing import cards, payments
from domain.billing.cards import TypedCard
from domain.errors import ValidationFailed
from domain.validation import Cleaner

TODAY = dt.date(2026, 12, 1)


def errors_of(card: TypedCard) -> dict[str, str]:
    clean = Cleaner()
    cards.check(clean, card, today=TODAY)
    return clean.errors


@pytest.mark.parametrize(
    'number, expiry, cvc, errors',
    [
        ('4242 4242 4242 4242', '12/26', '123', {}),  # valid to the end of this month
        ('4242-4242-4242-4242', '1/2027', '1234', {}),
        ('4242 4242 4242 4241', '12/30', '123', {'card_number': 'Check the card number'}),  # one digit wrong
        ('4242 4242 4242 4224', '12/30', '123', {'card_number': 'Check the card number'}),  # two swapped
        ('4242', '12/30', '123', {'card_number': 'Check the card number'}),
        ('4242 4242 4242 424x', '12/30', '123', {'card_number': 'Check the card number'}),
        ('4242424242424242', '11/26', '123', {'card_expiry': 'The card has expired.'}),
        ('4242424242424242', '01/20', '123', {'card_expiry': 'The card has expired.'}),
        ('4242424242424242', '13/30', '123', {'card_expiry': 'Enter a valid expiry date, like 08/29'}),
        ('4242424242424242', '1230', '123', {'card_expiry': 'Enter a valid expiry date, like 08/29'}),
        ('4242424242424242', '12/99', '123', {'card_expiry': 'Enter a valid expiry date, like 08/29'}),
        ('4242424242424242', '12/30', '12', {'card_cvc': 'Enter the 3 or 4 digit security code'}),
    ],
)
def test_each_part_of_a_typed_card_is_checked(number, expiry, cvc, errors):
    assert errors_of(TypedCard(number, expiry, cvc)) == errors


def test_the_check_never_quotes_the_number():
    card = TypedCard('4242424242424241', '01/20', '12')
    assert '4242' not in repr(card) and '4242' not in str(errors_of(card))


@pytest.mark.usefixtures('database')
async def test_the_review_says_what_is_wrong_with_the_amount_and_the_card_at_once():
    with pytest.raises(ValidationFailed) as refused:
        payments.quote('ten', Decimal('100'), new_card=TypedCard('4242424242424241', '01/20', '123'))
    assert refused.value.errors == {
        'amount': 'Enter an amount, like 25.00',
        'card_number': 'Check the card number',
        'card_expiry': 'The card has expired.',
    }
    assert payments.quote('10', Decimal('100'), new_card=TypedCard('4242424242424242', '12/30', '123')).total == 10
