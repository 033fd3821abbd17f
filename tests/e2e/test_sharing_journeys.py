"""What the studio shares, on a 360 px phone in a real browser: a parent uploads a child's photo (the studio reviews
photos, so it waits for review), opens a class PDF in a new tab through a short-lived link that a changed token
cannot open, and reads a news post, which is then no longer new. Each journey leaves the demo as the other tests
expect: Leo's shown photo stays the approved one, and the post is read by Mark Bestie, whom no other test uses."""

import base64
import json
import os
import re
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from playwright.async_api import Page, expect

from tests.e2e.test_accessibility import AXE, report, violations
from tests.e2e.test_phone_journeys import sign_in_with_password

SMALL_PHONE = {'width': 360, 'height': 740}
SHOTS = Path(os.environ.get('KINROLL_SHOTS', '/tmp/e2e18shots'))
SECOND_GUARDIAN = 'mark.bestie@example.com'  # Mary's husband: reading a post marks it read for him alone
needs_axe = pytest.mark.skipif(not AXE.exists(), reason=f'axe-core not installed at {AXE} (make test runs npm ci)')


async def fits(phone: Page) -> None:
    width = await phone.evaluate('document.documentElement.scrollWidth')
    assert width <= SMALL_PHONE['width'], f'{phone.url} is {width}px wide on a {SMALL_PHONE["width"]}px phone'


async def shot(phone: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    await phone.screenshot(path=str(SHOTS / f'{name}.png'), full_page=True)


async def axe_clean(phone: Page, where: str) -> None:
    if not AXE.exists():
        return
    found = await violations(phone)
    assert not found, report(where, found)


def linked_file(address: str | None) -> int:
    """The stored file a `/files/<token>` link names (the token's payload is base64 JSON: id, download, expiry)."""
    assert address and address.startswith('/files/'), address
    payload = address.removeprefix('/files/').partition('.')[0]
    return json.loads(base64.urlsafe_b64decode(payload + '=' * (-len(payload) % 4)))[0]


def snapshot() -> bytes:
    """A phone's photo, as a camera would save it: a JPEG of a few hundred pixels."""
    picture = Image.new('RGB', (640, 480), (254, 243, 199))
    pen = ImageDraw.Draw(picture)
    pen.ellipse((220, 90, 420, 310), fill=(240, 200, 170))
    pen.ellipse((170, 330, 470, 640), fill=(234, 88, 12))
    out = BytesIO()
    picture.save(out, 'JPEG', quality=85)
    return out.getvalue()


async def test_a_parent_uploads_a_childs_photo_which_waits_for_review(phone: Page, server: str):
    await phone.set_viewport_size(SMALL_PHONE)
    await sign_in_with_password(phone, server)
    await phone.get_by_role('link', name=re.compile('Leo Bestie')).first.click()
    await expect(phone.get_by_role('heading', name='Leo Bestie', level=1)).to_be_visible()
    await expect(phone.get_by_role('img', name='Photo of Leo Bestie')).to_be_visible()  # the demo's drawn one
    shown = await phone.get_by_role('img', name='Photo of Leo Bestie').get_attribute('src')
    await phone.get_by_role('button', name='Change photo').click()
    await expect(phone.get_by_text('JPEG, PNG, WebP or HEIC, up to 10 MB.')).to_be_visible()
    await fits(phone)
    await shot(phone, '1-choose-a-photo')
    async with phone.expect_file_chooser() as choosing:  # the button opens the phone's picker within the tap
        await phone.get_by_role('button', name='Choose a photo').click()
    await (await choosing.value).set_files({'name': 'leo.jpg', 'mimeType': 'image/jpeg', 'buffer': snapshot()})
    await expect(phone.get_by_text('Photo saved')).to_be_visible(timeout=20_000)
    waiting = phone.get_by_role('status').filter(has_text="A new photo is waiting for the studio's review.")
    await expect(waiting).to_be_visible()
    still = await phone.get_by_role('img', name='Photo of Leo Bestie').get_attribute('src')
    assert linked_file(still) == linked_file(shown)  # a fresh link to the same approved photo, until a review
    await expect(phone.get_by_role('button', name='Change photo')).to_be_visible()
    await fits(phone)
    await shot(phone, '1-photo-waiting')
    await axe_clean(phone, f'{phone.url} (Leo, a photo waiting for review)')


async def test_a_parent_opens_a_class_pdf_and_a_changed_link_is_refused(phone: Page, server: str):
    await phone.set_viewport_size(SMALL_PHONE)
    await sign_in_with_password(phone, server)
    await phone.get_by_role('link', name=re.compile('^Class resources')).click()
    await expect(phone.get_by_role('heading', name='Class resources', level=1)).to_be_visible()
    guide = phone.get_by_role('link', name=re.compile('^Recital costume guide'))
    await expect(guide).to_contain_text(re.compile(r'PDF · \d+ KB · added '))
    await expect(phone.get_by_text('What to wear on the day, and how to label it.')).to_be_visible()
    await fits(phone)
    await shot(phone, '2-resources')
    files = phone.context.expect_event('response', lambda response: '/files/' in response.url, timeout=20_000)
    async with files as served, phone.context.expect_page(timeout=20_000) as opening:
        await guide.click()  # through /portal/resources/<id>, which checks access, on to a signed /files/ link
    tab = await opening.value
    pdf = await served.value
    assert pdf.status == 200, pdf.status
    assert pdf.headers['content-type'] == 'application/pdf'
    assert re.search(r'/files/[^/]+$', tab.url), tab.url
    address = tab.url
    # chromium's PDF viewer stands in for the body it received: the bytes are fetched again, as the link
    # allows for its few minutes, and need no session
    again = await phone.request.get(address)
    assert again.status == 200
    assert (await again.body()).startswith(b'%PDF')
    token = address.rsplit('/', 1)[1]
    middle = len(token) // 2
    changed = token[:middle] + ('B' if token[middle] != 'B' else 'C') + token[middle + 1 :]
    refused = await phone.request.get(address.rsplit('/', 1)[0] + '/' + changed)
    assert refused.status == 410
    assert 'expired' in await refused.text()
    await tab.close()


async def test_a_parent_reads_a_post_which_is_then_no_longer_new(phone: Page, server: str):
    await phone.set_viewport_size(SMALL_PHONE)
    await sign_in_with_password(phone, server, SECOND_GUARDIAN, 'Hello, Mark')
    await expect(phone.get_by_role('heading', name='News', level=2)).to_be_visible()
    unread = phone.locator('.kr-tile').filter(has_text=re.compile('New · '))
    await expect(unread.first).to_be_visible()
    count = await unread.count()
    everything = phone.get_by_role('link', name=re.compile('^All news'))
    await expect(everything).to_contain_text(f'{count} new post')
    await fits(phone)
    await shot(phone, '3-dashboard-news')
    post = phone.get_by_role('link', name=re.compile('^Welcome to the new parent portal'))
    await expect(post).to_contain_text('New · ')
    await post.click()
    await expect(phone.get_by_role('heading', name='Welcome to the new parent portal', level=1)).to_be_visible()
    body = phone.get_by_text(re.compile('You can now see your schedule, report an absence'))
    await expect(body).to_be_visible()
    await expect(phone.locator('strong, b').filter(has_text='your schedule')).to_be_visible()  # Markdown's bold
    await fits(phone)
    await shot(phone, '3-post')
    await axe_clean(phone, f'{phone.url} (a post)')
    await phone.go_back()
    await expect(phone.get_by_text('Hello, Mark')).to_be_visible()
    post = phone.get_by_role('link', name=re.compile('^Welcome to the new parent portal'))
    await expect(post).to_have_count(0)  # the dashboard shows only the posts not read yet
    await expect(unread).to_have_count(count - 1)
    await shot(phone, '3-dashboard-after')
    await everything.click()
    await expect(phone.get_by_role('heading', name='News', level=1)).to_be_visible()
    read = phone.get_by_role('link', name=re.compile('^Welcome to the new parent portal'))
    await expect(read).to_be_visible()
    await expect(read).not_to_contain_text('New')
    await fits(phone)
    await shot(phone, '3-news-list')
    await axe_clean(phone, '/portal/news (Mark Bestie, one post read)')


@needs_axe
async def test_the_childs_page_and_the_sharing_pages_pass_axe(phone: Page, server: str):
    await phone.set_viewport_size(SMALL_PHONE)
    await sign_in_with_password(phone, server)
    for path in ('/portal/news', '/portal/resources', '/portal/participants'):
        await phone.goto(server + path)
        await fits(phone)
        await axe_clean(phone, path)
    await phone.get_by_role('link', name=re.compile('Nora Bestie')).click()  # her photo waits for review
    await expect(phone.get_by_role('status').filter(has_text='waiting')).to_be_visible()
    await fits(phone)
    await shot(phone, '4-nora-waiting')
    await axe_clean(phone, f'{phone.url} (Nora, the demo photo waiting for review)')


@needs_axe
async def test_the_open_photo_uploader_passes_axe(phone: Page, server: str):
    await phone.set_viewport_size(SMALL_PHONE)
    await sign_in_with_password(phone, server)
    await phone.goto(server + '/portal/participants')
    await phone.get_by_role('link', name=re.compile('Ava Bestie')).click()
    await phone.get_by_role('button', name='Change photo').click()
    await expect(phone.get_by_text('JPEG, PNG, WebP or HEIC, up to 10 MB.')).to_be_visible()
    await axe_clean(phone, f'{phone.url} (Ava, choosing a photo)')
