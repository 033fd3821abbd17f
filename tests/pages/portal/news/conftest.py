import importlib
import sys

import pytest

PAGES = ('pages.portal.news.news',)


@pytest.fixture(autouse=True)
async def news_pages(user):
    """The news pages, registered anew in this test's app (as main.py will import them, once the lead adds them)."""
    for name in PAGES:
        sys.modules.pop(name, None)
        importlib.import_module(name)
    return user
