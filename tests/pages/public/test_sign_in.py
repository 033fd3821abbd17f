import re

from nicegui import ui
from nicegui.testing import User

from domain.access import passwords, sessions
from domain.access.actors import StaffActor
from domain.access.sign_in import sign_in_parent
from domain.models import AccessCode, Contact, OutboxMessage, StaffRole
from tests.factories import PASSWORD, make_family
from tests.pages.helpers import ask_for_code, newest_delivery, press, sent_count, sign_in


async def test_a_parent_signs_in_with_a_code_sent_to_their_mobile(user: User):
    made = await make_family('Ager', 'holly@example.com')
    await Contact.filter(id=made.parent.id).update(mobile_phone='+13125550141')
    code = await ask_for_code(user, ' 312-555-0141')
    await user.should_see('We sent a 6-digit code to 312-555-0141.')  # as typed, not +13125550141
    user.find(marker='code').type(code)
    press(user, 'Continue')
    await user.should_see('Hello, Holly', retries=30)


async def test_the_sixth_digit_sends_the_code_without_a_tap(user: User):
    await make_family('Ager', 'holly@example.com')
    code = await ask_for_code(user, 'holly@example.com')
    user.find(marker='code').type(code[:5])
    await user.should_not_see('That code is not right')
    user.find(marker='code').type(code[5])
    await user.should_see('Hello, Holly', retries=30)


async def test_a_wrong_code_sent_by_its_sixth_digit_is_not_tried_again_by_a_tap(user: User):
    await make_family('Ager', 'holly@example.com')
    code = await ask_for_code(user, 'holly@example.com')
    user.find(marker='code').type(f'{(int(code) + 1) % 10**6:06d}')
    await user.should_see('That code is not right, or it has expired', retries=30)
    press(user, 'Continue')
    await user.should_see('That code is not right, or it has expired')
    assert (await AccessCode.get(destination='holly@example.com')).wrong_entries == 1


async def test_the_code_step_survives_a_reload(user: User):
    await make_family('Ager', 'holly@example.com')
    code = await ask_for_code(user, 'holly@example.com')
    await user.open('/')  # the phone locked, the page reloaded
    await user.should_see(marker='code')
    user.find(marker='code').type(code)
    press(user, 'Continue')
    await user.should_see('Hello, Holly', retries=30)


async def test_a_wrong_code_is_refused_beside_the_field(user: User):
    await make_family('Ager', 'holly@example.com')
    code = await ask_for_code(user, 'holly@example.com')
    user.find(marker='code').type(f'{(int(code) + 1) % 10**6:06d}')
    press(user, 'Continue')
    await user.should_see('That code is not right, or it has expired', retries=30)
    await user.should_not_see('Hello, Holly')


async def test_known_and_unknown_see_the_same_screen(user: User):
    await make_family('Ager', 'holly@example.com')
    await ask_for_code(user, 'holly@example.com')
    press(user, 'Use a different number or email')
    await user.should_see(marker='destination')
    user.find(marker='destination').type('newfamily@example.com')
    press(user, 'Send me a code')
    await user.should_see('We sent a 6-digit code to newfamily@example.com', retries=30)


async def test_an_unknown_number_continues_to_registration_with_it_kept(user: User):
    code = await ask_for_code(user, '(312) 555-0177')
    user.find(marker='code').type(code)
    press(user, 'Continue')
    await user.should_see('Register your family', retries=30)
    await user.should_see('+1 312-555-0177')  # kept, and not to be typed again
    await user.open('/register')
    await user.should_see('+1 312-555-0177')
    assert not await Contact.exists()


async def test_forgot_password_says_the_same_for_any_address(user: User):
    await make_family('Ager', 'holly@example.com')
    answers = []
    for email in ('holly@example.com', 'nobody@example.com'):
        await user.open('/forgot')
        user.find(kind=ui.input).type(email)
        press(user, 'Email me a link')
        await user.should_see('a link to choose a new password is on its way', retries=30)
        answers.append(user.find(content='is on its way').elements.pop().text.replace(email, 'EMAIL'))
    assert answers[0] == answers[1]


async def test_a_reset_link_sets_a_new_password_and_signs_in(user: User):
    await make_family('Ager', 'holly@example.com')
    before = sent_count()
    await passwords.request_reset('holly@example.com')
    link = re.search(r'(/reset/\S+)', await newest_delivery(before)).group(1)
    await user.open(link)
    user.find('New password').type('password')
    press(user, 'Save my new password')
    await user.should_see('too easy to guess', retries=30)
    user.find('New password').clear().type('pirouettes on sunday')
    press(user, 'Save my new password')
    await user.should_see('Hello, Holly', retries=30)
    await user.open(link)
    await user.should_see('This link has expired or was already used')


async def test_a_temporary_password_must_be_replaced_before_anything_else(user: User):
    made = await make_family('Ager', 'holly@example.com')
    staff = StaffActor(1, 'Desk', 'desk@example.com', StaffRole.FRONT_DESK)
    temporary = await passwords.staff_reset_password(staff, made.parent.id)
    await sign_in(user, password=temporary)
    await user.should_see('Choose your own password')
    await user.open('/portal')
    await user.should_see('Choose your own password')
    user.find('Temporary password').type(temporary)
    user.find('New password').type('glitter and tap shoes')
    press(user, 'Change password')
    await user.should_see('Hello, Holly', retries=30)


async def test_messages_tile_shows_what_was_sent_with_codes_masked(user: User):
    made = await make_family('Ager', 'holly@example.com')
    other = await make_family('Gunnar', 'deanne@example.com')
    await passwords.request_reset('deanne@example.com')
    code = await ask_for_code(user, 'holly@example.com')
    user.find(marker='code').type(code)
    press(user, 'Continue')
    await user.should_see('Hello, Holly', retries=30)
    await user.open('/portal/messages')
    await user.should_see('Your sign-in code for Kinroll Studio')
    await user.should_not_see('Reset your')
    mine = await OutboxMessage.get(family_id=made.family.id)
    await user.open(f'/portal/messages/{mine.id}')
    await user.should_see('••••••')
    await user.should_not_see(code)
    theirs = await OutboxMessage.get(family_id=other.family.id)
    await user.open(f'/portal/messages/{theirs.id}')
    await user.should_see('We could not find that page')


async def test_sign_out_other_devices(user: User):
    await make_family('Ager', 'holly@example.com')
    elsewhere, _ = await sign_in_parent('holly@example.com', PASSWORD)
    await sign_in(user)
    await user.open('/portal/security')
    press(user, 'Sign out other devices')
    await user.should_see('Signed out of 1 other device', retries=30)
    assert await sessions.resolve_parent(elsewhere) is None


async def test_the_first_page_speaks_the_browsers_language_in_its_heading_and_tab_title(user: User):
    user.http_client.headers['accept-language'] = 'es-MX,es;q=0.9,en;q=0.5'
    await user.open('/')
    await user.should_see(kind=ui.label, content='Portal para familias')
    assert user.find(kind=ui.label, content='Portal para familias').elements.pop().tag == 'h1'
    assert user.client.title.startswith('Portal para familias')
