"""Waitlists on a phone, in a real browser: a parent joins a full class's list, another accepts the place kept
for her child and enrols, and the staff console sees each step live."""

import re

from playwright.async_api import Page, expect

from tests.e2e.test_phone_journeys import sign_in_with_password, staff_console


async def test_a_parent_joins_a_full_class_waitlist_and_staff_see_it_live(phone: Page, server: str):
    desk = await staff_console(phone, server)
    await phone.set_viewport_size({'width': 360, 'height': 740})
    await sign_in_with_password(phone, server, 'hollyager41@example.com', 'Hello, Holly')
    await phone.goto(server + '/portal/classes')
    await phone.get_by_role('searchbox', name='Search classes').fill('Pointe')
    await expect(phone.locator('div[aria-label="Ballet 1"]')).to_have_count(0)  # the search has filtered the list
    card = phone.locator('div[aria-label="Pointe Prep"]')
    await expect(card.get_by_text(re.compile('join the waitlist', re.IGNORECASE)).first).to_be_visible()
    await card.get_by_role('button', name='Join the waitlist').click()
    await expect(phone.get_by_text('Join the waitlist for Pointe Prep')).to_be_visible()
    await phone.get_by_role('button', name='Join', exact=True).click()
    await expect(phone.get_by_text(re.compile(r'^Barbie is \d+(st|nd|rd|th) in line$'))).to_be_visible()
    assert await phone.evaluate('document.documentElement.scrollWidth') <= 360
    await phone.get_by_role('link', name='See your waitlists').click()
    await expect(phone.get_by_text('Pointe Prep').first).to_be_visible()
    await expect(
        desk.get_by_text(re.compile(r'Joined Waitlist: Pointe Prep - Student: Barbie Ager - Position: \d+')).first
    ).to_be_visible()
    await desk.close()


async def test_a_parent_accepts_the_place_kept_for_her_child_and_enrols(phone: Page, server: str):
    desk = await staff_console(phone, server)
    await phone.set_viewport_size({'width': 360, 'height': 740})
    await sign_in_with_password(phone, server)
    await phone.get_by_role('link', name=re.compile('A place in Pointe Prep is kept for Ava')).click()  # dashboard
    await expect(phone.get_by_text(re.compile('A place in Pointe Prep is kept for Ava until'))).to_be_visible()
    assert await phone.evaluate('document.documentElement.scrollWidth') <= 360
    await phone.get_by_role('button', name='Accept', exact=True).click()
    await expect(phone.get_by_text('Ava · Pointe Prep')).to_be_visible()
    await phone.get_by_role('button', name='Enrol', exact=True).click()
    await expect(phone.get_by_text('Enrolled!')).to_be_visible()
    await expect(desk.get_by_text('Waitlist offer accepted: Pointe Prep - Student: Ava Bestie').first).to_be_visible()
    await expect(
        desk.get_by_text(re.compile('Enrolled in Class: Pointe Prep - Student: Ava Bestie')).first
    ).to_be_visible()
    await desk.close()


async def test_the_desk_approves_a_trial_from_the_queue_and_the_family_sees_it(phone: Page, server: str):
    desk = await staff_console(phone, server)
    await desk.goto(server + '/staff/requests')
    await expect(desk.get_by_role('link', name=re.compile(r'^Requests \(\d+\)'))).to_be_visible()
    await desk.get_by_role('row').filter(has_text='Leo Bestie').filter(has_text='Boys Gymnastics').click()
    await desk.get_by_label('Message to the family (needed to decline)').fill('See you on the mat, Leo!')
    await desk.get_by_role('button', name='Approve', exact=True).click()
    await expect(desk.get_by_text('Approved: the family is told by email')).to_be_visible()
    await phone.set_viewport_size({'width': 360, 'height': 740})
    await sign_in_with_password(phone, server)
    await phone.goto(server + '/portal/classes/requests')
    await expect(phone.get_by_text('See you on the mat, Leo!')).to_be_visible()
    assert await phone.evaluate('document.documentElement.scrollWidth') <= 360
    await desk.close()
