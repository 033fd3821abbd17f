"""A contact whose role sees no payments is refused by every billing service a parent can reach, not only hidden
from the dashboard (issue 14, point 1)."""

import datetime as dt

import pytest

from domain.access.actors import NotYourRole
from domain.billing import payments, statements
from domain.models import ContactRole
from tests.domain.family.test_roles import second_contact
from tests.factories import make_family, signed_in

pytestmark = pytest.mark.usefixtures('database')


@pytest.mark.parametrize('role', [ContactRole.GUARDIAN_NO_BILLING, ContactRole.PICKUP, ContactRole.EMERGENCY])
async def test_a_contact_whose_role_sees_no_payments_is_refused_by_each_billing_service(role):
    made = await make_family('Bestie', 'mary@example.com')
    await second_contact(made, 'Mark', role)
    mark = await signed_in('mark@example.com')
    period = statements.StatementRange(dt.date(2026, 1, 1), dt.date(2026, 12, 1))
    for refused in (
        payments.checkout_view(mark),
        payments.list_cards(mark),
        payments.pay(mark, payments.new_checkout_key(), '10.00', card_id=1),
        payments.settle_payment_for_key(mark, 'any'),
        payments.remove_card(mark, 1),
        payments.set_default_card(mark, 1),
        statements.family_statement(mark, period, 'en'),
    ):
        with pytest.raises(NotYourRole):
            await refused


async def test_a_guardian_with_billing_still_pays():
    made = await make_family('Bestie', 'mary@example.com')
    await second_contact(made, 'Mark', ContactRole.GUARDIAN, is_billing=True)
    mark = await signed_in('mark@example.com')
    assert (await payments.checkout_view(mark)).balance == 0
