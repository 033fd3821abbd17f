"""What identifies a browser changes at every sign-in and sign-out, so a cookie planted before is worth nothing after;
and NiceGUI's storage on the server holds no token that would sign anyone in."""

import json
from collections.abc import Callable

import httpx
from nicegui import app
from nicegui.testing import User

from components import session
from domain.models import PortalSession
from tests.factories import make_family
from tests.pages.helpers import sign_in, staff_signs_in


def browser_of(user: User) -> dict:
    assert user.client
    return dict(user.client.request.session)


async def planted_opens(user: User, path: str, planted: httpx.Cookies) -> httpx.Response:
    """The attacker's own browser, holding the cookie it planted in the victim's before they signed in."""
    attacker = httpx.AsyncClient(transport=user.http_client._transport, base_url='http://test', cookies=planted)
    async with attacker:
        return await attacker.get(path)


async def test_a_cookie_planted_before_a_parent_signs_in_is_not_signed_in_after(user: User):
    await make_family('Ager', 'holly@example.com')
    await user.open('/')
    planted = httpx.Cookies(user.http_client.cookies)
    before = browser_of(user)['id']
    await sign_in(user)
    assert browser_of(user)['id'] != before
    assert (await planted_opens(user, '/portal', planted)).headers['location'] == '/'
    assert (await user.http_client.get('/portal')).status_code == 200  # the parent's own browser is in


async def test_a_cookie_planted_before_staff_sign_in_is_not_signed_in_after(user: User):
    await user.open('/staff/sign-in')
    planted = httpx.Cookies(user.http_client.cookies)
    await staff_signs_in(user)
    assert (await planted_opens(user, '/staff', planted)).headers['location'] == '/staff/sign-in'


async def test_signing_out_gives_the_browser_a_new_id_and_empty_storage(user: User):
    await make_family('Ager', 'holly@example.com')
    await sign_in(user)
    signed_in = browser_of(user)
    app.storage._users[signed_in['id']]['lang'] = 'es'  # as choosing Español does
    user.find(marker='sign-out').click()
    await user.should_see(marker='destination', retries=30)
    after = browser_of(user)
    assert after['id'] != signed_in['id'] and session.PARENT_KEY not in after
    assert dict(app.storage._users[signed_in['id']]) == {}
    assert dict(app.storage._users[after['id']]) == {'lang': 'es'}  # the language, and nothing else, is carried


async def test_a_hand_over_address_works_once_and_only_in_the_browser_that_signed_in(
    create_user: Callable[[], User],
):
    await make_family('Ager', 'holly@example.com')
    parent, other = create_user(), create_user()
    await parent.open('/')
    handed: list[str] = []
    original = session.hand_over

    def record(kind: str, ticket: str, then: str = '') -> None:
        handed.append(ticket)
        original(kind, ticket, then)

    session.hand_over = record
    try:
        await sign_in(parent)
    finally:
        session.hand_over = original
    seal = session.ticket_seal(handed[0], browser_of(parent)['id'])  # as if the same browser came back
    again = await parent.http_client.get(f'/session/begin/parent/{handed[0]}.{seal}')
    assert again.headers['location'] == '/'  # the ticket was used
    await other.open('/')
    seal = session.ticket_seal(handed[0], browser_of(other)['id'])
    assert (await other.http_client.get(f'/session/begin/parent/{handed[0]}.{seal}')).headers['location'] == '/'
    assert await PortalSession.filter(ended_at=None).count() == 1


async def test_a_link_to_the_end_address_signs_nobody_out(user: User):
    await make_family('Ager', 'holly@example.com')
    await sign_in(user)
    response = await user.http_client.get('/session/end/parent')  # as a link on another site would
    assert response.headers['location'] == '/portal'
    assert (await user.http_client.get('/portal')).status_code == 200


async def test_no_token_that_signs_in_is_kept_in_nicegui_storage(user: User):
    await make_family('Ager', 'holly@example.com')
    await sign_in(user)
    token = browser_of(user)[session.PARENT_KEY]
    stored = json.dumps({key: dict(value) for key, value in app.storage._users.items()})
    assert token not in stored
    row = await PortalSession.get(ended_at=None)
    assert token not in stored and row.token_hash not in stored
