"""Why a child may not enrol in a class, said in the reader's language: the listing, the checkout and the
staff's enrol button ask the same function, so a class never silently disappears and never lets in a child
the checkout would refuse.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from domain import i18n
from domain.classes import ages
from domain.classes.ages import age_in_months
from domain.classes.meetings import Meeting
from domain.i18n import N_
from domain.models import AgeTakenAt, Course, Enrolment, Gender, GenderRule, MeetingPattern, Participant, Term
from domain.studio import settings

ALREADY_ENROLLED = N_('{child} is already enrolled in this class')
FULL = N_('This class is full')
CLASH = N_('{child} has {other} at the same time')
NO_SELF_ENROL = N_('To enrol in this class, please contact the studio')
BY_REQUEST = N_('This class takes enrolment requests: ask to enrol, and the studio decides')
ENDED = N_('This class has no meetings left')
OPENS = N_('Registration opens {moment}')
NEEDS_BIRTHDATE = N_("Add {child}'s birthdate to enrol in a class with age limits")
NEEDS_PRIOR = N_('{child} needs {prior} first')
FOR_GIRLS = N_('This class is for girls')
FOR_BOYS = N_('This class is for boys')
AGES_BETWEEN = N_('{child} is {age}; this class is for ages {youngest}–{oldest}')
AGES_FROM = N_('{child} is {age}; this class is for ages {youngest} and up')
AGES_UP_TO = N_('{child} is {age}; this class is for ages up to {oldest}')


@dataclass(frozen=True)
class Age:
    """An age in months, written as years alone when `whole`, else as years and months."""

    months: int
    whole: bool = True


@dataclass(frozen=True)
class Moment:
    at: dt.datetime


@dataclass(frozen=True)
class Reason:
    """A message and its values; `text` writes them in a reader's language (dates, ages, times)."""

    message: str
    values: dict[str, object] = field(default_factory=dict)
    is_age: bool = False  # staff may enrol past this one, with a typed reason

    def text(self, language: str) -> str:
        return i18n.gettext(language, self.message).format(
            **{name: _written(value, language) for name, value in self.values.items()}
        )


def _written(value: object, language: str) -> str:
    if isinstance(value, Age):
        return ages.age_said(value.months, language, whole=value.whole)
    if isinstance(value, Moment):
        return i18n.format_opening(value.at, settings.current().timezone, language)
    if isinstance(value, dt.date):
        return i18n.format_day(value, language)
    return str(value)


@dataclass(frozen=True)
class ClassFacts:
    """What eligibility needs of one class, loaded once for a listing of many."""

    course: Course
    term: Term
    patterns: list[MeetingPattern]
    meetings: list[Meeting]  # every meeting, closures out
    prior_name: str = ''


@dataclass(frozen=True)
class ChildFacts:
    participant: Participant
    enrolments: list[Enrolment]  # the child's enrolments, their courses loaded
    patterns: dict[int, list[MeetingPattern]]  # of those courses, by course id
    terms: dict[int, Term] = field(default_factory=dict)  # of those courses, by course id


def start_day(facts: ClassFacts, today: dt.date) -> dt.date | None:
    """The first meeting a child enrolling today would attend, or None when none is left."""
    upcoming = [meeting.date for meeting in facts.meetings if meeting.date >= today]
    return min(upcoming) if upcoming else None


def age_reason(facts: ClassFacts, child: Participant) -> Reason | None:
    course = facts.course
    if course.min_age_months is None and course.max_age_months is None:
        return None
    name = child.first_name
    if child.birthdate is None:
        return Reason(NEEDS_BIRTHDATE, {'child': name}, is_age=True)
    on = _age_day(facts)
    months = age_in_months(child.birthdate, on)
    youngest, oldest = course.min_age_months, course.max_age_months
    if ages.within_ages(months, youngest, oldest):
        return None
    whole = ages.whole_years(youngest, oldest)
    values: dict[str, object] = {'child': name, 'age': Age(months, whole)}
    if youngest is not None:
        values['youngest'] = Age(youngest, whole)
    if oldest is not None:
        values['oldest'] = Age(oldest, whole)
    message = (
        AGES_BETWEEN if youngest is not None and oldest is not None else AGES_FROM if oldest is None else AGES_UP_TO
    )
    return Reason(message, values, is_age=True)


def _age_day(facts: ClassFacts) -> dt.date:
    course = facts.course
    if course.age_taken_at == AgeTakenAt.FIXED_DATE and course.age_date is not None:
        return course.age_date
    if course.age_taken_at == AgeTakenAt.TERM_START:
        return facts.term.starts_on
    return facts.meetings[0].date if facts.meetings else course.starts_on


def gender_reason(course: Course, child: Participant) -> Reason | None:
    if course.gender_rule == GenderRule.FEMALE and child.gender != Gender.FEMALE:
        return Reason(FOR_GIRLS)
    if course.gender_rule == GenderRule.MALE and child.gender != Gender.MALE:
        return Reason(FOR_BOYS)
    return None


def enrolment_reasons(facts: ClassFacts, child: ChildFacts, *, today: dt.date, staff: bool = False) -> list[Reason]:
    """Everything that keeps this child out of this class, besides its openings and the registration window
    (which `opening_reason` says for the whole family). Staff enrolling at the desk skip the self-enrol switch;
    a family may ask to enrol in a class that takes requests when BY_REQUEST is the only reason."""
    course = facts.course
    participant = child.participant
    name = participant.first_name
    reasons: list[Reason] = []
    if not staff and not course.self_enrol:
        reasons.append(Reason(BY_REQUEST if course.enrol_by_request else NO_SELF_ENROL))
    starts = start_day(facts, today)
    if starts is None:
        reasons.append(Reason(ENDED))
    if any(e.course_id == course.id and (e.dropped_on is None or e.dropped_on > today) for e in child.enrolments):
        reasons.append(Reason(ALREADY_ENROLLED, {'child': name}))
    for reason in (age_reason(facts, participant), gender_reason(course, participant)):
        if reason is not None:
            reasons.append(reason)
    if course.prerequisite_id is not None and not any(
        e.course_id == course.prerequisite_id and (e.dropped_on is None or e.dropped_on > e.starts_on)
        for e in child.enrolments
    ):
        reasons.append(Reason(NEEDS_PRIOR, {'child': name, 'prior': facts.prior_name}))
    if starts is not None:
        other = clashing(facts, starts, child)
        if other:
            reasons.append(Reason(CLASH, {'child': name, 'other': other}))
    return reasons


def clashing(facts: ClassFacts, starts: dt.date, child: ChildFacts) -> str:
    """The name of one of the child's other classes that meets at the same time on the same weekday while both
    run, or ''."""
    ends = facts.meetings[-1].date if facts.meetings else facts.course.ends_on
    for enrolment in child.enrolments:
        other = enrolment.course
        if other.id == facts.course.id or (enrolment.dropped_on is not None and enrolment.dropped_on <= starts):
            continue
        other_ends = other.ends_on if enrolment.dropped_on is None else enrolment.dropped_on - dt.timedelta(days=1)
        if max(enrolment.starts_on, starts) > min(other_ends, ends):
            continue
        if meet_together(facts.patterns, child.patterns.get(other.id, [])):
            return other.name
    return ''


def meet_together(ours: Iterable[MeetingPattern], theirs: Iterable[MeetingPattern]) -> bool:
    theirs = list(theirs)
    return any(
        set(a.weekdays) & set(b.weekdays) and a.start_minute < b.end_minute and b.start_minute < a.end_minute
        for a in ours
        for b in theirs
    )


def opening_reason(term: Term, now: dt.datetime, *, enrolled_family: bool) -> Reason | None:
    """Registration not open yet for this family: families already enrolled may come at the early opening."""
    opens = term.registration_opens_at
    if term.early_opens_at is not None and enrolled_family:
        opens = min(opens, term.early_opens_at)
    return Reason(OPENS, {'moment': Moment(opens)}) if now < opens else None
