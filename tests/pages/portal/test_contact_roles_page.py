"""The contact page offers the billing tick only for a guardian with billing, following the role as it is chosen."""

from nicegui import ui
from nicegui.testing import User

from domain.models import Contact, ContactRole
from tests.domain.family.test_roles import second_contact
from tests.factories import make_family
from tests.pages.helpers import sign_in


def billing_box(user: User) -> ui.checkbox:
    return next(box for box in user.find(kind=ui.checkbox).elements if box.text == 'Billing contact')


def role_select(user: User) -> ui.select:
    return next(s for s in user.find(kind=ui.select).elements if s.props.get('label') == 'Role in the family')


async def test_the_billing_tick_follows_the_role(user: User):
    made = await make_family('Bestie', 'mary@example.com')
    await Contact.filter(id=made.parent.id).update(is_billing=True)
    mark = await second_contact(made, 'Mark', ContactRole.GUARDIAN_NO_BILLING)
    await sign_in(user, 'mary@example.com')
    await user.open(f'/portal/contacts/{mark.id}')
    await user.should_see('Billing contact')
    assert not billing_box(user).enabled
    role_select(user).set_value(ContactRole.GUARDIAN.value)
    assert billing_box(user).enabled
    billing_box(user).set_value(True)
    role_select(user).set_value(ContactRole.PICKUP.value)
    assert not billing_box(user).enabled and billing_box(user).value is False
