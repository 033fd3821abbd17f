"""The served portal: its websocket answers only its own origin, and its pages run under the CSP untouched."""

import socket
from urllib.parse import urlsplit

import httpx
from nicegui import __version__
from playwright.async_api import Page, expect

from tests.e2e.test_phone_journeys import sign_in_with_password, staff_console

POLLING = '/_nicegui_ws/socket.io/?EIO=4&transport=polling'
EVIL = 'http://evil.example'
REPORT_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (e) =>
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));
"""


def websocket_handshake(server: str, origin: str) -> str:
    """The status line the server answers a websocket upgrade with, sent as a browser on `origin` would."""
    address = urlsplit(server)
    with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
        connection.sendall(
            (
                f'GET /_nicegui_ws/socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n'
                f'Host: {address.netloc}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n'
                f'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n'
                f'Origin: {origin}\r\n\r\n'
            ).encode()
        )
        return connection.recv(1024).decode(errors='replace').split('\r\n')[0]


async def listen_for_complaints(page: Page, complaints: list[str]) -> None:
    """Every CSP violation, console error or warning and uncaught error on this page (and its context's later pages)."""
    await page.context.add_init_script(REPORT_VIOLATIONS)
    page.on('console', lambda message: message.type in ('error', 'warning') and complaints.append(message.text))
    page.on('pageerror', lambda error: complaints.append(str(error)))


def test_socket_io_polling_refuses_another_site(server: str):
    response = httpx.get(server + POLLING, headers={'Origin': EVIL}, timeout=10)
    assert response.status_code == 400
    assert 'access-control-allow-origin' not in response.headers


def test_socket_io_polling_answers_the_portal_itself(server: str):
    response = httpx.get(server + POLLING, headers={'Origin': server}, timeout=10)
    assert response.status_code == 200 and '"sid"' in response.text
    assert response.headers['access-control-allow-origin'] == server


def test_a_websocket_from_another_site_is_refused(server: str):
    assert websocket_handshake(server, EVIL).split(' ')[1] == '403'
    assert websocket_handshake(server, server).split(' ')[1] == '101'  # the same request from the portal's page


def test_every_kind_of_response_carries_the_headers(server: str):
    for path in ('/', f'/_nicegui/{__version__}/static/nicegui.css', '/healthz', '/no-such-page'):
        headers = httpx.get(server + path, timeout=10).headers
        assert "frame-ancestors 'none'" in headers['content-security-policy'], path
        assert headers['x-frame-options'] == 'DENY', path
        assert headers['referrer-policy'] == 'same-origin', path
        assert headers['x-content-type-options'] == 'nosniff', path
        assert 'camera=()' in headers['permissions-policy'], path


async def test_the_demo_runs_under_the_policy_without_a_single_violation(phone: Page, server: str):
    await phone.set_viewport_size({'width': 360, 'height': 740})
    complaints: list[str] = []
    await listen_for_complaints(phone, complaints)

    await phone.goto(server + '/register')
    await expect(phone.get_by_role('heading').first).to_be_visible()
    await sign_in_with_password(phone, server, 'hollyager41@example.com', 'Hello, Holly')
    for path in ('/portal/you', '/portal/contacts', '/portal/payments', '/portal/messages', '/portal/security'):
        await phone.goto(server + path)
        await phone.wait_for_load_state('networkidle')
    await phone.goto(server + '/portal')
    await expect(phone.get_by_text('Hello, Holly')).to_be_visible()  # rendered by Vue: the policy let it run

    desk = await staff_console(phone, server)
    await listen_for_complaints(desk, complaints)
    for path in ('/staff/families', '/staff/settings', '/staff/audit'):
        await desk.goto(server + path)
        await desk.wait_for_load_state('networkidle')
    await desk.close()
    assert complaints == []
