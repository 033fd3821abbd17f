"""What a parent does on a phone, in a real browser."""

from playwright.async_api import Page, expect

from domain import demo
from tests.e2e.conftest import COUNTDOWN_SECONDS, IDLE_SECONDS


async def sign_in_with_password(phone: Page, server: str, email: str = demo.DEMO_PARENT_EMAIL,
                                greeting: str = 'Hello, Mary') -> None:
    """Each test signs in as its own demo parent, so one test's language never leaks into another's."""
    await phone.goto(server + '/')
    await phone.get_by_text('Sign in with a password instead').click()
    await phone.get_by_label('Email', exact=True).fill(email)
    await phone.get_by_label('Password', exact=True).fill(demo.DEMO_PARENT_PASSWORD)
    await phone.get_by_role('button', name='Sign in', exact=True).click()
    await expect(phone.get_by_text(greeting)).to_be_visible()


async def test_every_parent_page_fits_a_phone_in_every_language(phone: Page, server: str):
    await sign_in_with_password(phone, server, 'dgunnar@example.com', 'Hello, Deanne')
    assert await phone.evaluate('document.documentElement.lang') == 'en-US'
    paths = ['/portal', '/portal/you', '/portal/contacts', '/portal/contacts/new', '/portal/payments',
             '/portal/messages', '/portal/security']
    for button_name, option in (('Language', 'English'), ('Language', 'Español'), ('Idioma', '简体中文')):
        await phone.goto(server + '/portal')
        await phone.get_by_role('button', name=button_name).click()
        await phone.get_by_role('menuitem', name=option).click()
        await phone.wait_for_load_state('networkidle')
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
    await sign_in_with_password(phone, server, 'hollyager41@example.com', 'Hello, Holly')
    button_name = 'Language'
    for option, greeting, lang, next_button_name in (('Español', 'Hola, Holly', 'es', 'Idioma'),
                                                     ('简体中文', 'Holly，您好', 'zh-CN', '语言'),
                                                     ('English', 'Hello, Holly', 'en-US', 'Language')):
        await phone.get_by_role('button', name=button_name).click()
        await phone.get_by_role('menuitem', name=option).click()
        await expect(phone.get_by_text(greeting)).to_be_visible()
        assert await phone.evaluate('document.documentElement.lang') == lang
        button_name = next_button_name
