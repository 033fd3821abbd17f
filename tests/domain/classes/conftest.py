import pytest

from domain.access.actors import StaffActor
from tests.factories import make_staff


@pytest.fixture
async def admin() -> StaffActor:
    made = await make_staff('owner@example.com', 'Olga Owner', 'admin')
    return StaffActor(made.id, made.name, made.email, made.role)
