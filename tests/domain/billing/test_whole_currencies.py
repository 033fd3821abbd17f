"""In a currency without cents (yen), an amount with decimals is refused beside the field, and the fee is whole."""

from decimal import Decimal

import pytest

from domain.billing import payments
from domain.errors import ValidationFailed
from domain.studio import settings

pytestmark = pytest.mark.usefixtures('database')


async def test_a_yen_amount_is_whole():
    await settings.change(currency='JPY', card_fee_percent=Decimal('3.00'))
    with pytest.raises(ValidationFailed) as refused:
        payments.quote('1000.50', Decimal(5000))
    assert refused.value.errors == {'amount': 'Enter a whole amount, without decimals'}
    quoted = payments.quote('1015', Decimal(5000))
    assert (quoted.amount, quoted.fee) == (Decimal(1015), Decimal(30))


async def test_dollars_keep_their_cents():
    await settings.change(currency='USD', card_fee_percent=Decimal('3.00'))
    assert payments.quote('10.50', Decimal(50)).fee == Decimal('0.32')
