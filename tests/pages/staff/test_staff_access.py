import asyncio

from nicegui import ui
from nicegui.testing import User

from domain.access import passwords, sessions, sign_in
from domain.messages import outbox
from domain.models import Contact, OutboxMessage, PortalEvent, SignInMethods, StaffUser
from domain.studio import settings
from tests.factories import PASSWORD, STAFF_PASSWORD, authenticator_secret, make_family, make_staff
from tests.pages.helpers import press, staff_signs_in


async def test_first_staff_sign_in_shows_the_authenticator_key(user: User):
    made = await make_staff(enrolled=False)
    await user.open('/staff/sign-in')
    user.find('Email').type('desk@example.com')
    user.find('Password').type(STAFF_PASSWORD)
    press(user, 'Sign in')
    await user.should_see(marker='totp-secret', retries=30)
    assert user.find(marker='totp-secret').elements.pop().text == authenticator_secret(made)


async def test_the_family_page_shows_portal_information(user: User):
    made = await make_family('Ager', 'holly@example.com')
    await sign_in.sign_in_parent('holly@example.com', PASSWORD)
    await staff_signs_in(user)
    await user.open(f'/staff/families/{made.family.id}')
    await user.should_see('Portal Information')
    await user.should_see('Login ID: holly@example.com')
    await user.should_see('Logins: 1')
    await user.should_see('Open sessions: 1')


async def test_the_family_page_names_each_contacts_roles(user: User):
    made = await make_family('Ager', 'holly@example.com')
    await Contact.filter(id=made.parent.id).update(relationship='Mother', is_billing=True, can_pick_up=True)
    await Contact.create(family=made.family, first_name='June', last_name='Porter', is_emergency=True)
    await staff_signs_in(user)
    await user.open(f'/staff/families/{made.family.id}')
    await user.should_see('Mother · Primary contact · Billing contact · Authorized to pick up')
    await user.should_see('Emergency contact')


async def test_reset_portal_password_shows_it_once_and_emails_it(user: User):
    made = await make_family('Ager', 'holly@example.com')
    await staff_signs_in(user)
    await user.open(f'/staff/families/{made.family.id}')
    press(user, 'Reset Portal Password')
    await user.should_see(marker='temporary-password', retries=30)
    temporary = user.find(marker='temporary-password').elements.pop().text
    await sign_in.sign_in_parent('holly@example.com', temporary)  # it works
    await outbox.deliver_due()
    assert temporary in outbox.senders.mail.sent[-1].text
    await user.open(f'/staff/families/{made.family.id}')
    sent = next(t for t in user.find(kind=ui.table).elements if any(c['name'] == 'to' for c in t.columns))
    rows = sent.rows
    assert rows[0]['type'] == 'Portal Password' and rows[0]['to'] == 'holly@example.com'
    assert rows[0]['status'] == 'Complete'
    assert await PortalEvent.filter(kind='password_reset_by_staff').exists()
    assert temporary not in (await OutboxMessage.get(kind='portal_password')).body_text


async def test_unticking_allow_login_blocks_and_signs_the_parent_out(user: User):
    made = await make_family('Ager', 'holly@example.com')
    token, _actor = await sign_in.sign_in_parent('holly@example.com', PASSWORD)
    await staff_signs_in(user)
    await user.open(f'/staff/families/{made.family.id}')
    user.find('Allow to login to Parent Portal').click()
    await user.should_see('Saved', retries=30)
    assert not (await Contact.get(id=made.parent.id)).allow_login
    assert await sessions.resolve_parent(token) is None
    event = await PortalEvent.get(kind='portal_access_changed')
    assert event.message == 'Allow to login to Parent Portal unchecked for Holly Ager by Front Desk'


async def test_staff_end_a_contacts_sessions(user: User):
    made = await make_family('Ager', 'holly@example.com')
    token, _actor = await sign_in.sign_in_parent('holly@example.com', PASSWORD)
    await staff_signs_in(user)
    await user.open(f'/staff/families/{made.family.id}')
    press(user, 'End sessions')
    await user.should_see('1 session ended', retries=30)
    assert await sessions.resolve_parent(token) is None


async def test_families_can_be_found_by_a_contacts_email(user: User):
    await make_family('Ager', 'holly@example.com')
    await make_family('Gunnar', 'deanne@example.com')
    await staff_signs_in(user)
    await user.open('/staff/families?q=deanne')
    rows = user.find(kind=ui.table).elements.pop().rows
    assert [r['name'] for r in rows] == ['Gunnar']


async def test_front_desk_cannot_change_settings(user: User):
    await staff_signs_in(user)
    await user.should_not_see('Settings')
    await user.open('/staff/settings')
    await user.should_see('Only an administrator can do this')
    await user.should_not_see('Staff accounts')


async def test_admin_chooses_codes_only_and_parents_see_no_password_box(user: User):
    await staff_signs_in(user, 'owner@example.com', role='admin')
    await user.open('/staff/settings')
    radio = next(r for r in user.find(kind=ui.radio).elements if 'codes' in r.options)
    radio.set_value('codes')
    press(user, 'Save')
    await user.should_see('Saved', retries=30)
    assert settings.current().sign_in_methods == SignInMethods.CODES
    await user.open('/')
    await user.should_see('Send me a code')
    await user.should_not_see('Sign in with a password instead')
    await user.should_not_see('Forgot your password?')


async def test_admin_adds_a_staff_member(user: User):
    await staff_signs_in(user, 'owner@example.com', role='admin')
    await user.open('/staff/settings')
    user.find(kind=ui.input, content='Name').type('Second Desk')
    user.find(kind=ui.input, content='Email').type('second@example.com')
    user.find('First password').type('studio mornings rock')
    press(user, 'Add')
    for _ in range(100):
        if await StaffUser.filter(email='second@example.com').exists():
            break
        await asyncio.sleep(0.02)
    assert (await StaffUser.get(email='second@example.com')).name == 'Second Desk'


async def test_parent_sessions_do_not_open_staff_pages(user: User):
    made = await make_family('Ager', 'holly@example.com')
    await passwords.request_reset('holly@example.com')
    for path in ('/staff/families', f'/staff/families/{made.family.id}', '/staff/settings'):
        await user.open(path)
        await user.should_see('Staff sign in')
