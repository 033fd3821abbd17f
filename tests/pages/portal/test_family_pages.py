import datetime as dt

from nicegui import ui
from nicegui.testing import User

from domain.access.actors import StaffActor
from domain.models import Agreement, Contact, Participant, PortalEvent
from domain.registration import policies
from domain.registration.policies import PolicyForm
from tests.factories import PASSWORD, make_family, make_staff
from tests.pages.helpers import choose_language, open_tile, press, sign_in, try_sign_in, wait_for


async def test_parent_signs_in_and_sees_the_four_tiles(user: User):
    await make_family('Ager', 'holly@example.com', children=('Barbie', 'Ken'))
    await sign_in(user)
    await user.should_see('Hello, Holly')
    for text in ('Participants', 'Barbie Ager', 'Ken Ager', 'You', 'Contacts', 'Payments', 'Balance due', '$0.00'):
        await user.should_see(text)


async def test_wrong_password_shows_the_neutral_message_beside_the_field(user: User):
    await make_family('Ager', 'holly@example.com')
    await try_sign_in(user, 'holly@example.com', 'nope')
    await user.should_see('Invalid user ID / password combination', retries=30)
    await try_sign_in(user, 'nobody@example.com', PASSWORD)
    await user.should_see('Invalid user ID / password combination', retries=30)
    await user.should_not_see('Hello, Holly')


async def test_portal_pages_need_a_signed_in_parent(user: User):
    made = await make_family('Ager', 'holly@example.com')
    for path in (
        '/portal',
        f'/portal/participants/{made.children[0].id}',
        '/portal/you',
        '/portal/contacts',
        '/portal/payments',
    ):
        await user.open(path)
        await user.should_see('Sign in')
        await user.should_not_see('Barbie')


async def test_sign_out_returns_to_the_sign_in_page_and_ends_the_session(user: User):
    await make_family('Ager', 'holly@example.com')
    await sign_in(user)
    await user.should_see('Hello, Holly')
    user.find(marker='sign-out').click()
    await user.should_see('Sign in')
    await user.open('/portal')
    await user.should_not_see('Hello, Holly')


async def test_parent_edits_a_participants_birthdate(user: User):
    made = await make_family('Ager', 'holly@example.com')
    await sign_in(user)
    await user.should_see('Barbie Ager')
    open_tile(user, 'Barbie Ager')
    await user.should_see('Birthdate')
    user.find('Birthdate').clear().type('2010-11-17')
    press(user, 'Save')
    await user.should_see('Saved')
    assert (await Participant.get(id=made.children[0].id)).birthdate == dt.date(2010, 11, 17)
    assert await PortalEvent.filter(message='Birthdate for Barbie Ager set to 11/17/2010').exists()


async def test_a_future_birthdate_is_refused_beside_the_field_and_nothing_saved(user: User):
    made = await make_family('Ager', 'holly@example.com')
    await sign_in(user)
    await user.should_see('Hello, Holly')
    await user.open(f'/portal/participants/{made.children[0].id}')
    user.find('Birthdate').clear().type('2999-01-01')
    user.find('Allergies').type('Peanuts')
    press(user, 'Save')
    await user.should_see('A birthdate cannot be in the future')
    child = await Participant.get(id=made.children[0].id)
    assert (child.birthdate, child.allergies) == (dt.date(2012, 3, 4), '')


async def test_another_familys_records_look_like_missing_ones(user: User):
    await make_family('Ager', 'holly@example.com')
    other = await make_family('Gunnar', 'deanne@example.com', children=('Erik',))
    await sign_in(user)
    await user.should_see('Hello, Holly')
    for path in (
        f'/portal/participants/{other.children[0].id}',
        '/portal/participants/999999',
        f'/portal/contacts/{other.parent.id}',
        '/portal/contacts/999999',
        '/portal/participants/abc',
    ):
        await user.open(path)
        await user.should_see('We could not find that page')
        await user.should_not_see('Erik')
        await user.should_not_see('Gunnar')


async def test_parent_updates_their_own_details_with_a_bad_phone_then_a_good_one(user: User):
    made = await make_family('Ager', 'holly@example.com')
    await sign_in(user)
    await user.should_see('Hello, Holly')
    await user.open('/portal/you')
    user.find('Mobile phone').clear().type('555')
    press(user, 'Save')
    await user.should_see('Enter a valid phone number, with the area code')
    assert (await Contact.get(id=made.parent.id)).mobile_phone is None
    user.find('Mobile phone').clear().type('(312) 555-0199')
    press(user, 'Save')
    await user.should_see('Saved')
    assert (await Contact.get(id=made.parent.id)).mobile_phone == '+13125550199'


async def test_parent_adds_edits_and_removes_a_pick_up_contact(user: User):
    made = await make_family('Ager', 'holly@example.com')
    await sign_in(user)
    await user.should_see('Hello, Holly')
    await user.open('/portal/contacts/new')
    user.find('First name').type('June')
    press(user, 'Save')
    await user.should_see('This field is required')  # last name missing
    user.find('Last name').type('Porter')
    user.find('Authorized to pick up').click()
    press(user, 'Save')
    await user.should_see('June Porter')
    grandma = await Contact.get(family_id=made.family.id, first_name='June')
    assert grandma.can_pick_up
    open_tile(user, 'June Porter')
    await user.should_see('Remove this contact')
    press(user, 'Remove this contact')
    press(user, 'Remove')
    await user.should_see('Add a contact')
    assert (await Contact.get(id=grandma.id)).removed_at is not None  # kept for its history, out of the family


async def test_payments_show_balance_and_entries(user: User):
    from decimal import Decimal

    from domain.billing import ledger
    from domain.models import LedgerKind

    made = await make_family('Gunnar', 'deanne@example.com')
    await ledger.post_entry(made.family.id, LedgerKind.FEE, Decimal('115.95'), 'Swim Level 2')
    await ledger.post_entry(made.family.id, LedgerKind.PAYMENT, Decimal('15.95'), 'Cash at the desk')
    await sign_in(user, 'deanne@example.com')
    await user.should_see('$100.00')
    await user.open('/portal/payments')
    await user.should_see('Swim Level 2')
    await user.should_see('-$15.95')


async def test_switching_language_translates_the_page_and_is_remembered(user: User):
    made = await make_family('Ager', 'holly@example.com')
    await sign_in(user)
    await user.should_see('Hello, Holly')
    choose_language(user, 'Español')
    await user.should_see('Hola, Holly')
    await user.should_see('Saldo pendiente')
    assert (await Contact.get(id=made.parent.id)).preferred_language == 'es'
    choose_language(user, '简体中文')
    await user.should_see('应付余额')
    assert (await Contact.get(id=made.parent.id)).preferred_language == 'zh_Hans'


async def test_signing_in_speaks_the_contacts_remembered_language(user: User):
    made = await make_family('Ager', 'holly@example.com')
    await Contact.filter(id=made.parent.id).update(preferred_language='es')
    await sign_in(user)
    await user.should_see('Hola, Holly')


async def test_the_list_of_contacts_names_each_ones_roles_in_short(user: User):
    made = await make_family('Ager', 'holly@example.com')
    await Contact.create(
        family=made.family,
        first_name='June',
        last_name='Porter',
        relationship='Grandmother',
        is_primary=True,
        is_billing=True,
        can_pick_up=True,
        is_emergency=True,
    )
    await Contact.create(family=made.family, first_name='Ray', last_name='Porter', is_billing=True)
    await sign_in(user)
    await user.open('/portal/contacts')
    await user.should_see('Grandmother · Pick-up · Emergency · Primary')
    await user.should_see('Ray Porter')
    await user.should_not_see('Billing')


async def test_renaming_a_participant_renames_the_pages_heading(user: User):
    made = await make_family('Ager', 'holly@example.com')
    await sign_in(user)
    await user.should_see('Hello, Holly')
    await user.open(f'/portal/participants/{made.children[0].id}')
    user.find('First name').clear().type('Barbara')
    press(user, 'Save')
    await user.should_see('Saved')
    headings = [label.text for label in user.find(kind=ui.label).elements if label.tag == 'h1']
    assert headings == ['Barbara Ager']


async def test_a_policy_is_signed_with_the_name_however_typed_and_read_back_as_markdown(user: User):
    boss = await make_staff('owner@example.com', 'Owner', 'admin')
    version = await policies.add_policy(
        StaffActor(boss.id, boss.name, boss.email, boss.role),
        PolicyForm('Waiver', '**Wear** proper shoes. <img src=x onerror="steal()">'),
    )
    await make_family('Núñez', 'holly@example.com')
    await sign_in(user)
    await user.open('/portal/policies')
    user.find(marker=f'agree-{version.id}').click()
    name = user.find(marker=f'sign-{version.id}')
    name.type('Holly Nunez')
    press(user, 'I agree')
    field = next(iter(name.elements))
    await wait_for(lambda: field.error == 'Type your full name, first and last, to sign')  # beside the field
    name.clear().type('holly   NU\u0301N\u0303EZ')  # a phone keyboard's accents, sent apart from the letters
    press(user, 'I agree')
    await user.should_see('Hello, Holly')
    assert (await Agreement.get()).typed_name == 'holly NÚÑEZ'
    await user.open('/portal/policies')
    await user.should_see('Agreed by holly NÚÑEZ')
    [words] = user.find(kind=ui.html).elements
    assert '<strong>Wear</strong>' in words.content
    assert '&lt;img src=x onerror="steal()"&gt;' in words.content and '<img' not in words.content
