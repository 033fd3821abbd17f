"""What a phone downloads for the sign-in page and the dashboard: no icon font, no web font, no Tailwind compiler."""

from playwright.async_api import Page, expect

from components.setup import icons
from domain.operations import demo
from tests.e2e.test_phone_journeys import sign_in_with_password


async def requests_for(phone: Page, load) -> list[str]:
    seen: list[str] = []
    phone.on('request', lambda request: seen.append(request.url))
    await load()
    await phone.wait_for_load_state('networkidle')
    return seen


async def test_the_sign_in_page_and_dashboard_download_no_fonts_and_no_tailwind(phone: Page, server: str):
    seen = await requests_for(phone, lambda: phone.goto(server + '/'))
    assert any('quasar' in url for url in seen)  # the listener sees the page's own assets
    assert not [url for url in seen if url.endswith(('.woff2', '.woff', '.ttf')) or 'tailwind' in url]
    translate = phone.get_by_role('button', name='Language: English').locator('svg')
    await expect(translate).to_be_visible()  # the icon is an inline SVG
    box = await translate.bounding_box()
    assert box and box['width'] >= 16

    seen = await requests_for(
        phone, lambda: sign_in_with_password(phone, server, demo.DEMO_PARENT_EMAIL, 'Hello, Mary')
    )
    assert any('/portal' in url for url in seen)
    assert not [url for url in seen if url.endswith(('.woff2', '.woff', '.ttf')) or 'tailwind' in url]
    assert await phone.locator('header .q-icon svg').count() >= 2  # language and sign out
    assert await phone.locator('.kr-tile .kr-tile-icon svg').count() >= 8  # one per dashboard tile
    widths = await phone.locator('.kr-tile .kr-tile-icon use').evaluate_all('es => es.map(e => e.getBBox().width)')
    assert min(widths) > 2 and max(widths) > 10  # each sprite symbol is drawn, not an empty box (! is narrow)
    sprite = await phone.request.get(server + icons.SPRITE_URL)
    assert sprite.ok and 'immutable' in sprite.headers['cache-control']
    assert sum(url.endswith(icons.SPRITE_URL) for url in seen) == 1  # one file for every tile's icon
    tile = phone.get_by_role('link', name='Balance due')
    await expect(tile).to_be_visible()
    assert (await tile.bounding_box())['height'] >= 48  # a thumb-sized target
    assert await phone.locator('.material-icons').count() == 0  # nothing left drawn with the font


async def test_utility_classes_still_lay_the_page_out(phone: Page, server: str):
    await phone.goto(server + '/')
    header = phone.locator('header .q-toolbar, header').first
    await expect(header).to_be_visible()
    column = phone.locator('.max-w-xl').first  # the readable column: 36rem at most, centred, padded
    styles = await column.evaluate(
        'e => { const s = getComputedStyle(e); return [s.maxWidth, s.paddingLeft, s.gap, s.marginLeft]; }'
    )
    assert styles[0] == '576px' and styles[1] == '12px' and styles[2] == '12px'
    heading = phone.locator('h1').first
    assert await heading.evaluate('e => getComputedStyle(e).marginTop') == '0px'  # m-0 against the browser's h1
