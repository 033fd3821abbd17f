"""On "You", a new sign-in email takes effect only with the code sent to it, and the parent is told it did."""

import re

from nicegui import ui
from nicegui.testing import User

from domain.models import Contact
from tests.factories import make_family
from tests.pages.helpers import newest_delivery, press, sent_count, sign_in


async def test_a_new_email_is_proven_by_its_code_and_the_change_is_said_where_the_parent_looks(user: User):
    made = await make_family('Ager', 'holly@example.com')
    await sign_in(user)
    await user.open('/portal/you')
    before = sent_count()
    user.find(kind=ui.input, content='Email').clear().type('holly.new@example.com')
    press(user, 'Save')
    await user.should_see('We sent a code to holly.new@example.com. Enter it to sign in with it from now on.')
    code = re.search(r'\b(\d{6})\b', await newest_delivery(before)).group(1)
    assert (await Contact.get(id=made.parent.id)).email == 'holly@example.com'  # not before the code
    codes = [field for field in user.find(kind=ui.input).elements if field.props.get('label') == 'Code']
    codes[-1].set_value(code)
    press(user, 'Confirm')
    await user.should_see('Changed. You sign in with holly.new@example.com from now on.', retries=30)
    assert (await Contact.get(id=made.parent.id)).email == 'holly.new@example.com'
    told = await newest_delivery(before + 1)
    assert 'holly.new@example.com' in told and 'call the studio' in told
