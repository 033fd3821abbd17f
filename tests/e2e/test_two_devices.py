"""Two devices edit one child: the second save, made from a stale form, is refused and shows both values; nothing
is overwritten silently (issue 14, point 4), in a real browser on two phones."""

from playwright.async_api import expect

from tests.e2e.conftest import ARGS, CHROMIUM, PHONE
from tests.e2e.test_phone_journeys import sign_in_with_password


async def test_a_stale_save_from_a_second_phone_is_refused_and_both_values_are_shown(server: str):
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        phones = []
        for _ in range(2):  # two devices: two browsers' cookies, the same parent
            context = await browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
            page = await context.new_page()
            page.set_default_timeout(15000)
            # a parent no other test on this server signs in as, so no other test's language is left on him
            await sign_in_with_password(page, server, 'mark.bestie@example.com', 'Hello, Mark')
            await page.get_by_text('Nora Bestie').click()
            await expect(page.get_by_label('Allergies')).to_be_visible()
            phones.append(page)
        first, second = phones
        await first.get_by_label('Allergies').fill('Tree nuts (EpiPen in bag)')
        await first.get_by_role('button', name='Save').click()
        await expect(first.get_by_text('Saved')).to_be_visible()
        await second.get_by_label('Medical notes').fill('Asthma: inhaler before swimming')
        await second.get_by_role('button', name='Save').click()
        await expect(second.get_by_text('Someone else changed this while you were editing').first).to_be_visible()
        await expect(second.get_by_text('Theirs: Tree nuts (EpiPen in bag)')).to_be_visible()
        width = await second.evaluate('document.documentElement.scrollWidth')
        assert width <= PHONE['width'], f'the conflict notice is {width}px wide'
        await second.get_by_role('button', name='Keep mine').click()
        await expect(second.get_by_text('Saved')).to_be_visible()
        await first.reload()
        await expect(first.get_by_label('Allergies')).to_have_value('Tree nuts (EpiPen in bag)')
        await expect(first.get_by_label('Medical notes')).to_have_value('Asthma: inhaler before swimming')
        await browser.close()
