"""Only the portal's own page ends a session after idleness: a link to /signed-out from anywhere ends nothing."""

from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction

from domain.models import PortalSession
from tests.factories import make_family
from tests.pages.helpers import sign_in


async def open_sessions() -> int:
    return await PortalSession.filter(ended_at=None).count()


async def test_opening_signed_out_directly_leaves_the_parent_signed_in(user: User):
    await make_family('Ager', 'holly@example.com')
    await sign_in(user)
    await user.open('/signed-out')  # as a link on another site, or an <img src>, would
    await user.should_see('For your security, you were signed out after a while without activity.')
    assert await open_sessions() == 1
    await user.open('/portal')
    await user.should_see(marker='sign-out')


async def test_the_idle_countdown_ends_the_session_over_the_pages_websocket(user: User):
    await make_family('Ager', 'holly@example.com')
    await sign_in(user)
    assert user.client
    UserInteraction(user, {user.client.layout}, None).trigger('kr_idle_out')  # what the countdown's end sends
    await user.should_see('For your security, you were signed out after a while without activity.', retries=30)
    assert await open_sessions() == 0
    await user.open('/portal')
    await user.should_see('Sign in with a password instead')
