"""The studio's rules for absences and makeups: saved and audited as a whole, each count within its bounds and each
choice from its list, a bad value refused beside its field with nothing saved."""

import pytest

from domain.absences import rules
from domain.absences.rules import AbsenceRules, CreditRule, ExpiryRule, MakeupScope, NoticeRule
from domain.access.actors import PermissionDenied, StaffActor
from domain.errors import ValidationFailed
from domain.models import StaffAuditEntry, StaffRole, StudioSettings
from domain.studio import settings
from tests.factories import make_staff

pytestmark = pytest.mark.usefixtures('database')

BOUNDS = {
    'notice_hours': rules.NOTICE_HOURS,
    'ahead_days': rules.AHEAD_DAYS,
    'expiry_count': rules.EXPIRY_COUNT,
    'per_enrolment': rules.CREDITS_PER_ENROLMENT,
    'makeup_ahead_days': rules.MAKEUP_AHEAD_DAYS,
    'cutoff_hours': rules.CUTOFF_HOURS,
    'cancel_hours': rules.CANCEL_HOURS,
    'extra_seats': rules.EXTRA_SEATS,
}


async def staff(role: str = 'admin') -> StaffActor:
    made = await make_staff(f'{role}@example.com', role.title(), role)
    return StaffActor(made.id, made.name, made.email, StaffRole(role))


async def test_every_rule_is_saved_read_back_and_audited_once():
    owner = await staff()
    studio = await settings.update_absence_rules(
        owner,
        reported=False,
        credit='staff',
        notice='day_before',
        notice_hours=0,
        ahead_days=365,
        expiry='weeks',
        expiry_count=6,
        per_enrolment=4,
        scope='any',
        makeup_ahead_days=14,
        cutoff_hours=0,
        cancel_hours=168,
        extra_seats=2,
        closure_credits=True,
    )
    expected = AbsenceRules(
        False,
        CreditRule.STAFF,
        NoticeRule.DAY_BEFORE,
        0,
        365,
        ExpiryRule.WEEKS,
        6,
        4,
        MakeupScope.ANY,
        14,
        0,
        168,
        2,
        True,
    )
    assert studio.absences == expected and settings.current().absences == expected
    row = await StudioSettings.get()
    assert (row.makeup_credit, row.credit_expiry, row.makeup_scope, row.makeup_extra_seats) == (
        'staff',
        'weeks',
        'any',
        2,
    )
    entry = await StaffAuditEntry.get(action='settings_changed')
    assert entry.target == 'Absences and makeups' and entry.staff_name == owner.name
    assert entry.old_values['makeup_credit'] == 'in_time' and entry.new_values['makeup_credit'] == 'staff'
    assert entry.old_values['closure_credits'] is False and entry.new_values['closure_credits'] is True
    assert entry.new_values['absence_notice_hours'] == 0 and 'absence_notice_hours' in entry.old_values


async def test_a_rule_not_given_is_left_as_it_was_and_an_unchanged_form_leaves_no_audit_entry():
    owner = await staff()
    await settings.update_absence_rules(owner, extra_seats=3)
    assert settings.current().absences == AbsenceRules(extra_seats=3)
    await settings.update_absence_rules(owner, extra_seats=3, credit='in_time', reported=True)
    assert await StaffAuditEntry.filter(action='settings_changed').count() == 1


@pytest.mark.parametrize('name', list(BOUNDS))
async def test_each_count_is_kept_at_its_bounds_and_refused_past_them(name):
    owner = await staff()
    least, most = BOUNDS[name]
    for value in (least, most):
        studio = await settings.update_absence_rules(owner, **{name: value})
        assert getattr(studio.absences, name) == value
    before = settings.current().absences
    for value in (least - 1, most + 1, None, 2.5, True, '3'):
        with pytest.raises(ValidationFailed) as refused:
            await settings.update_absence_rules(owner, **{name: value})
        assert list(refused.value.errors) == [name]
        assert refused.value.errors[name].startswith('Enter a number')
    assert settings.current().absences == before


@pytest.mark.parametrize(
    ('typed', 'field'),
    [
        ({'credit': 'sometimes'}, 'credit'),
        ({'notice': 'week_before'}, 'notice'),
        ({'expiry': 'years'}, 'expiry'),
        ({'scope': 'same_room'}, 'scope'),
        ({'credit': None}, 'credit'),
        ({'reported': 'false'}, 'reported'),  # a word is no switch: 'false' would read as on
        ({'closure_credits': 1}, 'closure_credits'),
    ],
)
async def test_a_choice_not_on_its_list_is_refused_beside_it_and_nothing_else_is_saved(typed, field):
    owner = await staff()
    with pytest.raises(ValidationFailed) as refused:
        await settings.update_absence_rules(owner, extra_seats=5, cancel_hours=48, **typed)
    assert refused.value.errors == {field: 'Choose one of the options'}
    assert settings.current().absences == AbsenceRules()
    row = await StudioSettings.get()
    assert (row.makeup_extra_seats, row.makeup_cancel_hours) == (0, 24)  # the good fields beside it wait too
    assert not await StaffAuditEntry.filter(action='settings_changed').exists()


async def test_every_bad_field_is_named_at_once():
    owner = await staff()
    with pytest.raises(ValidationFailed) as refused:
        await settings.update_absence_rules(owner, notice_hours=73, scope='nearby', per_enrolment=0, reported=False)
    assert set(refused.value.errors) == {'notice_hours', 'scope', 'per_enrolment'}
    assert settings.current().absences.reported is True


async def test_the_enumerations_themselves_are_taken_as_their_values():
    owner = await staff()
    studio = await settings.update_absence_rules(owner, credit=CreditRule.ALWAYS, expiry=ExpiryRule.TERM_END)
    assert (studio.absences.credit, studio.absences.expiry) == (CreditRule.ALWAYS, ExpiryRule.TERM_END)


async def test_a_name_that_is_no_rule_is_a_programming_error():
    owner = await staff()
    with pytest.raises(TypeError):
        await settings.update_absence_rules(owner, makeups_per_week=2)


@pytest.mark.parametrize('role', ['front_desk', 'instructor'])
async def test_only_an_administrator_changes_them(role):
    other = await staff(role)
    with pytest.raises(PermissionDenied):
        await settings.update_absence_rules(other, extra_seats=1)
    assert settings.current().absences.extra_seats == 0
