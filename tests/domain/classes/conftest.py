import pytest

from domain.access.actors import StaffActor
from domain.classes import catalogue
from domain.classes.catalogue import LocationForm, RoomForm, TermForm
from tests.factories import make_staff


@pytest.fixture
async def admin() -> StaffActor:
    made = await make_staff('owner@example.com', 'Olga Owner', 'admin')
    return StaffActor(made.id, made.name, made.email, made.role)


@pytest.fixture
async def term(admin):
    """A location with a room, and the spring session (registration open since November)."""
    location = await catalogue.add_location(admin, LocationForm('Main Street'))
    room = await catalogue.add_room(admin, location.id, RoomForm('Studio A'))
    made = await catalogue.add_term(admin, TermForm('Spring 2027', '2027-01-04', '2027-05-29', '2026-11-01T09:00'))
    return location, room, made
