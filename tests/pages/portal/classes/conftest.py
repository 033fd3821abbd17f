"""The Classes screen's and the checkout's studio: the Winter session, on a pinned Wednesday noon."""

import pytest

from domain import clock
from domain.access.actors import StaffActor
from tests.domain.classes.studio_setup import NOON_IN_CHICAGO, make_studio
from tests.factories import make_staff


@pytest.fixture(autouse=True)
def today():
    with clock.pinned(NOON_IN_CHICAGO):  # Wednesday 2 December 2026, in the Winter session
        yield


@pytest.fixture
async def studio():
    made = await make_staff('owner@example.com', 'Olga Owner', 'admin')
    return await make_studio(StaffActor(made.id, made.name, made.email, made.role))
