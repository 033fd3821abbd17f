import pytest
from nicegui.testing import User


async def test_the_browser_cookie_is_http_only_and_same_site_lax(user: User):
    response = await user.http_client.get('/')
    cookie = response.headers['set-cookie'].lower()
    assert 'httponly' in cookie and 'samesite=lax' in cookie and 'secure' not in cookie


@pytest.fixture
def served_over_https(monkeypatch):
    monkeypatch.setenv('PORTAL_BASE_URL', 'https://portal.example.com')


async def test_the_cookie_is_secure_when_served_over_https(served_over_https, user: User):
    response = await user.http_client.get('/')
    assert 'secure' in response.headers['set-cookie'].lower()
