"""The payments pages open only for a contact whose role sees payments; the others get the not-found page."""

from nicegui.testing import User

from domain.models import ContactRole
from tests.domain.family.test_roles import second_contact
from tests.factories import make_family
from tests.pages.helpers import sign_in


async def test_a_guardian_without_billing_finds_no_payments_pages(user: User):
    made = await make_family('Bestie', 'mary@example.com')
    await second_contact(made, 'Mark', ContactRole.GUARDIAN_NO_BILLING)
    await sign_in(user, 'mark@example.com')
    for path in ('/portal/payments', '/portal/payments/pay', '/portal/payments/cards'):
        await user.open(path)
        await user.should_see('We could not find that page. It may have been removed, or the link may be wrong.')
        await user.should_not_see('Balance due')
