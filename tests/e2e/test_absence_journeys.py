"""Absences and makeups on a 360 px phone, in a real browser: a parent reports an absence from the dashboard and
cancels it, a parent books a makeup with a credit and is told what cancelling it would do, and an instructor takes
the roster of today's class. Each journey uses a child the others leave alone, and puts back what it changed."""

import datetime as dt
import os
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import Page, expect

from domain.operations import demo
from tests.e2e.conftest import next_staff_code
from tests.e2e.test_accessibility import AXE, report, violations
from tests.e2e.test_phone_journeys import sign_in_with_password

SMALL_PHONE = {'width': 360, 'height': 740}
SHOTS = Path(os.environ.get('KINROLL_SHOTS', '/tmp/h7shots'))


def studio_today() -> dt.date:
    """The demo server's today: its Ballet Technique meets on this weekday every week for six weeks more."""
    return dt.datetime.now(ZoneInfo(os.environ.get('PORTAL_TIMEZONE', 'America/Chicago'))).date()


async def fits(phone: Page) -> None:
    assert await phone.evaluate('document.documentElement.scrollWidth') <= SMALL_PHONE['width']


def marks(phone: Page, child: str):
    """One child's Present / Absent / Late / Excused on the roster."""
    return phone.locator(f'[aria-label="Attendance of {child} Bestie"]')


async def shot(phone: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    await phone.screenshot(path=str(SHOTS / f'{name}.png'), full_page=True)


async def test_a_parent_reports_an_absence_from_the_dashboard_and_cancels_it(phone: Page, server: str):
    await phone.set_viewport_size(SMALL_PHONE)
    await sign_in_with_password(phone, server)
    await phone.get_by_role('link', name=re.compile('^Absences and makeups')).click()
    await expect(phone.get_by_role('heading', name='Report an absence')).to_be_visible()
    await expect(phone.get_by_text('Who will miss class')).to_be_visible()
    await phone.get_by_role('checkbox', name='Leo', exact=True).click()
    await phone.get_by_role('combobox', name='Class').click()
    await phone.get_by_role('option', name=demo.DEMO_TECHNIQUE, exact=True).click()
    day = studio_today() + dt.timedelta(weeks=2)  # Leo's class meets that day; today's roster is left alone
    await phone.get_by_label('Day', exact=True).fill(day.isoformat())
    await expect(phone.get_by_text('This reports 1 class:')).to_be_visible()
    await expect(phone.get_by_text(re.compile(rf'^Leo · {demo.DEMO_TECHNIQUE} · '))).to_be_visible()
    await phone.get_by_role('combobox', name='Reason').click()
    await phone.get_by_role('option', name='Travel').click()
    await phone.get_by_label('Note for the studio (optional)').fill('Visiting his grandparents')
    await fits(phone)
    await shot(phone, '1-report-form')
    await phone.get_by_role('button', name='Report the absence').click()
    await expect(phone.get_by_text('1 absence reported')).to_be_visible()
    reported = (
        phone.locator('.q-column, div')
        .filter(has=phone.get_by_text('Visiting his grandparents'))
        .filter(has=phone.get_by_role('button', name='Cancel the absence'))
    )
    card = reported.last
    await expect(card.get_by_text(f'Leo · {demo.DEMO_TECHNIQUE}')).to_be_visible()
    await expect(card.get_by_text(re.compile('Travel$'))).to_be_visible()
    await expect(card.get_by_text('Reported by Mary Bestie')).to_be_visible()
    await fits(phone)
    await shot(phone, '1-absence-listed')
    await card.get_by_role('button', name='Cancel the absence').click()
    dialog = phone.get_by_role('dialog')
    await expect(
        dialog.get_by_text(re.compile(f'^Cancel the absence\\? Leo comes to {demo.DEMO_TECHNIQUE} on'))
    ).to_be_visible()
    await dialog.get_by_role('button', name='Cancel the absence').click()
    await expect(phone.get_by_text('Absence cancelled: Leo is expected in class')).to_be_visible()
    await expect(phone.get_by_text('Visiting his grandparents')).to_have_count(0)


async def test_a_parent_books_a_makeup_and_is_told_what_cancelling_would_do(phone: Page, server: str):
    await phone.set_viewport_size(SMALL_PHONE)
    await sign_in_with_password(phone, server)
    await phone.goto(server + '/portal/absences')
    await expect(phone.get_by_role('heading', name='Makeup credits')).to_be_visible()
    book = phone.get_by_role('button', name='Book a makeup')
    await expect(book).to_have_count(1)  # Nora's credit, excused last week: the demo's one available credit
    await book.click()
    dialog = phone.get_by_role('dialog')
    await expect(dialog.get_by_role('heading', name='Book a makeup for Nora')).to_be_visible()
    option = (
        dialog.locator('.q-row, .row')
        .filter(has_text=demo.DEMO_PRACTICE)
        .filter(has=phone.get_by_role('button', name='Book', exact=True))
    )
    await expect(option.first.get_by_text(re.compile(r'^\d+ seats? left$'))).to_be_visible()
    await fits(phone)
    await shot(phone, '2-makeup-options')
    await option.first.get_by_role('button', name='Book', exact=True).click()
    await expect(phone.get_by_text(re.compile(f'^Makeup booked: Nora · {demo.DEMO_PRACTICE} · '))).to_be_visible()
    nora = (
        phone.locator('.q-column, div')
        .filter(has=phone.get_by_text('Nora · Ballet Technique', exact=True))
        .filter(has=phone.get_by_role('button', name='Cancel the makeup'))
    )
    card = nora.last
    await expect(card.get_by_text(re.compile('^Booked for a makeup · use by '))).to_be_visible()
    await expect(card.get_by_text(re.compile(f'^Makeup: {demo.DEMO_PRACTICE} · '))).to_be_visible()
    await expect(card.get_by_text(re.compile(r'^Cancel before .+ and the credit comes back\.$'))).to_be_visible()
    await fits(phone)
    await shot(phone, '2-makeup-booked')
    await card.get_by_role('button', name='Cancel the makeup').click()  # put the credit back for other tests
    question = phone.get_by_role('dialog').get_by_text(re.compile('^Cancel Nora’s makeup in'))
    await expect(question).to_contain_text('and the credit comes back.')
    await phone.get_by_role('dialog').get_by_role('button', name='Cancel the makeup').click()
    await expect(phone.get_by_text('Makeup cancelled: the credit is back')).to_be_visible()
    await expect(phone.get_by_role('button', name='Book a makeup')).to_have_count(1)


async def test_an_instructor_takes_todays_roster_on_a_phone(phone: Page, server: str):
    await phone.set_viewport_size(SMALL_PHONE)
    email, name = demo.DEMO_INSTRUCTORS['Ines']
    await phone.goto(server + '/staff/sign-in')
    await phone.get_by_label('Email').fill(email)
    await phone.get_by_label('Password').fill(demo.DEMO_INSTRUCTOR_PASSWORD)
    await phone.get_by_label('Authenticator code').fill(await next_staff_code())
    await phone.get_by_role('button', name='Sign in').click()
    await phone.wait_for_url(re.compile(r'/staff/attendance$'))
    meeting = phone.get_by_role('link', name=re.compile(f'^{demo.DEMO_TECHNIQUE}'))
    await expect(meeting).to_contain_text('Not taken yet')
    await fits(phone)
    await shot(phone, '3-meetings')
    await meeting.click()
    await expect(marks(phone, 'Ava')).to_be_visible()
    await phone.get_by_role('button', name='All present').click()
    for child in ('Ava', 'Leo', 'Nora'):
        await expect(marks(phone, child).get_by_role('button', name='Present')).to_have_attribute(
            'aria-pressed', 'true'
        )
    ava = marks(phone, 'Ava')
    await ava.get_by_role('button', name='Absent').click()
    await fits(phone)
    await shot(phone, '3-roster-marked')
    await phone.get_by_role('button', name='Save', exact=True).click()
    await expect(phone.get_by_text(re.compile(f'^Saved by {name}, '))).to_be_visible()
    ava = marks(phone, 'Ava')  # the rows are built again as saved
    await expect(ava.get_by_role('button', name='Absent')).to_have_attribute('aria-pressed', 'true')
    await expect(marks(phone, 'Leo').get_by_role('button', name='Present')).to_have_attribute('aria-pressed', 'true')
    await shot(phone, '3-roster-saved')
    await phone.get_by_role('link', name='All meetings that day').click()
    await expect(phone.get_by_role('link', name=re.compile(f'^{demo.DEMO_TECHNIQUE}'))).to_contain_text('Roster saved')


@pytest.mark.skipif(not AXE.exists(), reason=f'axe-core not installed at {AXE} (make test runs npm ci)')
async def test_the_page_with_credits_in_every_state_and_its_dialogs_pass_axe(phone: Page, server: str):
    await phone.set_viewport_size(SMALL_PHONE)
    await sign_in_with_password(phone, server)
    await phone.goto(server + '/portal/absences')
    await expect(phone.get_by_text(re.compile('^Expired'))).to_be_visible()  # the demo's credits, in every state
    found = await violations(phone)
    assert not found, report('/portal/absences (the Besties)', found)
    await phone.get_by_role('button', name='Book a makeup').click()
    await expect(phone.get_by_role('dialog').get_by_role('button', name='Book', exact=True).first).to_be_visible()
    found = await violations(phone)
    assert not found, report('/portal/absences, booking a makeup', found)
    await phone.get_by_role('dialog').get_by_role('button', name='Close').click()
    await phone.get_by_role('button', name='Cancel the makeup').first.click()  # Leo's, booked by the demo
    await expect(phone.get_by_role('dialog').get_by_role('button', name='Keep it')).to_be_visible()
    found = await violations(phone)
    assert not found, report('/portal/absences, cancelling a makeup', found)
    await phone.get_by_role('dialog').get_by_role('button', name='Keep it').click()
