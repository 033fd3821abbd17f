"""Two tabs of one browser are one parent: idle time follows the tab in use, and signing out in one closes both."""

import asyncio

from playwright.async_api import Page, expect

from tests.e2e.conftest import COUNTDOWN_SECONDS, IDLE_SECONDS
from tests.e2e.test_phone_journeys import sign_in_with_password


async def test_a_tab_left_open_follows_the_tab_in_use_and_signing_out_closes_both(phone: Page, impatient_server: str):
    server = impatient_server
    await sign_in_with_password(phone, server, 'mark.bestie@example.com', 'Hello, Mark')
    idle_tab = await phone.context.new_page()
    await idle_tab.goto(server + '/portal')
    await expect(idle_tab.get_by_text('Hello, Mark')).to_be_visible()
    await phone.bring_to_front()
    for _ in range(IDLE_SECONDS + COUNTDOWN_SECONDS + 3):  # longer than the idle tab would last on its own
        await phone.keyboard.press('Shift')
        await asyncio.sleep(1)
        assert not await idle_tab.locator('#kr-idle-warning').is_visible()
    assert idle_tab.url == server + '/portal'
    await phone.get_by_role('button', name='Sign out').click()
    await idle_tab.wait_for_url(server + '/', timeout=10_000)
    await expect(idle_tab.get_by_role('button', name='Send me a code')).to_be_visible()
