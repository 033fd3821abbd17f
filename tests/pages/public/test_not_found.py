"""An address that leads nowhere: the portal's own page, in the reader's language, with a way back."""

import re
from uuid import uuid4

import pytest
from nicegui import Client, ui
from nicegui.nicegui import _on_handshake
from nicegui.testing import User

from tests.factories import make_family
from tests.pages.helpers import sign_in, staff_signs_in

TOO_LARGE = '99999999999999999999'  # more than any id column holds


async def visit(user: User, path: str) -> int:
    """Open a page as `User.open` does, whatever its status; returns the status."""
    response = await user.http_client.get(path, follow_redirects=True)
    client_id = re.search(r"'client_id': '([0-9a-f-]+)'", response.text)
    assert client_id, f'{path} answered {response.status_code} with no page: {response.text[:200]}'
    user.client = Client.instances[client_id.group(1)]
    await _on_handshake(f'test-{uuid4()}', {'client_id': user.client.id, 'tab_id': user.tab_id, 'document_id': 'x'})
    return response.status_code


def way_back(user: User) -> str:
    """Where the page's own link leads (not the header's studio name, not a staff section)."""
    headers = user.find(kind=ui.header).elements
    in_page = [link for link in user.find(kind=ui.link).elements if not any(link in h.descendants() for h in headers)]
    (link,) = [link for link in in_page if not link.text.startswith('‹')]
    return link.props['href']


async def test_an_unknown_address_says_so_in_the_readers_language_with_a_way_to_the_start(user: User):
    user.http_client.headers['accept-language'] = 'es'
    assert await visit(user, '/no/such/page') == 404
    assert user.find(kind=ui.label, content='Página no encontrada').elements.pop().tag == 'h1'
    assert user.client.title.startswith('Página no encontrada')
    await user.should_see('No encontramos esa página')
    await user.should_not_see('HTTPException')
    assert way_back(user) == '/'
    endpoint = await user.http_client.get('/session/begin/nobody/ticket.seal')  # a route's own 404 stays plain
    assert (endpoint.status_code, endpoint.json()) == (404, {'detail': 'Not Found'})


async def test_a_signed_in_parent_is_led_back_to_the_dashboard(user: User):
    await make_family('Ager', 'holly@example.com')
    await sign_in(user)
    assert await visit(user, '/portal/no-such-tile') == 404
    await user.should_see('We could not find that page')
    await user.should_see(marker='sign-out')
    assert way_back(user) == '/portal'


@pytest.mark.parametrize('route', ['/portal/participants/{}', '/portal/contacts/{}', '/portal/messages/{}'])
async def test_an_id_too_large_for_the_database_is_not_found_either(user: User, route: str):
    await make_family('Ager', 'holly@example.com')
    await sign_in(user)
    await user.open(route.format(TOO_LARGE))
    await user.should_see('We could not find that page')


async def test_staff_opening_a_family_id_too_large_see_not_found(user: User):
    await staff_signs_in(user)
    await user.open(f'/staff/families/{TOO_LARGE}')
    await user.should_see('Back to families')


async def test_staff_under_staff_addresses_are_led_back_to_the_console(user: User):
    await staff_signs_in(user)
    assert await visit(user, '/staff/no-such-section') == 404
    await user.should_see('We could not find that page')
    assert way_back(user) == '/staff'
