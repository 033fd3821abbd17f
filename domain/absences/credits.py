"""Makeup credits: one missed meeting's right to attend another, by the studio's rules.

- An absence earns its credit when it is confirmed (the roster saved with the child absent or excused, or 30
  minutes after the class ended with no roster), as the studio chose: never, always, only when reported in
  time, or staff decide (the credit waits, PENDING, for their word).
- A child marked excused on the roster without having been reported earns one unless the studio gives none.
- A closed date credits every child enrolled in a class that would have met on it, when the studio says so.
- A child holds at most `per_enrolment` credits from one class at once (pending, available or booked); past
  that, none is issued and the log says why.
- A roster that later marks the child present revokes the credit; a makeup booked with it is cancelled.
There is at most one credit per enrolment and date (a unique index), so issuing twice finds the first.
Every step is a Parent Portal Log line in the caller's transaction, and the family hears of it by email.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient

from domain import audit, clock, i18n, portal_log
from domain.absences import credit_notices, makeup_notices
from domain.absences.rules import CreditRule
from domain.access.actors import PermissionDenied, StaffActor
from domain.classes.meetings import last_day_of, pattern_days
from domain.classes.seats import still_meeting
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.family.participants import staff_subject
from domain.i18n import N_
from domain.messages import outbox
from domain.messages.outbox import Recipient
from domain.models import (
    CREDIT_HELD,
    Absence,
    Channel,
    Contact,
    Course,
    CreditOrigin,
    CreditStatus,
    Enrolment,
    Family,
    Makeup,
    MakeupCredit,
    MakeupStatus,
    MeetingPattern,
    Participant,
    StaffRole,
    Term,
)
from domain.portal_log import LogSubject, log_day
from domain.studio import settings
from domain.unit_of_work import UnitOfWork

LIMIT_REACHED = 'limit'  # why `issue` gave no credit, for the caller's log line
NO_CREDIT = 'rules'
ORIGIN_LOG = {CreditOrigin.ABSENCE: 'Absence', CreditOrigin.EXCUSED: 'Excused', CreditOrigin.CLOSURE: 'Closure'}


class CreditDecided(DomainError):
    MESSAGE = N_('This credit has been decided already')


@dataclass(frozen=True)
class Issued:
    credit: MakeupCredit | None
    withheld: str = ''  # LIMIT_REACHED or NO_CREDIT when no credit was issued


async def issue(
    uow: UnitOfWork,
    enrolment: Enrolment,
    missed_on: dt.date,
    *,
    origin: CreditOrigin,
    absence: Absence | None = None,
    issued_by: str = '',
    subject: LogSubject | None = None,
) -> Issued:
    """Issue the credit a confirmed absence, an excused mark or a closure earns, under the family's row lock.

    An existing credit for the meeting is returned as it is, unless it was revoked: then it is issued again (the
    roster was corrected back to absent)."""
    db = uow.connection
    rules = settings.current().absences
    status = _status_earned(origin, absence)
    if status is None:
        return Issued(None, NO_CREDIT)
    await Family.select_for_update().filter(id=enrolment.family_id).using_db(db).first()
    existing = await MakeupCredit.filter(enrolment_id=enrolment.id, missed_on=missed_on).using_db(db).first()
    if existing is not None and existing.status != CreditStatus.REVOKED:
        return Issued(existing)
    held = await MakeupCredit.filter(enrolment_id=enrolment.id, status__in=CREDIT_HELD).using_db(db).count()
    course, child, family = await _names(db, enrolment)
    subject = subject or LogSubject(family.id, family.name)
    if held >= rules.per_enrolment:
        await portal_log.record(
            uow,
            subject,
            'makeup_credit_withheld',
            f'Makeup credit not issued: {child.full_name} - {course.name} - {log_day(missed_on)}'
            f' - Limit of {rules.per_enrolment} reached',
        )
        return Issued(None, LIMIT_REACHED)
    term = await Term.get(id=course.term_id, using_db=db)
    values = dict(
        family_id=enrolment.family_id,
        participant_id=enrolment.participant_id,
        course_id=enrolment.course_id,
        absence_id=absence.id if absence else None,
        origin=origin,
        status=status,
        issued_at=clock.now(),
        issued_by=issued_by,
        expires_on=rules.expires_on(missed_on, term.ends_on),
        reminded_at=None,
        closed_at=None,
        note='',
    )
    if existing is not None:
        await MakeupCredit.filter(id=existing.id).using_db(db).update(**values)
        credit = await MakeupCredit.get(id=existing.id, using_db=db)
    else:
        credit = await MakeupCredit.create(using_db=db, enrolment_id=enrolment.id, missed_on=missed_on, **values)
    waits = ' - Awaiting the studio' if status == CreditStatus.PENDING else ''
    await portal_log.record(
        uow,
        subject,
        'makeup_credit_issued',
        f'Makeup credit issued: {child.full_name} - {course.name} - {log_day(missed_on)}'
        f' - {ORIGIN_LOG[origin]}{_expiry_log(credit)}{waits}',
    )
    if status == CreditStatus.AVAILABLE:
        await _tell_issued(uow, credit, child, course, absence)
    return Issued(credit)


def _status_earned(origin: CreditOrigin, absence: Absence | None) -> CreditStatus | None:
    rules = settings.current().absences
    if origin == CreditOrigin.CLOSURE:
        return CreditStatus.AVAILABLE if rules.closure_credits else None
    if origin == CreditOrigin.EXCUSED:
        return None if rules.credit == CreditRule.NEVER else CreditStatus.AVAILABLE
    earns = rules.earns_credit(in_time=absence.in_time if absence else False)
    if earns is None:
        return CreditStatus.PENDING
    return CreditStatus.AVAILABLE if earns else None


async def revoke(uow: UnitOfWork, enrolment_id: int, missed_on: dt.date, *, subject: LogSubject) -> bool:
    """The roster marks the child present after all: the meeting's credit is withdrawn (a makeup booked with it
    is cancelled, its seat freed). False when there was no live credit to revoke."""
    db = uow.connection
    credit = await MakeupCredit.filter(enrolment_id=enrolment_id, missed_on=missed_on).using_db(db).first()
    if credit is None or credit.status in (CreditStatus.REVOKED, CreditStatus.REFUSED, CreditStatus.EXPIRED):
        return False
    await Family.select_for_update().filter(id=credit.family_id).using_db(db).first()
    now = clock.now()
    changed = (
        await MakeupCredit.filter(id=credit.id, status=credit.status)
        .using_db(db)
        .update(status=CreditStatus.REVOKED, closed_at=now, note='Marked present on the roster')
    )
    if not changed:
        return False
    cancelled = (
        await Makeup.filter(credit_id=credit.id, status=MakeupStatus.BOOKED, date__gte=settings.today())
        .using_db(db)
        .update(status=MakeupStatus.CANCELLED, cancelled_at=now, cancelled_by='Credit revoked')
    )
    enrolment = await Enrolment.get(id=enrolment_id, using_db=db)
    course, child, _family = await _names(db, enrolment)
    also = ' - Its makeup is cancelled' if cancelled else ''
    await portal_log.record(
        uow,
        subject,
        'makeup_credit_revoked',
        f'Makeup credit revoked: {child.full_name} - {course.name} - {log_day(missed_on)} - Marked present{also}',
    )
    await _tell_ended(uow, credit, child, course, 'revoked')
    return True


# Staff deciding a credit, when the studio decides each absence


async def grant(by: StaffActor, credit_id: int) -> MakeupCredit:
    return await _decide(by, credit_id, granted=True)


async def refuse(by: StaffActor, credit_id: int, note: str = '') -> MakeupCredit:
    return await _decide(by, credit_id, granted=False, note=note)


async def _decide(by: StaffActor, credit_id: int, *, granted: bool, note: str = '') -> MakeupCredit:
    if by.role == StaffRole.INSTRUCTOR:
        raise PermissionDenied()
    note = ' '.join(note.split())
    if len(note) > 500:
        raise ValidationFailed({'note': N_('Keep it to 500 characters')})
    async with UnitOfWork() as uow:
        db = uow.connection
        credit = await MakeupCredit.filter(id=credit_id).using_db(db).select_related('family').first()
        if credit is None:
            raise NotFound()
        await Family.select_for_update().filter(id=credit.family_id).using_db(db).first()
        new = CreditStatus.AVAILABLE if granted else CreditStatus.REFUSED
        changes: dict = {'status': new, 'issued_by': by.name, 'note': note}
        if not granted:
            changes['closed_at'] = clock.now()
        changed = await MakeupCredit.filter(id=credit.id, status=CreditStatus.PENDING).using_db(db).update(**changes)
        if not changed:
            raise CreditDecided()
        credit = await MakeupCredit.get(id=credit.id, using_db=db)
        enrolment = await Enrolment.get(id=credit.enrolment_id, using_db=db)
        course, child, family = await _names(db, enrolment)
        word = 'granted' if granted else 'refused'
        await portal_log.record(
            uow,
            staff_subject(family, by),
            f'makeup_credit_{word}',
            f'Makeup credit {word}: {child.full_name} - {course.name} - {log_day(credit.missed_on)} - By: {by.name}',
        )
        await audit.record(
            uow,
            by,
            f'makeup_credit_{word}',
            f'{child.full_name} - {course.name}',
            {'status': 'pending'},
            {'status': new.value},
        )
        if granted:
            await _tell_issued(uow, credit, child, course, None)
        else:
            await _tell_ended(uow, credit, child, course, 'refused', note)
    return credit


# Closures


async def issue_for_closure(uow: UnitOfWork, day: dt.date, *, by: StaffActor) -> int:
    """Credit every child enrolled in a class that would have met on a date the studio just closed, when the
    studio's rules say a closure earns one. The caller has added the closure in `uow`; returns the count."""
    if not settings.current().absences.closure_credits:
        return 0
    db = uow.connection
    enrolments = await (
        Enrolment.filter(still_meeting(day), starts_on__lte=day, course__starts_on__lte=day, course__ends_on__gte=day)
        .using_db(db)
        .select_related('course', 'family')
    )
    if not enrolments:
        return 0
    patterns = await MeetingPattern.filter(course_id__in={e.course_id for e in enrolments}).using_db(db)
    terms = {t.id: t for t in await Term.filter(id__in={e.course.term_id for e in enrolments}).using_db(db)}
    count = 0
    for enrolment in sorted(enrolments, key=lambda e: e.id):
        course = enrolment.course
        meets = any(
            day in pattern_days(p, day, min(day, last_day_of(course, terms[course.term_id])))
            for p in patterns
            if p.course_id == course.id
        )
        if meets:
            done = await issue(
                uow,
                enrolment,
                day,
                origin=CreditOrigin.CLOSURE,
                issued_by=by.name,
                subject=staff_subject(enrolment.family, by),
            )
            count += done.credit is not None
    return count


# Shared


async def _names(db: BaseDBAsyncClient, enrolment: Enrolment) -> tuple[Course, Participant, Family]:
    course = await Course.get(id=enrolment.course_id, using_db=db)
    child = await Participant.get(id=enrolment.participant_id, using_db=db)
    family = await Family.get(id=enrolment.family_id, using_db=db)
    return course, child, family


def _expiry_log(credit: MakeupCredit) -> str:
    return f' - Expires: {log_day(credit.expires_on)}' if credit.expires_on else ''


async def contact_to_tell(db: BaseDBAsyncClient, family_id: int, contact_id: int | None = None) -> Contact | None:
    """The contact who acted, while still in the family with an email; else the primary contact, else billing."""
    if contact_id is not None:
        contact = await Contact.filter(id=contact_id, family_id=family_id, removed_at__isnull=True).using_db(db).first()
        if contact is not None and contact.email:
            return contact
    contacts = await Contact.filter(family_id=family_id, removed_at__isnull=True).using_db(db).order_by('id')
    for flag in ('is_primary', 'is_billing'):
        for contact in contacts:
            if getattr(contact, flag) and contact.email:
                return contact
    return None


async def email(uow: UnitOfWork, contact: Contact, family_id: int, notice) -> None:
    """Queue `notice(language, first_name)` to one contact in their language, with the change."""
    language = contact.preferred_language
    recipient = Recipient(contact.full_name, contact.email or '', language, family_id, contact.id)
    await outbox.enqueue(uow, Channel.EMAIL, recipient, notice(language, contact.first_name))


async def _tell_issued(
    uow: UnitOfWork, credit: MakeupCredit, child: Participant, course: Course, absence: Absence | None
) -> None:
    contact = await contact_to_tell(uow.connection, credit.family_id, absence.contact_id if absence else None)
    if contact is None:
        return
    missed, until = credit.missed_on, credit.expires_on

    def notice(language: str, name: str):
        day = i18n.format_day(missed, language)
        last = i18n.format_day(until, language) if until else ''
        return credit_notices.issued(language, name, child.first_name, course.name, day, last)

    await email(uow, contact, credit.family_id, notice)


async def _tell_ended(
    uow: UnitOfWork, credit: MakeupCredit, child: Participant, course: Course, why: str, note: str = ''
) -> None:
    contact = await contact_to_tell(uow.connection, credit.family_id)
    if contact is None:
        return
    missed = credit.missed_on

    def notice(language: str, name: str):
        day = i18n.format_day(missed, language)
        return credit_notices.ended(language, name, child.first_name, course.name, day, why, note)

    await email(uow, contact, credit.family_id, notice)


async def tell_expired(uow: UnitOfWork, credit: MakeupCredit) -> None:
    enrolment = await Enrolment.get(id=credit.enrolment_id, using_db=uow.connection)
    course, child, _family = await _names(uow.connection, enrolment)
    await _tell_ended(uow, credit, child, course, 'expired')


async def tell_expiring(uow: UnitOfWork, credit: MakeupCredit) -> None:
    enrolment = await Enrolment.get(id=credit.enrolment_id, using_db=uow.connection)
    course, child, _family = await _names(uow.connection, enrolment)
    contact = await contact_to_tell(uow.connection, credit.family_id)
    if contact is None or credit.expires_on is None:
        return
    missed, until = credit.missed_on, credit.expires_on

    def notice(language: str, name: str):
        return credit_notices.expiring(
            language,
            name,
            child.first_name,
            course.name,
            i18n.format_day(missed, language),
            i18n.format_day(until, language),
        )

    await email(uow, contact, credit.family_id, notice)


async def release_makeups_on_closure(uow: UnitOfWork, day: dt.date, *, by: StaffActor) -> int:
    """A date the studio just closed takes its booked makeups with it: each is cancelled and its credit comes
    back, whatever the cut-off, since the family did not choose it. Returns how many."""
    db = uow.connection
    booked = await Makeup.filter(date=day, status=MakeupStatus.BOOKED).using_db(db).order_by('id')
    now = clock.now()
    released = 0
    for makeup in booked:
        await Family.select_for_update().filter(id=makeup.family_id).using_db(db).first()
        done = (
            await Makeup.filter(id=makeup.id, status=MakeupStatus.BOOKED)
            .using_db(db)
            .update(status=MakeupStatus.CANCELLED, cancelled_at=now, cancelled_by=f'Closure - {by.name}')
        )
        if not done:
            continue
        await (
            MakeupCredit.filter(id=makeup.credit_id, status=CreditStatus.BOOKED)
            .using_db(db)
            .update(status=CreditStatus.AVAILABLE)
        )
        released += 1
        child = await Participant.get(id=makeup.participant_id, using_db=db)
        course = await Course.get(id=makeup.course_id, using_db=db)
        family = await Family.get(id=makeup.family_id, using_db=db)
        await portal_log.record(
            uow,
            staff_subject(family, by),
            'makeup_cancelled',
            f'Makeup cancelled: {child.full_name} - {course.name} - {log_day(day)} - Studio closed - Credit returned',
        )
        contact = await contact_to_tell(db, makeup.family_id, makeup.contact_id)
        if contact is not None:

            def notice(language: str, name: str, child: Participant = child, course: Course = course):
                written = i18n.format_day(day, language)
                return makeup_notices.cancelled(
                    language, name, child.first_name, course.name, written, returned=True, closed=True
                )

            await email(uow, contact, makeup.family_id, notice)
    return released
