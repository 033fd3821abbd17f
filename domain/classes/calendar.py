"""The family's calendar for phones to subscribe to, and the .ics sent with an enrolment or a registration.

Written with the icalendar library. Every meeting keeps one UID however often the feed is made again, so a phone
updates it in place; a booked makeup is an event of its own; a meeting that will not happen (the studio closed, the
child dropped the class or was reported absent, the registration or the makeup cancelled) stays in the feed as
CANCELLED, so a calendar that had it takes it off, and an absence says so in the family's language. Times carry the
studio's zone (TZID, with its VTIMEZONE), so a 17:00 class stays 17:00 across summer time.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone

from domain import clock, i18n
from domain.absences.rules import REASON_NAMES
from domain.classes.meetings import last_day_of, pattern_days
from domain.classes.schedule import Happening, Kind, Status, family_happenings, registration_happening
from domain.i18n import N_
from domain.models import Closure, Contact, Enrolment, EventRegistration, Family, MeetingPattern
from domain.studio import settings

PAST = dt.timedelta(days=31)  # what a phone keeps showing of the weeks gone by
AHEAD = dt.timedelta(days=183)  # about six months
WEEKDAYS = ('MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU')  # as Python counts them, Monday first
ABSENT = N_('{what} · {who} (absent)')
MAKEUP = N_('{what} · Makeup: {who}')
REPORTED = N_('Reported absent: {reason}')


async def family_feed(family_id: int) -> bytes:
    """The family's calendar: every child's meetings and events from a month ago to six months ahead."""
    today = settings.today()
    first, last = today - PAST, today + AHEAD
    family = await Family.get(id=family_id)
    calendar = _calendar(f'{settings.current().name} · {family.name}', first, last)
    language = await _family_language(family_id)
    for happening in (await family_happenings(family_id, first)).happenings:
        if happening.date <= last:
            calendar.add_component(_event(happening, language))
    return calendar.to_ical()


async def _family_language(family_id: int) -> str:
    """The primary contact's language: the feed is fetched by a phone, with no one signed in to ask."""
    primary = await Contact.filter(family_id=family_id, is_primary=True, removed_at=None).order_by('id').first()
    default = settings.current().default_language
    return i18n.normalize_language(primary.preferred_language, default) if primary else default


async def class_invitation(enrolment_id: int) -> str:
    """One child's class from their first day: one repeating VEVENT per weekly pattern, the closed days left out."""
    enrolment = await Enrolment.get(id=enrolment_id).select_related(
        'participant', 'course__term', 'course__location', 'course__room'
    )
    course = enrolment.course
    first_day = max(course.starts_on, enrolment.starts_on)
    last_day = last_day_of(course, course.term)
    if enrolment.dropped_on is not None:
        last_day = min(last_day, enrolment.dropped_on - dt.timedelta(days=1))
    summary = f'{course.name} · {enrolment.participant.first_name}'
    calendar = _calendar(summary, first_day, last_day)
    closed = set(await Closure.filter(date__gte=first_day, date__lte=last_day).values_list('date', flat=True))
    zone = _zone()
    location = _location(course.location.name, course.room.name if course.room else '', course.location.address)
    for pattern in await MeetingPattern.filter(course_id=course.id).order_by('id'):
        days = [day for day in pattern_days(pattern, first_day, last_day) if day not in closed]
        if not days:
            continue
        event = Event()
        event.add('uid', f'enrolment-{enrolment.id}-pattern-{pattern.id}@{_host()}')
        event.add('dtstamp', clock.now())
        event.add('dtstart', dt.datetime.combine(days[0], pattern.start_time, zone))
        event.add('dtend', dt.datetime.combine(days[0], pattern.end_time, zone))
        last_start = dt.datetime.combine(days[-1], pattern.start_time, zone).astimezone(dt.UTC)
        weekdays = [WEEKDAYS[day] for day in sorted(pattern.weekdays)]
        event.add('rrule', {'freq': 'weekly', 'byday': weekdays, 'until': last_start})
        skipped = [
            dt.datetime.combine(day, pattern.start_time, zone)
            for day in pattern_days(pattern, days[0], days[-1])
            if day in closed
        ]
        if skipped:
            event.add('exdate', skipped)
        event.add('summary', summary)
        event.add('location', location)
        event.add('status', 'CONFIRMED')
        calendar.add_component(event)
    return calendar.to_ical().decode()


async def occurrence_invitation(registration_id: int) -> str:
    """One registration for an event occurrence, with the feed's UID: cancelled, it says so."""
    registration = await EventRegistration.get(id=registration_id).select_related(
        'participant', 'occurrence__event__location', 'occurrence__room'
    )
    who = registration.participant.first_name if registration.participant else ''
    happening = registration_happening(registration, who)
    calendar = _calendar(happening.what, happening.date, happening.date)
    calendar.add_component(_event(happening))
    return calendar.to_ical().decode()


def uid(happening: Happening) -> str:
    """The same meeting has the same UID in every feed and invitation made of it."""
    if happening.kind == Kind.EVENT:
        return f'registration-{happening.registration_id}@{_host()}'
    if happening.kind == Kind.MAKEUP:
        return f'makeup-{happening.makeup_id}@{_host()}'
    return (
        f'course-{happening.source_id}-{happening.date:%Y%m%d}-{happening.start:%H%M}'
        f'-p{happening.participant_id}@{_host()}'
    )


def _calendar(name: str, first: dt.date, last: dt.date) -> Calendar:
    studio_zone = settings.current().timezone
    calendar = Calendar()
    calendar.add('prodid', '-//Kinroll//Parent Portal//EN')
    calendar.add('version', '2.0')
    calendar.add('calscale', 'GREGORIAN')
    calendar.add('method', 'PUBLISH')
    calendar.add('x-wr-calname', name)
    calendar.add('x-wr-timezone', studio_zone)
    # The zone's rules for the years the events fall in, before the events, as Outlook wants them.
    calendar.add_component(
        Timezone.from_tzinfo(
            ZoneInfo(studio_zone), studio_zone, dt.date(first.year, 1, 1), dt.date(last.year + 1, 1, 1)
        )
    )
    return calendar


def _event(happening: Happening, language: str = 'en') -> Event:
    zone = _zone()
    event = Event()
    event.add('uid', uid(happening))
    event.add('dtstamp', clock.now())
    event.add('dtstart', dt.datetime.combine(happening.date, happening.start, zone))
    event.add('dtend', dt.datetime.combine(happening.date, happening.end, zone))
    event.add('summary', _summary(happening, language))
    event.add('location', _location(happening.location, happening.room, happening.address))
    if happening.status == Status.ON:
        event.add('status', 'CONFIRMED')
    else:
        event.add('status', 'CANCELLED')
        event.add('sequence', 1)  # a later version of the meeting than the one a calendar was first given
    if happening.note:
        event.add('description', happening.note)
    elif happening.status == Status.ABSENT and happening.reason is not None:
        reason = i18n.gettext(language, REASON_NAMES[happening.reason])
        event.add('description', i18n.gettext(language, REPORTED).format(reason=reason))
    return event


def _summary(happening: Happening, language: str) -> str:
    if not happening.who:
        return happening.what
    if happening.status == Status.ABSENT:
        return i18n.gettext(language, ABSENT).format(what=happening.what, who=happening.who)
    if happening.kind == Kind.MAKEUP:
        return i18n.gettext(language, MAKEUP).format(what=happening.what, who=happening.who)
    return f'{happening.what} · {happening.who}'


def _location(name: str, room: str, address: str) -> str:
    return ', '.join(part.strip() for part in (name, room, *address.splitlines()) if part.strip())


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.current().timezone)


def _host() -> str:
    return urlparse(settings.current().base_url).hostname or 'kinroll'
