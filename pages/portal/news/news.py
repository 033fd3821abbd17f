"""/portal/news: every post the family sees now, those this contact has not opened marked and first; and
/portal/news/{id}: one post (its title, date, image and text), which opening marks read."""

from __future__ import annotations

from nicegui import ui

from components.frame import not_found, portal_frame
from components.guards import parent_page
from components.i18n import _, day
from components.tiles import tile
from domain.access.actors import Actor
from domain.errors import NotFound
from domain.files import links
from domain.news import news
from domain.news.news import PostLine
from pages.portal.news.text import PostText

PAGE = '/portal/news'


def post_tile(line: PostLine) -> ui.link:
    """One post as a tile: its title, and its date (with "New" while this contact has not opened it)."""
    when = day(line.appears_at)
    detail = _('New · {day}').format(day=when) if not line.read else when
    icon = 'star' if line.pinned else 'info'
    return tile(line.title, detail, f'{PAGE}/{line.id}', icon=icon).mark('unread' if not line.read else 'read')


@parent_page(PAGE)
async def news_page(actor: Actor):
    lines = await news.family_news(actor)
    with portal_frame(_('News'), actor, back='/portal'):
        for line in lines:
            post_tile(line)
        if not lines:
            ui.label(_('No news from the studio right now.')).classes('text-gray-700')


@parent_page(PAGE + '/{post_id}')
async def post_page(actor: Actor, post_id: str):
    try:
        post = await news.read_post(actor, post_id)
    except NotFound:
        not_found(actor)
        return
    with portal_frame(post.title, actor, back=PAGE):
        ui.label(day(post.appears_at)).classes('text-sm text-gray-700').mark('post-date')
        if post.image_id is not None:  # linked only now: read_post checked the family sees the post
            image = ui.image(links.link(post.image_id)).classes('w-full rounded').mark('post-image')
            image.props['alt'] = ''  # the title above says what the post is about
        PostText(post.body).mark('post-body')
