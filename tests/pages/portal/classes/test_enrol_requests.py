"""A class whose enrolments the studio decides, as a parent meets it: the card offers "Ask to enrol" instead of
the studio's refusal, its dialog sends the request with a note, and the request shows on the requests page."""

import datetime as dt

from nicegui.testing import User

from domain.access.actors import Actor
from domain.classes import requests
from domain.models import ClassRequest, Contact, RequestKind, RequestStatus
from tests.pages.helpers import press, sign_in
from tests.pages.portal.classes.steps import family_with, offer


async def test_a_parent_asks_to_enrol_from_the_card_and_finds_the_request(user: User, studio):
    team = await offer(studio, 'Team Gymnastics Level 3', self_enrol=False, enrol_by_request=True)
    desk_only = await offer(studio, 'Company Dance', self_enrol=False)
    made = await family_with(('Ava', dt.date(2018, 5, 1)))
    await sign_in(user)
    await user.open('/portal/classes')
    await user.should_see('Ava can ask to enrol')
    await user.should_see('Ava: To enrol in this class, please contact the studio')  # neither switch: as before
    await user.should_not_see(marker=f'ask-{desk_only.id}')
    await user.should_not_see(marker=f'choose-{team.id}')
    press(user, 'Ask to enrol')
    await user.should_see(marker=f'ask-dialog-{team.id}')
    user.find(marker='ask-note').type('She did Level 2 at her old gym')
    press(user, 'Send the request')
    await user.should_see('Sent: the studio will answer by email', retries=30)
    await user.should_not_see(marker=f'ask-{team.id}')  # no child is left to ask for
    [request] = await ClassRequest.filter(course_id=team.id)
    assert (request.kind, request.status, request.participant_id) == (
        RequestKind.ENROL,
        RequestStatus.PENDING,
        made.children[0].id,
    )
    assert request.note == 'She did Level 2 at her old gym'

    await user.open('/portal/classes')
    await user.should_see('Ava: your request to enrol waits for the studio')
    await user.should_not_see(marker=f'ask-{team.id}')
    await user.open('/portal/classes/requests')
    await user.should_see('Enrolment: Ava Ager · Team Gymnastics Level 3')
    await user.should_see('Starts Wed, Dec 2')  # the class meets this evening
    await user.should_see('Waiting for the studio')


async def test_a_request_sent_meanwhile_is_refused_in_the_dialog(user: User, studio):
    team = await offer(studio, 'Team Gymnastics Level 3', self_enrol=False, enrol_by_request=True)
    made = await family_with(('Ava', dt.date(2018, 5, 1)))
    await sign_in(user)
    await user.open('/portal/classes')
    press(user, 'Ask to enrol')
    await user.should_see(marker=f'ask-dialog-{team.id}')
    parent = Actor.of(await Contact.get(email='holly@example.com').select_related('family'))
    await requests.request_enrolment(parent, made.children[0].id, team.id)  # from another device
    press(user, 'Send the request')
    await user.should_see('A request for this class is already waiting for the studio', retries=30)
    assert await ClassRequest.filter(course_id=team.id).count() == 1
