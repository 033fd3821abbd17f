"""What a parent does on a phone, in a real browser."""

import asyncio
import re

from playwright.async_api import Page, expect

from domain.operations import demo
from tests.e2e.conftest import COUNTDOWN_SECONDS, IDLE_SECONDS, SERVER_LOGS, next_staff_code


async def sign_in_with_password(
    phone: Page, server: str, email: str = demo.DEMO_PARENT_EMAIL, greeting: str = 'Hello, Mary'
) -> None:
    """Each test signs in as its own demo parent, so one test's language never leaks into another's."""
    await phone.goto(server + '/')
    await phone.get_by_text('Sign in with a password instead').click()
    await phone.get_by_label('Email', exact=True).fill(email)
    await phone.get_by_label('Password', exact=True).fill(demo.DEMO_PARENT_PASSWORD)
    await phone.get_by_role('button', name='Sign in', exact=True).click()
    await expect(phone.get_by_text(greeting)).to_be_visible(timeout=15000)  # argon2, on a busy 2-core machine


async def test_every_parent_page_fits_a_phone_in_every_language(phone: Page, server: str):
    await sign_in_with_password(phone, server, 'dgunnar@example.com', 'Hello, Deanne')
    assert await phone.evaluate('document.documentElement.lang') == 'en-US'
    paths = [
        '/portal',
        '/portal/you',
        '/portal/contacts',
        '/portal/contacts/new',
        '/portal/payments',
        '/portal/messages',
        '/portal/security',
        '/portal/policies',
        '/portal/schedule',
        '/portal/classes',
        '/portal/events',
        '/portal/classes/waitlists',
        '/portal/classes/requests',
        '/portal/classes/1/trial',
        '/portal/absences',
    ]
    for button_name, option in (('Language', 'English'), ('Language', 'Español'), ('Idioma', '简体中文')):
        await phone.goto(server + '/portal')
        await phone.get_by_role('button', name=button_name).click()
        async with phone.expect_navigation():  # the switch reloads the page; let it finish before moving on
            await phone.get_by_role('menuitem', name=option).click()
        for path in paths:
            await phone.goto(server + path)
            await phone.wait_for_load_state('networkidle')
            for width in (393, 360):
                await phone.set_viewport_size({'width': width, 'height': 800})
                scroll_width = await phone.evaluate('document.documentElement.scrollWidth')
                assert scroll_width <= width, f'{path} in {option} is {scroll_width}px wide on a {width}px phone'


async def test_idle_parent_is_warned_then_signed_out(phone: Page, impatient_server: str):
    server = impatient_server
    await sign_in_with_password(phone, server)
    warning = phone.locator('#kr-idle-warning')
    await expect(warning).to_be_visible(timeout=(IDLE_SECONDS + 2) * 1000)
    await expect(warning).to_contain_text('signed out in')
    await phone.get_by_role('button', name='Stay signed in').click()
    await expect(warning).to_be_hidden()
    await expect(phone.get_by_text('Hello, Mary')).to_be_visible()
    await phone.wait_for_url('**/signed-out', timeout=(IDLE_SECONDS + COUNTDOWN_SECONDS + 4) * 1000)
    await expect(phone.get_by_text('you were signed out after a while without activity')).to_be_visible()
    await phone.goto(server + '/portal')
    await expect(phone.get_by_role('button', name='Send me a code')).to_be_visible()


async def test_switching_language_on_a_phone(phone: Page, server: str):
    desk = await staff_console(phone, server)
    await sign_in_with_password(phone, server, 'hollyager41@example.com', 'Hello, Holly')
    button_name = 'Language'
    for option, greeting, lang, next_button_name in (
        ('Español', 'Hola, Holly', 'es', 'Idioma'),
        ('简体中文', 'Holly，您好', 'zh-CN', '语言'),
        ('English', 'Hello, Holly', 'en-US', 'Language'),
    ):
        await phone.get_by_role('button', name=button_name).click()
        await phone.get_by_role('menuitem', name=option).click()
        await expect(phone.get_by_text(greeting)).to_be_visible()
        assert await phone.evaluate('document.documentElement.lang') == lang
        button_name = next_button_name
    await expect(desk.get_by_text('Preferred language for Holly Ager set to 简体中文').first).to_be_visible()
    await desk.close()


async def code_sent_to(server: str, number: str) -> str:
    """The demo prints texts to its log instead of sending them: read the newest code sent to this number."""
    for _ in range(100):
        codes = re.findall(rf'text to {re.escape(number)}: .*?(\d{{6}})', SERVER_LOGS[server].read_text())
        if codes:
            return codes[-1]
        await asyncio.sleep(0.1)
    raise AssertionError(f'no code was sent to {number}')


async def fits_the_phone(phone: Page, step: str) -> None:
    """At most the phone's width, and nothing axe-core objects to (where it is installed)."""
    from tests.e2e.test_accessibility import AXE, report, violations

    width = await phone.evaluate('document.documentElement.scrollWidth')
    assert width <= 393, f'registration step {step} is {width}px wide'
    if AXE.exists():
        found = await violations(phone)
        assert not found, report(f'registration step {step}', found)


async def test_a_new_family_registers_on_a_phone(phone: Page, server: str):
    desk = await staff_console(phone, server)
    await phone.goto(server + '/')
    await phone.get_by_label('Mobile number or email').fill('(312) 555-0188')
    await phone.get_by_role('button', name='Send me a code').click()
    await phone.get_by_label('Code').fill(await code_sent_to(server, '+13125550188'))
    await expect(phone.get_by_text('About you')).to_be_visible()
    await fits_the_phone(phone, 'you')
    await phone.get_by_label('First name').fill('Tove')
    await phone.get_by_label('Last name').fill('Lind')
    await phone.get_by_label('Email', exact=True).fill('tove.lind@example.com')
    await phone.wait_for_timeout(1000)
    await phone.reload()  # a moment later the phone locked: everything typed is still there
    await expect(phone.get_by_label('First name')).to_have_value('Tove')
    await phone.get_by_role('button', name='Next').click()
    await expect(phone.get_by_text('Step 2 of 6')).to_be_visible()
    await fits_the_phone(phone, 'contacts')
    await phone.get_by_role('button', name='Next').click()
    await expect(phone.get_by_text('Participant 1')).to_be_visible()
    await fits_the_phone(phone, 'participants')
    await phone.get_by_label('First name').fill('Alva')
    await phone.get_by_label('Last name').fill('Lind')
    await phone.get_by_label('Birthdate').fill('2017-04-09')
    await phone.get_by_role('button', name='Next').click()
    await expect(phone.get_by_text('A few questions')).to_be_visible()
    await fits_the_phone(phone, 'questions')
    await phone.get_by_label('How did you hear about us?').click()
    await phone.get_by_role('option', name='Social media').click()
    await phone.get_by_role('button', name='Next').click()
    await expect(phone.get_by_text('Liability waiver and photo release')).to_be_visible()
    await fits_the_phone(phone, 'policies')
    await phone.get_by_role('checkbox', name='I have read and agree to this policy').click()
    await phone.get_by_label('Type your full name to sign').fill('Tove Lind')
    await phone.get_by_role('button', name='Next').click()
    await expect(phone.get_by_text('Step 6 of 6')).to_be_visible()
    await fits_the_phone(phone, 'password')
    await phone.get_by_role('button', name='Check my registration').click()
    await expect(phone.get_by_role('heading', name='Check and send')).to_be_visible()
    await fits_the_phone(phone, 'check')
    await phone.get_by_role('button', name='Send my registration').click()
    await expect(phone.get_by_text('Thank you! Your registration is sent.')).to_be_visible()
    await fits_the_phone(phone, 'sent')
    await phone.get_by_role('button', name='Go to my account').click()
    await expect(phone.get_by_text('Hello, Tove')).to_be_visible()
    await expect(phone.get_by_text('Alva Lind')).to_be_visible()
    await expect(desk.get_by_text('Registration submitted: Lind family, participants: Alva Lind').first).to_be_visible()
    await expect(desk.get_by_text('Agreed to Policies: Tove Lind').first).to_be_visible()
    await desk.close()


async def test_a_parent_pays_with_a_sandbox_card_and_staff_see_it_live(phone: Page, server: str):
    desk = await staff_console(phone, server)

    await sign_in_with_password(phone, server)
    await phone.goto(server + '/portal/payments/pay')
    await phone.get_by_label('Amount to pay').fill('20')
    await phone.get_by_role('radio', name='A new card').click()
    await phone.get_by_label('Card number').fill('4242 4242 4242 4242')
    await phone.get_by_label('Expiry (MM/YY)').fill('12/30')
    await phone.get_by_label('Security code').fill('123')
    await phone.get_by_role('button', name='Review payment').click()
    await expect(phone.get_by_text('Total to be charged')).to_be_visible()
    await phone.get_by_role('button', name='Pay $20.00').click()
    await expect(phone.get_by_text('Payment approved')).to_be_visible()
    width = await phone.evaluate('document.documentElement.scrollWidth')
    assert width <= 393
    await expect(desk.get_by_text('Account: Bestie Amount: 20.00 Response Code: Approved')).to_be_visible()
    await desk.close()


async def staff_console(phone: Page, server: str) -> Page:
    """The demo administrator's Parent Portal Log, in a desktop-sized browser of its own."""

    desk = await phone.context.browser.new_page(viewport={'width': 1280, 'height': 900})
    await desk.goto(server + '/staff/sign-in')
    await desk.get_by_label('Email').fill(demo.DEMO_STAFF_EMAIL)
    await desk.get_by_label('Password').fill(demo.DEMO_STAFF_PASSWORD)
    await desk.get_by_label('Authenticator code').fill(await next_staff_code())
    await desk.get_by_role('button', name='Sign in').click()
    await expect(desk.get_by_text('Parent Portal Log').first).to_be_visible()
    return desk


async def test_a_parent_edits_a_participant_and_staff_see_each_step_live(phone: Page, server: str):
    desk = await staff_console(phone, server)
    await sign_in_with_password(phone, server)
    await expect(desk.get_by_text(f'Login successful for UserID: {demo.DEMO_PARENT_EMAIL}').first).to_be_visible()
    await phone.get_by_text('Leo Bestie').click()
    await phone.get_by_label('Allergies').fill('Bee stings')
    await phone.get_by_role('button', name='Save').click()
    await expect(phone.get_by_text('Saved')).to_be_visible()
    await expect(desk.get_by_text('Allergies for Leo Bestie updated').first).to_be_visible()
    await desk.close()


async def test_a_parent_enrols_a_child_sees_the_schedule_and_staff_see_it_live(phone: Page, server: str):
    desk = await staff_console(phone, server)
    await sign_in_with_password(phone, server)
    await phone.get_by_role('link', name=re.compile('^Classes')).click()
    await phone.get_by_role('button', name='Leo', exact=True).click()
    await expect(phone.get_by_role('button', name=re.compile('not for Leo$'))).to_be_visible()  # Leo's classes
    # The first class Leo can enrol in: its card is labelled with the class's name
    card = phone.locator('div[aria-label]').filter(has=phone.get_by_role('button', name='Choose for Leo')).first
    course = await card.get_attribute('aria-label')
    await card.get_by_role('button', name='Choose for Leo').click()
    await expect(phone.get_by_text(f'Leo · {course}')).to_be_visible()
    await phone.get_by_role('button', name='Check out (1 class)').click()
    await expect(phone.get_by_role('timer')).to_contain_text('Your places are held for')
    await phone.get_by_role('button', name='Enrol', exact=True).click()
    await expect(phone.get_by_text('Enrolled!')).to_be_visible()
    assert await phone.evaluate('document.documentElement.scrollWidth') <= 393
    await phone.get_by_role('link', name='See my schedule').click()
    await expect(phone.get_by_text('Coming up')).to_be_visible()
    await expect(
        desk.get_by_text(re.compile(f'Enrolled in Class: {re.escape(course)} - Student: Leo Bestie'))
    ).to_be_visible()
    await desk.close()
