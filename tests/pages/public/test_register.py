"""Registering on the portal's pages, the policy gate at sign-in, and what staff see and set up."""

import asyncio
import re
from collections.abc import Callable

from nicegui import ui
from nicegui.testing import User

from domain.access import actors
from domain.models import Agreement, Answer, Contact, Family, PolicyVersion, PortalEvent, Question, RegistrationDraft
from domain.registration import policies, questions
from domain.registration.policies import PolicyForm
from domain.registration.questions import QuestionForm
from tests.factories import make_family, make_staff, signed_in
from tests.pages.helpers import ask_for_code, messages, press, sign_in, staff_signs_in, wait_for


async def studio_setup():
    made = await make_staff('owner@example.com', 'Owner', 'admin')
    owner = actors.StaffActor(made.id, made.name, made.email, made.role)
    await questions.add_question(
        owner, QuestionForm('How did you hear about us?', 'single_choice', 'A friend\nSocial media', required=True)
    )
    version = await policies.add_policy(owner, PolicyForm('Liability waiver', 'Dance is a **physical** activity.'))
    return owner, version


async def verified(user: User, number: str = '(312) 555-0177') -> None:
    code = await ask_for_code(user, number)
    user.find(marker='code').type(code)
    press(user, 'Continue')
    await user.should_see('About you', retries=30)


def choose(user: User, label: str, value) -> None:
    select = next(s for s in user.find(kind=ui.select).elements if s.props.get('label') == label)
    select.value = value


async def test_a_new_family_registers_on_a_phone_and_lands_on_the_dashboard(create_user: Callable[[], User]):
    parent, desk = create_user(), create_user()
    _owner, version = await studio_setup()
    await staff_signs_in(desk)
    await verified(parent)
    await parent.should_see('Step 1 of 6')
    parent.find('First name').type('Deanne')
    parent.find('Last name').type('Gunnar')
    parent.find('Email').type('dgunnar@example.com')
    press(parent, 'Next')
    await parent.should_see('Other contacts', retries=30)
    press(parent, 'Next')
    await parent.should_see('Each child (or adult) who will take classes.', retries=30)
    parent.find('First name').type('Pia')
    parent.find('Birthdate').type('2016-05-02')
    press(parent, 'Next')
    await parent.should_see('A few questions', retries=30)
    choose(parent, 'How did you hear about us?', 'A friend')
    press(parent, 'Next')
    await parent.should_see('Liability waiver', retries=30)
    parent.find(marker=f'agree-{version.id}').click()
    parent.find(marker=f'sign-{version.id}').type('Deanne Gunnar')
    press(parent, 'Next')
    await parent.should_see('Step 6 of 6', retries=30)
    press(parent, 'Check my registration')
    await parent.should_see('Check and send', retries=30)
    for shown in ('Deanne Gunnar', 'dgunnar@example.com', 'Pia Gunnar', 'May 2, 2016', 'Liability waiver'):
        await parent.should_see(shown)
    await parent.should_see('How did you hear about us? A friend')  # the question's own mark, no colon after it
    assert not await Family.exists()  # nothing is sent before the parent says so
    press(parent, 'Send my registration')
    await parent.should_see('Thank you! Your registration is sent.', retries=50)
    press(parent, 'Go to my account')
    await parent.should_see('Hello, Deanne', retries=50)

    family = await Family.get(name='Gunnar')
    # registered by phone: the email typed waits for its own code before it signs in (issue 14, point 3)
    parent = await Contact.get(family=family, mobile_phone='+13125550177')
    assert parent.pending_email == 'dgunnar@example.com'
    assert (await Answer.get(family=family)).value == {'answer': 'A friend'}
    assert (await Agreement.get(family=family)).typed_name == 'Deanne Gunnar'
    await wait_for(lambda: 'Registration submitted: Gunnar family, participants: Pia Gunnar' in messages(desk))
    assert 'Agreed to Policies: Deanne Gunnar' in messages(desk)


async def test_each_step_says_what_is_wrong_beside_the_field(user: User):
    await verified(user)
    press(user, 'Next')
    await user.should_see('This field is required', retries=30)
    await user.should_see('Enter your email address: it is how you sign in')
    assert (await RegistrationDraft.get()).step == 'you'


async def test_leaving_midway_comes_back_to_the_same_step_with_nothing_to_retype(user: User):
    await verified(user)
    user.find('First name').type('Deanne')
    user.find('Last name').type('Gunnar')
    user.find('Email').type('dgunnar@example.com')
    press(user, 'Next')
    await user.should_see('Other contacts', retries=30)
    press(user, 'Next')
    await user.should_see('Each child (or adult) who will take classes.', retries=30)
    user.find('First name').type('Pia')  # then the phone locks, without pressing anything
    for _ in range(100):
        if (await RegistrationDraft.get()).data['participants'][0].get('first_name') == 'Pia':
            break
        await asyncio.sleep(0.02)
    await user.open('/register')
    await user.should_see('Step 3 of 4')
    first_names = [e.value for e in user.find(kind=ui.input).elements if e.props.get('label') == 'First name']
    assert first_names == ['Pia']
    press(user, 'Back')
    await user.should_see('Step 2 of 4', retries=30)
    press(user, 'Back')
    await user.should_see('About you', retries=30)
    assert 'Deanne' in [e.value for e in user.find(kind=ui.input).elements]


async def test_an_email_already_registered_is_refused_with_a_way_to_sign_in(user: User):
    await make_family('Gunnar', 'dgunnar@example.com')
    await verified(user)
    user.find('First name').type('Deanne')
    user.find('Last name').type('Gunnar')
    user.find('Email').type('dgunnar@example.com')
    press(user, 'Next')
    await user.should_see('This is already registered with the studio. Sign in instead.', retries=30)
    await user.open('/register')
    await user.should_see('About you')


async def test_registering_a_known_number_offers_sign_in(user: User):
    made = await make_family('Gunnar', 'dgunnar@example.com')
    await Contact.filter(id=made.parent.id).update(mobile_phone='+13125550177')
    await user.open('/register')
    user.find(marker='destination').type('(312) 555-0177')
    press(user, 'Send me a code')
    await user.should_see(marker='code', retries=30)
    from tests.pages.helpers import newest_delivery

    code = re.search(r'\b(\d{6})\b', await newest_delivery()).group(1)
    user.find(marker='code').type(code)
    press(user, 'Continue')
    await user.should_see('You already have an account with the studio. Sign in instead.', retries=30)
    await user.should_see('Already registered? Sign in')


async def test_a_changed_policy_must_be_agreed_before_using_the_portal(user: User):
    owner, version = await studio_setup()
    made = await make_family('Ager', 'holly@example.com')
    await policies.agree(await signed_in('holly@example.com'), {version.id: policies.Acceptance(True, 'Holly Ager')})
    await sign_in(user)
    await user.should_see('Hello, Holly')
    user.find(marker='sign-out').click()
    await user.should_see('Send me a code')
    newer = await policies.revise_policy(owner, version.policy_id, PolicyForm('Liability waiver', 'New words.'))
    await sign_in(user)
    await user.should_see('Before you continue')
    await user.open('/portal/contacts')  # nothing else opens until the parent has agreed
    await user.should_see('Before you continue')
    await user.should_see('New words.')
    press(user, 'I agree')
    await user.should_see('Tick the box to agree to this policy', retries=30)
    user.find(marker=f'agree-{newer.id}').click()
    user.find(marker=f'sign-{newer.id}').type('Holly Ager')
    press(user, 'I agree')
    await user.should_see('Hello, Holly', retries=30)
    assert await Agreement.filter(family_id=made.family.id, policy_version_id=newer.id).count() == 1
    await user.open('/portal/policies')
    await user.should_see('Agreed by Holly Ager')


async def test_staff_see_answers_and_agreements_but_cannot_agree(user: User):
    _owner, version = await studio_setup()
    made = await make_family('Ager', 'holly@example.com')
    await policies.agree(await signed_in('holly@example.com'), {version.id: policies.Acceptance(True, 'Holly Ager')})
    question = await Question.first()
    await Answer.create(
        question=question,
        family=made.family,
        prompt=question.prompt,
        kind=question.kind,
        value={'answer': 'Social media'},
        answered_at=version.created_at,
    )
    await staff_signs_in(user)
    await user.open(f'/staff/families/{made.family.id}')
    await user.should_see('Policy agreements')
    tables = [t.rows for t in user.find(kind=ui.table).elements]
    assert any(
        row.get('name') == 'Holly Ager' and row.get('policy') == 'Liability waiver' for rows in tables for row in rows
    )
    assert any(row.get('answer') == 'Social media' for rows in tables for row in rows)
    assert not [b for b in user.find(kind=ui.checkbox).elements if 'agree' in (b.text or '').lower()]


async def test_an_administrator_edits_a_policy_into_a_new_version_and_asks_families(user: User):
    _owner, version = await studio_setup()
    await make_family('Ager', 'holly@example.com')
    await staff_signs_in(user, 'boss@example.com', role='admin')
    await user.open('/staff/policies')
    body = next(t for t in user.find(kind=ui.textarea).elements if t.value == version.body)
    body.value = 'Dance is a physical activity. Wear proper shoes.'
    press(user, 'Save as a new version')
    for _ in range(100):
        if await PolicyVersion.filter(policy_id=version.policy_id).count() == 2:
            break
        await asyncio.sleep(0.02)
    assert (await PolicyVersion.get(id=version.id)).body == 'Dance is a **physical** activity.'
    await user.open('/staff/policies')
    press(user, 'Send policy request')
    await user.should_see('Policy request sent to 1 family', retries=30)
    assert await PortalEvent.filter(kind='policy_request').count() == 1


async def test_an_administrator_adds_a_question_and_front_desk_cannot(create_user: Callable[[], User]):
    boss, desk = create_user(), create_user()
    await staff_signs_in(boss, 'boss@example.com', role='admin')
    await boss.open('/staff/questions')
    press(boss, 'Add a question')
    boss.find('Question').type('Shoe size')
    press(boss, 'Save')
    for _ in range(100):
        if await Question.filter(prompt='Shoe size').exists():
            break
        await asyncio.sleep(0.02)
    assert await Question.filter(prompt='Shoe size').exists()
    await staff_signs_in(desk)
    await desk.open('/staff/questions')
    await desk.should_see('Only an administrator can do this')
    await desk.should_not_see('Add a question')


async def test_registration_speaks_the_browsers_language_in_its_heading_and_tab_title(user: User):
    user.http_client.headers['accept-language'] = 'zh-CN,zh;q=0.9'
    await user.open('/register')
    assert user.find(kind=ui.label, content='为您的家庭注册').elements.pop().tag == 'h1'
    assert user.client.title.startswith('为您的家庭注册')


async def test_the_first_participant_starts_with_the_family_name_as_the_others_do(user: User):
    await verified(user)
    user.find('First name').type('Deanne')
    user.find('Last name').type('Gunnar')
    user.find('Email').type('dgunnar@example.com')
    press(user, 'Next')
    await user.should_see('Other contacts', retries=30)
    press(user, 'Next')
    await user.should_see('Participant 1', retries=30)
    press(user, 'Add another participant')
    await user.should_see('Participant 2', retries=30)
    last_names = [e.value for e in user.find(kind=ui.input).elements if e.props.get('label') == 'Last name']
    assert last_names == ['Gunnar', 'Gunnar']


async def test_going_back_from_the_check_keeps_everything_and_sends_nothing(user: User):
    await verified(user)
    user.find('First name').type('Deanne')
    user.find('Last name').type('Gunnar')
    user.find('Email').type('dgunnar@example.com')
    press(user, 'Next')
    await user.should_see('Other contacts', retries=30)
    press(user, 'Next')
    await user.should_see('Participant 1', retries=30)
    user.find('First name').type('Pia')
    user.find('Birthdate').type('2016-05-02')
    press(user, 'Next')
    await user.should_see('Step 4 of 4', retries=30)
    press(user, 'Check my registration')
    await user.should_see('Check and send', retries=30)
    await user.should_see('Pia Gunnar')
    press(user, 'Back')
    await user.should_see('Step 4 of 4', retries=30)
    press(user, 'Back')
    await user.should_see('Each child (or adult) who will take classes.', retries=30)
    assert [e.value for e in user.find(kind=ui.input).elements if e.props.get('label') == 'First name'] == ['Pia']
    assert not await Family.exists()
