"""The news on the parent's dashboard: the studio's closed dates ahead first, then a few posts this contact has
not opened, and the way to all of them."""

from __future__ import annotations

from components.frame import heading
from components.i18n import _, ngettext, weekday_day
from components.tiles import tile
from domain.access.actors import Actor
from domain.news import news
from pages.portal.news.news import PAGE, post_tile


async def news_on_dashboard(actor: Actor) -> None:
    board = await news.dashboard_news(actor)
    for notice in board.closures:
        said = _('The studio is closed on {day}').format(day=weekday_day(notice.date))
        tile(said, notice.reason, '/portal/schedule', icon='event_busy', emphasis=True).mark('closure-notice')
    heading(_('News'), 2)
    for line in board.unread:
        post_tile(line)
    if board.unread_count:
        detail = ngettext('{count} new post', '{count} new posts', board.unread_count).format(count=board.unread_count)
    else:
        detail = _('Nothing new since you last looked')
    tile(_('All news'), detail, PAGE, icon='info').mark('all-news')
