"""What staff read on a family's page and in the family list: words, not stored values."""

from nicegui import ui
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction

from domain import clock
from domain.access import actors, sign_in
from domain.models import Answer, FamilyStatus, QuestionKind
from domain.registration import policies, questions
from domain.registration.policies import Acceptance, PolicyForm
from domain.registration.questions import QuestionForm
from tests.factories import PASSWORD, make_family, make_staff, signed_in
from tests.pages.helpers import press, staff_signs_in

TYPED_POLICY = '**Bold** words.\n\n- one\n- two\n\n<b onclick="steal()">Not markup</b>'


async def admin() -> actors.StaffActor:
    made = await make_staff('owner@example.com', 'Owner', 'admin')
    return actors.StaffActor(made.id, made.name, made.email, made.role)


async def test_a_familys_status_is_shown_in_words_in_the_list_and_on_its_page(user: User):
    made = await make_family('Lopez', 'rlopez@example.com', status=FamilyStatus.LEAD)
    await staff_signs_in(user)
    await user.open('/staff/families')
    [row] = user.find(kind=ui.table).elements.pop().rows
    assert row['status'] == 'Lead'
    await user.open(f'/staff/families/{made.family.id}')
    await user.should_see('Status: Lead')
    await user.should_not_see('lead ·')


async def test_ending_sessions_says_how_many_in_words(user: User):
    made = await make_family('Ager', 'holly@example.com')
    for _ in range(2):
        await sign_in.sign_in_parent('holly@example.com', PASSWORD)
    await staff_signs_in(user)
    await user.open(f'/staff/families/{made.family.id}')
    press(user, 'End sessions')
    await user.should_see('2 sessions ended', retries=30)
    await sign_in.sign_in_parent('holly@example.com', PASSWORD)
    press(user, 'End sessions')
    await user.should_see('1 session ended', retries=30)


async def test_a_date_answer_is_shown_as_a_date(user: User):
    made = await make_family('Ager', 'holly@example.com')
    question = await questions.add_question(await admin(), QuestionForm('First lesson?', QuestionKind.DATE.value))
    await Answer.create(
        question=question,
        family=made.family,
        prompt=question.prompt,
        kind=question.kind,
        value={'answer': '2026-09-01'},
        answered_at=clock.now(),
    )
    await staff_signs_in(user)
    await user.open(f'/staff/families/{made.family.id}')
    answers = next(t for t in user.find(kind=ui.table).elements if any(c['name'] == 'answer' for c in t.columns))
    assert [row['answer'] for row in answers.rows] == ['Sep 1, 2026']


async def test_staff_read_a_signed_policy_as_the_parent_saw_it(user: User):
    version = await policies.add_policy(await admin(), PolicyForm('Waiver', TYPED_POLICY))
    made = await make_family('Ager', 'holly@example.com')
    await policies.agree(await signed_in('holly@example.com'), {version.id: Acceptance(True, 'Holly Ager')})
    await staff_signs_in(user)
    await user.open(f'/staff/families/{made.family.id}')
    agreed = next(t for t in user.find(kind=ui.table).elements if any(c['name'] == 'policy' for c in t.columns))
    [row] = agreed.rows
    UserInteraction(user, {agreed}, None).trigger('rowClick', [{}, row, 0])
    await user.should_see('Agreed by Holly Ager')
    [words] = user.find(kind=ui.html).elements
    assert '<strong>Bold</strong>' in words.content
    assert '<li>one</li>' in words.content
    assert '&lt;b onclick="steal()"&gt;Not markup&lt;/b&gt;' in words.content  # staff's HTML, shown as text
    assert '<b onclick' not in words.content
