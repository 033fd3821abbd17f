import asyncio
import dataclasses
import datetime as dt

import pytest

from domain import clock
from domain.classes.audiences import Audience
from domain.errors import NotFound, ValidationFailed
from domain.family.versions import ChangedMeanwhile
from domain.models import AudienceKind, Closure, NewsPost, NewsRead, PortalEvent, StaffAuditEntry, StoredFile
from domain.news import news
from domain.news.news import PostForm, Wording
from domain.studio import settings
from tests.domain.news.making import NOW, PDF, PNG, second_contact, studio

pytestmark = pytest.mark.usefixtures('database')


@pytest.fixture(autouse=True)
def now():
    with clock.pinned(NOW):
        yield


def form(title='Recital photos', body='They are **in**.', **changes) -> PostForm:
    return PostForm(title=title, body=body, **changes)


def titles(lines) -> list[str]:
    return [line.title for line in lines]


async def test_a_class_post_is_seen_by_the_enrolled_family_only_and_a_waitlist_post_by_the_waiting(admin, term):
    made = await studio(admin, term)
    await news.publish(admin, form('Ballet shoes', audience=Audience(AudienceKind.CLASS, made.ballet.id)))
    await news.publish(admin, form('Jazz tights', audience=Audience(AudienceKind.CLASS, made.jazz.id)))
    await news.publish(admin, form('Still waiting?', audience=Audience(AudienceKind.WAITLIST, made.ballet.id)))
    location = made.ballet.location_id
    await news.publish(admin, form('Parking on Main Street', audience=Audience(AudienceKind.LOCATION, location)))
    await news.publish(admin, form('Hello everyone'))
    assert set(titles(await news.family_news(made.bestie))) == {
        'Ballet shoes',
        'Parking on Main Street',
        'Hello everyone',
    }
    assert set(titles(await news.family_news(made.waiter))) == {'Still waiting?', 'Hello everyone'}
    assert titles(await news.family_news(made.other)) == ['Hello everyone']
    ballet = next(p for p in await NewsPost.all() if p.title == 'Ballet shoes')
    with pytest.raises(NotFound):
        await news.read_post(made.other, ballet.id)  # another family's post reads as none at all


async def test_a_post_shows_only_between_its_appearing_and_disappearing(admin, term):
    made = await studio(admin, term)
    await news.publish(admin, form('Soon', appears_at='2027-01-21T09:00', disappears_at='2027-01-22T09:00'))
    assert await news.family_news(made.other) == []
    with clock.pinned(dt.datetime(2027, 1, 21, 15, 0, tzinfo=dt.UTC)):  # 09:00 in Chicago
        assert titles(await news.family_news(made.other)) == ['Soon']
    with clock.pinned(dt.datetime(2027, 1, 22, 15, 0, tzinfo=dt.UTC)):
        assert await news.family_news(made.other) == []


async def test_a_family_reads_its_language_else_the_studios(admin, term):
    made = await studio(admin, term)
    translations = {'es': Wording('Bienvenidos', 'Hola.'), 'zh_Hans': Wording('', '')}
    post = await news.publish(admin, form('Welcome', 'Hello.', translations=translations))
    spanish = dataclasses.replace(made.other, language='es')
    chinese = dataclasses.replace(made.other, language='zh_Hans')
    assert titles(await news.family_news(spanish)) == ['Bienvenidos']
    assert (await news.read_post(spanish, post.id)).body == 'Hola.'
    assert titles(await news.family_news(chinese)) == ['Welcome']


async def test_unread_come_first_then_pinned_then_newest(admin, term):
    made = await studio(admin, term)
    old = await news.publish(admin, form('Old', appears_at='2027-01-01T09:00'))
    await news.publish(admin, form('Pinned', appears_at='2026-12-01T09:00', pinned=True))
    await news.publish(admin, form('New', appears_at='2027-01-19T09:00'))
    assert titles(await news.family_news(made.other)) == ['Pinned', 'New', 'Old']
    pinned = next(p for p in await NewsPost.all() if p.title == 'Pinned')
    await news.read_post(made.other, pinned.id)
    lines = await news.family_news(made.other)
    assert titles(lines) == ['New', 'Old', 'Pinned']
    assert [line.read for line in lines] == [False, False, True]
    board = await news.dashboard_news(made.other)
    assert titles(board.unread) == ['New', 'Old'] and board.unread_count == 2
    assert old.id in {line.id for line in board.unread}


async def test_staff_see_how_many_families_read_of_those_reached(admin, term):
    made = await studio(admin, term)
    post = await news.publish(admin, form())
    mark = await second_contact(made.bestie)
    await news.read_post(made.bestie, post.id)
    await news.read_post(mark, post.id)  # the same family: read by one family
    await news.read_post(made.waiter, post.id)
    (summary,) = await news.post_list()
    assert (summary.read_by, summary.reaches) == (2, 3)
    assert await NewsRead.filter(post_id=post.id).count() == 3


async def test_opening_a_post_twice_at_once_marks_it_read_once(admin, term):
    made = await studio(admin, term)
    await settings.change(news_read_log=True)
    post = await news.publish(admin, form())
    await asyncio.gather(*(news.read_post(made.other, post.id) for _ in range(4)))
    assert await NewsRead.filter(post_id=post.id).count() == 1
    assert await PortalEvent.filter(kind='news_read').count() == 1


async def test_a_read_is_a_log_line_only_when_the_studio_keeps_them(admin, term):
    made = await studio(admin, term)
    post = await news.publish(admin, form('Picture day'))
    await news.read_post(made.other, post.id)
    assert not await PortalEvent.filter(kind='news_read').exists()
    await settings.change(news_read_log=True)
    await news.read_post(made.bestie, post.id)
    (line,) = await PortalEvent.filter(kind='news_read')
    assert line.message == 'News read: Picture day' and line.family_id == made.bestie.family_id


async def test_every_wrong_field_is_named_and_nothing_is_written(admin, term):
    await studio(admin, term)
    wrong = form(
        '',
        'x' * 20001,
        translations={'es': Wording('Hola', '')},
        audience=Audience(AudienceKind.CLASS, 99999),
        appears_at='2027-01-21T09:00',
        disappears_at='2027-01-21T08:00',
        image=PDF,
    )
    with pytest.raises(ValidationFailed) as refused:
        await news.publish(admin, wrong)
    assert set(refused.value.errors) == {'title', 'body', 'body.es', 'audience', 'disappears_at', 'image'}
    assert not await NewsPost.exists() and not await StoredFile.exists()
    with pytest.raises(ValidationFailed) as refused:
        await news.publish(admin, form('x' * 201, appears_at='tomorrow'))
    assert set(refused.value.errors) == {'title', 'appears_at'}


async def test_a_bad_image_is_refused_with_nothing_stored(admin, term, file_storage):
    await studio(admin, term)
    with pytest.raises(ValidationFailed) as refused:
        await news.publish(admin, form(image=b'MZ\x90\x00' + b'\x00' * 200, image_name='photo.png'))
    assert set(refused.value.errors) == {'image'}
    assert not await StoredFile.exists() and not list((file_storage.root).rglob('*.*'))


async def test_an_image_is_kept_and_replaced(admin, term):
    made = await studio(admin, term)
    post = await news.publish(admin, form(image=PNG, image_name='shoes.png'))
    first = await StoredFile.get(id=post.image_id)
    assert first.content_type == 'image/png' and first.key.startswith('news/')
    updated = await news.update(admin, post.id, form(image=PNG), post.version)
    assert updated.image_id != first.id and not await StoredFile.filter(id=first.id).exists()
    assert (await news.read_post(made.other, post.id)).image_id == updated.image_id


async def test_an_edit_from_before_anothers_save_is_refused(admin, term):
    post = await news.publish(admin, form())
    await news.update(admin, post.id, form('Recital photos are in'), post.version)
    with pytest.raises(ChangedMeanwhile) as refused:
        await news.update(admin, post.id, form('Mine'), post.version)
    assert refused.value.stored.title == 'Recital photos are in'
    assert (await NewsPost.get(id=post.id)).title == 'Recital photos are in'
    actions = await StaffAuditEntry.filter(action__startswith='news_').values_list('action', flat=True)
    assert sorted(actions) == ['news_edited', 'news_published']


async def test_a_removed_post_is_gone_for_families(admin, term):
    made = await studio(admin, term)
    post = await news.publish(admin, form())
    await news.remove(admin, post.id)
    assert await news.family_news(made.other) == [] and await news.post_list() == []
    with pytest.raises(NotFound):
        await news.read_post(made.other, post.id)


async def test_closed_dates_in_the_next_two_weeks_are_dashboard_notices(admin, term):
    made = await studio(admin, term)
    await Closure.create(date=dt.date(2027, 1, 25), reason='Snow day')
    await Closure.create(date=dt.date(2027, 3, 1), reason='Far away')
    notices = await news.closure_notices(made.other)
    assert [(n.date, n.reason) for n in notices] == [(dt.date(2027, 1, 25), 'Snow day')]
