"""The Absences and makeups screen on a parent's phone: an absence reported for a child and a class with its
messages beside the fields, cancelled before the class; a makeup booked with a credit (a seat taken meanwhile
said at once) and cancelled with the credit back; the contact without the studio's tick sees the lists only."""

import asyncio
import datetime as dt

from nicegui import ui
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction

from domain import clock
from domain.absences import absences, makeups
from domain.classes import catalogue
from domain.classes.catalogue import ClosureForm
from domain.models import Absence, Contact, CreditOrigin, CreditStatus, Makeup, MakeupCredit, MakeupStatus
from domain.studio import settings
from tests.domain.absences.making import MON_25, MON_FEB_1, at
from tests.factories import signed_in
from tests.pages.helpers import open_tile, press, sign_in, wait_for
from tests.pages.portal.absences.steps import bestie_studio, credit
from tests.pages.portal.test_ended_sessions import GO_TO_SIGN_IN

PAGE = '/portal/absences'
MON_18 = dt.date(2027, 1, 18)  # the Monday before: a meeting Ava missed
FIVE_PM, HALF_SIX = '5:00\u202fPM', '6:30\u202fPM'  # as CLDR writes them, with a narrow no-break space


def field(user: User, marker: str):
    return user.find(marker=marker).elements.pop()


def press_in(user: User, marker: str, label: str) -> None:
    """Click the button that says this inside the element marked so (a dialog, a card)."""
    buttons = {b for b in field(user, marker).descendants() if isinstance(b, ui.button) and b.text == label}
    assert buttons, f'no button says {label!r} in {marker}'
    UserInteraction(user, buttons, label).click()


async def test_the_page_shows_the_form_and_the_lists(user: User, admin, term):
    await bestie_studio(admin, term)
    await sign_in(user)
    await user.open(PAGE)
    await user.should_see('Report an absence')
    await user.should_see('Reported absences')
    await user.should_see('Makeup credits')


async def test_an_absence_is_reported_for_one_child_and_class_and_listed(user: User, admin, term):
    made = await bestie_studio(admin, term)
    await sign_in(user)
    await user.open(PAGE)
    field(user, f'child-{made.ava.id}').set_value(True)
    assert set(field(user, 'course').options.values()) == {'Every class', 'Ballet 2', 'Jazz 1'}
    field(user, 'course').set_value(str(made.ballet.id))
    field(user, 'first-day').set_value(MON_25.isoformat())
    await user.should_see(f'Ava · Ballet 2 · Mon, Jan 25, {FIVE_PM}')  # what it covers, before it is sent
    await user.should_not_see(f'Ava · Jazz 1 · Mon, Jan 25, {HALF_SIX}')
    field(user, 'reason').set_value('sick')
    field(user, 'note').set_value('Flu')
    press(user, 'Report the absence')
    await user.should_see('1 absence reported')
    absence = await Absence.get()
    assert (absence.participant_id, absence.course_id, absence.date, absence.reason, absence.note) == (
        made.ava.id,
        made.ballet.id,
        MON_25,
        'sick',
        'Flu',
    )
    card = field(user, f'absence-{absence.id}')
    texts = [e.text for e in card.descendants() if hasattr(e, 'text')]
    assert f'Mon, Jan 25, {FIVE_PM} · Sick' in texts and 'Reported by Holly Bestie' in texts


async def test_every_class_over_a_range_reports_each_childs_meetings(user: User, admin, term):
    made = await bestie_studio(admin, term)
    await sign_in(user)
    await user.open(PAGE)
    field(user, f'child-{made.ava.id}').set_value(True)
    field(user, f'child-{made.leo.id}').set_value(True)
    field(user, 'several-days').set_value(True)
    field(user, 'first-day').set_value(MON_25.isoformat())
    field(user, 'last-day').set_value(MON_FEB_1.isoformat())
    await user.should_see('This reports 6 classes:')
    field(user, 'reason').set_value('travel')
    press(user, 'Report the absence')
    await user.should_see('6 absences reported')
    assert await Absence.filter(reason='travel').count() == 6


async def test_each_mistake_is_said_beside_its_field_and_nothing_is_saved(user: User, admin, term):
    made = await bestie_studio(admin, term)
    await sign_in(user)
    await user.open(PAGE)
    press(user, 'Report the absence')
    await user.should_see('Choose at least one child')  # beside the children's boxes
    field(user, f'child-{made.ava.id}').set_value(True)
    field(user, 'first-day').set_value(MON_25.isoformat())
    press(user, 'Report the absence')
    await user.should_see('Choose one of the reasons')
    assert field(user, 'reason').error == 'Choose one of the reasons'
    assert field(user, 'children-error').text == ''
    field(user, 'reason').set_value('sick')
    field(user, 'first-day').set_value('2027-01-18')  # Monday before last: gone
    press(user, 'Report the absence')
    await user.should_see('Choose today or a later day')
    assert field(user, 'first-day').error == 'Choose today or a later day'
    assert field(user, 'reason').error is None
    field(user, 'several-days').set_value(True)
    field(user, 'first-day').set_value(MON_FEB_1.isoformat())
    field(user, 'last-day').set_value(MON_25.isoformat())
    press(user, 'Report the absence')
    await user.should_see('Choose a day on or after the first day')
    assert field(user, 'last-day').error == 'Choose a day on or after the first day'
    assert not await Absence.exists()


async def test_an_absence_is_cancelled_before_its_class_after_a_question(user: User, admin, term):
    made = await bestie_studio(admin, term)
    await sign_in(user)
    await user.open(PAGE)
    field(user, f'child-{made.leo.id}').set_value(True)
    field(user, 'first-day').set_value(MON_25.isoformat())
    field(user, 'reason').set_value('school_event')
    press(user, 'Report the absence')
    await user.should_see('1 absence reported')
    absence = await Absence.get()
    await user.should_see(marker=f'ask-cancel-absence-{absence.id}')  # the list, read again
    user.find(marker=f'ask-cancel-absence-{absence.id}').click()
    await user.should_see('Cancel the absence? Leo comes to Ballet 2 on Mon, Jan 25 after all.')
    press(user, 'Keep it')
    assert (await Absence.get()).cancelled_at is None
    user.find(marker=f'ask-cancel-absence-{absence.id}').click()
    press_in(user, f'cancel-absence-{absence.id}', 'Cancel the absence')
    await user.should_see('Absence cancelled: Leo is expected in class')
    assert (await Absence.get()).cancelled_at is not None
    await user.should_see('No absences reported.')


SAT_23 = dt.date(2027, 1, 23)
SAT_30 = dt.date(2027, 1, 30)


async def test_a_makeup_is_booked_with_a_credit_and_cancelled_with_the_credit_back(user: User, admin, term):
    made = await bestie_studio(admin, term)
    await settings.update_absence_rules(admin, scope='any')
    held = await credit(made.ava, made.ballet, MON_18)
    await sign_in(user)
    await user.open(PAGE)
    await user.should_see('Missed Mon, Jan 18 · Reported absence')
    assert field(user, f'credit-status-{held.id}').text == 'Available · use by Sun, Apr 18'
    user.find(marker=f'book-{held.id}').click()
    await user.should_see('Book a makeup for Ava')
    await user.should_see('Saturday Tap · 9:30\u202fAM–10:15\u202fAM')
    await user.should_see('10 seats left')
    assert 'Sat, Jan 23' in [e.text for e in field(user, 'makeup-options').descendants() if hasattr(e, 'text')]
    user.find(marker=f'book-option-{made.tap.id}-{SAT_23.isoformat()}').click()
    await user.should_see('Makeup booked: Ava · Saturday Tap · Sat, Jan 23')
    makeup = await Makeup.get()
    assert (makeup.course_id, makeup.date, makeup.status) == (made.tap.id, SAT_23, MakeupStatus.BOOKED)
    assert (await MakeupCredit.get(id=held.id)).status == CreditStatus.BOOKED
    await user.should_see(marker=f'cancel-outcome-{makeup.id}')
    # said before the tap: 24 hours' notice, so until Friday 9:30
    said = 'Cancel before Fri, Jan 22, 9:30\u202fAM and the credit comes back.'
    assert field(user, f'cancel-outcome-{makeup.id}').text == said
    user.find(marker=f'ask-cancel-makeup-{makeup.id}').click()
    assert field(user, 'cancel-makeup-question').text == f'Cancel Ava’s makeup in Saturday Tap on Sat, Jan 23? {said}'
    press_in(user, f'cancel-makeup-{makeup.id}', 'Cancel the makeup')
    await user.should_see('Makeup cancelled: the credit is back')
    assert (await MakeupCredit.get(id=held.id)).status == CreditStatus.AVAILABLE
    assert (await Makeup.get()).status == MakeupStatus.CANCELLED


async def test_after_the_cut_off_the_page_says_the_credit_is_used_before_the_tap(user: User, admin, term):
    made = await bestie_studio(admin, term)
    await settings.update_absence_rules(admin, scope='any', cancel_hours=72)  # until Wednesday 9:30 for Saturday
    held = await credit(made.ava, made.ballet, MON_18)
    await sign_in(user)
    await user.open(PAGE)
    user.find(marker=f'book-{held.id}').click()
    await user.should_see(marker=f'book-option-{made.tap.id}-{SAT_23.isoformat()}')
    user.find(marker=f'book-option-{made.tap.id}-{SAT_23.isoformat()}').click()
    await user.should_see('Makeup booked: Ava · Saturday Tap · Sat, Jan 23')
    makeup = await Makeup.get()
    await user.should_see(marker=f'cancel-outcome-{makeup.id}')
    said = 'Cancelling now uses the credit: free cancellation ended Wed, Jan 20, 9:30\u202fAM.'
    assert field(user, f'cancel-outcome-{makeup.id}').text == said
    user.find(marker=f'ask-cancel-makeup-{makeup.id}').click()
    assert said in field(user, 'cancel-makeup-question').text
    press_in(user, f'cancel-makeup-{makeup.id}', 'Cancel the makeup')
    await user.should_see('Makeup cancelled: the credit is used')
    assert (await MakeupCredit.get(id=held.id)).status == CreditStatus.USED


async def test_a_seat_taken_meanwhile_is_said_at_once_and_the_list_read_again(user: User, admin, term):
    made = await bestie_studio(admin, term, tap_capacity='1')
    await settings.update_absence_rules(admin, scope='any')
    held = await credit(made.ava, made.ballet, MON_18)
    other = await credit(made.leo, made.ballet, MON_18)
    await sign_in(user)
    await user.open(PAGE)
    user.find(marker=f'book-{held.id}').click()
    await user.should_see(marker=f'option-{made.tap.id}-{SAT_23.isoformat()}')
    await user.should_see('1 seat left')
    await makeups.book(await signed_in('holly@example.com'), other.id, made.tap.id, SAT_23)  # another phone
    user.find(marker=f'book-option-{made.tap.id}-{SAT_23.isoformat()}').click()
    await user.should_see('That makeup seat has just been taken. The list is up to date again.')
    await user.should_not_see(marker=f'option-{made.tap.id}-{SAT_23.isoformat()}')
    await user.should_see(marker=f'option-{made.tap.id}-{SAT_30.isoformat()}')  # the next Saturday still has it
    assert await Makeup.filter(credit_id=held.id).count() == 0
    assert (await MakeupCredit.get(id=held.id)).status == CreditStatus.AVAILABLE


NOT_ALLOWED = 'The studio manages absences and makeups for you. Please contact the studio.'


async def test_a_contact_without_the_tick_sees_the_lists_only_and_why(user: User, admin, term):
    made = await bestie_studio(admin, term)
    await settings.update_absence_rules(admin, scope='any')
    held = await credit(made.ava, made.ballet, MON_18)
    with_tick = await signed_in('holly@example.com')
    (absence,) = await absences.report(
        with_tick, participant_ids=[made.ava.id], course_id=made.jazz.id, first_day=MON_25, last_day=None, reason='sick'
    )
    await Contact.filter(id=made.contact_id).update(allow_manage_absences=False)
    await sign_in(user)
    await user.open(PAGE)
    await user.should_see(NOT_ALLOWED)
    await user.should_see(marker=f'absence-{absence.id}')  # still read
    await user.should_see(marker=f'credit-{held.id}')
    await user.should_not_see(marker='report-form')
    await user.should_not_see(marker=f'ask-cancel-absence-{absence.id}')
    await user.should_not_see(marker=f'book-{held.id}')


async def test_a_tick_taken_away_while_the_page_is_open_refuses_the_report(user: User, admin, term):
    made = await bestie_studio(admin, term)
    await sign_in(user)
    await user.open(PAGE)
    field(user, f'child-{made.ava.id}').set_value(True)
    field(user, 'first-day').set_value(MON_25.isoformat())
    field(user, 'reason').set_value('sick')
    await Contact.filter(id=made.contact_id).update(allow_manage_absences=False)  # staff untick it meanwhile
    press(user, 'Report the absence')
    await user.should_see(NOT_ALLOWED)
    await user.should_not_see(marker='report-form')  # the page reads the tick again
    assert not await Absence.exists()


async def test_the_dashboard_tile_counts_the_credits_ready_to_book(user: User, admin, term):
    made = await bestie_studio(admin, term)
    await sign_in(user)
    await user.open('/portal')
    await user.should_see('Report an absence, book a makeup')
    await credit(made.ava, made.ballet, MON_18)
    await credit(made.leo, made.ballet, MON_18)
    await credit(made.ava, made.jazz, MON_18, status=CreditStatus.USED)  # not to book
    await user.open('/portal')
    await user.should_see('Book 2 makeups')
    open_tile(user, 'Absences and makeups')
    await user.should_see('Report an absence')


async def test_a_page_whose_session_ended_reports_nothing(create_user, admin, term):
    made = await bestie_studio(admin, term)
    phone, laptop = create_user(), create_user()
    await sign_in(phone)
    await sign_in(laptop)
    sent_away: list[str] = []
    phone.javascript_rules[GO_TO_SIGN_IN] = lambda match: sent_away.append(match.group(0))
    await phone.open(PAGE)
    field(phone, f'child-{made.ava.id}').set_value(True)
    field(phone, 'first-day').set_value(MON_25.isoformat())
    field(phone, 'reason').set_value('sick')
    await laptop.open('/portal/security')
    press(laptop, 'Sign out other devices')
    await laptop.should_see('Signed out of 1 other device', retries=30)
    await wait_for(lambda: bool(sent_away))
    press(phone, 'Report the absence')
    await asyncio.sleep(0.5)  # a report takes a few milliseconds: time enough for one that was let through
    await phone.should_not_see('1 absence reported')
    assert not await Absence.exists()


async def test_a_closed_date_is_said_at_the_top_and_beside_the_day_chosen(user: User, admin, term):
    made = await bestie_studio(admin, term)
    await catalogue.add_closure(admin, ClosureForm(MON_25.isoformat(), 'Snow day'))
    await sign_in(user)
    await user.open(PAGE)
    await user.should_see('The studio is closed on Mon, Jan 25: Snow day')
    field(user, f'child-{made.ava.id}').set_value(True)
    field(user, 'first-day').set_value(MON_25.isoformat())
    await user.should_see('No class of theirs meets on these days.')  # before it is sent
    field(user, 'reason').set_value('sick')
    press(user, 'Report the absence')
    await user.should_see('The studio is closed on this day')
    assert field(user, 'first-day').error == 'The studio is closed on this day'
    assert not await Absence.exists()


async def test_the_day_starts_empty_and_must_be_chosen(user: User, admin, term):
    made = await bestie_studio(admin, term)
    await sign_in(user)
    await user.open(PAGE)
    assert field(user, 'first-day').value == ''  # not today's or the next class: a tap reports nothing by accident
    field(user, f'child-{made.ava.id}').set_value(True)
    field(user, 'reason').set_value('sick')
    press(user, 'Report the absence')
    await user.should_see('Choose the day')
    assert field(user, 'first-day').error == 'Choose the day'
    assert not await Absence.exists()


async def test_a_day_too_far_ahead_says_the_limit_beside_the_day_only(user: User, admin, term):
    made = await bestie_studio(admin, term)
    await sign_in(user)
    await user.open(PAGE)
    field(user, f'child-{made.ava.id}').set_value(True)
    field(user, 'reason').set_value('sick')
    field(user, 'first-day').set_value('2027-03-22')  # 61 days after the pinned Wednesday
    press(user, 'Report the absence')
    said = 'The studio takes absences up to 60 days ahead: until Sun, Mar 21'
    await user.should_see(said)
    assert field(user, 'first-day').error == said
    (last_day,) = [e for e in field(user, 'report-form').descendants() if 'last-day' in e._markers]
    assert not last_day.visible and last_day.error is None  # nothing said where nobody sees it


async def test_the_preview_counts_only_the_classes_not_reported_yet(user: User, admin, term):
    made = await bestie_studio(admin, term)
    parent = await signed_in('holly@example.com')
    await absences.report(
        parent, participant_ids=[made.ava.id], course_id=made.jazz.id, first_day=MON_25, last_day=None, reason='sick'
    )
    await sign_in(user)
    await user.open(PAGE)
    field(user, f'child-{made.ava.id}').set_value(True)
    field(user, 'first-day').set_value(MON_25.isoformat())
    await user.should_see(f'Ava · Jazz 1 · Mon, Jan 25, {HALF_SIX} · already reported')
    assert field(user, 'report-count').text == 'This reports 1 class:'  # Ballet 2 only
    field(user, 'course').set_value(str(made.jazz.id))
    await user.should_see('These classes are reported already:')


async def test_an_absence_the_studio_excused_says_so_not_other(user: User, admin, term):
    made = await bestie_studio(admin, term)
    parent = await signed_in('holly@example.com')
    (absence,) = await absences.report(
        parent, participant_ids=[made.ava.id], course_id=made.ballet.id, first_day=MON_25, last_day=None, reason='sick'
    )
    await Absence.filter(id=absence.id).update(contact_id=None, reason='other', reported_by='Ines Instructor')
    await credit(made.ava, made.ballet, MON_25, origin=CreditOrigin.EXCUSED)  # as the roster's Excused leaves it
    await sign_in(user)
    await user.open(PAGE)
    card = field(user, f'absence-{absence.id}')
    texts = [e.text for e in card.descendants() if hasattr(e, 'text')]
    assert f'Mon, Jan 25, {FIVE_PM} · Excused by the studio' in texts
    assert not any('Other' in text for text in texts)


async def test_a_meeting_inside_the_no_refund_time_says_so_before_booking(user: User, admin, term):
    made = await bestie_studio(admin, term)
    await settings.update_absence_rules(admin, scope='any', cancel_hours=72)  # Saturday 9:30: free until Wednesday
    held = await credit(made.ava, made.ballet, MON_18)
    await sign_in(user)
    await user.open(PAGE)
    user.find(marker=f'book-{held.id}').click()
    this_week, next_week = (f'option-{made.tap.id}-{day.isoformat()}' for day in (SAT_23, SAT_30))
    await user.should_see(marker=this_week)
    assert field(user, f'no-free-cancel-{this_week}').text == 'Cancelling this one would use the credit'
    await user.should_see(marker=next_week)
    await user.should_not_see(marker=f'no-free-cancel-{next_week}')


async def test_a_cancellation_refused_once_the_class_started_says_why(user: User, admin, term):
    made = await bestie_studio(admin, term)
    await settings.update_absence_rules(admin, scope='any')
    held = await credit(made.ava, made.ballet, MON_18)
    await makeups.book(await signed_in('holly@example.com'), held.id, made.tap.id, SAT_23)
    makeup = await Makeup.get()
    await sign_in(user)
    await user.open(PAGE)
    user.find(marker=f'ask-cancel-makeup-{makeup.id}').click()
    with clock.pinned(at(SAT_23, 9, 45)):  # the page stayed open into the class
        press_in(user, f'cancel-makeup-{makeup.id}', 'Cancel the makeup')
        await user.should_see('This class has started already, so the makeup cannot be cancelled')
    assert (await Makeup.get()).status == MakeupStatus.BOOKED


async def test_an_expired_credit_and_a_late_cancelled_makeup_say_when_and_why(user: User, admin, term):
    made = await bestie_studio(admin, term)
    await settings.update_absence_rules(admin, scope='any', cancel_hours=72)
    gone = await credit(made.leo, made.ballet, MON_18, status=CreditStatus.EXPIRED, expires_on=dt.date(2027, 1, 19))
    held = await credit(made.ava, made.ballet, MON_18)
    parent = await signed_in('holly@example.com')
    booked = await makeups.book(parent, held.id, made.tap.id, SAT_23)
    await makeups.cancel(parent, booked.id)  # inside the 72 hours: the credit is used
    await sign_in(user)
    await user.open(PAGE)
    assert field(user, f'credit-status-{gone.id}').text == 'Expired after Tue, Jan 19'
    assert field(user, f'credit-status-{held.id}').text == 'Used: cancelled after the cut-off'
