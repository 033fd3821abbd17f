"""The news on a parent's phone: the posts meant for the family, unread marked; a post opened shows its text as
escaped Markdown and is read from then on; another family's post is not found; the dashboard's share."""

import datetime as dt

import pytest
from nicegui import ui
from nicegui.testing import User

from components.frame import portal_frame
from components.guards import parent_page
from domain import clock
from domain.access.actors import Actor, StaffActor
from domain.classes import catalogue
from domain.classes.audiences import Audience
from domain.classes.catalogue import CourseForm, LocationForm, PatternForm, TermForm
from domain.models import AudienceKind, Closure, NewsRead
from domain.news import news
from domain.news.news import PostForm
from tests.domain.news.making import PNG
from tests.factories import make_family, make_staff
from tests.pages.helpers import open_tile, sign_in

NOW = dt.datetime(2027, 1, 20, 16, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def dashboard_share(user):
    """The dashboard's share of the news on a page of its own (the lead puts it on the dashboard)."""
    from pages.portal.news.on_dashboard import news_on_dashboard

    @parent_page('/test/news-on-dashboard')
    async def share(actor: Actor):
        with portal_frame('Dashboard', actor):
            await news_on_dashboard(actor)


@pytest.fixture(autouse=True)
def today():
    with clock.pinned(NOW):
        yield


async def studio() -> tuple[StaffActor, int]:
    """A desk to post with, the Besties to read, and a class they are not in."""
    made = await make_staff('owner@example.com', 'Olga Owner', 'admin')
    admin = StaffActor(made.id, made.name, made.email, made.role)
    await make_family('Bestie', 'holly@example.com')
    location = await catalogue.add_location(admin, LocationForm('Main Street'))
    room = await catalogue.add_room(admin, location.id, catalogue.RoomForm('Studio A'))
    term = await catalogue.add_term(admin, TermForm('Spring 2027', '2027-01-04', '2027-05-29', '2026-11-01T09:00'))
    course = await catalogue.add_course(
        admin,
        CourseForm(
            name='Jazz 1',
            term_id=term.id,
            location_id=location.id,
            room_id=room.id,
            starts_on='2027-01-04',
            ends_on='2027-05-29',
            capacity='10',
            tuition='60.00',
            patterns=(PatternForm((0,), '17:00', '18:00'),),
            status='active',
            shown_to_families=True,
            self_enrol=True,
        ),
    )
    return admin, course.id


async def test_the_list_marks_unread_and_opening_a_post_reads_it(user: User):
    admin, _ = await studio()
    await news.publish(admin, PostForm('Old news', 'Yesterday.', appears_at='2027-01-19T09:00'))
    typed = PostForm('Recital photos', 'They are **in**. <script>alert(1)</script>', image=PNG)
    post = await news.publish(admin, typed)
    await sign_in(user)
    await user.open('/portal/news')
    await user.should_see('Old news')
    assert len(user.find(marker='unread').elements) == 2
    open_tile(user, 'Recital photos')
    await user.should_see(marker='post-body')
    (body,) = user.find(marker='post-body').elements
    assert '<strong>in</strong>' in body.content and '<script>' not in body.content
    assert '&lt;script&gt;' in body.content
    (image,) = user.find(marker='post-image').elements
    assert image.source.startswith('/files/')  # a short-lived link, issued once the family was found to see it
    assert await NewsRead.filter(post_id=post.id).count() == 1
    await user.open('/portal/news')
    assert len(user.find(marker='unread').elements) == 1 and len(user.find(marker='read').elements) == 1


async def test_a_post_for_a_class_the_family_is_not_in_is_not_found(user: User):
    admin, course_id = await studio()
    post = await news.publish(
        admin, PostForm('Jazz tights', 'Black.', audience=Audience(AudienceKind.CLASS, course_id))
    )
    await sign_in(user)
    await user.open('/portal/news')
    await user.should_see('No news from the studio right now.')
    await user.open(f'/portal/news/{post.id}')
    await user.should_see('We could not find that page. It may have been removed, or the link may be wrong.')
    await user.should_not_see('Black.')


async def test_the_dashboard_shows_closures_then_unread_posts_and_all_news(user: User):
    admin, _ = await studio()
    await Closure.create(date=dt.date(2027, 1, 25), reason='Snow day')
    for number in range(4):
        await news.publish(admin, PostForm(f'Post {number}', 'Text.'))
    await sign_in(user)
    await user.open('/test/news-on-dashboard')
    await user.should_see('Snow day')
    await user.should_see('The studio is closed on Mon, Jan 25')
    assert len(user.find(marker='unread').elements) == 3
    await user.should_see('4 new posts')
    open_tile(user, 'All news')
    await user.should_see('Post 0')
    assert len(user.find(kind=ui.link, marker='unread').elements) == 4
