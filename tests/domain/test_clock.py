"""The one clock: what the services call "now" is what a test pins, so lifetimes are tested without waiting."""

import datetime as dt
import re

import pytest

from domain import clock
from domain.access import passwords
from domain.messages import outbox
from tests.factories import make_family

pytestmark = pytest.mark.usefixtures('database')


def test_the_clock_is_utc_and_a_pin_holds_only_inside_its_block():
    moment = dt.datetime(2027, 2, 3, 9, 0, tzinfo=dt.UTC)
    assert clock.now().tzinfo is not None
    with clock.pinned(moment):
        assert clock.now() == moment
    assert clock.now() != moment
    with pytest.raises(AssertionError), clock.pinned(dt.datetime(2027, 2, 3, 9, 0)):  # a moment needs a zone
        pass


async def test_a_reset_link_opens_until_its_60th_minute_and_never_after(delivered):
    await make_family('Brown', 'gabby@example.com')
    issued = clock.now()
    with clock.pinned(issued):
        await passwords.request_reset('gabby@example.com')
    await outbox.deliver_due()
    token = re.search(r'/reset/(\S+)', delivered[0].sent[-1].text).group(1)
    with clock.pinned(issued + passwords.RESET_LIFETIME - dt.timedelta(seconds=1)):
        assert await passwords.reset_link_is_usable(token)
    with clock.pinned(issued + passwords.RESET_LIFETIME):
        assert not await passwords.reset_link_is_usable(token)
