"""The Parent Portal Log: every sign-in and every change, written with the change, watched live by staff."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from zoneinfo import ZoneInfo

from tortoise.expressions import Q

from domain import clock, db, events
from domain.errors import ValidationFailed
from domain.i18n import N_
from domain.models import Contact, PortalEvent
from domain.unit_of_work import UnitOfWork

PAGE_SIZE = 50


@dataclass(frozen=True)
class LogSubject:
    """Whose line it is: the report's columns (family, contact, user id, IP), copied so a line never changes later."""

    family_id: int | None = None
    family_name: str = ''
    contact_id: int | None = None
    contact_name: str = ''
    user_id: str = ''
    contact_email: str = ''
    client_ip: str = ''

    @classmethod
    def of(cls, contact: Contact, *, user_id: str | None = None, client_ip: str = '') -> LogSubject:
        """A contact's line (its family loaded); the user id is what they signed in with, their email by default."""
        email = contact.email or ''
        return cls(
            contact.family_id,
            contact.family.name,
            contact.id,
            contact.full_name,
            email if user_id is None else user_id,
            email,
            client_ip,
        )


@dataclass(frozen=True)
class LogLine:
    id: int
    occurred_at: dt.datetime
    family_name: str
    contact_name: str
    user_id: str
    contact_email: str
    kind: str
    message: str
    family_id: int | None = None  # last, with a default: a line relayed by a process not yet upgraded still reads

    @classmethod
    def of(cls, event: PortalEvent) -> LogLine:
        return cls(
            event.id,
            event.occurred_at,
            event.family_name,
            event.contact_name,
            event.user_id,
            event.contact_email,
            event.kind,
            event.message,
            event.family_id,
        )

    def to_json(self) -> dict:
        return {**asdict(self), 'occurred_at': self.occurred_at.isoformat()}

    @classmethod
    def from_json(cls, value: dict) -> LogLine:
        return cls(**{**value, 'occurred_at': dt.datetime.fromisoformat(value['occurred_at'])})


events.register_codec(events.PORTAL_LOG, LogLine.to_json, LogLine.from_json)


def log_day(day: dt.date) -> str:
    """As the studio's own log writes dates: 2/3/2027."""
    return f'{day.month}/{day.day}/{day.year}'


async def record(
    uow: UnitOfWork, subject: LogSubject, kind: str, message: str, *, occurred_at: dt.datetime | None = None
) -> LogLine:
    """Write one log line in the caller's transaction; watchers see it once that transaction commits."""
    event = await PortalEvent.create(
        occurred_at=occurred_at or clock.now(),
        family_id=subject.family_id,
        family_name=subject.family_name,
        contact_id=subject.contact_id,
        contact_name=subject.contact_name,
        user_id=subject.user_id,
        contact_email=subject.contact_email,
        kind=kind,
        message=message,
        client_ip=subject.client_ip,
        using_db=uow.connection,
    )
    line = LogLine.of(event)
    uow.publish_after_commit(events.PORTAL_LOG, line)
    return line


ABSENCES = 'absences'
SHARING = 'sharing'  # photos, news read, resources opened, the mass-email opt-out (issue 18)
TOPICS = {
    ABSENCES: ('absence_', 'makeup_'),
    SHARING: ('photo_', 'news_', 'resource_', 'message_'),
}  # the log kinds of a topic staff can filter to begin with one of these


@dataclass(frozen=True)
class LogFilter:
    """The report's search criteria: a date range in the studio's time zone, free text, and a topic (its kinds)."""

    start: dt.date | None = None
    end: dt.date | None = None
    text: str = ''
    timezone: str = 'UTC'
    topic: str = ''  # one of TOPICS, or '' for every line

    @classmethod
    def typed(cls, start: str | None, end: str | None, text: str | None, timezone: str, topic: str = '') -> LogFilter:
        """The criteria as staff typed them: either date may be left empty, an end before the start is refused."""
        errors: dict[str, str] = {}
        days: dict[str, dt.date | None] = {}
        for field, value in (('start', start), ('end', end)):
            try:
                days[field] = dt.date.fromisoformat(value.strip()) if value and value.strip() else None
            except ValueError:
                errors[field] = N_('Enter the date as year-month-day')
        low, high = days.get('start'), days.get('end')
        if low and high and high < low:
            errors['end'] = N_('The end date must be on or after the start date')
        if topic and topic not in TOPICS:
            errors['topic'] = N_('Choose one of the options')
        if errors:
            raise ValidationFailed(errors)
        return cls(low, high, text or '', timezone, topic)

    def bounds(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        zone = ZoneInfo(self.timezone)
        low = dt.datetime.combine(self.start, dt.time.min, zone) if self.start else None
        high = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, zone) if self.end else None
        # in UTC, like the stored times: SQLite compares them as text
        return (low.astimezone(dt.UTC) if low else None), (high.astimezone(dt.UTC) if high else None)

    def matches(self, line: LogLine) -> bool:
        """The same rule as the query, for lines that arrive live."""
        low, high = self.bounds()
        if (low and line.occurred_at < low) or (high and line.occurred_at >= high):
            return False
        if self.topic and not line.kind.startswith(TOPICS[self.topic]):
            return False
        needle = self.text.strip().casefold()
        return not needle or any(
            needle in value.casefold()
            for value in (line.message, line.family_name, line.contact_name, line.user_id, line.contact_email)
        )


@dataclass(frozen=True)
class LogPage:
    lines: list[LogLine]
    has_more: bool

    @property
    def cursor(self) -> tuple[dt.datetime, int] | None:
        """Where the next (older) page starts."""
        return (self.lines[-1].occurred_at, self.lines[-1].id) if self.lines else None


SEARCHED = ('message', 'family_name', 'contact_name', 'user_id', 'contact_email')
FEW = 2000  # more candidates than this, and reading the newest rows first finds a page sooner


async def _few_candidates(needle: str) -> list[int] | None:
    """The ids of the events holding every three-letter piece of the text, when there are few of them.

    From the trigram index of migration 0005 (SQLite). A candidate may hold the pieces apart, so the search
    still checks each one with LIKE. Without the index, a text found in few events or none made the search
    read the whole log, newest first: 457 ms over a million events, against 1 ms this way (`make bench`).
    None means: search without it (a text shorter than three letters, many candidates, or PostgreSQL).
    """
    pieces = sorted({needle[i : i + 3].casefold() for i in range(len(needle) - 2)})
    if not pieces or db.dialect() != 'sqlite':
        return None
    match = ' AND '.join('"' + piece.replace('"', '""') + '"' for piece in pieces)
    rows = await db.fetch('SELECT rowid FROM portal_event_text WHERE portal_event_text MATCH ? LIMIT ?', match, FEW + 1)
    return [row['rowid'] for row in rows] if len(rows) <= FEW else None


async def search(
    criteria: LogFilter, *, before: tuple[dt.datetime, int] | None = None, limit: int = PAGE_SIZE
) -> LogPage:
    """Newest first, a page at a time. Keyset paging keeps the thousandth page as fast as the first."""
    query = PortalEvent.all()
    low, high = criteria.bounds()
    if low:
        query = query.filter(occurred_at__gte=low)
    if high:
        query = query.filter(occurred_at__lt=high)
    if criteria.topic:
        query = query.filter(Q(*(Q(kind__startswith=begins) for begins in TOPICS[criteria.topic]), join_type='OR'))
    if needle := criteria.text.strip():
        # SQLite's LIKE ignores case already (for ASCII letters, as its UPPER does): Tortoise's `icontains`
        # would wrap every column in UPPER() too, which doubled the time of a search over a million events.
        lookup = 'contains' if db.dialect() == 'sqlite' else 'icontains'
        query = query.filter(Q(*(Q(**{f'{column}__{lookup}': needle}) for column in SEARCHED), join_type='OR'))
        if (candidates := await _few_candidates(needle)) is not None:
            query = query.filter(id__in=candidates)
    if before:
        moment, last_id = before
        query = query.filter(Q(occurred_at__lt=moment) | Q(occurred_at=moment, id__lt=last_id))
    events_ = await query.order_by('-occurred_at', '-id').limit(limit + 1)
    return LogPage([LogLine.of(event) for event in events_[:limit]], has_more=len(events_) > limit)
