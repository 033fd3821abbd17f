"""The absences screen's studio: Ballet 2 and Jazz 1 on Mondays, Saturday Tap for makeups, and the Bestie family,
on a pinned Wednesday morning the week before Monday 25 January 2027."""

import pytest

from domain import clock
from tests.domain.absences.making import WEDNESDAY
from tests.domain.classes.conftest import admin, term  # noqa: F401  (the classes' studio set-up)


@pytest.fixture(autouse=True)
def today():
    with clock.pinned(WEDNESDAY):
        yield
