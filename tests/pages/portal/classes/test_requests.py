"""Asking the studio from the portal: a drop with its last class and what it changes shown before sending, a
transfer to a class that takes the child, a trial from the Classes screen, and the family's requests with Cancel."""

import datetime as dt

from nicegui import ui
from nicegui.testing import User

from domain.classes import enrolment, requests
from domain.classes.catalogue import PatternForm
from domain.models import ClassRequest, RequestKind, RequestStatus
from tests.factories import make_family
from tests.pages.helpers import press, sign_in
from tests.pages.portal.classes.steps import family_with, offer

SATURDAY_MORNING = PatternForm((5,), '09:30', '10:15')


async def enrolled_family(studio):
    course = await offer(studio, 'Ballet 2')
    made = await family_with(('Ava', dt.date(2018, 5, 1)))
    place = await enrolment.enrol_by_staff(studio.admin, made.children[0].id, course.id)  # $65 for December
    return made, course, place


def field(user: User, marker: str):
    return user.find(marker=marker).elements.pop()


async def test_a_drop_shows_the_last_class_and_what_it_changes_before_it_is_sent(user: User, studio):
    made, _, place = await enrolled_family(studio)
    await sign_in(user)
    await user.open('/portal/schedule')
    user.find(marker=f'drop-or-transfer-{made.children[0].id}').click()
    await user.should_see('Ava · Ballet 2')
    user.find(marker=f'drop-{place.id}').click()
    await user.should_see('Drop Ava from Ballet 2')
    hint = field(user, 'drop-date-hint')  # its own label, free to wrap at 360 px
    assert 'break-words' in hint.classes and hint.text.startswith('The drop date is not attended')
    assert field(user, 'note').props['label'] == 'Note for the studio'
    # 14 days' notice from Wednesday 2 December: Wednesday the 16th first, the last class Monday the 14th
    await user.should_see('Last class: Monday, December 14, 2026')
    await user.should_see('Credit to your account: $36.11')  # five of December's nine meetings, paid already
    await user.should_see('No longer charged: $130.00')  # January and February
    field(user, 'on_date').set_value('2026-12-21')
    await user.should_see('Last class: Wednesday, December 16, 2026')
    await user.should_see('Credit to your account: $28.89')
    press(user, 'Send the drop request')
    await user.should_see('Choose one of the reasons')
    assert field(user, 'reason').error == 'Choose one of the reasons'
    assert not await ClassRequest.exists()
    field(user, 'reason').set_value('Moving away')
    field(user, 'note').set_value('We move in January')
    press(user, 'Send the drop request')
    await user.should_see('Waiting for the studio')
    # said by the page the parent lands on (a browser drops a notice sent just before it navigates), and once
    await user.should_see('Sent: the studio will answer by email')
    assert field(user, f'request-day-{(await ClassRequest.get()).id}').text == 'Drop date: Mon, Dec 21'
    await user.open('/portal/classes/requests')
    assert user.notify.messages.count('Sent: the studio will answer by email') == 1
    request = await ClassRequest.get()
    assert (request.kind, request.on_date, request.reason, request.note) == (
        RequestKind.DROP,
        dt.date(2026, 12, 21),
        'Moving away',
        'We move in January',
    )
    await user.should_see('A request for this class is waiting for the studio')
    user.find(marker=f'ask-cancel-{request.id}').click()
    await user.should_see("Cancel Ava Ager's drop from Ballet 2?")
    press(user, 'Keep it')
    assert (await ClassRequest.get()).status == RequestStatus.PENDING  # kept
    user.find(marker=f'ask-cancel-{request.id}').click()
    press(user, 'Cancel the request')
    await user.should_see('Request cancelled')
    assert (await ClassRequest.get()).status == RequestStatus.CANCELLED


async def test_another_familys_enrolment_is_not_found(user: User, studio):
    _, _, place = await enrolled_family(studio)
    await make_family('Other', 'other@example.com')
    await sign_in(user, 'other@example.com')
    await user.open(f'/portal/classes/requests/drop/{place.id}')
    await user.should_see('We could not find that page')
    await user.open('/portal/classes/requests/transfer/99999999999999999999')
    await user.should_see('We could not find that page')


async def test_a_transfer_offers_the_classes_that_take_the_child_and_their_days(user: User, studio):
    _, _, place = await enrolled_family(studio)
    tap = await offer(studio, 'Saturday Tap', SATURDAY_MORNING)
    await offer(studio, 'Teens', SATURDAY_MORNING, min_age_years='13')
    await sign_in(user)
    await user.open(f'/portal/classes/requests/transfer/{place.id}')
    assert list(field(user, 'target').options.values()) == ['Saturday Tap']
    assert field(user, 'target').value is None  # nothing chosen for the parent
    press(user, 'Send the transfer request')
    await user.should_see('Choose the new class')
    assert not await ClassRequest.exists()
    field(user, 'target').set_value(str(tap.id))
    assert list(field(user, 'on_date').options) == ['2026-12-05', '2026-12-12']  # within two weeks
    field(user, 'on_date').set_value('2026-12-12')
    press(user, 'Send the transfer request')
    await user.should_see('Waiting for the studio')
    request = await ClassRequest.get()
    assert (request.kind, request.target_id, request.on_date) == (RequestKind.TRANSFER, tap.id, dt.date(2026, 12, 12))
    assert field(user, f'request-day-{request.id}').text == 'First day in the new class: Sat, Dec 12'


async def test_a_trial_is_requested_from_the_classes_screen(user: User, studio):
    course = await offer(studio, 'Ballet 2')
    made = await family_with(('Ava', dt.date(2018, 5, 1)))
    await sign_in(user)
    await user.open('/portal/classes')
    user.find(marker=f'trial-{course.id}').click()
    await user.should_see('Try Ballet 2')
    assert list(field(user, 'child').options.values()) == ['Ava']
    assert next(iter(field(user, 'on_date').options)) == '2026-12-07'  # tomorrow's and later meetings, not today's
    press(user, 'Send the trial request')
    await user.should_see('Waiting for the studio')
    request = await ClassRequest.get()
    assert (request.kind, request.participant_id, request.on_date) == (
        RequestKind.TRIAL,
        made.children[0].id,
        dt.date(2026, 12, 7),
    )
    assert field(user, f'request-day-{request.id}').text == 'Trial on Mon, Dec 7'
    await user.open(f'/portal/classes/{course.id}/trial')
    press(user, 'Send the trial request')
    await user.should_see(requests.RequestPending.MESSAGE)


async def test_a_studio_without_trials_says_so(user: User, studio):
    from domain.studio import settings

    course = await offer(studio, 'Ballet 2')
    await family_with(('Ava', dt.date(2018, 5, 1)))
    await settings.change(trials=False)
    await sign_in(user)
    await user.open('/portal/classes')
    await user.should_see('Ballet 2')
    assert not [link for link in user.find(kind=ui.link).elements if link.text == 'Request a trial']
    await user.open(f'/portal/classes/{course.id}/trial')
    await user.should_see('The studio does not offer trials')
