"""An administrator sets how enrolling works (the checkout's hold, how openings read, the registration fee, the
instructor's email) and posts a month's tuition, which a second run does not post again."""

import datetime as dt
from decimal import Decimal

from nicegui.testing import User

from domain import events
from domain.access.actors import StaffActor
from domain.classes import catalogue
from domain.classes.catalogue import CourseForm, LocationForm, PatternForm, TermForm
from domain.models import LedgerEntry, OpeningsShown, StaffAuditEntry, StaffUser, StudioSettings
from domain.studio import settings
from tests.domain.classes.studio_setup import enrol
from tests.factories import make_family
from tests.pages.helpers import press, staff_signs_in


def field(user: User, marker: str):
    return user.find(marker=marker).elements.pop()


async def test_the_enrolment_settings_are_saved_audited_announced_and_shown_again(user: User):
    announced: list = []
    await staff_signs_in(user, 'owner@example.com', role='admin')
    stop = events.bus.subscribe(settings.CHANGED, announced.append)
    try:
        await user.open('/staff/settings')
        assert field(user, 'hold_minutes').value == 15 and field(user, 'few_left_at').value == 3
        field(user, 'hold_minutes').set_value(20)
        field(user, 'openings_shown').set_value('status')
        field(user, 'few_left_at').set_value(2)
        field(user, 'registration_fee').set_value('25.5')
        field(user, 'email_instructor').set_value(True)
        field(user, 'monthly_tuition').set_value(True)
        field(user, 'pay_at_checkout').set_value(True)
        press(user, 'Save')
        await user.should_see('Saved', retries=30)
    finally:
        stop()
    row = await StudioSettings.get()
    assert (row.hold_minutes, row.openings_shown, row.few_left_at, row.email_instructor) == (
        20,
        OpeningsShown.STATUS,
        2,
        True,
    )
    assert Decimal(str(row.registration_fee)) == Decimal('25.50')
    studio = settings.current()  # this process's copy, as every other process reloads on the announcement
    assert (studio.hold_minutes, studio.openings_shown, studio.registration_fee) == (20, 'status', Decimal('25.50'))
    assert announced == [None]
    entry = await StaffAuditEntry.get(action='settings_changed')
    assert entry.new_values == {
        'hold_minutes': 20,
        'openings_shown': 'status',
        'few_left_at': 2,
        'registration_fee': '25.50',
        'email_instructor': True,
        'monthly_tuition': True,
        'pay_at_checkout': True,
    }
    assert entry.old_values['hold_minutes'] == 15 and entry.old_values['openings_shown'] == 'number'
    assert Decimal(entry.old_values['registration_fee']) == 0 and entry.old_values['email_instructor'] is False

    await user.open('/staff/settings')
    assert field(user, 'hold_minutes').value == 20 and field(user, 'few_left_at').value == 2
    assert field(user, 'openings_shown').value == 'status' and field(user, 'registration_fee').value == '25.50'
    assert field(user, 'email_instructor').value is True and field(user, 'monthly_tuition').value is True
    assert settings.current().monthly_tuition and settings.current().pay_at_checkout
    await user.should_see('Only Open, Few places left or Full, without the number')


async def test_a_three_decimal_fee_and_a_long_hold_are_refused_beside_their_fields_and_nothing_is_saved(user: User):
    await staff_signs_in(user, 'owner@example.com', role='admin')
    await user.open('/staff/settings')
    field(user, 'hold_minutes').set_value(90)
    field(user, 'few_left_at').set_value(5)
    field(user, 'registration_fee').set_value('25.005')
    field(user, 'email_instructor').set_value(True)
    press(user, 'Save')
    await user.should_see('Use at most two decimals', retries=30)
    assert field(user, 'registration_fee').error == 'Use at most two decimals'
    assert field(user, 'hold_minutes').error == 'Enter a number of minutes from 5 to 60'
    assert field(user, 'few_left_at').error is None
    row = await StudioSettings.get()
    assert (row.hold_minutes, row.few_left_at, row.email_instructor, Decimal(str(row.registration_fee))) == (
        15,
        3,
        False,
        Decimal('0'),
    )
    assert not await StaffAuditEntry.filter(action='settings_changed').exists()
    assert settings.current().hold_minutes == 15

    field(user, 'hold_minutes').set_value(30)
    field(user, 'registration_fee').set_value('25.00')
    press(user, 'Save')
    await user.should_see('Saved', retries=30)
    assert field(user, 'registration_fee').error is None and field(user, 'hold_minutes').error is None
    row = await StudioSettings.get()
    assert (row.hold_minutes, row.few_left_at, Decimal(str(row.registration_fee))) == (30, 5, Decimal('25'))


async def a_child_in_a_monthly_class(first: dt.date) -> int:
    """Ava in Daily Ballet (60.00 a month, every day) from the first of the month, her fee not posted yet."""
    owner = await StaffUser.get(email='owner@example.com')
    admin = StaffActor(owner.id, owner.name, owner.email, owner.role)
    location = await catalogue.add_location(admin, LocationForm('Main Street'))
    ends = first + dt.timedelta(days=120)
    term = await catalogue.add_term(admin, TermForm('This session', first, ends, '2020-01-01T09:00'))
    course = await catalogue.add_course(
        admin,
        CourseForm(
            name='Daily Ballet',
            term_id=term.id,
            location_id=location.id,
            starts_on=first,
            ends_on=ends,
            capacity='8',
            tuition='60.00',
            patterns=(PatternForm((0, 1, 2, 3, 4, 5, 6), '16:00', '16:45'),),
            status='active',
        ),
    )
    made = await make_family('Bestie', 'mary@example.com', children=('Ava',), password=None)
    await enrol(course, made.children[0], starts_on=first)
    return made.family.id


async def test_posting_a_months_tuition_twice_posts_it_once(user: User):
    await staff_signs_in(user, 'owner@example.com', role='admin')
    this_month = settings.today().replace(day=1)
    family_id = await a_child_in_a_monthly_class(this_month)
    await user.open('/staff/settings')
    month = field(user, 'tuition_month')
    assert month.value == this_month.isoformat()  # the studio's month by default
    press(user, 'Post tuition')
    month_name = f'{this_month:%B %Y}'
    await user.should_see(f'Post 1 fee ($60.00) for {month_name}? Families see it on their accounts at once.')
    assert not await LedgerEntry.filter(family_id=family_id).exists()  # asked first: nothing posted yet
    press(user, 'Post the fees')
    await user.should_see('Posted 1 fee ($60.00)', retries=30)
    fees = await LedgerEntry.filter(family_id=family_id).values_list('amount', 'posted_by')
    signed_in = (await StaffUser.get(email='owner@example.com')).name  # who posted it, as post_tuition records
    assert [(Decimal(str(amount)), by) for amount, by in fees] == [(Decimal('60.00'), signed_in)]

    press(user, 'Post tuition')
    await user.should_see(f'Nothing new to post for {month_name}', retries=30)
    assert await LedgerEntry.filter(family_id=family_id).count() == 1
    runs = await StaffAuditEntry.filter(action='tuition_posted').order_by('id').values_list('new_values', flat=True)
    assert runs == [{'posted': 1, 'total': '60.00'}]  # asking what a run would post writes nothing


async def test_a_month_chosen_from_the_list_is_the_one_posted(user: User):
    await staff_signs_in(user, 'owner@example.com', role='admin')
    this_month = settings.today().replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    family_id = await a_child_in_a_monthly_class(last_month)
    await user.open('/staff/settings')
    month = field(user, 'tuition_month')
    assert month.options[last_month.isoformat()] == f'{last_month:%B %Y}'
    month.set_value(last_month.isoformat())
    press(user, 'Post tuition')
    await user.should_see('Families see it on their accounts at once', retries=30)
    press(user, 'Post the fees')
    await user.should_see('Posted 1 fee ($60.00)', retries=30)
    (description,) = await LedgerEntry.filter(family_id=family_id).values_list('description', flat=True)
    assert description == f'Tuition: Daily Ballet (Ava Bestie), {last_month:%b %Y}'
