"""Every response the app sends carries the security headers; the websocket answers only the portal's origin."""

import pytest
from nicegui import __version__, app
from nicegui.testing import User

from components.setup import security_headers
from pages.endpoints import health

POLLING = '/_nicegui_ws/socket.io/?EIO=4&transport=polling'


def assert_secured(response) -> None:
    headers = response.headers
    policy = headers['content-security-policy']
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "default-src 'self'" in policy and 'http:' not in policy and '*' not in policy
    assert headers['x-frame-options'] == 'DENY'
    assert headers['referrer-policy'] == 'same-origin'
    assert headers['x-content-type-options'] == 'nosniff'
    assert 'camera=()' in headers['permissions-policy'] and 'geolocation=()' in headers['permissions-policy']


@pytest.mark.parametrize(
    ('path', 'status'),
    [
        ('/', 200),  # a page
        (f'/_nicegui/{__version__}/static/nicegui.css', 200),  # a static file
        ('/healthz', 200),  # an endpoint
        ('/no-such-page', 404),
    ],
)
async def test_every_kind_of_response_carries_the_headers(user: User, path: str, status: int):
    if not any(getattr(route, 'path', '') == '/healthz' for route in app.routes):
        app.get('/healthz')(health.healthz)  # the test runner keeps an endpoint only for its first test
    response = await user.http_client.get(path)
    assert response.status_code == status
    assert_secured(response)


async def test_a_header_the_response_sets_itself_is_kept():
    sent: list[dict] = []

    async def app(scope, receive, send):
        await send({'type': 'http.response.start', 'status': 200, 'headers': [(b'x-frame-options', b'SAMEORIGIN')]})
        await send({'type': 'http.response.body', 'body': b''})

    async def send(message):
        sent.append(message)

    middleware = security_headers.SecurityHeaders(app, {'X-Frame-Options': 'DENY', 'Referrer-Policy': 'same-origin'})
    await middleware({'type': 'http'}, None, send)
    assert sent[0]['headers'] == [(b'x-frame-options', b'SAMEORIGIN'), (b'referrer-policy', b'same-origin')]


async def test_socket_io_polling_refuses_another_site_and_names_no_origin(user: User, caplog):
    response = await user.http_client.get(POLLING, headers={'Origin': 'http://evil.example'})
    assert response.status_code == 400
    assert 'access-control-allow-origin' not in response.headers
    errors = [record.getMessage() for record in caplog.records if record.levelname == 'ERROR']
    assert all('is not an accepted origin' in error for error in errors)  # Engine.IO's, once per process
    caplog.clear()


async def test_socket_io_polling_answers_the_portal_itself(user: User):
    response = await user.http_client.get(POLLING, headers={'Origin': 'http://localhost:8080'})
    assert response.status_code == 200 and '"sid"' in response.text
    assert response.headers['access-control-allow-origin'] == 'http://localhost:8080'


@pytest.mark.parametrize(
    ('base_url', 'origin', 'host', 'accepted'),
    [
        ('https://portal.example.com', 'https://portal.example.com', 'portal.example.com', True),
        ('https://portal.example.com', 'https://PORTAL.example.com', 'portal.example.com', True),
        ('https://portal.example.com', 'http://portal.example.com', 'portal.example.com', False),  # not HTTPS
        ('https://portal.example.com', 'https://evil.example', 'evil.example', False),  # its own Host proves nothing
        ('https://portal.example.com', 'https://portal.example.com.evil.example', 'portal.example.com', False),
        ('http://localhost:8080', 'http://127.0.0.1:8080', '127.0.0.1:8080', True),  # a local run, as reached
        ('http://localhost:8080', 'http://192.168.1.5:8080', '192.168.1.5:8080', True),  # a phone on the LAN
        ('http://localhost:8080', 'http://evil.example', '127.0.0.1:8080', False),
        ('http://localhost:8080', 'http://127.0.0.1:9999', '127.0.0.1:9999', False),  # another port: another site
        ('http://localhost:8080', None, '127.0.0.1:8080', False),
    ],
)
def test_which_origins_may_open_the_websocket(base_url, origin, host, accepted):
    assert security_headers.accepts_origin(base_url)(origin, {'HTTP_HOST': host}) is accepted
