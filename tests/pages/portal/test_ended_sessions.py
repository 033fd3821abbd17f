"""A page left open acts only while its session lives, and goes to sign in the moment the session ends."""

import asyncio
import re
from collections.abc import Callable

from nicegui.testing import User

from domain.models import Participant
from tests.factories import PASSWORD, make_family
from tests.pages.helpers import press, sign_in, staff_signs_in, wait_for

GO_TO_SIGN_IN = re.compile(r'window\.location\.replace\("/session/end/parent"\)')


async def open_participant_page(user: User, child_id: int) -> list[str]:
    """Open the participant page, and record when it is sent to the sign-in page."""
    sent_away: list[str] = []
    user.javascript_rules[GO_TO_SIGN_IN] = lambda match: sent_away.append(match.group(0))
    await user.open(f'/portal/participants/{child_id}')
    await user.should_see('Allergies')
    return sent_away


async def cannot_save_an_allergy(user: User, child_id: int, sent_away: list[str]) -> None:
    await wait_for(lambda: bool(sent_away))  # closed at once, before anyone touches it
    user.find('Allergies').type('Peanuts')
    press(user, 'Save')
    await asyncio.sleep(0.5)  # a save takes a few milliseconds: time enough for one that was let through
    await user.should_not_see('Saved')
    assert (await Participant.get(id=child_id)).allergies == ''


async def test_signing_out_other_devices_closes_their_open_pages(create_user: Callable[[], User]):
    made = await make_family('Ager', 'holly@example.com')
    phone, laptop = create_user(), create_user()
    await sign_in(phone)
    await sign_in(laptop)
    child = made.children[0].id
    sent_away = await open_participant_page(phone, child)
    await laptop.open('/portal/security')
    press(laptop, 'Sign out other devices')
    await laptop.should_see('Signed out of 1 other device', retries=30)
    await cannot_save_an_allergy(phone, child, sent_away)


async def test_a_password_change_closes_the_other_devices_pages(create_user: Callable[[], User]):
    made = await make_family('Ager', 'holly@example.com')
    phone, laptop = create_user(), create_user()
    await sign_in(phone)
    await sign_in(laptop)
    child = made.children[0].id
    sent_away = await open_participant_page(phone, child)
    await laptop.open('/portal/security')
    laptop.find('Current password').type(PASSWORD)
    laptop.find('New password').type('a brand new passphrase')
    press(laptop, 'Change password')
    await laptop.should_see('Your password was changed', retries=30)
    await cannot_save_an_allergy(phone, child, sent_away)


async def test_staff_unticking_allow_login_closes_the_parents_open_pages(create_user: Callable[[], User]):
    made = await make_family('Ager', 'holly@example.com')
    phone, desk = create_user(), create_user()
    await sign_in(phone)
    child = made.children[0].id
    sent_away = await open_participant_page(phone, child)
    await staff_signs_in(desk)
    await desk.open(f'/staff/families/{made.family.id}')
    desk.find('Allow to login to Parent Portal').click()
    await desk.should_see('Saved', retries=30)
    await cannot_save_an_allergy(phone, child, sent_away)
