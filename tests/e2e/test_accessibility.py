"""axe-core, injected into the real browser, finds no violations on any parent page or the staff console."""

import json
import re

import pytest
from playwright.async_api import Page, expect

from domain.operations import demo
from tests.e2e.conftest import ROOT, next_staff_code
from tests.e2e.test_phone_journeys import sign_in_with_password

AXE = ROOT / 'node_modules' / 'axe-core' / 'axe.min.js'
PARENT_PAGES = [
    '/portal',
    '/portal/you',
    '/portal/contacts',
    '/portal/contacts/new',
    '/portal/payments',
    '/portal/payments/pay',
    '/portal/payments/cards',
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
    '/portal/news',
    '/portal/resources',
    '/portal/participants',
    '/portal/participants/7',  # Mia Brown's page: no photo yet, so her initials and "Add a photo"
]

pytestmark = pytest.mark.skipif(not AXE.exists(), reason=f'axe-core not installed at {AXE} (make test runs npm ci)')


async def violations(page: Page) -> list[dict]:
    await page.wait_for_load_state('networkidle')
    if not await page.evaluate('typeof axe !== "undefined"'):
        await page.add_script_tag(path=str(AXE))
    result = await page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                                                            'best-practice']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
    }""")
    return result


def report(path: str, found: list[dict]) -> str:
    return f'{path}: ' + json.dumps(found, indent=1, ensure_ascii=False)


async def test_sign_in_and_registration_pages(phone: Page, server: str):
    for path in ('/', '/forgot', '/register'):
        await phone.goto(server + path)
        found = await violations(phone)
        assert not found, report(path, found)


async def test_every_parent_page_in_every_language(phone: Page, server: str):
    await sign_in_with_password(phone, server, 'gbarrett@example.com', 'Before you continue')
    found = await violations(phone)  # the policy page, with a policy to agree to
    assert not found, report('/portal/policies (owed)', found)
    await phone.get_by_role('checkbox', name='I have read and agree to this policy').click()
    await phone.get_by_label('Type your full name to sign').fill('Gabby Brown')
    await phone.get_by_role('button', name='I agree').click()
    await expect(phone.get_by_text('Hello, Gabby')).to_be_visible()
    for language, button in (('English', 'Language'), ('Español', 'Language'), ('简体中文', 'Idioma')):
        await phone.goto(server + '/portal')
        await phone.get_by_role('button', name=button).click()
        async with phone.expect_navigation():
            await phone.get_by_role('menuitem', name=language).click()
        for path in PARENT_PAGES:
            await phone.goto(server + path)
            found = await violations(phone)
            assert not found, report(f'{path} in {language}', found)


async def test_the_staff_console(phone: Page, server: str):

    desk = await phone.context.browser.new_page(viewport={'width': 1280, 'height': 900})
    await desk.goto(server + '/staff/sign-in')
    found = await violations(desk)
    assert not found, report('/staff/sign-in', found)
    await desk.get_by_label('Email').fill(demo.DEMO_STAFF_EMAIL)
    await desk.get_by_label('Password').fill(demo.DEMO_STAFF_PASSWORD)
    await desk.get_by_label('Authenticator code').fill(await next_staff_code())
    await desk.get_by_role('button', name='Sign in').click()
    await expect(desk.get_by_text('Parent Portal Log').first).to_be_visible()
    for path in (
        '/staff',
        '/staff/families',
        '/staff/families/1',
        '/staff/questions',
        '/staff/policies',
        '/staff/settings',
        '/staff/classes',
        '/staff/classes/setup',
        '/staff/classes/new',
        '/staff/classes/1/edit',
        '/staff/classes/1/roster',
        '/staff/classes/4/roster',  # Pointe Prep, with its waitlist
        '/staff/requests',
        '/staff/events',
        '/staff/events/1',
        '/staff/events/dates/1',
        '/staff/attendance',
    ):
        await desk.goto(server + path)
        found = await violations(desk)
        assert not found, report(path, found)
    await desk.goto(server + '/staff/attendance')
    await desk.get_by_role('link', name=re.compile(f'^{demo.DEMO_TECHNIQUE}')).click()  # today's meeting's roster
    await expect(desk.get_by_role('button', name='All present')).to_be_visible()
    found = await violations(desk)
    assert not found, report(desk.url, found)
    await desk.close()


async def test_an_error_beside_a_field_is_announced(phone: Page, server: str):
    await phone.goto(server + '/')
    await phone.get_by_label('Mobile number or email').fill('not a number')
    await phone.get_by_role('button', name='Send me a code').click()
    error = phone.get_by_text('Enter a valid phone number, with the area code')
    await expect(error).to_be_visible()
    live = await error.evaluate('e => e.closest("[aria-live]")?.getAttribute("aria-live")')
    assert live == 'polite'
    field = phone.get_by_label('Mobile number or email')
    assert await field.get_attribute('aria-invalid') == 'true'
