"""The staff audit: each change staff make leaves one entry, written in the change's own transaction."""

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from tortoise import connections

from domain import audit, clock
from domain.access import passwords, portal_access, sign_in, staff_accounts
from domain.access.actors import StaffActor
from domain.access.staff_accounts import StaffForm
from domain.billing import ledger
from domain.models import (
    Contact,
    LedgerEntry,
    OutboxMessage,
    PolicyVersion,
    PortalSession,
    Question,
    StaffAuditEntry,
    StaffRole,
    StaffUser,
    StudioSettings,
)
from domain.registration import policies, questions
from domain.registration.policies import PolicyForm
from domain.registration.questions import QuestionForm
from domain.studio import settings
from domain.unit_of_work import UnitOfWork
from tests.factories import PASSWORD, MadeFamily, make_family, make_staff

pytestmark = pytest.mark.usefixtures('database')

MOMENT = dt.datetime(2026, 3, 14, 15, 9, 26, tzinfo=dt.UTC)


@dataclass
class Studio:
    admin: StaffActor
    made: MadeFamily
    policy: PolicyVersion
    questions: list[Question]
    mark: int  # the newest entry before the test's own change


@pytest.fixture
async def studio() -> Studio:
    made_admin = await make_staff('owner@example.com', 'Olga Owner', 'admin')
    admin = StaffActor(made_admin.id, made_admin.name, made_admin.email, made_admin.role)
    made = await make_family('Ager', 'holly@example.com')
    policy = await policies.add_policy(admin, PolicyForm('Waiver', 'Words.'))
    asked = [
        await questions.add_question(admin, QuestionForm('Where did you hear of us?', 'short_text')),
        await questions.add_question(admin, QuestionForm('Swimming level', 'short_text')),
    ]
    newest = await StaffAuditEntry.all().order_by('-id').first()
    return Studio(admin, made, policy, asked, newest.id if newest else 0)


Act = Callable[[Studio], Awaitable[Any]]
State = Callable[[Studio], Awaitable[Any]]


@dataclass(frozen=True)
class Case:
    act: Act
    old: dict | None
    new: dict | None
    state: State  # what the change changes, to see it undone
    about_family: bool = False
    prepare: Act | None = None


async def _sign_parent_in(s: Studio) -> None:
    await sign_in.sign_in_parent('holly@example.com', PASSWORD)


async def _open_sessions(s: Studio) -> int:
    return await PortalSession.filter(contact_id=s.made.parent.id, ended_at=None).count()


CASES = {
    'policy_added': Case(
        lambda s: policies.add_policy(s.admin, PolicyForm('Photo consent', 'We may take <b>photos</b>.')),
        None,
        {'version': 1, 'title': 'Photo consent', 'body': 'We may take <b>photos</b>.'},
        lambda s: PolicyVersion.all().count(),
    ),
    'policy_revised': Case(
        lambda s: policies.revise_policy(s.admin, s.policy.policy_id, PolicyForm('Waiver', 'New words.')),
        {'version': 1, 'title': 'Waiver', 'body': 'Words.'},
        {'version': 2, 'title': 'Waiver', 'body': 'New words.'},
        lambda s: PolicyVersion.all().count(),
    ),
    'policy_retired': Case(
        lambda s: policies.retire_policy(s.admin, s.policy.policy_id),
        {'retired_at': None},
        {'retired_at': MOMENT.isoformat()},
        lambda s: PolicyVersion.filter(policy__retired_at=None).count(),
    ),
    'policy_renewal_changed': Case(
        lambda s: policies.set_renewal_months(s.admin, 24),
        {'policy_renewal_months': 12},
        {'policy_renewal_months': 24},
        lambda s: StudioSettings.first().values_list('policy_renewal_months', flat=True),
    ),
    'policy_requests_sent': Case(
        lambda s: policies.send_requests(s.admin),
        None,
        {'sent': 1, 'family_ids': ['family']},  # 'family': the family's id, known once it exists
        lambda s: OutboxMessage.all().count(),
    ),
    'question_added': Case(
        lambda s: questions.add_question(s.admin, QuestionForm('Allergies', 'long_text', required=True)),
        None,
        {'prompt': 'Allergies', 'kind': 'long_text', 'choices': [], 'required': True, 'scope': 'family'},
        lambda s: Question.all().count(),
    ),
    'question_edited': Case(
        lambda s: questions.edit_question(
            s.admin, s.questions[0].id, QuestionForm('How did you find us?', 'short_text')
        ),
        {'prompt': 'Where did you hear of us?'},
        {'prompt': 'How did you find us?'},
        lambda s: Question.filter(id=s.questions[0].id).values_list('prompt', flat=True),
    ),
    'question_moved': Case(
        lambda s: questions.move_question(s.admin, s.questions[1].id, -1),
        {'place': 2},
        {'place': 1},
        lambda s: Question.all().order_by('position', 'id').values_list('id', flat=True),
    ),
    'question_retired': Case(
        lambda s: questions.retire_question(s.admin, s.questions[1].id),
        {'retired_at': None},
        {'retired_at': MOMENT.isoformat()},
        lambda s: Question.filter(retired_at=None).count(),
    ),
    'staff_added': Case(
        lambda s: staff_accounts.add_staff(
            s.admin, StaffForm('New@Example.com', 'New Person', 'front_desk', 'a decent passphrase')
        ),
        None,
        {'email': 'new@example.com', 'name': 'New Person', 'role': 'front_desk'},
        lambda s: StaffUser.all().count(),
    ),
    'portal_access_changed': Case(
        lambda s: portal_access.set_portal_access(
            s.admin, s.made.parent.id, allow_login=False, allow_manage_absences=True
        ),
        {'allow_login': True},
        {'allow_login': False},
        lambda s: Contact.filter(id=s.made.parent.id).values_list('allow_login', 'allow_manage_absences'),
        about_family=True,
    ),
    'contact_sessions_ended': Case(
        lambda s: portal_access.end_contact_sessions(s.admin, s.made.parent.id),
        {'open_sessions': 1},
        {'open_sessions': 0},
        _open_sessions,
        about_family=True,
        prepare=_sign_parent_in,
    ),
    'portal_password_reset': Case(
        lambda s: passwords.staff_reset_password(s.admin, s.made.parent.id),
        {'password_must_change': False, 'locked': False},
        {
            'temporary_password_issued': True,
            'password_must_change': True,
            'locked': False,
            'expires_at': (MOMENT + passwords.TEMPORARY_LIFETIME).isoformat(),
        },
        lambda s: Contact.filter(id=s.made.parent.id).values_list('password_hash', flat=True),
        about_family=True,
    ),
    'settings_changed': Case(
        lambda s: settings.update_settings(
            s.admin, sign_in_methods='codes', message_retention_days=180, card_fee_percent='2.9'
        ),
        {'sign_in_methods': 'both', 'card_fee_percent': '0.00'},
        {'sign_in_methods': 'codes', 'card_fee_percent': '2.90'},
        lambda s: StudioSettings.all().values_list('sign_in_methods', 'card_fee_percent'),
    ),
    'ledger_posted': Case(
        lambda s: ledger.post_by_staff(s.admin, s.made.family.id, 'credit', '20', 'Sibling discount'),
        None,
        {'kind': 'credit', 'amount': '20.00', 'description': 'Sibling discount'},
        lambda s: LedgerEntry.filter(family_id=s.made.family.id).count(),
        about_family=True,
    ),
}


async def _new_entries(s: Studio) -> list[StaffAuditEntry]:
    return await StaffAuditEntry.filter(id__gt=s.mark).order_by('id')


@pytest.mark.parametrize('action', CASES)
async def test_each_staff_change_leaves_exactly_one_entry_with_old_and_new(studio: Studio, action: str):
    case = CASES[action]
    if case.prepare:
        await case.prepare(studio)
    with clock.pinned(MOMENT):
        result = await case.act(studio)
    [entry] = await _new_entries(studio)
    expected_new = case.new
    if action == 'policy_requests_sent':
        expected_new = {'sent': 1, 'family_ids': [studio.made.family.id]}
    if action == 'ledger_posted':
        expected_new = {**case.new, 'entry_id': result.id}
    assert (entry.action, entry.old_values, entry.new_values) == (action, case.old, expected_new)
    assert (entry.staff_id, entry.staff_name, entry.staff_email) == (
        studio.admin.staff_id,
        'Olga Owner',
        'owner@example.com',
    )
    assert entry.occurred_at == MOMENT
    assert entry.family_id == (studio.made.family.id if case.about_family else None)
    assert entry.target
    if action == 'portal_password_reset':  # the temporary password itself is kept nowhere in the audit
        assert result not in f'{entry.target}{entry.old_values}{entry.new_values}'


class Boom(Exception):
    pass


@pytest.fixture
def failing_after_the_entry(monkeypatch):
    """The entry is written, then something in the same unit of work fails."""
    real = audit.record

    async def record_then_fail(*args, **kwargs):
        await real(*args, **kwargs)
        raise Boom()

    monkeypatch.setattr(audit, 'record', record_then_fail)


@pytest.mark.parametrize('action', CASES)
async def test_a_failure_after_the_change_leaves_neither_the_change_nor_the_entry(
    studio: Studio, action: str, failing_after_the_entry
):
    case = CASES[action]
    if case.prepare:
        await case.prepare(studio)
    before = await case.state(studio)
    with pytest.raises(Boom):
        await case.act(studio)
    assert await case.state(studio) == before
    assert await _new_entries(studio) == []
    assert settings.current().policy_renewal_months == 12


async def test_a_change_that_changes_nothing_leaves_no_entry(studio: Studio):
    await policies.revise_policy(studio.admin, studio.policy.policy_id, PolicyForm('Waiver', 'Words.'))
    await policies.set_renewal_months(studio.admin, 12)
    await questions.edit_question(studio.admin, studio.questions[0].id, QuestionForm.of(studio.questions[0]))
    await questions.move_question(studio.admin, studio.questions[0].id, -1)  # already first
    await portal_access.set_portal_access(
        studio.admin, studio.made.parent.id, allow_login=True, allow_manage_absences=True
    )
    assert await _new_entries(studio) == []


async def test_creating_a_staff_account_without_an_administrator_is_not_audited():
    await staff_accounts.create_staff('first@example.com', 'First', 'a decent passphrase', StaffRole.ADMIN)
    assert await StaffAuditEntry.all().count() == 0


async def test_a_secret_is_never_written():
    staff = StaffActor(1, 'Olga Owner', 'owner@example.com', StaffRole.ADMIN)
    for values in ({'password': 'hunter2'}, {'totp_secret': 'ABC'}):
        with pytest.raises(ValueError, match='secret'):
            async with UnitOfWork() as uow:
                await audit.record(uow, staff, 'staff_added', 'Staff account', None, values)
    assert await StaffAuditEntry.all().count() == 0


async def _write(staff: StaffActor, moment: dt.datetime, action: str, target: str) -> StaffAuditEntry:
    with clock.pinned(moment):
        async with UnitOfWork() as uow:
            return await audit.record(uow, staff, action, target, {'a': 1}, {'a': 2})


async def test_search_finds_text_in_any_case_within_dates_newest_first_a_page_at_a_time():
    olga = StaffActor(1, 'Olga Owner', 'owner@example.com', StaffRole.ADMIN)
    dean = StaffActor(2, 'Dean Desk', 'dean@example.com', StaffRole.ADMIN)
    day = dt.timedelta(days=1)
    first = await _write(olga, MOMENT - 3 * day, 'policy_revised', 'Policy: Waiver')
    second = await _write(dean, MOMENT - 2 * day, 'question_added', 'Registration question: Allergies')
    third = await _write(olga, MOMENT - day, 'staff_added', 'Staff account: new@example.com')
    fourth = await _write(dean, MOMENT, 'policy_retired', 'Policy: Photo consent')
    fifth = await _write(olga, MOMENT, 'question_retired', 'Registration question: Allergies')  # same moment

    assert [e.id for e in (await audit.search()).entries] == [fifth.id, fourth.id, third.id, second.id, first.id]
    assert [e.id for e in (await audit.search('POLICY')).entries] == [fourth.id, first.id]  # action and target
    assert [e.id for e in (await audit.search('allergies')).entries] == [fifth.id, second.id]
    assert [e.id for e in (await audit.search('dean desk')).entries] == [fourth.id, second.id]  # the staff name
    assert [e.id for e in (await audit.search(staff_id=olga.staff_id)).entries] == [fifth.id, third.id, first.id]
    window = await audit.search(since=MOMENT - 2 * day, until=MOMENT)  # from counts in, until does not
    assert [e.id for e in window.entries] == [third.id, second.id]
    assert (await audit.search('nowhere')).entries == []

    pages, cursor = [], None
    while True:
        page = await audit.search(before_cursor=cursor, limit=2)
        pages.append([e.id for e in page.entries])
        if not page.has_more:
            break
        cursor = page.cursor
    assert pages == [[fifth.id, fourth.id], [third.id, second.id], [first.id]]
    policy_pages = await audit.search('policy', limit=1)
    assert policy_pages.has_more
    assert [e.id for e in (await audit.search('policy', before_cursor=policy_pages.cursor)).entries] == [first.id]


async def test_the_database_refuses_to_change_or_delete_an_entry():
    entry = await _write(StaffActor(1, 'Olga Owner', 'owner@example.com', StaffRole.ADMIN), MOMENT, 'x', 'y')
    with pytest.raises(Exception, match='permanent'):
        await StaffAuditEntry.filter(id=entry.id).update(target='rewritten')
    with pytest.raises(Exception, match='permanent'):
        await StaffAuditEntry.filter(id=entry.id).delete()
    connection = connections.get('default')
    with pytest.raises(Exception, match='permanent'):
        await connection.execute_script("UPDATE staff_audit SET staff_name = 'someone else'")
    with pytest.raises(Exception, match='permanent'):
        await connection.execute_script('DELETE FROM staff_audit')
    kept = await StaffAuditEntry.get(id=entry.id)
    assert (kept.target, kept.staff_name) == ('y', 'Olga Owner')
