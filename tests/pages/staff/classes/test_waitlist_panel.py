"""A class's page shows the desk its waitlist: the mode and switches, the free seats, and the children in line,
whom staff move up or down, offer a place to, skip with a reason, remove, or enrol over the capacity with a reason
the log keeps. Instructors see the roster without it; the classes list counts who waits."""

import asyncio
import contextlib
import datetime as dt
from collections.abc import Awaitable, Callable

import pyotp
import pytest
from nicegui.testing import User

from domain import clock
from domain.access.actors import Actor
from domain.classes import waitlists
from domain.models import (
    Contact,
    Course,
    Enrolment,
    StaffAuditEntry,
    WaitlistEntry,
    WaitlistMode,
    WaitlistStatus,
)
from tests.domain.classes.studio_setup import NOON_IN_CHICAGO
from tests.factories import STAFF_PASSWORD, authenticator_secret, make_family, make_staff
from tests.pages.helpers import press
from tests.pages.staff.classes.steps import a_class, a_studio, enrol


@pytest.fixture(autouse=True)
def registration_is_open():
    with clock.pinned(NOON_IN_CHICAGO):  # Wednesday 2 December 2026: the Spring session's registration is open
        yield


async def ballet_with_two_waiting() -> tuple[Course, list[WaitlistEntry]]:
    """Ballet 2's one seat is the Seated family's; Ann, then Ben, wait for it."""
    studio = await a_studio()
    course = await a_class(studio, 'Ballet 2', capacity='1')
    await Course.filter(id=course.id).update(shown_to_families=True, self_enrol=True)  # families may wait for it
    seated = await make_family('Seated', 'sam@example.com', children=('Sid',))
    await enrol(course, seated.children[0], dt.date(2027, 1, 11))
    entries = []
    for surname, child in (('Ager', 'Ann'), ('Bestie', 'Ben')):
        made = await make_family(surname, f'{surname.lower()}@example.com', children=(child,))
        parent = Actor.of(await Contact.get(id=made.parent.id).select_related('family'))
        joined = await waitlists.join(parent, made.children[0].id, course.id)
        entries.append(await WaitlistEntry.get(id=joined.entry_id))
    return course, entries


async def eventually(check: Callable[[], Awaitable[bool]]) -> None:
    """What a tap changes is stored and shown within a second (a table being rebuilt is not shown yet)."""
    for _ in range(50):
        with contextlib.suppress(AssertionError):
            if await check():
                return
        await asyncio.sleep(0.02)
    assert await check()


async def staff_signs_in(user: User, role: str = 'front_desk') -> int:
    """As tests/pages/helpers.py does, with the authenticator's code for the pinned clock."""
    made = await make_staff(f'{role}@example.com', role=role)
    await user.open('/staff/sign-in')
    user.find('Email').type(f'{role}@example.com')
    user.find('Password').type(STAFF_PASSWORD)
    user.find('Authenticator code').type(pyotp.TOTP(authenticator_secret(made)).at(clock.now()))
    press(user, 'Sign in')
    await user.should_see('Sign out', retries=30)
    return made.id


async def open_class_page(user: User, course: Course) -> None:
    await user.open(f'/staff/classes/{course.id}/roster')
    await user.should_see(marker='free-seats', retries=30)  # the line is read after the page's first part


def places(user: User) -> list[tuple[int, str]]:
    return [(row['place'], row['child']) for row in table_rows_of(user, 'waitlist')]


def table_rows_of(user: User, marker: str) -> list[dict]:
    return user.find(marker=marker).elements.pop().rows


def row_of(user: User, child: str) -> dict:
    return next(row for row in table_rows_of(user, 'waitlist') if row['child'] == child)


async def test_the_desk_sees_the_line_and_moves_a_child_up(user: User):
    course, (ann, _) = await ballet_with_two_waiting()
    await staff_signs_in(user)
    await open_class_page(user, course)
    await user.should_see('Waitlist')
    await user.should_see('Free seats: 0')
    assert places(user) == [(1, 'Ann Ager'), (2, 'Ben Bestie')]
    assert row_of(user, 'Ann Ager')['family_url'] == f'/staff/families/{ann.family_id}'
    user.find(marker='waitlist').trigger('up', row_of(user, 'Ben Bestie'))

    async def ben_first() -> bool:
        return places(user) == [(1, 'Ben Bestie'), (2, 'Ann Ager')]

    await eventually(ben_first)
    assert await StaffAuditEntry.filter(action='waitlist_moved').exists()


async def test_offer_now_keeps_a_freed_seat_for_the_chosen_child(user: User):
    course, (ann, ben) = await ballet_with_two_waiting()
    await Course.filter(id=course.id).update(waitlist_mode=WaitlistMode.MANUAL)  # the worker waits for staff
    await Enrolment.filter(course_id=course.id).delete()
    await staff_signs_in(user)
    await open_class_page(user, course)
    await user.should_see('Free seats: 1')
    user.find(marker='waitlist').trigger('offer', row_of(user, 'Ben Bestie'))
    await user.should_see('Offered to Ben Bestie', retries=30)
    assert (await WaitlistEntry.get(id=ben.id)).status == WaitlistStatus.OFFERED
    assert (await WaitlistEntry.get(id=ann.id)).status == WaitlistStatus.WAITING
    assert row_of(user, 'Ben Bestie')['status'].startswith('Offered until Dec 3, 2026, 12:00')  # the studio's 24 h
    user.find(marker='waitlist').trigger('offer', row_of(user, 'Ann Ager'))
    await user.should_see('No seat is free: enrol over the capacity instead', retries=30)


async def test_skipping_asks_for_a_reason_and_resuming_lets_the_child_go_on(user: User):
    course, (ann, _) = await ballet_with_two_waiting()
    await staff_signs_in(user)
    await open_class_page(user, course)
    user.find(marker='waitlist').trigger('skip', row_of(user, 'Ann Ager'))
    await user.should_see('Skip Ann Ager for offers until you resume them? Their place in line is kept.')
    user.find(marker='skip-reason').type('Fees overdue')
    press(user, 'Skip')

    async def held_back() -> bool:
        return (await WaitlistEntry.get(id=ann.id)).held_back

    await eventually(held_back)
    entry = await WaitlistEntry.get(id=ann.id)
    assert (entry.held_back, entry.held_back_reason) == (True, 'Fees overdue')
    await open_class_page(user, course)
    assert (row_of(user, 'Ann Ager')['status'], row_of(user, 'Ann Ager')['reason']) == ('Skipped', 'Fees overdue')
    user.find(marker='waitlist').trigger('resume', row_of(user, 'Ann Ager'))

    async def resumed() -> bool:
        return not await held_back()

    await eventually(resumed)


async def test_enrolling_over_capacity_needs_a_reason_and_enrols(user: User):
    course, (ann, _) = await ballet_with_two_waiting()
    await staff_signs_in(user)
    await open_class_page(user, course)
    user.find(marker='waitlist').trigger('over', row_of(user, 'Ann Ager'))
    await user.should_see('Enrol Ann Ager although the class is full? Say why.')
    press(user, 'Enrol over capacity')
    await user.should_see('Say why this child is enrolled over the capacity', retries=30)
    assert not await Enrolment.filter(participant_id=ann.participant_id).exists()

    user.find(marker='over-reason').type('Sibling already enrolled')
    press(user, 'Enrol over capacity')
    await user.should_see('Enrolled over the capacity: Ann Ager', retries=30)
    assert await Enrolment.filter(participant_id=ann.participant_id, course_id=course.id).exists()
    assert (await WaitlistEntry.get(id=ann.id)).status == WaitlistStatus.ENROLLED
    audit = await StaffAuditEntry.get(action='enrolled_over_capacity')
    assert 'Sibling already enrolled' in str(audit.new_values)


async def test_removing_asks_first(user: User):
    course, (ann, _) = await ballet_with_two_waiting()
    await staff_signs_in(user)
    await open_class_page(user, course)
    user.find(marker='waitlist').trigger('remove', row_of(user, 'Ann Ager'))
    await user.should_see('Take Ann Ager off the waitlist for this class? The family is told.')
    press(user, 'Remove from the waitlist')
    await user.should_see('Removed from the waitlist: Ann Ager', retries=30)
    assert (await WaitlistEntry.get(id=ann.id)).status == WaitlistStatus.REMOVED
    assert places(user) == [(1, 'Ben Bestie')]


async def test_the_mode_and_switches_are_saved_for_the_class(user: User):
    course, _ = await ballet_with_two_waiting()
    await staff_signs_in(user)
    await open_class_page(user, course)
    await user.should_see("The studio's default (Offer it to the next child in line)")  # as Settings say it
    mode = user.find(marker='waitlist-mode').elements.pop()
    assert mode.props['label'] == 'When a place opens'
    assert mode.options['manual'] == 'Staff choose whom to offer it to'
    mode.set_value('manual')
    await user.should_see('Saved', retries=30)
    assert (await Course.get(id=course.id)).waitlist_mode == WaitlistMode.MANUAL
    user.find(marker='seats-released').elements.pop().set_value(True)
    user.find(marker='waitlist-open').elements.pop().set_value(False)

    async def both_saved() -> bool:
        stored = await Course.get(id=course.id)
        return stored.free_seats_released and not stored.waitlist_open

    await eventually(both_saved)
    stored = await Course.get(id=course.id)
    assert (stored.waitlist_mode, stored.free_seats_released, stored.waitlist_open) == (
        WaitlistMode.MANUAL,
        True,
        False,
    )
    assert await StaffAuditEntry.filter(action='waitlist_configured').count() >= 2


async def test_the_classes_list_counts_who_waits(user: User):
    await ballet_with_two_waiting()
    await staff_signs_in(user)
    await user.open('/staff/classes')
    [row] = table_rows_of(user, 'classes')
    assert (row['name'], row['waiting']) == ('Ballet 2', 2)


async def test_an_instructor_sees_the_roster_without_the_waitlist(user: User):
    studio = await a_studio()
    course = await a_class(studio, 'Ballet 2', await staff_signs_in(user, 'instructor'))
    await user.open(f'/staff/classes/{course.id}/roster')
    await user.should_see('Roster: Ballet 2')
    await user.should_not_see(marker='waitlist-panel')


async def test_the_desk_declines_an_offer_for_a_family_who_phoned(user: User):
    course, (ann, _) = await ballet_with_two_waiting()
    await Course.filter(id=course.id).update(waitlist_mode=WaitlistMode.MANUAL)  # the worker waits for staff
    await Enrolment.filter(course_id=course.id).delete()
    await staff_signs_in(user)
    await open_class_page(user, course)
    user.find(marker='waitlist').trigger('offer', row_of(user, 'Ann Ager'))
    await user.should_see('Offered to Ann Ager', retries=30)
    assert row_of(user, 'Ann Ager')['offered'] and not row_of(user, 'Ben Bestie')['offered']
    user.find(marker='waitlist').trigger('decline', row_of(user, 'Ann Ager'))
    await user.should_see(
        'Decline the place kept for Ann Ager, as the family asked? They are told; the seat is free again.'
    )
    press(user, 'Decline the offer')
    await user.should_see('Offer declined for the family: Ann Ager', retries=30)
    assert (await WaitlistEntry.get(id=ann.id)).status == WaitlistStatus.DECLINED
    assert await StaffAuditEntry.filter(action='waitlist_declined').exists()
