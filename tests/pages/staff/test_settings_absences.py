"""An administrator sets the rules for absences and makeups on the settings page: the choices in plain words, a
count shown only with the choice that uses it, and a value out of bounds refused beside its own field."""

from nicegui.testing import User

from domain.absences.rules import AbsenceRules, CreditRule, ExpiryRule, MakeupScope, NoticeRule
from domain.models import StaffAuditEntry, StudioSettings
from domain.studio import settings
from tests.pages.helpers import press, staff_signs_in


def field(user: User, marker: str):
    return user.find(marker=marker).elements.pop()


async def test_the_rules_read_in_plain_words_and_are_saved_and_shown_again(user: User):
    await staff_signs_in(user, 'owner@example.com', role='admin')
    await user.open('/staff/settings')
    await user.should_see('Absences and makeups')
    credit = field(user, 'absence_credit')
    assert list(credit.options.values()) == [
        'Never',
        'Always',
        'When reported in time',
        'Staff decide each time',
    ]
    assert list(field(user, 'absence_notice').options.values()) == [
        'Hours before the class',
        'By 23:59 the day before',
    ]
    assert list(field(user, 'absence_scope').options.values()) == [
        'A class of the same type',
        'A class of the same level',
        'Any class for their age',
    ]
    cutoff = field(user, 'absence_cutoff_hours')  # a short label, its unit in the hint below
    assert (cutoff.props['label'], cutoff.props['hint']) == ('Booking closes', 'Hours before the class starts')
    assert 'At the end of the session' in field(user, 'absence_expiry').options.values()
    assert field(user, 'absence_expiry_count').props['label'] == 'Months after the missed class'
    credit.set_value('staff')
    field(user, 'absence_notice').set_value('day_before')
    field(user, 'absence_expiry').set_value('weeks')
    field(user, 'absence_expiry_count').set_value(6.0)
    field(user, 'absence_scope').set_value('any')
    field(user, 'absence_extra_seats').set_value(2)
    field(user, 'absence_cancel_hours').set_value(48)
    field(user, 'absence_closure_credits').set_value(True)
    press(user, 'Save the absence rules')
    await user.should_see('✓ Saved', retries=30)
    rules = settings.current().absences
    assert (rules.credit, rules.notice, rules.expiry, rules.expiry_count) == (
        CreditRule.STAFF,
        NoticeRule.DAY_BEFORE,
        ExpiryRule.WEEKS,
        6,
    )
    assert (rules.scope, rules.extra_seats, rules.cancel_hours, rules.closure_credits) == (MakeupScope.ANY, 2, 48, True)
    entry = await StaffAuditEntry.get(action='settings_changed', target='Absences and makeups')
    assert entry.new_values['makeup_credit'] == 'staff' and entry.old_values['credit_expiry'] == 'months'
    await user.open('/staff/settings')
    assert field(user, 'absence_credit').value == 'staff' and field(user, 'absence_expiry_count').value == 6
    assert field(user, 'absence_expiry_count').props['label'] == 'Weeks after the missed class'
    await user.should_not_see(marker='absence_notice_hours')  # by 23:59 the day before: no hours to type


async def test_a_count_out_of_bounds_is_refused_beside_its_field_and_nothing_is_saved(user: User):
    await staff_signs_in(user, 'owner@example.com', role='admin')
    await user.open('/staff/settings')
    field(user, 'absence_credit').set_value('always')
    field(user, 'absence_notice_hours').set_value(100)
    field(user, 'absence_per_enrolment').set_value(None)  # emptied
    press(user, 'Save the absence rules')
    await user.should_see('Not saved: Enter a number of hours from 0 to 72', retries=30)
    assert field(user, 'absence_notice_hours').error == 'Enter a number of hours from 0 to 72'
    assert field(user, 'absence_per_enrolment').error == 'Enter a number from 1 to 20'
    assert field(user, 'absence_credit').error is None
    assert settings.current().absences == AbsenceRules()
    assert (await StudioSettings.get()).makeup_credit == 'in_time'
    field(user, 'absence_notice_hours').set_value(4)
    field(user, 'absence_per_enrolment').set_value(3)
    press(user, 'Save the absence rules')
    await user.should_see('✓ Saved', retries=30)
    assert field(user, 'absence_notice_hours').error is None
    assert settings.current().absences == AbsenceRules(credit=CreditRule.ALWAYS, notice_hours=4, per_enrolment=3)


async def test_a_count_hidden_with_its_choice_is_left_as_it_was(user: User):
    await staff_signs_in(user, 'owner@example.com', role='admin')
    await user.open('/staff/settings')
    field(user, 'absence_expiry_count').set_value(999)
    field(user, 'absence_expiry').set_value('none')
    await user.should_not_see(marker='absence_expiry_count')  # out of bounds, but not shown: not sent, not refused
    press(user, 'Save the absence rules')
    await user.should_see('✓ Saved', retries=30)
    assert settings.current().absences == AbsenceRules(expiry=ExpiryRule.NONE)
