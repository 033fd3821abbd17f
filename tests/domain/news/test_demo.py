import datetime as dt

import pytest

from domain import clock
from domain.access.actors import Actor
from domain.models import Contact, NewsPost, NewsRead
from domain.news import demo, news
from domain.operations import demo as studio_demo

pytestmark = pytest.mark.usefixtures('database')

BEFORE_TERM = dt.datetime(2026, 12, 2, 18, 0, tzinfo=dt.UTC)


async def test_the_demo_has_a_pinned_welcome_a_class_post_and_one_mary_read():
    with clock.pinned(BEFORE_TERM):
        assert await studio_demo.seed()
        assert not await demo.seed_news()  # the studio's demo seeded the posts already, once
        mary = Actor.of(await Contact.get(email=studio_demo.DEMO_PARENT_EMAIL).select_related('family'))
        lines = await news.family_news(mary)
    assert [(line.title, line.pinned, line.read) for line in lines] == [
        ('Welcome to the new parent portal', True, False),
        ('Jazz 2: jazz shoes from next week', False, False),
        ('Spring recital tickets are on sale', False, True),
    ]
    welcome = await NewsPost.get(pinned=True)
    assert set(welcome.translations) == {'es', 'zh_Hans'}
    assert await NewsRead.all().count() == 1
