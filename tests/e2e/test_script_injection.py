"""Text that staff or parents type is shown as text: never as markup, a Vue prop or a template, anywhere.

Quotes that would end a props-string attribute, `:`-props Vue evaluates as JavaScript, `<script>`, an
`<img onerror>` and Vue interpolation go into every field a parent or the demo administrator can type; then
every page, dialog, email and statement that shows them is checked: no script ran, no dialog opened, no
element grew an event-handler attribute, and the words are there to read.

The test runs its own demo server: it revises the studio's policy (so every family owes a new agreement) and
renames the demo parent, which the other browser tests greet by name.
"""

from __future__ import annotations

import html
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page, ViewportSize, expect

from domain.operations import demo
from tests.e2e.conftest import ARGS, CHROMIUM, SERVER_LOGS, _serve, next_staff_code
from tests.e2e.test_phone_journeys import code_sent_to

SCRIPT = 'window.__pwned=1'
QUOTE = f'x" :onmouseover="{SCRIPT}" y="'  # ends an attribute of a props string, then a :-prop is JavaScript
CLASS = f'a" :class="{SCRIPT}" b="'
TAG = f'<script>{SCRIPT}</script>'
IMAGE = f'<img src=x onerror="{SCRIPT};alert(1)">'
MUSTACHE = '{{ ' + SCRIPT + ' }}'  # Vue interpolation, were the text compiled as a template
ESCAPE = "{{constructor.constructor('" + SCRIPT + "')()}}"  # the same, out of Vue's template sandbox
PAYLOADS = (QUOTE, CLASS, TAG, IMAGE, MUSTACHE, ESCAPE)
EVERY_PAYLOAD = '\n'.join(PAYLOADS)

# A phone-sized window, without chromium's mobile emulation: a payload with no spaces is wider than the phone,
# and the emulated page, zoomed out to fit it, then takes taps meant for one element on another.
PHONE: ViewportSize = {'width': 360, 'height': 740}

# What each field is set to: a word to find it by, then a payload
POLICY_TITLE = f'Rules {QUOTE}'
POLICY_BODY = f'**Be kind.** {MUSTACHE}\n\n{CLASS}\n\n{TAG}\n\n{IMAGE}\n\n{ESCAPE}'
QUESTION = f'Shoe size {CLASS} {IMAGE}'
POSTING = f'Costume {IMAGE}'
TOVE = {'first_name': f'Tove {IMAGE}', 'last_name': f'Lind {QUOTE}', 'address1': f'Main {ESCAPE}'}
GUS = {'first_name': f'Gus {MUSTACHE}', 'last_name': f'Lind {TAG}', 'relationship': f'Uncle {CLASS}'}
ALVA = {'first_name': f'Alva {TAG}', 'last_name': f'Lind {CLASS}', 'allergies': EVERY_PAYLOAD}
SHOE_ANSWER = f'Size {ESCAPE}'
MARY = {
    'first_name': f'Mary {TAG}',
    'last_name': f'Bestie {QUOTE}',
    'address1': f'Elm {IMAGE}',
    'address2': f'Flat {MUSTACHE}',
    'city': f'Spring {ESCAPE}',
    'state': f'IL {CLASS}',
    'postal_code': '62701',
}
MARK = {
    'first_name': f'Mark {IMAGE}',
    'last_name': f'Bestie {ESCAPE}',
    'relationship': f'Father {QUOTE}',
    'address1': f'Oak {TAG}',
}
NAN = {'first_name': f'Nan {TAG}', 'last_name': f'Porter {CLASS}', 'relationship': f'Granny {MUSTACHE}'}
LEO = {
    'first_name': f'Leo {CLASS}',
    'last_name': f'Bestie {TAG}',
    'allergies': EVERY_PAYLOAD,
    'medical_notes': f'Asthma {QUOTE}\n{IMAGE}',
}

LABELS = {
    'first_name': 'First name',
    'last_name': 'Last name',
    'relationship': 'Relationship (for example Grandmother)',
    'address1': 'Address',
    'address2': 'Address line 2',
    'city': 'City',
    'state': 'State / province',
    'postal_code': 'ZIP / postal code',
    'allergies': 'Allergies',
    'medical_notes': 'Medical notes',
}

# Whatever ran would set window.__pwned; besides, no element may carry an inline handler or a Vue directive
# as an attribute (what an injected prop becomes), and no <script> element may hold the payload's code.
INSPECT = """() => {
    const found = [];
    for (const element of document.querySelectorAll('*')) {
        for (const attribute of element.attributes) {
            if (/^(on|:|@|v-)/.test(attribute.name)) found.push(`<${element.tagName.toLowerCase()} ${attribute.name}>`);
        }
        element.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
    }
    for (const script of document.scripts) {
        if (script.textContent.trim() === 'window.__pwned=1') found.push('<script> from the payload');
    }
    return {pwned: window.__pwned === undefined ? null : String(window.__pwned), found};
}"""


def full(person: dict[str, str]) -> str:
    return f'{person["first_name"]} {person["last_name"]}'


@pytest.fixture(scope='module')
def own_server(tmp_path_factory):
    process, log, url = _serve(tmp_path_factory.mktemp('e2e-injection'), {})
    yield url
    process.terminate()
    process.wait(timeout=20)
    log.close()


class Watch:
    """Every page's dialogs and uncaught errors, and the check made on each page shown."""

    def __init__(self) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.checked: list[str] = []

    async def page(self, context: BrowserContext) -> Page:
        page = await context.new_page()
        page.set_default_timeout(15000)

        async def on_dialog(dialog) -> None:
            self.dialogs.append(f'{dialog.type} "{dialog.message}" on {page.url}')
            await dialog.dismiss()

        page.on('dialog', on_dialog)
        page.on('pageerror', lambda error: self.errors.append(f'{error} on {page.url}'))
        return page

    async def clean(self, page: Page, where: str, *texts: str, values: dict[str, str] | None = None) -> None:
        """`where` shows each of `texts` as text (and each field its value as typed), and nothing ran."""
        for text in texts:
            await expect(page.get_by_text(text).first, f'{where}: {text!r} is not shown').to_be_visible()
        for label, value in (values or {}).items():
            await expect(page.get_by_label(label, exact=True).first, f'{where}: {label}').to_have_value(value)
        await page.wait_for_timeout(150)  # a prop evaluated, an image that failed to load: give it a moment
        result = await page.evaluate(INSPECT)
        assert result['pwned'] is None, f'{where}: script ran (window.__pwned = {result["pwned"]})'
        assert not result['found'], f'{where}: data became markup: {result["found"]}'
        assert not self.dialogs, f'{where}: a dialog opened: {self.dialogs}'
        assert not self.errors, f'{where}: errors in the page: {self.errors}'
        self.checked.append(where)


async def fill(page: Page, values: dict[str, str]) -> None:
    for name, value in values.items():
        await page.get_by_label(LABELS[name], exact=True).fill(value)


async def staff_sign_in(watch: Watch, browser: Browser, server: str) -> tuple[BrowserContext, Page]:

    context = await browser.new_context(viewport=PHONE)
    desk = await watch.page(context)
    await desk.goto(server + '/staff/sign-in')
    await desk.get_by_label('Email').fill(demo.DEMO_STAFF_EMAIL)
    await desk.get_by_label('Password').fill(demo.DEMO_STAFF_PASSWORD)
    await desk.get_by_label('Authenticator code').fill(await next_staff_code())
    await desk.get_by_role('button', name='Sign in').click()
    await expect(desk.get_by_text('Parent Portal Log').first).to_be_visible()
    return context, desk


async def test_typed_text_never_runs_as_script(own_server: str):
    from playwright.async_api import async_playwright

    server = own_server
    expect.set_options(timeout=10_000)
    watch = Watch()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            staff, log = await staff_sign_in(watch, browser, server)  # the live log stays open throughout
            desk = await watch.page(staff)
            await staff_writes_policy_and_question(watch, desk, server)
            registrant = await watch.page(await browser.new_context(viewport=PHONE))
            await a_family_registers(watch, registrant, server)
            parent = await watch.page(await browser.new_context(viewport=PHONE))
            await a_parent_edits_everything(watch, parent, server)
            await staff_see_it_all(watch, desk, log, server)
            await the_registrant_reads_their_account(watch, registrant, server)
            await the_emails_carry_it_as_text(watch, registrant, server)
        finally:
            await browser.close()
    assert len(watch.checked) >= 25, watch.checked


async def staff_writes_policy_and_question(watch: Watch, desk: Page, server: str) -> None:
    await desk.goto(server + '/staff/policies')
    await desk.get_by_label('Title', exact=True).first.fill(POLICY_TITLE)
    await desk.get_by_label('Text (Markdown: **bold**, *italic*, lists)').first.fill(POLICY_BODY)
    await desk.get_by_role('button', name='Save as a new version').first.click()
    await expect(desk.get_by_text('Version 2, saved')).to_be_visible()
    await watch.clean(desk, 'staff policies', values={'Title': POLICY_TITLE})
    await expect(desk.get_by_label('Text (Markdown: **bold**, *italic*, lists)').first).to_have_value(POLICY_BODY)

    await desk.goto(server + '/staff/questions')
    await desk.get_by_role('button', name='Add a question').click()
    await desk.get_by_label('Question', exact=True).fill(QUESTION)
    await desk.get_by_role('button', name='Save').click()
    await watch.clean(desk, 'staff questions', QUESTION)


async def a_family_registers(watch: Watch, phone: Page, server: str) -> None:
    """Every field of the registration, then the new family's dashboard."""
    await phone.goto(server + '/')
    await phone.get_by_label('Mobile number or email').fill('(312) 555-0177')
    await phone.get_by_role('button', name='Send me a code').click()
    await phone.get_by_label('Code').fill(await code_sent_to(server, '+13125550177'))
    await expect(phone.get_by_text('About you')).to_be_visible()
    await fill(phone, TOVE)
    await phone.get_by_label('Email', exact=True).fill('tove.lind@example.com')
    await phone.get_by_role('button', name='Next').click()
    await expect(phone.get_by_text('Step 2 of 6')).to_be_visible()
    await phone.get_by_role('button', name='Add a contact').click()
    await fill(phone, GUS)
    await phone.get_by_role('button', name='Next').click()
    await expect(phone.get_by_text('Participant 1')).to_be_visible()
    await fill(phone, ALVA)
    await phone.get_by_label('Birthdate').fill('2017-04-09')
    await phone.get_by_role('button', name='Next').click()
    await expect(phone.get_by_text('A few questions')).to_be_visible()
    await watch.clean(phone, 'registration questions', QUESTION, 'About ' + ALVA['first_name'])
    await phone.get_by_label('How did you hear about us?').click()
    await phone.get_by_role('option', name='Social media').click()
    await phone.get_by_label(QUESTION).fill(SHOE_ANSWER)
    await phone.get_by_role('button', name='Next').click()
    await expect(phone.get_by_text('Step 5 of 6')).to_be_visible()
    await watch.clean(phone, 'registration policies', POLICY_TITLE, MUSTACHE, CLASS, full(TOVE))
    await phone.get_by_role('checkbox', name='I have read and agree to this policy').click()
    await phone.get_by_label('Type your full name to sign').fill(full(TOVE))
    await phone.get_by_role('button', name='Next').click()
    await expect(phone.get_by_text('Step 6 of 6')).to_be_visible()
    for step in (5, 4, 3):
        await phone.get_by_role('button', name='Back').click()
        await expect(phone.get_by_text(f'Step {step} of 6')).to_be_visible()
    await watch.clean(phone, 'registration participants, again', values={'First name': ALVA['first_name']})
    for step in (4, 5, 6):
        await phone.get_by_role('button', name='Next').click()
        await expect(phone.get_by_text(f'Step {step} of 6')).to_be_visible()
    await phone.get_by_role('button', name='Check my registration').click()
    await watch.clean(phone, 'registration check screen', full(ALVA), full(TOVE))
    await phone.get_by_role('button', name='Send my registration').click()
    await phone.get_by_role('button', name='Go to my account').click()
    await expect(phone.get_by_text('Hello, ' + TOVE['first_name'])).to_be_visible()
    await watch.clean(phone, 'new family dashboard', full(ALVA), full(TOVE), full(GUS))


async def a_parent_edits_everything(watch: Watch, phone: Page, server: str) -> None:
    """The demo parent agrees to the revised policy, then edits a participant, herself and two other contacts."""
    await phone.goto(server + '/')
    await phone.get_by_text('Sign in with a password instead').click()
    await phone.get_by_label('Email', exact=True).fill(demo.DEMO_PARENT_EMAIL)
    await phone.get_by_label('Password', exact=True).fill(demo.DEMO_PARENT_PASSWORD)
    await phone.get_by_role('button', name='Sign in', exact=True).click()
    await expect(phone.get_by_text('Before you continue')).to_be_visible(timeout=15000)
    await watch.clean(phone, 'parent policies, owed', POLICY_TITLE, MUSTACHE, CLASS, ESCAPE)
    await phone.get_by_role('checkbox', name='I have read and agree to this policy').click()
    await phone.get_by_label('Type your full name to sign').fill('Mary Bestie')
    await phone.get_by_role('button', name='I agree').click()
    await expect(phone.get_by_text('Hello, Mary')).to_be_visible()

    await phone.get_by_text('Leo Bestie').click()
    await phone.wait_for_url('**/portal/participants/*')
    leo_page = phone.url
    await fill(phone, LEO)
    await phone.get_by_role('button', name='Save').click()
    await expect(phone.get_by_text('Saved')).to_be_visible()

    await phone.goto(server + '/portal/you')
    await fill(phone, MARY)
    await phone.get_by_role('button', name='Save').click()
    await expect(phone.get_by_text('Saved')).to_be_visible()

    await phone.goto(server + '/portal/contacts')
    await phone.get_by_text('Mark Bestie').click()
    await phone.wait_for_url('**/portal/contacts/*')
    mark_page = phone.url
    await fill(phone, MARK)
    await phone.get_by_role('button', name='Save').click()
    await expect(phone.get_by_text('Saved')).to_be_visible()

    await phone.goto(server + '/portal/contacts/new')
    await fill(phone, NAN)
    await phone.get_by_role('button', name='Save').click()
    await phone.wait_for_url('**/portal/contacts')

    await watch.clean(phone, 'parent contacts', full(MARK), MARK['relationship'], full(NAN), NAN['relationship'])
    await phone.goto(server + '/portal')
    await watch.clean(phone, 'parent dashboard', 'Hello, ' + MARY['first_name'], full(LEO), full(MARY), full(MARK))
    await phone.goto(leo_page)
    await watch.clean(
        phone,
        'participant',
        full(LEO),
        values={LABELS[name]: value for name, value in LEO.items()},
    )
    await phone.goto(server + '/portal/you')
    await watch.clean(phone, 'you', values={LABELS[name]: value for name, value in MARY.items()})
    await phone.goto(mark_page)
    await watch.clean(phone, 'other contact', full(MARK), values={LABELS[name]: value for name, value in MARK.items()})
    await phone.get_by_role('button', name='Remove this contact').click()
    await watch.clean(phone, 'remove-contact dialog', f"Remove {full(MARK)} from your family's contacts?")
    await phone.get_by_role('button', name='Cancel').click()
    await phone.goto(server + '/portal/policies')
    await phone.get_by_text(POLICY_TITLE).click()
    await watch.clean(phone, 'parent policies, agreed', POLICY_TITLE, MUSTACHE, CLASS, ESCAPE)


async def staff_see_it_all(watch: Watch, desk: Page, log: Page, server: str) -> None:
    await watch.clean(
        log,
        'live Parent Portal Log',
        f'Name for Leo Bestie set to {full(LEO)}',
        f'Name for Mark Bestie set to {full(MARK)}',
        f'Relationship for Mark Bestie set to {MARK["relationship"]}',
        f'Contact added: {full(NAN)} ({NAN["relationship"]})',
        f'Registration submitted: {TOVE["last_name"]} family',
    )
    await log.reload()
    await watch.clean(log, 'Parent Portal Log, loaded again', f'Name for Leo Bestie set to {full(LEO)}', full(TOVE))

    await desk.goto(server + '/staff/families?q=Lind')
    await watch.clean(desk, 'staff family search', TOVE['last_name'])
    await desk.get_by_role('cell', name=TOVE['last_name']).first.click()
    await desk.wait_for_url('**/staff/families/*')
    await desk.get_by_label('Amount', exact=True).fill('12.50')
    await desk.get_by_label('Description', exact=True).fill(POSTING)
    await desk.get_by_role('button', name='Post to account').click()
    await expect(desk.get_by_role('cell', name=POSTING)).to_be_visible()
    await watch.clean(
        desk,
        'staff family page (registered)',
        full(TOVE),
        full(GUS),
        GUS['relationship'],
        full(ALVA),
        QUESTION,
        SHOE_ANSWER,
        POLICY_TITLE,
    )
    await desk.get_by_role('cell', name=POLICY_TITLE).first.click()
    await watch.clean(desk, 'staff agreement copy', f'Agreed by {full(TOVE)}', MUSTACHE, TAG, IMAGE)
    await desk.get_by_role('button', name='Close').click()

    await desk.goto(server + '/staff/families?q=Bestie')
    await desk.get_by_role('cell', name='Bestie', exact=True).click()
    await desk.wait_for_url('**/staff/families/*')
    await watch.clean(
        desk, 'staff family page (edited)', full(MARY), full(MARK), MARK['relationship'], full(NAN), full(LEO)
    )
    mary_card = desk.locator('.q-card', has_text=full(MARY))
    await mary_card.get_by_role('button', name='Reset Portal Password').click()
    await watch.clean(desk, 'temporary password dialog', f'Temporary password for {full(MARY)}')
    await desk.get_by_role('button', name='Close').click()
    await desk.reload()
    await desk.get_by_role('cell', name=full(MARY)).first.click()
    await watch.clean(desk, 'staff copy of a sent email', f'Hello {MARY["first_name"]},')
    await desk.get_by_role('button', name='Close').click()

    await desk.goto(server + '/staff/policies')
    await watch.clean(desk, 'staff policies, at the end', values={'Title': POLICY_TITLE})
    await desk.goto(server + '/staff/questions')
    await watch.clean(desk, 'staff questions, at the end', QUESTION)


async def the_registrant_reads_their_account(watch: Watch, phone: Page, server: str) -> None:
    """The welcome email in the portal, then a statement of the family whose name is a payload, with a payload
    posting on it."""
    await phone.goto(server + '/portal/messages')
    await phone.get_by_text('Welcome to').click()
    await watch.clean(phone, 'parent copy of a sent email', f'Hello {TOVE["first_name"]},', full(ALVA))
    await phone.goto(server + '/portal/payments')
    await watch.clean(phone, 'parent payments', POSTING)
    async with phone.expect_download() as started:
        await phone.get_by_role('button', name='Download statement (PDF)').click()
    path = await (await started.value).path()
    pdf = Path(path).read_bytes()
    assert pdf.startswith(b'%PDF-') and b'%%EOF' in pdf[-1024:], 'the statement is not a PDF'
    if shutil.which('pdftotext'):
        text = subprocess.run(['pdftotext', '-layout', path, '-'], capture_output=True, text=True, check=True).stdout
        flat = ' '.join(text.split())
        assert TOVE['last_name'] in flat and 'window.__pwned=1' in flat, flat


async def the_emails_carry_it_as_text(watch: Watch, page: Page, server: str) -> None:
    """The demo logs each email's text; its HTML part (kept in the outbox) has the names escaped, and shows no
    script when a browser renders it."""
    for _ in range(50):  # the outbox sends as soon as the change is committed; the log may trail a little
        log = SERVER_LOGS[server].read_text()
        if f'Hello {MARY["first_name"]},' in log:
            break
        await page.wait_for_timeout(100)
    assert f'Hello {TOVE["first_name"]},' in log, 'the registration email did not greet the parent by name'
    assert f'Participants: {full(ALVA)}' in log
    assert f'Hello {MARY["first_name"]},' in log, 'the temporary-password email did not greet the parent by name'
    database = SERVER_LOGS[server].parent / 'kinroll.sqlite3'
    with sqlite3.connect(f'file:{database}?mode=ro', uri=True) as connection:
        emails = dict(
            connection.execute(
                "SELECT kind, body_html FROM outbox_message WHERE channel = 'email' AND kind IN (?, ?)",
                ('registration', 'portal_password'),
            ).fetchall()
        )
    assert set(emails) == {'registration', 'portal_password'}, emails.keys()
    for kind, name, shown in (
        ('registration', TOVE['first_name'], f'Participants: {full(ALVA)}'),
        ('portal_password', MARY['first_name'], f'Hello {MARY["first_name"]},'),
    ):
        body = emails[kind]
        assert html.escape(name) in body and name not in body, f'the {kind} email has the name unescaped: {body}'
        await page.set_content(body)
        await watch.clean(page, f'{kind} email, rendered', f'Hello {name},', shown)
