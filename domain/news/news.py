"""Staff publish, edit and remove posts; a family reads the ones meant for it now, unread first.

A post is written in the studio's language, with an optional translation into each other language (its title
and text both, or neither). Everything a form says is checked before anything is written, the image too. A
post's email and texts go out once, when it appears (`notices.send_if_due`), at publishing or by the worker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from tortoise.expressions import Q

from domain import audit, clock, portal_log
from domain.absences.absences import upcoming_closures
from domain.access.actors import Actor, PermissionDenied, StaffActor
from domain.classes import audiences
from domain.classes.audiences import Audience
from domain.errors import NotFound, ValidationFailed
from domain.family.versions import save_if_unchanged
from domain.files import inspection, stored
from domain.files.inspection import MB, FileKind
from domain.i18n import N_
from domain.models import AudienceKind, NewsPost, NewsRead, StaffRole, StoredFile
from domain.news import notices
from domain.news.languages import Wording, other_languages, wording
from domain.records import checked_id
from domain.studio import settings
from domain.unit_of_work import UnitOfWork
from domain.validation import Cleaner

TITLE_LENGTH, BODY_LENGTH = 200, 20000
IMAGE_BYTES = 10 * MB
IMAGE_KINDS = frozenset({FileKind.IMAGE})
KINDS = audiences.MANY_FAMILIES
BOTH_OR_NEITHER = N_('Give this language both a title and a text, or neither')
NOT_AN_AUDIENCE = N_('Choose who sees the post')
DISAPPEARS_FIRST = N_('A post must disappear after it appears')
CLOSURE_NOTICE_DAYS = 14  # how far ahead the dashboard tells of a closed date
DASHBOARD_POSTS = 3
EVERYONE = Audience(AudienceKind.EVERYONE)


@dataclass(frozen=True)
class PostForm:
    """A post as staff typed it. The moments are on the studio's clock ('2027-01-20T09:00'), or aware; an empty
    `appears_at` is now. `image` is a new image's bytes (None keeps the one there, unless `remove_image`)."""

    title: str = ''
    body: str = ''
    translations: Mapping[str, Wording] = field(default_factory=dict)
    audience: Audience = EVERYONE
    appears_at: str | dt.datetime | None = None
    disappears_at: str | dt.datetime | None = None
    pinned: bool = False
    send_email: bool = False
    send_text: bool = False
    image: bytes | None = None
    image_name: str = ''
    remove_image: bool = False
    version: int = 0


def post_form(post: NewsPost) -> PostForm:
    """A stored post as its editor shows it."""
    return PostForm(
        title=post.title,
        body=post.body,
        translations={
            language: Wording(str(words.get('title', '')), str(words.get('body', '')))
            for language, words in (post.translations or {}).items()
        },
        audience=Audience(AudienceKind(post.audience_kind), post.audience_id),
        appears_at=_on_studio_clock(post.appears_at),
        disappears_at=_on_studio_clock(post.disappears_at) if post.disappears_at else '',
        pinned=post.pinned,
        send_email=post.send_email,
        send_text=post.send_text,
        version=post.version,
    )


# Staff


def _require_desk(staff: StaffActor) -> None:
    if staff.role not in (StaffRole.ADMIN, StaffRole.FRONT_DESK):
        raise PermissionDenied()


async def publish(staff: StaffActor, form: PostForm) -> NewsPost:
    """Add a post; if it appears now and goes out by email or text, it is queued in the same transaction."""
    _require_desk(staff)
    values, detected = await _checked(form)
    now = clock.now()
    async with UnitOfWork() as uow:
        if detected is not None:
            values['image_id'] = (await _keep_image(uow, form, detected)).id
        post = await NewsPost.create(
            **values, created_by=staff.name, created_at=now, updated_at=now, using_db=uow.connection
        )
        await audit.record(uow, staff, 'news_published', _target(post), None, _described(values))
        await notices.send_if_due(uow, post.id)
    return post


async def update(staff: StaffActor, post_id: int | str, form: PostForm, seen_version: int) -> NewsPost:
    """Save against the version the editor was loaded with; ChangedMeanwhile (with the post as stored now) when
    someone saved since. A post not yet sent whose new date has come goes out now."""
    _require_desk(staff)
    wanted = checked_id(post_id)
    values, detected = await _checked(form)
    async with UnitOfWork() as uow:
        db = uow.connection
        post = await NewsPost.select_for_update().filter(id=wanted, removed_at__isnull=True).using_db(db).first()
        if post is None:
            raise NotFound()
        before = {key: getattr(post, key) for key in values}
        old_image = await StoredFile.get_or_none(id=post.image_id, using_db=db) if post.image_id else None
        if detected is not None:
            values['image_id'] = (await _keep_image(uow, form, detected)).id
        elif form.remove_image:
            values['image_id'] = None
        await save_if_unchanged(uow, post, seen_version, values, stored_as=post_form)
        if old_image is not None and 'image_id' in values:
            await stored.discard(uow, old_image)
        old, new = audit.changes(_described(before), _described(values))
        if new:
            await audit.record(uow, staff, 'news_edited', _target(post), old, new)
        await notices.send_if_due(uow, post.id)
    return post


async def remove(staff: StaffActor, post_id: int | str) -> None:
    """Take a post down: families see it no more; its reads are kept for the record."""
    _require_desk(staff)
    wanted = checked_id(post_id)
    async with UnitOfWork() as uow:
        post = await NewsPost.filter(id=wanted, removed_at__isnull=True).using_db(uow.connection).first()
        if post is None:
            raise NotFound()
        await NewsPost.filter(id=post.id).using_db(uow.connection).update(removed_at=clock.now())
        await audit.record(uow, staff, 'news_removed', _target(post), {'title': post.title}, None)


@dataclass(frozen=True)
class StoredPost:
    post: NewsPost
    form: PostForm


async def post_for_editing(staff: StaffActor, post_id: int | str) -> StoredPost:
    _require_desk(staff)
    post = await NewsPost.filter(id=checked_id(post_id), removed_at__isnull=True).first()
    if post is None:
        raise NotFound()
    return StoredPost(post, post_form(post))


@dataclass(frozen=True)
class PostSummary:
    """One post in the staff list: when it shows, to whom, and how many families read it of those it reaches."""

    post: NewsPost
    audience_label: str  # a gettext id
    audience_name: str  # data
    read_by: int
    reaches: int


async def post_list() -> list[PostSummary]:
    """Every post not removed, the newest first."""
    posts = await NewsPost.filter(removed_at__isnull=True).order_by('-appears_at', '-id')
    readers: dict[int, set[int]] = {}
    reads = await NewsRead.filter(post_id__in=[post.id for post in posts] or [0]).values_list('post_id', 'family_id')
    for post_id, family_id in reads:
        readers.setdefault(post_id, set()).add(family_id)
    today = settings.today()
    reached: dict[Audience, int] = {}
    names: dict[Audience, str] = {}
    listed = []
    for post in posts:
        audience = _audience_of(post)
        if audience not in reached:  # once per audience, however many posts it has
            reached[audience] = len(await audiences.families_of(audience, today))
            names[audience] = await audiences.name_of(audience)
        listed.append(
            PostSummary(
                post,
                audiences.KIND_LABELS[audience.kind],
                names[audience],
                len(readers.get(post.id, ())),
                reached[audience],
            )
        )
    return listed


# Families


@dataclass(frozen=True)
class PostLine:
    """A post as a family sees it, in the reader's language."""

    id: int
    title: str
    body: str
    appears_at: dt.datetime
    pinned: bool
    read: bool
    image_id: int | None


@dataclass(frozen=True)
class PostView:
    id: int
    title: str
    body: str
    appears_at: dt.datetime
    image_id: int | None  # link it (domain/files/links.py) only after this read, which checked who may see it


def _live(now: dt.datetime) -> Q:
    return Q(removed_at__isnull=True, appears_at__lte=now) & (Q(disappears_at__isnull=True) | Q(disappears_at__gt=now))


async def _visible(actor: Actor) -> list[NewsPost]:
    """The posts shown now to the actor's family: live, and meant for something the family belongs to."""
    belonging = await audiences.belonging(actor.family_id, settings.today())
    return await NewsPost.filter(_live(clock.now()), belonging.matching())


async def family_news(actor: Actor) -> list[PostLine]:
    """Every post the family sees now: those this contact has not opened first, then pinned, then newest."""
    posts = await _visible(actor)
    read = set(
        await NewsRead.filter(contact_id=actor.contact_id, post_id__in=[p.id for p in posts] or [0]).values_list(
            'post_id', flat=True
        )
    )
    lines = []
    for post in posts:
        words = wording(post, actor.language)
        lines.append(
            PostLine(post.id, words.title, words.body, post.appears_at, post.pinned, post.id in read, post.image_id)
        )
    lines.sort(key=lambda line: (line.read, not line.pinned, -line.appears_at.timestamp(), -line.id))
    return lines


async def read_post(actor: Actor, post_id: int | str) -> PostView:
    """The post, marked read for this contact (once, however often or however many times at once it is opened);
    NotFound when the family does not see it now. With the studio's read log on, the first opening is a line."""
    wanted = checked_id(post_id)
    post = next((p for p in await _visible(actor) if p.id == wanted), None)
    if post is None:
        raise NotFound()
    async with UnitOfWork() as uow:
        _read, first = await NewsRead.get_or_create(
            defaults={'family_id': actor.family_id, 'read_at': clock.now()},
            using_db=uow.connection,
            post_id=post.id,
            contact_id=actor.contact_id,
        )
        if first and settings.current().news_read_log:
            await portal_log.record(uow, actor.subject, 'news_read', f'News read: {post.title}')
    words = wording(post, actor.language)
    return PostView(post.id, words.title, words.body, post.appears_at, post.image_id)


@dataclass(frozen=True)
class ClosureNotice:
    date: dt.date
    reason: str  # as staff typed it


async def closure_notices(actor: Actor) -> list[ClosureNotice]:
    """The studio's closed dates in the next two weeks. Every family plans around them, so every family (`actor`
    names which asks) hears of each."""
    return [ClosureNotice(day, reason) for day, reason in await upcoming_closures(days=CLOSURE_NOTICE_DAYS)]


@dataclass(frozen=True)
class DashboardNews:
    closures: list[ClosureNotice]
    unread: list[PostLine]  # at most DASHBOARD_POSTS, pinned first
    unread_count: int


async def dashboard_news(actor: Actor) -> DashboardNews:
    """What the dashboard shows of the news: closed dates ahead, then a few posts not yet opened."""
    lines = [line for line in await family_news(actor) if not line.read]
    return DashboardNews(await closure_notices(actor), lines[:DASHBOARD_POSTS], len(lines))


# Checking a form


async def _checked(form: PostForm) -> tuple[dict, inspection.Detected | None]:
    """The post's columns from the form and a new image's type, or ValidationFailed naming every wrong field."""
    clean = Cleaner()
    values: dict = {
        'title': clean.name('title', form.title, max_length=TITLE_LENGTH),
        'body': clean.text('body', form.body, required=True, max_length=BODY_LENGTH),
    }
    translations = {}
    for language in other_languages():
        words = form.translations.get(language) or Wording()
        title = clean.name(f'title.{language}', words.title, required=False, max_length=TITLE_LENGTH)
        body = clean.text(f'body.{language}', words.body, max_length=BODY_LENGTH)
        if title and not body:
            clean.fail(f'body.{language}', BOTH_OR_NEITHER)
        elif body and not title:
            clean.fail(f'title.{language}', BOTH_OR_NEITHER)
        elif title and body:
            translations[language] = {'title': title, 'body': body}
    values['translations'] = translations
    audience = form.audience
    if audience.kind not in KINDS or not await _exists(audience):
        clean.fail('audience', NOT_AN_AUDIENCE)
    values['audience_kind'] = audience.kind
    values['audience_id'] = None if audience.kind == AudienceKind.EVERYONE else audience.id
    zone = settings.current().timezone
    appears = clean.moment('appears_at', form.appears_at, timezone=zone) or clock.now()
    disappears = clean.moment('disappears_at', form.disappears_at, timezone=zone)
    if disappears is not None and disappears <= appears:
        clean.fail('disappears_at', DISAPPEARS_FIRST)
    values.update(appears_at=appears, disappears_at=disappears)
    values.update(pinned=bool(form.pinned), send_email=bool(form.send_email), send_text=bool(form.send_text))
    detected = None
    if form.image is not None:
        try:
            detected = inspection.check_upload('image', form.image, max_bytes=IMAGE_BYTES, kinds=IMAGE_KINDS)
        except ValidationFailed as failure:
            clean.fail('image', failure.errors['image'])
    clean.raise_if_invalid()
    return values, detected


async def _keep_image(uow: UnitOfWork, form: PostForm, detected: inspection.Detected) -> StoredFile:
    assert form.image is not None
    return await stored.keep(
        uow,
        form.image,
        folder='news',
        content_type=detected.content_type,
        extension=detected.extension,
        original_name=form.image_name,
    )


async def _exists(audience: Audience) -> bool:
    if audience.kind == AudienceKind.EVERYONE:
        return True
    return audience.id is not None and await audiences.name_of(audience) != '?'  # one row, not every choice


def _on_studio_clock(moment: dt.datetime) -> str:
    return moment.astimezone(ZoneInfo(settings.current().timezone)).strftime('%Y-%m-%dT%H:%M')


def _audience_of(post: NewsPost) -> Audience:
    return Audience(AudienceKind(post.audience_kind), post.audience_id)


def _target(post: NewsPost) -> str:
    return f'News: {post.title}'


def _described(values: dict) -> dict:
    return {key: value for key, value in values.items() if key != 'version'}
