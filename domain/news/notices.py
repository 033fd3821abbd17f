"""A post's email and texts: queued once, when it appears, for each contact of each family it reaches.

Staff typed the title and the text: they go into the message as data (escaped in its HTML), never through
gettext or a format string; only the line that links to the post is the portal's own words. The post is claimed
by setting its `sent_at` under a row lock in the transaction that queues the messages, so two workers (or a
worker and the publishing staff member) never send one post twice.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from tortoise.expressions import Q

from domain import clock, i18n
from domain.classes import audiences
from domain.classes.audiences import Audience
from domain.i18n import N_
from domain.messages import outbox
from domain.messages.notices import Notice
from domain.messages.outbox import Recipient
from domain.messages.studio_messages import contacts_to_reach
from domain.models import AudienceKind, Channel, NewsPost, StudioMessageChannel
from domain.news.languages import wording
from domain.studio import settings
from domain.unit_of_work import UnitOfWork

KIND = 'news_post'
READ_IT = N_('Read it in the portal:')
SMS_TITLE_LENGTH = 100


def post_link(post_id: int) -> str:
    return f'{settings.current().base_url}/portal/news/{post_id}'


def _due(now: dt.datetime) -> Q:
    """Posts with an email or texts to send, appeared and not yet gone."""
    return (
        Q(sent_at__isnull=True, removed_at__isnull=True, appears_at__lte=now)
        & (Q(send_email=True) | Q(send_text=True))
        & (Q(disappears_at__isnull=True) | Q(disappears_at__gt=now))
    )


async def due_posts(now: dt.datetime | None = None) -> list:
    """The ids of the posts to send now."""
    ids = await NewsPost.filter(_due(now or clock.now())).order_by('id').values_list('id', flat=True)
    return list(ids)


async def send_if_due(uow: UnitOfWork, post_id: int) -> int:
    """Queue the post's email and texts if it is due and not sent yet; how many messages were queued."""
    db = uow.connection
    now = clock.now()
    post = await NewsPost.select_for_update().filter(_due(now), id=post_id).using_db(db).first()
    if post is None:
        return 0
    claimed = await NewsPost.filter(id=post.id, sent_at__isnull=True).using_db(db).update(sent_at=now)
    if not claimed:
        return 0  # another process claimed it between our read and our write
    families = await audiences.families_of(
        Audience(AudienceKind(post.audience_kind), post.audience_id), settings.today()
    )
    queued = 0
    channels = [(StudioMessageChannel.EMAIL, Channel.EMAIL)] if post.send_email else []
    channels += [(StudioMessageChannel.TEXT, Channel.SMS)] if post.send_text else []
    for kind, channel in channels:
        for contact, address in await contacts_to_reach(families, kind, mass=True):
            language = i18n.normalize_language(contact.preferred_language, settings.current().default_language)
            words = wording(post, language)
            notice = news_notice(post.id, words.title, words.body, language)
            recipient = Recipient(contact.full_name, address, language, contact.family_id, contact.id)
            await outbox.enqueue(uow, channel, recipient, notice)
            queued += 1
    return queued


def news_notice(post_id: int, title: str, body: str, language: str) -> Notice:
    """The email and text of one post in one language: its title as the subject, its text, a link to it."""
    link = post_link(post_id)
    read_it = i18n.gettext(language, READ_IT)
    paragraphs = [part.strip() for part in body.replace('\r\n', '\n').split('\n\n') if part.strip()]
    text = '\n\n'.join([title, *paragraphs, f'{read_it}\n{link}'])
    html = (
        '<div style="font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a">'
        + f'<h1 style="font-size:20px">{escape(title)}</h1>'
        + ''.join('<p>' + escape(part).replace('\n', '<br>') + '</p>' for part in paragraphs)
        + f'<p>{escape(read_it)} <a href="{escape(link)}">{escape(link)}</a></p>'
        + '</div>'
    )
    short = title if len(title) <= SMS_TITLE_LENGTH else title[: SMS_TITLE_LENGTH - 1] + '…'
    sms = f'{settings.current().name}: {short} {link}'
    return Notice(KIND, title, text, html, sms)
