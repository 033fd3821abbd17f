import importlib

import pytest


@pytest.fixture
async def user(user):
    """Until main.py imports the staff's messages page (the lead adds it), the tests register it themselves."""
    importlib.import_module('pages.staff.messages.messages')
    return user
