"""The waitlist as a parent meets it: a full class reads "Full: join the waitlist" and takes a child on its list
with their place in line; the Waitlists page shows an offer first (Accept goes on to the checkout and enrols,
Decline asks first), then each child waiting with their place (or none, when the studio hides it) and Leave."""

import asyncio
import datetime as dt
from collections.abc import Callable

from nicegui.testing import User

from domain.access.actors import Actor
from domain.classes import waitlists
from domain.models import Contact, Course, Enrolment, SeatHold, WaitlistEntry, WaitlistMode, WaitlistStatus
from domain.studio import settings
from pages.portal.classes.waitlist_labels import ordinal
from tests.domain.classes.studio_setup import enrol
from tests.factories import make_family
from tests.pages.helpers import press, sign_in, wait_for
from tests.pages.portal.classes.steps import family_with, offer
from tests.pages.portal.test_ended_sessions import GO_TO_SIGN_IN


async def full_ballet(studio) -> Course:
    """Ballet 2 with its one seat taken by the Besties' Bo."""
    ballet = await offer(studio, 'Ballet 2', capacity='1')
    other = await make_family('Bestie', 'bonnie@example.com', children=('Bo',))
    await enrol(ballet, other.children[0])
    return ballet


async def parent(email: str = 'holly@example.com') -> Actor:
    return Actor.of(await Contact.get(email=email).select_related('family'))


async def ava_offered_a_seat(studio) -> WaitlistEntry:
    """Ava waits for Ballet 2; Bo's seat is freed and offered to her."""
    ballet = await full_ballet(studio)
    made = await family_with(('Ava', dt.date(2018, 5, 1)))
    joined = await waitlists.join(await parent(), made.children[0].id, ballet.id)
    await Enrolment.filter(course_id=ballet.id).delete()
    await waitlists.offer_seats()
    entry = await WaitlistEntry.get(id=joined.entry_id)
    assert entry.status == WaitlistStatus.OFFERED
    return entry


def test_places_in_line_are_ordinals_in_the_readers_language():
    english = [ordinal(n, 'en') for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112)]
    assert english == ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '23rd', '101st', '111th',
                       '112th']  # fmt: skip
    assert (ordinal(3, 'es'), ordinal(3, 'zh_Hans')) == ('3.º', '第3位')


async def test_a_full_class_takes_a_child_on_its_waitlist_with_their_place_in_line(user: User, studio):
    ballet = await full_ballet(studio)
    made = await family_with(('Ava', dt.date(2018, 5, 1)))
    first = await make_family('First', 'fay@example.com', children=('Fin',))
    await waitlists.join(await parent('fay@example.com'), first.children[0].id, ballet.id)
    await sign_in(user)
    await user.open('/portal/classes')
    await user.should_see('Full: join the waitlist')
    await user.should_see('Ava can join the waitlist')
    press(user, 'Join the waitlist')
    await user.should_see(marker=f'join-{ballet.id}')
    await user.should_not_see(marker='auto-enrol')  # the class offers seats, it does not enrol by itself
    press(user, 'Join')
    await user.should_see('Ava is 2nd in line', retries=30)
    await user.should_not_see(marker=f'wait-{ballet.id}')  # no child is left to join
    press(user, 'Close')
    await user.should_see('Ava is on the waitlist')  # the card says so without reading the page again
    await user.should_not_see('Ava can join the waitlist')
    [entry] = await WaitlistEntry.filter(participant_id=made.children[0].id)
    assert (entry.course_id, entry.status, entry.auto_enrol) == (ballet.id, WaitlistStatus.WAITING, False)

    await user.open('/portal/classes/waitlists')
    await user.should_see('Ava · Ballet 2')
    await user.should_see('2nd in line')
    await user.open('/portal/classes')
    await user.should_see('Ava is on the waitlist')  # and no second Join for her
    await user.should_not_see(marker=f'wait-{ballet.id}')


async def test_a_refusal_is_said_beside_the_choice(user: User, studio):
    ballet = await full_ballet(studio)
    tap = await offer(studio, 'Tap 1', capacity='1')
    await enrol(tap, (await Enrolment.get(course_id=ballet.id).select_related('participant')).participant)
    made = await family_with(('Ava', dt.date(2018, 5, 1)))
    await waitlists.join(await parent(), made.children[0].id, tap.id)
    await settings.change(waitlists_per_child=1)
    await sign_in(user)
    await user.open('/portal/classes')
    user.find(marker=f'wait-{ballet.id}').click()
    press(user, 'Join')
    await user.should_see('Ava is on 1 waitlists already, as many as the studio allows', retries=30)
    assert await WaitlistEntry.filter(course_id=ballet.id).count() == 0


async def test_a_class_that_enrols_from_its_list_asks_whether_to_enrol_automatically(user: User, studio):
    ballet = await full_ballet(studio)
    await Course.filter(id=ballet.id).update(waitlist_mode=WaitlistMode.AUTO_ENROL)
    await family_with(('Ava', dt.date(2018, 5, 1)))
    await sign_in(user)
    await user.open('/portal/classes')
    press(user, 'Join the waitlist')
    await user.should_see('Enrol us automatically and charge my saved card')


async def test_accepting_an_offer_goes_through_the_checkout_to_enrolled(user: User, studio):
    entry = await ava_offered_a_seat(studio)
    await sign_in(user)
    await user.open('/portal/classes')
    user.find(marker='waitlists-link').click()
    await user.should_see('Places kept for you', retries=30)
    await user.should_see('A place in Ballet 2 is kept for Ava until Wed, Dec 2, 3:00\u202fPM')  # 2 h before class
    press(user, 'Accept')
    await user.should_see('Your place is kept until Wed, Dec 2, 3:00\u202fPM', retries=30)  # hours: the deadline
    [hold] = await SeatHold.filter(waitlist_entry_id=entry.id)
    assert hold.participant_id == entry.participant_id
    press(user, 'Enrol')
    await user.should_see('Enrolled!', retries=30)
    assert await Enrolment.filter(course_id=entry.course_id, participant_id=entry.participant_id).exists()
    assert (await WaitlistEntry.get(id=entry.id)).status == WaitlistStatus.ENROLLED


async def test_declining_asks_first_and_passes_the_place_on(user: User, studio):
    entry = await ava_offered_a_seat(studio)
    await sign_in(user)
    await user.open('/portal/classes/waitlists')
    press(user, 'Decline')
    await user.should_see(
        'Decline the place in Ballet 2 for Ava? It goes to the next child in line, and Ava leaves the waitlist.'
    )
    assert (await WaitlistEntry.get(id=entry.id)).status == WaitlistStatus.OFFERED  # asked, not done
    press(user, 'Decline the place')
    await user.should_see(marker='no-waitlists', retries=30)
    assert (await WaitlistEntry.get(id=entry.id)).status == WaitlistStatus.DECLINED


async def test_leaving_asks_first_and_takes_the_child_off(user: User, studio):
    ballet = await full_ballet(studio)
    made = await family_with(('Ava', dt.date(2018, 5, 1)))
    joined = await waitlists.join(await parent(), made.children[0].id, ballet.id)
    await sign_in(user)
    await user.open('/portal/classes/waitlists')
    await user.should_see('1st in line')
    press(user, 'Leave')
    await user.should_see('Take Ava off the waitlist for Ballet 2? Their place in line is lost.')
    press(user, 'Leave the waitlist')
    await user.should_see(marker='no-waitlists', retries=30)
    assert (await WaitlistEntry.get(id=joined.entry_id)).status == WaitlistStatus.LEFT


async def test_a_studio_that_keeps_the_order_to_itself_shows_no_place(user: User, studio):
    ballet = await full_ballet(studio)
    made = await family_with(('Ava', dt.date(2018, 5, 1)))
    await waitlists.join(await parent(), made.children[0].id, ballet.id)
    await settings.change(waitlist_position_shown=False)
    await sign_in(user)
    await user.open('/portal/classes/waitlists')
    await user.should_see('On the waitlist')
    await user.should_not_see('1st in line')


async def test_no_waitlist_says_so_and_leads_to_the_classes(user: User, studio):
    await family_with(('Ava', dt.date(2018, 5, 1)))
    await sign_in(user)
    await user.open('/portal/classes/waitlists')
    await user.should_see(marker='no-waitlists')
    await user.should_see('See the classes')


async def test_a_page_left_open_after_signing_out_cannot_accept(create_user: Callable[[], User], studio):
    entry = await ava_offered_a_seat(studio)
    phone, laptop = create_user(), create_user()
    await sign_in(phone)
    await sign_in(laptop)
    sent_away: list[str] = []
    phone.javascript_rules[GO_TO_SIGN_IN] = lambda match: sent_away.append(match.group(0))
    await phone.open('/portal/classes/waitlists')
    await phone.should_see('Places kept for you')
    await laptop.open('/portal/security')
    press(laptop, 'Sign out other devices')
    await laptop.should_see('Signed out of 1 other device', retries=30)
    await wait_for(lambda: bool(sent_away))
    press(phone, 'Accept')
    await asyncio.sleep(0.5)  # an accept takes a few milliseconds: time enough for one that was let through
    assert not await SeatHold.filter(waitlist_entry_id=entry.id).exists()
    assert (await WaitlistEntry.get(id=entry.id)).status == WaitlistStatus.OFFERED
