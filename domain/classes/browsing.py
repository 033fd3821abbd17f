"""The Classes screen's one read: every class open to families, with what a parent needs to choose one, and for
each of the family's children whether they can enrol and, if not, why.

Filters run on what was read (a studio's catalogue is a few hundred classes at most), so changing a chip costs
no query. Picking a child keeps the classes for their age and gender; the others are counted, never silently
dropped, so the page can offer to show them with their reasons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from domain import clock
from domain.access.actors import Actor
from domain.classes import seats, waitlists
from domain.classes.catalogue import CatalogueLine, catalogue
from domain.classes.eligibility import (
    BY_REQUEST,
    FULL,
    ChildFacts,
    ClassFacts,
    Reason,
    age_in_months,
    age_reason,
    enrolment_reasons,
    gender_reason,
    meet_together,
    opening_reason,
    start_day,
)
from domain.classes.enrolment import Choice, child_facts, class_facts, family_is_enrolled
from domain.classes.tuition import Price, price_from
from domain.models import (
    WAITLIST_LIVE,
    ClassRequest,
    CourseInstructor,
    MeetingPattern,
    Participant,
    RequestKind,
    RequestStatus,
    WaitlistEntry,
    WaitlistStatus,
)
from domain.studio import settings

MORNING_ENDS, AFTERNOON_ENDS = 12 * 60, 17 * 60  # times of day, in minutes on the studio's clock


@dataclass(frozen=True)
class ChildChip:
    participant_id: int
    first_name: str
    age_months: int | None


@dataclass(frozen=True)
class ClassOffer:
    line: CatalogueLine
    patterns: list[MeetingPattern]
    instructor: str
    starts: dt.date | None  # the first meeting a child enrolling today attends
    last_day: dt.date | None
    meetings_left: int
    price: Price
    opens: Reason | None  # registration not open yet for this family
    reasons: dict[int, list[Reason]] = field(default_factory=dict)  # per child; [] when they can enrol
    fits: dict[int, bool] = field(default_factory=dict)  # per child: their age and gender suit the class
    keeps_waitlist: bool = False  # the studio and the class take a waitlist when it is full
    waiting: frozenset[int] = frozenset()  # the family's children on its waitlist (or offered a seat from it)
    asked: frozenset[int] = frozenset()  # the family's children whose request to enrol waits for the studio
    offered: frozenset[int] = frozenset()  # of those waiting, the children a seat is kept for now

    @property
    def openings(self) -> int:
        return self.line.openings

    @property
    def full_with_waitlist(self) -> bool:
        """Full for newcomers, with a waitlist to join: "Full: join the waitlist"."""
        return self.keeps_waitlist and self.openings == 0

    def may_wait(self, child_id: int) -> bool:
        """Only the full class stands between the child and it, and they are not on its waitlist yet."""
        reasons = self.reasons.get(child_id, [])
        return (
            self.full_with_waitlist
            and child_id not in self.waiting
            and all(reason.message == FULL for reason in reasons)
        )

    def may_ask(self, child_id: int) -> bool:
        """The class takes enrolment requests, nothing else keeps the child out, and none is waiting yet."""
        reasons = self.reasons.get(child_id, [])
        return child_id not in self.asked and [reason.message for reason in reasons] == [BY_REQUEST]

    def openings_word(self) -> str:
        return seats.shown_as(self.openings)


@dataclass(frozen=True)
class ClassListing:
    offers: list[ClassOffer]
    children: list[ChildChip]
    locations: list[tuple[int, str]]
    categories: list[str]  # every category path in use, "Dance › Ballet"


async def classes_for_family(actor: Actor) -> ClassListing:
    now, today = clock.now(), settings.today()
    lines = await catalogue(for_families=True)
    facts = await class_facts(None, [line.course for line in lines])
    children = await Participant.filter(family_id=actor.family_id, removed_at__isnull=True).order_by('id')
    kids = await child_facts(None, list(children))
    enrolled_family = await family_is_enrolled(None, actor.family_id, today)
    teachers = await _first_instructors([line.course.id for line in lines])
    waiting, offered = await _waiting_children(actor.family_id)
    asked = await _asking_children(actor.family_id)
    offers = [
        _offer(
            line,
            facts[line.course.id],
            kids,
            teachers,
            now,
            today,
            enrolled_family,
            waiting.get(line.course.id),
            asked.get(line.course.id),
            offered.get(line.course.id),
        )
        for line in lines
    ]
    chips = [
        ChildChip(child.id, child.first_name, age_in_months(child.birthdate, today) if child.birthdate else None)
        for child in children
    ]
    locations = sorted({(line.location.id, line.location.name) for line in lines}, key=lambda pair: pair[1])
    categories = sorted({path for line in lines for path in line.category_paths})
    return ClassListing(offers, chips, locations, categories)


def _offer(
    line: CatalogueLine,
    facts: ClassFacts,
    kids: dict[int, ChildFacts],
    teachers: dict[int, str],
    now: dt.datetime,
    today: dt.date,
    enrolled_family: bool,
    waiting: set[int] | None,
    asked: set[int] | None,
    offered: set[int] | None = None,
) -> ClassOffer:
    starts = start_day(facts, today)
    opens = opening_reason(facts.term, now, enrolled_family=enrolled_family)
    reasons, fits = {}, {}
    for child_id, child in kids.items():
        found = enrolment_reasons(facts, child, today=today)
        if opens:
            found.append(opens)
        if line.openings == 0:
            found.append(Reason(FULL))
        reasons[child_id] = found
        fits[child_id] = (
            age_reason(facts, child.participant) is None and gender_reason(line.course, child.participant) is None
        )
    return ClassOffer(
        line,
        facts.patterns,
        teachers.get(line.course.id, ''),
        starts,
        facts.meetings[-1].date if facts.meetings else None,
        sum(1 for meeting in facts.meetings if meeting.date >= today),
        price_from(line.course, facts.meetings, starts),
        opens,
        reasons,
        fits,
        waitlists.keeps_waitlist(line.course),
        frozenset(waiting or ()),
        frozenset(asked or ()),
        frozenset(offered or ()),
    )


async def _waiting_children(family_id: int) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """The family's children on each class's waitlist, and those a seat is kept for, for the whole listing in
    one query."""
    rows = await WaitlistEntry.filter(family_id=family_id, status__in=WAITLIST_LIVE).values_list(
        'course_id', 'participant_id', 'status'
    )
    waiting: dict[int, set[int]] = {}
    offered: dict[int, set[int]] = {}
    for course_id, participant_id, status in rows:
        waiting.setdefault(course_id, set()).add(participant_id)  # type: ignore[arg-type]
        if status == WaitlistStatus.OFFERED:
            offered.setdefault(course_id, set()).add(participant_id)  # type: ignore[arg-type]
    return waiting, offered


async def _asking_children(family_id: int) -> dict[int, set[int]]:
    """The family's children with a request to enrol waiting, per class, for the whole listing in one query."""
    rows = await ClassRequest.filter(
        family_id=family_id, kind=RequestKind.ENROL, status=RequestStatus.PENDING
    ).values_list('course_id', 'participant_id')
    asked: dict[int, set[int]] = {}
    for course_id, participant_id in rows:
        asked.setdefault(course_id, set()).add(participant_id)  # type: ignore[arg-type]
    return asked


async def _first_instructors(course_ids: list[int]) -> dict[int, str]:
    teaching = (
        await CourseInstructor.filter(course_id__in=course_ids).select_related('staff').order_by('position', 'id')
    )
    first: dict[int, str] = {}
    for row in teaching:
        first.setdefault(row.course_id, row.staff.name)
    return first


def clash_in_basket(listing: ClassListing, basket: Iterable[Choice], choice: Choice) -> str:
    """The name of a class already chosen for the same child that meets at the same time, or '': said when the
    parent chooses, not only when the checkout refuses it."""
    offers = {offer.line.course.id: offer for offer in listing.offers}
    for other in basket:
        if other.participant_id != choice.participant_id or other.course_id == choice.course_id:
            continue
        if meet_together(offers[choice.course_id].patterns, offers[other.course_id].patterns):
            return offers[other.course_id].line.course.name
    return ''


@dataclass(frozen=True)
class Filter:
    child_id: int | None = None
    weekday: int | None = None  # 0 Monday … 6 Sunday
    time_of_day: str = ''  # 'morning', 'afternoon', 'evening'
    location_id: int | None = None
    category: str = ''  # a category path; its sub-categories match too
    with_openings: bool = False
    text: str = ''


@dataclass(frozen=True)
class Filtered:
    offers: list[ClassOffer]
    not_for_child: int  # classes left out because the chosen child's age or gender does not suit them


def filtered(listing: ClassListing, chosen: Filter, *, show_all_for_child: bool = False) -> Filtered:
    kept, not_for_child = [], 0
    needle = chosen.text.strip().casefold()
    for offer in listing.offers:
        course = offer.line.course
        if chosen.weekday is not None and not any(chosen.weekday in p.weekdays for p in offer.patterns):
            continue
        if chosen.time_of_day and not any(_time_of_day(p.start_minute) == chosen.time_of_day for p in offer.patterns):
            continue
        if chosen.location_id is not None and offer.line.location.id != chosen.location_id:
            continue
        if chosen.category and not any(
            path == chosen.category or path.startswith(chosen.category + ' › ') for path in offer.line.category_paths
        ):
            continue
        if chosen.with_openings and offer.openings == 0:
            continue
        if needle and needle not in course.name.casefold() and needle not in course.description.casefold():
            continue
        if chosen.child_id is not None and not offer.fits.get(chosen.child_id, True) and not show_all_for_child:
            not_for_child += 1
            continue
        kept.append(offer)
    return Filtered(kept, not_for_child)


def _time_of_day(start_minute: int) -> str:
    if start_minute < MORNING_ENDS:
        return 'morning'
    return 'afternoon' if start_minute < AFTERNOON_ENDS else 'evening'
