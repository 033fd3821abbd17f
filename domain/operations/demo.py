"""A demo studio to look around in: families, participants, contacts, balances, a portal-log history, and a
catalogue of classes and events with children enrolled in them, and their absences and makeups."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from decimal import Decimal
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from domain import clock, portal_log
from domain.absences import absences, attendance, makeups
from domain.access import passwords, sealed_secrets
from domain.access.actors import Actor, StaffActor
from domain.adapters.gateways import label_fingerprint
from domain.billing import ledger
from domain.classes import requests
from domain.classes.ages import age_in_months
from domain.classes.enrolment import _log_day as log_day
from domain.classes.meetings import closed_dates, meetings_of
from domain.classes.tuition import post_first_fees, price_from
from domain.models import (
    AgeTakenAt,
    Agreement,
    Category,
    Closure,
    Contact,
    ContactRole,
    Course,
    CourseInstructor,
    CourseStatus,
    CreditStatus,
    Enrolment,
    EventOccurrence,
    EventRegistrant,
    EventRegistration,
    EventType,
    Family,
    FamilyStatus,
    Gender,
    GenderRule,
    LedgerKind,
    Location,
    Makeup,
    MakeupCredit,
    MakeupStatus,
    MeetingPattern,
    OccurrenceStatus,
    Participant,
    Policy,
    PolicyVersion,
    Question,
    QuestionKind,
    QuestionScope,
    Room,
    SavedCard,
    StaffRole,
    StaffUser,
    Term,
    TuitionBasis,
    WaitlistEntry,
    WaitlistMode,
    WaitlistStatus,
)
from domain.models.classes import minute_of_day
from domain.portal_log import LogSubject
from domain.studio import settings
from domain.unit_of_work import UnitOfWork

DEMO_PARENT_EMAIL = 'mbestie@example.com'
DEMO_PARENT_PASSWORD = 'BestTraining1'
DEMO_STAFF_EMAIL = 'admin@example.com'
DEMO_STAFF_PASSWORD = 'DemoStaff-2026'
DEMO_STUDIO_ADDRESS = '410 Adams Street\nSpringfield, IL 62701'  # heads the statements
DEMO_STAFF_TOTP_SECRET = 'KINROLLDEMOSTAFFSECRETXX'  # fixed, so an authenticator app can be set up once
DEMO_STUDIO_NAME = 'Best Training Dance & Gym'
DEMO_REGISTRATION_FEE = Decimal('25.00')  # once per family and session, for the classes marked with it
DEMO_INSTRUCTOR_PASSWORD = 'DemoTeach-2026'
DEMO_INSTRUCTORS = {  # first name: (email, name); they sign in with the administrator's authenticator code
    'Ines': ('ines.marlowe@example.com', 'Ines Marlowe'),
    'Marcus': ('marcus.bell@example.com', 'Marcus Bell'),
    'Dana': ('dana.kowalski@example.com', 'Dana Kowalski'),
    'Sam': ('sam.rivera@example.com', 'Sam Rivera'),
}
_LOCATIONS = {  # name: (address, rooms)
    'Adams Street': (DEMO_STUDIO_ADDRESS, ('Studio A', 'Studio B', 'Pool')),
    'Riverside': ('88 River Road\nSpringfield, IL 62702', ('Main Gym', 'Studio C', 'Aerial Loft', 'Lap Pool')),
}

_FAMILIES: list[dict[str, Any]] = [
    {
        'name': 'Bestie',
        'status': FamilyStatus.ACTIVE,
        'contacts': [
            dict(
                first_name='Mary',
                last_name='Bestie',
                email=DEMO_PARENT_EMAIL,
                mobile_phone='+13125550101',
                address1='12 Elm Street',
                city='Springfield',
                state='IL',
                postal_code='62701',
                is_primary=True,
                is_billing=True,
                can_pick_up=True,
                relationship='Mother',
            ),
            dict(
                first_name='Mark',
                last_name='Bestie',
                email='mark.bestie@example.com',
                mobile_phone='+13125550102',
                can_pick_up=True,
                is_emergency=True,
                relationship='Father',
                role=ContactRole.GUARDIAN_NO_BILLING,
            ),
            dict(
                first_name='June',
                last_name='Porter',
                mobile_phone='+13125550103',
                can_pick_up=True,
                is_emergency=True,
                relationship='Grandmother',
                allow_login=False,
                role=ContactRole.PICKUP,
            ),
        ],
        'participants': [
            dict(
                first_name='Ava',
                last_name='Bestie',
                birthdate=dt.date(2014, 5, 2),
                gender=Gender.FEMALE,
                allergies='Peanuts',
            ),
            dict(first_name='Leo', last_name='Bestie', birthdate=dt.date(2017, 9, 21), gender=Gender.MALE),
            dict(first_name='Nora', last_name='Bestie', birthdate=dt.date(2020, 1, 14), gender=Gender.FEMALE),
        ],
        'ledger': [
            (LedgerKind.FEE, '95.00', 'Ballet I — October tuition', 52),
            (LedgerKind.FEE, '80.00', 'Tumbling — October tuition', 52),
            (LedgerKind.PAYMENT, '175.00', 'Payment — thank you', 45),
            (LedgerKind.FEE, '95.00', 'Ballet I — November tuition', 21),
            (LedgerKind.FEE, '80.00', 'Tumbling — November tuition', 21),
            (LedgerKind.FEE, '35.00', 'Recital costume', 10),
            (LedgerKind.CREDIT, '15.00', 'Sibling discount', 10),
        ],
    },
    {
        'name': 'Ager',
        'status': FamilyStatus.ACTIVE,
        'contacts': [
            dict(
                first_name='Holly',
                last_name='Ager',
                email='hollyager41@example.com',
                mobile_phone='+13125550141',
                is_primary=True,
                is_billing=True,
                can_pick_up=True,
                relationship='Mother',
            )
        ],
        'participants': [
            dict(first_name='Barbie', last_name='Ager', birthdate=dt.date(2010, 11, 17), gender=Gender.FEMALE)
        ],
        'ledger': [(LedgerKind.FEE, '60.00', 'Aerial Workshop', 12)],
    },
    {
        'name': 'Gunnar',
        'status': FamilyStatus.ACTIVE,
        'contacts': [
            dict(
                first_name='Deanne',
                last_name='Gunnar',
                email='dgunnar@example.com',
                mobile_phone='+13125550151',
                is_primary=True,
                is_billing=True,
                relationship='Mother',
            )
        ],
        'participants': [
            dict(first_name='Erik', last_name='Gunnar', birthdate=dt.date(2015, 3, 3), gender=Gender.MALE),
            dict(first_name='Ingrid', last_name='Gunnar', birthdate=dt.date(2012, 7, 30), gender=Gender.FEMALE),
        ],
        'ledger': [
            (LedgerKind.FEE, '115.95', 'Swim Level 2 — November', 20),
            (LedgerKind.PAYMENT, '115.95', 'Card payment — Visa 0008', 13),
        ],
    },
    {
        'name': 'Brown',
        'status': FamilyStatus.ACTIVE,
        'contacts': [
            dict(
                first_name='Gabby',
                last_name='Brown',
                email='gbarrett@example.com',
                is_primary=True,
                is_billing=True,
                relationship='Mother',
            )
        ],
        'participants': [
            dict(first_name='Mia', last_name='Brown', birthdate=dt.date(2016, 2, 8), gender=Gender.FEMALE)
        ],
        'ledger': [],
    },
    {
        'name': 'Lopez',
        'status': FamilyStatus.LEAD,
        'contacts': [dict(first_name='Rosa', last_name='Lopez', email='rlopez@example.com', is_primary=True)],
        'participants': [dict(first_name='Sofia', last_name='Lopez', gender=Gender.FEMALE)],
        'ledger': [],
    },
]

_POLICY_TITLE = 'Liability waiver and photo release'
_POLICY_BODY = """**Physical activity.** Dance and gymnastics are physical activities with a risk of injury. I confirm
that my participants are fit to take part, and I will tell the studio about any change in their health.

**Photos.** The studio may use photos of classes and recitals on its website and social media. I can ask for
a photo to be removed at any time.

**Pick-up.** Participants are released only to the contacts I authorise to pick them up."""
_AGREED_DAYS_AGO = {'Bestie': 30, 'Ager': 60, 'Gunnar': 8}  # the Browns have not agreed yet: they are asked

_HISTORY = [  # (family, days ago, minutes, message) in the Parent Portal Log's own wording
    ('Ager', 9, 0, 'Login successful for UserID: hollyager41@example.com'),
    ('Ager', 9, 5, 'Birthdate for Barbie Ager set to 11/17/2010'),
    ('Gunnar', 8, 0, 'Login successful for UserID: dgunnar@example.com'),
    ('Gunnar', 8, 2, 'Billing information changed: Credit card added; Last 4: 0008'),
    ('Gunnar', 8, 3, 'Account: Gunnar Amount: 115.95 Response Code: Approved'),
    ('Gunnar', 8, 4, 'Agreed to Policies: Deanne Gunnar'),
    ('Brown', 2, 0, 'Incorrect Password for UserID: gbarrett@example.com'),
    ('Brown', 2, 1, 'Incorrect Password for UserID: gbarrett@example.com'),
    ('Brown', 2, 2, 'Login successful for UserID: gbarrett@example.com'),
]


async def seed() -> bool:
    """Load the demo studio unless it is there already. Returns whether anything was added."""
    if await Contact.filter(email=DEMO_PARENT_EMAIL).exists():
        return False
    await settings.change(name=DEMO_STUDIO_NAME, address=DEMO_STUDIO_ADDRESS, registration_fee=DEMO_REGISTRATION_FEE)
    password_hash = await passwords.hash_password(DEMO_PARENT_PASSWORD)
    now = clock.now().replace(second=0, microsecond=0)
    primaries: dict[str, Contact] = {}
    async with UnitOfWork() as uow:
        for spec in _FAMILIES:
            family = await Family.create(name=spec['name'], status=spec['status'], using_db=uow.connection)
            for contact_spec in spec['contacts']:
                has_login = bool(contact_spec.get('email'))
                contact = await Contact.create(
                    family=family,
                    password_hash=password_hash if has_login else None,
                    using_db=uow.connection,
                    **contact_spec,
                )
                primaries.setdefault(family.name, contact)
            for participant_spec in spec['participants']:
                await Participant.create(family=family, using_db=uow.connection, **participant_spec)
            for kind, amount, description, days_ago in spec['ledger']:
                await ledger.post_entry(
                    family.id,
                    kind,
                    Decimal(amount),
                    description,
                    posted_at=now - dt.timedelta(days=days_ago),
                    using_db=uow.connection,
                )
        for family_name, days_ago, minutes, message in _HISTORY:
            contact = primaries[family_name]
            subject = LogSubject.of(contact)
            kind = {'Login': 'login_success', 'Incorrect': 'login_failed'}.get(message.split()[0], 'history')
            await portal_log.record(
                uow, subject, kind, message, occurred_at=now - dt.timedelta(days=days_ago, minutes=-minutes)
            )
        await _seed_registration_setup(uow, primaries, now)
        staff = await _seed_staff(uow)
        await _seed_catalogue(uow, now, staff, primaries)
        for family_name, brand, last4 in (('Bestie', 'Visa', '4242'), ('Gunnar', 'Visa', '0008')):
            await SavedCard.create(
                family_id=primaries[family_name].family_id,
                gateway='sandbox',
                token=f'tok_sandbox_approve_demo{last4}',
                brand=brand,
                last4=last4,
                exp_month=8,
                exp_year=now.year + 3,
                fingerprint=label_fingerprint(brand, last4, 8, now.year + 3),  # the same card typed again is known
                is_default=True,
                created_at=now,
                using_db=uow.connection,
            )
    await _seed_requests()
    await _seed_absences()
    await _seed_sharing()
    return True


async def _seed_sharing() -> None:
    """What the studio shares (issue 18): photos and the logo, news, class resources, the studio's messages.
    Each area's demo builds on this studio's families and classes (it imports names from here), hence late."""
    from domain.messages import demo as messages_demo
    from domain.news import demo as news_demo
    from domain.photos import demo as photos_demo
    from domain.resources import demo as resources_demo

    await photos_demo.seed_photos()
    await news_demo.seed_news()
    await resources_demo.seed_resources()
    await messages_demo.seed_messages()


async def _seed_requests() -> None:
    """What families asked for, through the same services a parent and the desk use: the Besties' pending drop
    (with its credit due) and trial, the Agers' pending transfer, and a filling family's drop the desk approved
    and trial it declined, each with its message. A request the calendar does not allow today is left out."""
    admin = await StaffUser.get(email=DEMO_STAFF_EMAIL)
    desk = StaffActor(admin.id, admin.name, admin.email, admin.role)

    async def parent(family: str) -> Actor:
        contact = await Contact.filter(family__name=family, is_primary=True).select_related('family').first()
        assert contact is not None, family
        return Actor.of(contact)

    async def place(family: str, child: str, course: str) -> Enrolment | None:
        return await Enrolment.filter(family__name=family, participant__first_name=child, course__name=course).first()

    bestie, ager = await parent('Bestie'), await parent('Ager')
    reasons = requests.drop_reasons()
    contemporary = await place('Bestie', 'Ava', 'Contemporary')
    if contemporary and (days := await requests.drop_dates(bestie, contemporary.id)):
        await requests.request_drop(
            bestie, contemporary.id, days[0], reasons[0], "Ava's school play rehearsals move to Wednesdays."
        )
    boys = await Course.get(name='Boys Gymnastics')
    leo = await Participant.get(family_id=bestie.family_id, first_name='Leo')
    trial = await requests.trial_choices(bestie, boys.id)
    if trial.dates and any(child_id == leo.id for child_id, _ in trial.children):
        await requests.request_trial(bestie, leo.id, boys.id, trial.dates[0], 'Leo would like to try it with a friend.')
    barbie = await place('Ager', 'Barbie', 'Contemporary')
    if barbie and (targets := await requests.transfer_targets(ager, barbie.id)):
        target = targets[0]
        if target.dates:
            await requests.request_transfer(ager, barbie.id, target.course_id, target.dates[0])
    filling = (
        await Enrolment.filter(family__contacts__email__isnull=False, enrolled_by='Demo Admin')
        .exclude(family__name__in=('Bestie', 'Ager'))
        .select_related('family')
        .first()
    )
    if filling is not None:
        other = await parent(filling.family.name)
        if days := await requests.drop_dates(other, filling.id):
            asked = await requests.request_drop(other, filling.id, days[-1], reasons[1 % len(reasons)])
            await requests.approve(desk, asked.id, 'Thank you for letting us know. We hope to see you again.')


DEMO_TECHNIQUE = 'Ballet Technique'  # Ines's weekly class in a short session running now: it meets today
DEMO_PRACTICE = 'Ballet Open Practice'  # where the Besties take their makeups
DEMO_ABSENCE_CLASSES = (DEMO_TECHNIQUE, DEMO_PRACTICE)


async def _seed_absences() -> None:
    """Absences and makeups the demo can show whatever day it is loaded: a short session that runs now, Ines's
    class meeting on today's weekday (so she has a meeting today) with the Bestie children in it since eight weeks
    ago, rosters she took on past meetings, and the family's credits in every state: available (Nora, excused last
    week), booked with a makeup ahead (Leo), used (Ava, at a makeup weeks ago), revoked (Ava, marked present after
    all), expired (Leo, eight weeks ago); and Ava's absence reported for next week. Through the services a parent and an
    instructor use; a used or expired credit needs days that have passed, so those two are written as they end."""
    today = settings.today()
    closed = set(await Closure.all().values_list('date', flat=True))
    past = [today - dt.timedelta(weeks=n) for n in range(1, 12)]
    weeks = sorted(day for day in past if day not in closed)[-8:]  # the past meetings, oldest first
    ines_user = await StaffUser.get(email=DEMO_INSTRUCTORS['Ines'][0])
    ines = StaffActor(ines_user.id, ines_user.name, ines_user.email, ines_user.role)
    contact = await Contact.get(email=DEMO_PARENT_EMAIL).select_related('family')
    bestie = Actor.of(contact)
    kids = {p.first_name: p for p in await Participant.filter(family_id=contact.family_id)}
    ballet_1 = await Course.get(name='Ballet 1').prefetch_related('categories')
    async with UnitOfWork() as uow:
        db = uow.connection
        term = await Term.create(
            name=f'Technique Weeks {today.year}',
            starts_on=weeks[0],
            ends_on=today + dt.timedelta(weeks=6),
            registration_opens_at=clock.now() - dt.timedelta(days=70),
            using_db=db,
        )
        room = await Room.get(name='Studio A', location__name='Adams Street', using_db=db)
        courses = {}
        # Ines's class began at the top of this hour (22:00 at the latest), so its roster can be taken right away
        begun = min(clock.now().astimezone(ZoneInfo(settings.current().timezone)).hour, 22) * 60
        for name, weekday, start, end in (
            (DEMO_TECHNIQUE, today.weekday(), begun, begun + 60),
            (DEMO_PRACTICE, (today.weekday() + 2) % 7, 19 * 60, 20 * 60),
        ):
            course = await Course.create(
                name=name,
                description=f'Free technique weeks for every level of ballet.\n\n**{room.name}**, Adams Street.',
                term=term,
                location_id=room.location_id,
                room=room,
                starts_on=term.starts_on,
                ends_on=term.ends_on,
                capacity=12,
                min_age_months=60,
                max_age_months=168,
                age_taken_at=AgeTakenAt.TERM_START,
                tuition=Decimal('0'),  # free for the studio's dancers: no fee, no tuition run
                tuition_basis=TuitionBasis.PER_TERM,
                status=CourseStatus.ACTIVE,
                shown_to_families=True,
                self_enrol=False,
                using_db=db,
            )
            await course.categories.add(*ballet_1.categories, using_db=db)
            await MeetingPattern.create(
                course=course, weekdays=[weekday], start_minute=start, end_minute=end, using_db=db
            )
            await CourseInstructor.create(course=course, staff=ines_user, position=0, using_db=db)
            courses[name] = course
        technique = courses[DEMO_TECHNIQUE]
        for child in kids.values():
            await Enrolment.create(
                course=technique,
                participant=child,
                family_id=contact.family_id,
                starts_on=weeks[0],
                enrolled_at=clock.now() - dt.timedelta(weeks=9),
                enrolled_by='Demo Admin',
                using_db=db,
            )
    ava, leo, nora = kids['Ava'].id, kids['Leo'].id, kids['Nora'].id
    everyone_present = {ava: 'present', leo: 'present', nora: 'present'}
    rosters = {  # the meetings Ines took the roster of, and who was not there
        weeks[0]: {leo: 'excused'},
        weeks[4]: {ava: 'excused'},
        weeks[5]: {ava: 'excused'},
        weeks[6]: {leo: 'excused'},
        weeks[7]: {nora: 'excused'},
    }
    for day, marks in rosters.items():
        await attendance.save_roll(ines, technique.id, day, everyone_present | marks, None)
    corrected = await attendance.meeting_roster(ines, technique.id, weeks[5])
    await attendance.save_roll(ines, technique.id, weeks[5], everyone_present, corrected.version)  # revoked
    credit_of = {(c.participant_id, c.missed_on): c for c in await MakeupCredit.filter(family_id=contact.family_id)}
    async with UnitOfWork() as uow:
        expired = credit_of[(leo, weeks[0])]
        await (
            MakeupCredit.filter(id=expired.id)
            .using_db(uow.connection)
            .update(status=CreditStatus.EXPIRED, expires_on=today - dt.timedelta(days=3), closed_at=clock.now())
        )
        await portal_log.record(
            uow,
            LogSubject(contact.family_id, contact.family.name),
            'makeup_credit_expired',
            f'Makeup credit expired: Leo Bestie - {DEMO_TECHNIQUE} - {portal_log.log_day(weeks[0])}',
        )
        used = credit_of[(ava, weeks[4])]
        visited = weeks[4] + dt.timedelta(days=2)
        await Makeup.create(
            credit_id=used.id,
            family_id=contact.family_id,
            participant_id=ava,
            course=courses[DEMO_PRACTICE],
            date=visited,
            status=MakeupStatus.BOOKED,
            contact_id=contact.id,
            booked_by=contact.full_name,
            booked_at=clock.now() - dt.timedelta(weeks=4),
            using_db=uow.connection,
        )
        await (
            MakeupCredit.filter(id=used.id)
            .using_db(uow.connection)
            .update(status=CreditStatus.USED, closed_at=clock.now())
        )
        await portal_log.record(
            uow,
            LogSubject.of(contact),
            'makeup_scheduled',
            f'Makeup scheduled: Ava Bestie - {DEMO_PRACTICE} - {portal_log.log_day(visited)}'
            f' - Credit: {DEMO_TECHNIQUE} {portal_log.log_day(weeks[4])}',
            occurred_at=clock.now() - dt.timedelta(weeks=4),
        )
    booked = credit_of[(leo, weeks[6])]
    options = [o for o in await makeups.makeup_options(bestie, booked.id) if o.course == DEMO_PRACTICE]
    if options:
        await makeups.book(bestie, booked.id, options[0].course_id, options[0].date)
    next_week = next(day for day in (today + dt.timedelta(weeks=n) for n in (1, 2)) if day not in closed)
    await absences.report(
        bestie, participant_ids=[ava], course_id=technique.id, first_day=next_week, last_day=None, reason='sick'
    )


async def _seed_registration_setup(uow: UnitOfWork, primaries: dict[str, Contact], now: dt.datetime) -> None:
    """A policy, two questions, and the agreements the demo families gave (written as the parents gave them)."""
    await Question.create(
        prompt='How did you hear about us?',
        kind=QuestionKind.SINGLE_CHOICE,
        choices=['A friend or family member', 'Social media', 'Search engine', 'Other'],
        required=True,
        scope=QuestionScope.FAMILY,
        position=0,
        using_db=uow.connection,
    )
    await Question.create(
        prompt='Previous dance or gymnastics experience',
        kind=QuestionKind.SHORT_TEXT,
        scope=QuestionScope.PARTICIPANT,
        position=1,
        using_db=uow.connection,
    )
    policy = await Policy.create(position=0, using_db=uow.connection)
    version = await PolicyVersion.create(
        policy=policy,
        version=1,
        title=_POLICY_TITLE,
        body=_POLICY_BODY,
        created_at=now - dt.timedelta(days=400),
        created_by='Demo Admin',
        using_db=uow.connection,
    )
    for family_name, days_ago in _AGREED_DAYS_AGO.items():
        contact = primaries[family_name]
        await Agreement.create(
            family_id=contact.family_id,
            contact_id=contact.id,
            contact_name=contact.full_name,
            policy_version=version,
            title_shown=version.title,
            text_shown=version.body,
            typed_name=contact.full_name,
            agreed_at=now - dt.timedelta(days=days_ago),
            client_ip='198.51.100.20',
            user_agent='Mozilla/5.0 (iPhone) demo',
            using_db=uow.connection,
        )


_MONTH, _TERM, _MEETING = TuitionBasis.PER_MONTH, TuitionBasis.PER_TERM, TuitionBasis.PER_MEETING
MON, TUE, WED, THU, FRI, SAT = range(6)


class _Class(NamedTuple):
    name: str
    category: str  # its path: Dance › Ballet › Level 2
    place: str  # 'Location / Room'
    meetings: tuple[tuple[tuple[int, ...], str, str], ...]  # (weekdays, start, end)
    capacity: int
    ages: tuple[int | None, int | None]  # in months
    tuition: str
    basis: TuitionBasis
    teachers: tuple[str, ...]  # first instructor first, by first name
    enrolled: int  # children the demo enrols, the demo families' own among them
    description: str
    fee: bool = False  # the studio's registration fee applies
    gender: GenderRule = GenderRule.ANY
    status: CourseStatus | None = None  # None: the term's own (future until it starts, then active)
    shown: bool = True
    self_enrol: bool = True
    by_request: bool = False  # not enrolling themselves, families ask and the desk decides
    prerequisite: str = ''


_A, _B, _POOL = 'Adams Street / Studio A', 'Adams Street / Studio B', 'Adams Street / Pool'
_GYM, _C, _LAP = 'Riverside / Main Gym', 'Riverside / Studio C', 'Riverside / Lap Pool'
# Full: Tadpoles, Pointe Prep, Tumble Tots, Sea Otters. One or two places left: Creative Movement, Guppies, Jazz 2,
# Ninja Warriors. Ballet 2 is left empty and open for a demo visitor to enrol in; it asks for Ballet 1 first, which
# Leo Bestie has not taken. Only an empty class asks for a prior one: the demo's session is the studio's first, so
# no child enrolled could have taken it.
# fmt: off
_CLASSES: tuple[_Class, ...] = (
    _Class('Ballet 1', 'Dance › Ballet', _A, (((TUE,), '16:00', '17:00'),), 12, (60, 84), '60.00', _MONTH,
           ('Ines',), 7, 'Barre, centre and the first ballet vocabulary, with a class show in May.', fee=True),
    _Class('Ballet 2', 'Dance › Ballet › Level 2', _A, (((MON, WED), '17:00', '18:00'),), 10, (84, 120), '65.00',
           _MONTH, ('Ines',), 0, 'Twice a week: turns, small jumps and the first exam syllabus.', fee=True,
           prerequisite='Ballet 1'),
    _Class('Ballet 3', 'Dance › Ballet › Level 3', _A, (((TUE, THU), '17:15', '18:30'),), 12, (120, 156), '85.00',
           _MONTH, ('Ines',), 8, 'Longer barre, allegro and variations; preparation for pointe.', fee=True),
    _Class('Pointe Prep', 'Dance › Ballet › Level 3', _A, (((SAT,), '11:15', '12:15'),), 8, (132, 216), '70.00',
           _MONTH, ('Ines',), 8, 'Strength and technique for dancers starting pointe work. Teacher approval needed.'),
    _Class('Adult Ballet', 'Dance › Ballet', _A, (((THU,), '19:00', '20:15'),), 14, (192, None), '18.00',
           _MEETING, ('Ines',), 5, 'Open level ballet for teens and adults: come when you can, pay per class.'),
    _Class('Creative Movement', 'Dance › Pre-school', _B, (((SAT,), '09:00', '09:45'),), 10, (36, 54), '15.00',
           _MEETING, ('Ines',), 9, 'Music, props and imagination for our youngest dancers.'),
    _Class('Tiny Tots Ballet & Tap', 'Dance › Pre-school', _B, (((WED,), '16:00', '16:45'),), 10, (42, 66),
           '55.00', _MONTH, ('Ines',), 6, 'Half ballet, half tap: bring both pairs of shoes.', fee=True),
    _Class('Tap 1', 'Dance › Tap', _B, (((MON,), '16:00', '16:45'),), 12, (60, 96), '55.00', _MONTH, ('Marcus',),
           5, 'Shuffles, flaps and rhythm games.', fee=True),
    _Class('Tap 2', 'Dance › Tap', _B, (((MON,), '17:00', '18:00'),), 12, (96, 144), '60.00', _MONTH, ('Marcus',),
           6, 'Time steps, pull-backs and a recital routine.', fee=True),
    _Class('Jazz 1', 'Dance › Jazz', _B, (((TUE,), '16:00', '17:00'),), 14, (72, 108), '58.00', _MONTH,
           ('Marcus',), 8, 'Kicks, leaps and turns to upbeat music.', fee=True),
    _Class('Jazz 2', 'Dance › Jazz', _B, (((THU,), '17:00', '18:00'),), 14, (108, 156), '62.00', _MONTH,
           ('Marcus',), 12, 'Stronger technique and longer combinations.', fee=True),
    _Class('Jazz Funk', 'Dance › Jazz', _A, (((SAT,), '10:00', '11:00'),), 16, (96, 168), '240.00', _TERM,
           ('Marcus',), 9, 'Jazz technique meets hip hop grooves. One price for the session.'),
    _Class('Hip Hop Kids', 'Dance › Hip Hop', _B, (((WED,), '17:00', '18:00'),), 16, (84, 132), '60.00', _MONTH,
           ('Marcus',), 10, 'Grooves, freezes and crew choreography.', fee=True),
    _Class('Teen Hip Hop', 'Dance › Hip Hop', _B, (((FRI,), '18:00', '19:00'),), 16, (144, 228), '16.00',
           _MEETING, ('Marcus',), 7, 'Friday night choreography; pay per class.'),
    _Class('Contemporary', 'Dance › Contemporary', _A, (((WED,), '18:15', '19:30'),), 12, (138, 216), '75.00',
           _MONTH, ('Ines',), 9, 'Floor work, release technique and improvisation.', fee=True),
    _Class('Acro Dance', 'Dance › Acro', _C, (((FRI,), '16:30', '17:30'),), 12, (84, 144), '64.00', _MONTH,
           ('Marcus',), 6, 'Cartwheels, walkovers and balances woven into dance.', fee=True),
    _Class('Tadpoles', 'Swim › Beginners', _POOL, (((SAT,), '09:00', '09:30'),), 6, (42, 60), '18.00', _MEETING,
           ('Sam',), 6, 'Water confidence with a parent nearby.'),
    _Class('Minnows', 'Swim › Beginners', _POOL, (((THU,), '17:00', '17:45'),), 6, (60, 96), '18.00', _MEETING,
           ('Sam',), 0, 'Floating, kicking and the first strokes.', status=CourseStatus.DRAFT, shown=False,
           self_enrol=False),
    _Class('Guppies', 'Swim › Beginners', _POOL, (((MON,), '16:30', '17:00'),), 6, (48, 84), '20.00', _MEETING,
           ('Sam',), 5, 'Putting faces in, gliding and back floats.'),
    _Class('Sea Otters', 'Swim › Beginners', _LAP, (((SAT,), '10:00', '10:30'),), 6, (60, 96), '20.00', _MEETING,
           ('Sam',), 6, 'Front and back crawl over a width.'),
    _Class('Stingrays', 'Swim › Intermediate', _POOL, (((TUE,), '17:00', '17:45'),), 8, (72, 144), '22.00',
           _MEETING, ('Sam',), 5, 'Lengths of crawl and backstroke, treading water.'),
    _Class('Swim Team Prep', 'Swim › Intermediate', _LAP, (((WED,), '18:00', '19:00'),), 10, (96, 168), '24.00',
           _MEETING, ('Sam',), 6, 'Turns, dives and all four strokes, ready for try-outs.'),
    _Class('Stroke Clinic', 'Swim › Advanced', _POOL, (((THU,), '18:00', '18:45'),), 8, (96, 180), '180.00', _TERM,
           ('Sam',), 4, 'Video feedback on each stroke. One price for the session.'),
    _Class('Tumble Tots', 'Gymnastics › Recreational', _GYM, (((SAT,), '09:00', '09:45'),), 10, (30, 48), '16.00',
           _MEETING, ('Dana',), 10, 'Rolls, climbs and balance beams at toddler height, a grown-up alongside.'),
    _Class('Rec Gymnastics 1', 'Gymnastics › Recreational', _GYM, (((MON,), '16:00', '17:00'),), 12, (60, 96),
           '62.00', _MONTH, ('Dana',), 6, 'Floor, beam, bars and vault basics.', fee=True),
    _Class('Rec Gymnastics 2', 'Gymnastics › Recreational', _GYM, (((THU,), '16:00', '17:15'),), 12, (84, 144),
           '68.00', _MONTH, ('Dana',), 7, 'Round-offs, handstands and kips.', fee=True),
    _Class('Boys Gymnastics', 'Gymnastics › Recreational', _GYM, (((TUE,), '17:00', '18:00'),), 10, (72, 144),
           '62.00', _MONTH, ('Dana',), 4, 'Rings, parallel bars and floor.', fee=True, gender=GenderRule.MALE),
    _Class('Tumbling & Trampoline', 'Gymnastics › Recreational', _GYM, (((SAT,), '10:00', '11:00'),), 12,
           (96, 168), '70.00', _MONTH, ('Dana',), 7, 'Tumbling passes and safe trampoline skills.', fee=True),
    _Class('Ninja Warriors', 'Gymnastics › Ninja', _GYM, (((FRI,), '16:30', '17:30'),), 12, (72, 132), '15.00',
           _MEETING, ('Dana',), 10, 'Obstacle courses, climbing and parkour moves.'),
    _Class('Team Gymnastics Level 3', 'Gymnastics › Team', _GYM, (((MON, WED), '17:30', '20:00'),), 10,
           (84, 156), '210.00', _MONTH, ('Dana',), 8, 'Competitive team training. By try-out: ask the front desk.',
           gender=GenderRule.FEMALE, self_enrol=False, by_request=True),
    _Class('Team Gymnastics Level 4', 'Gymnastics › Team', _GYM, (((TUE, THU), '18:00', '21:00'),), 10,
           (108, 192), '240.00', _MONTH, ('Dana',), 7, 'Invitation only: the competitive squad.',
           gender=GenderRule.FEMALE, shown=False, self_enrol=False),
)
# fmt: on

_DEMO_ENROLMENTS = (  # (family, child's first name, class): the classes the demo parents chose themselves
    ('Bestie', 'Ava', 'Jazz 2'),
    ('Bestie', 'Ava', 'Contemporary'),
    ('Bestie', 'Leo', 'Rec Gymnastics 2'),
    ('Bestie', 'Nora', 'Tap 1'),
    ('Ager', 'Barbie', 'Contemporary'),
)

# The other families whose children fill the classes: no sign-in, one parent each.
_SURNAMES = (
    'Okafor', 'Nguyen', 'Schmidt', 'Tanaka', 'Rossi', 'Patel', 'Kowalczyk', 'Haddad', 'Moreau', 'Silva', 'Novak',
    'Fischer', 'Kim', 'Costa', 'Murphy', 'Jensen', 'Alvarez', 'Chen', 'Dubois', 'Reyes', 'Sato', 'Walsh', 'Baker',
    'Hughes', 'Park', 'Bauer', 'Romano', 'Mendes', 'Kaur', 'Yilmaz', 'Larsen', 'Quinn', 'Ferreira', 'Hale',
    'Ortega', 'Mills', 'Castro', 'Weber', 'Abbott', 'Nakamura', 'Foster', 'Doyle', 'Sousa', 'Vega', 'Iqbal',
    'Petrov', 'Adeyemi', 'Horvat', 'Mazur', 'Greco', 'Lambert', 'Varga', 'Osei', 'Duarte', 'Sherwood', 'Kerr',
    'Morales', 'Price', 'Hoffman', 'Wu', 'Carter', 'Bianchi', 'Ward', 'Fitzgerald', 'Sandoval', 'Holm', 'Pereira',
    'Mwangi', 'Jovanovic', 'Rahman',
)  # fmt: skip
_PARENTS = (
    ('Anna', 'Mother'), ('James', 'Father'), ('Priya', 'Mother'), ('Daniel', 'Father'), ('Keiko', 'Mother'),
    ('Marco', 'Father'), ('Fatima', 'Mother'), ('Olga', 'Mother'), ('Tom', 'Father'), ('Grace', 'Mother'),
    ('Luis', 'Father'), ('Hannah', 'Mother'), ('Chidi', 'Father'), ('Rachel', 'Mother'), ('Sven', 'Father'),
    ('Mei', 'Mother'), ('Paolo', 'Father'), ('Claire', 'Mother'), ('Yusuf', 'Father'), ('Erin', 'Mother'),
)  # fmt: skip
_GIRLS = (
    'Emma', 'Olivia', 'Amara', 'Chloe', 'Zoe', 'Maya', 'Isla', 'Priyanka', 'Hana', 'Lucia', 'Ruby', 'Ella', 'Mila',
    'Aria', 'Leah', 'Nina', 'Freya', 'Ivy', 'Elena', 'Yuki', 'Sadie', 'Clara', 'Noor', 'Tessa',
)  # fmt: skip
_BOYS = (
    'Noah', 'Liam', 'Omar', 'Ethan', 'Kai', 'Mateo', 'Jonah', 'Felix', 'Arjun', 'Hugo', 'Eli', 'Sami', 'Ravi',
    'Oscar', 'Jude', 'Luca', 'Finn', 'Idris',
)  # fmt: skip
_FAMILY_SIZES = (2, 1, 1, 3, 1, 2)  # children per family, in turn


async def _seed_staff(uow: UnitOfWork) -> dict[str, StaffUser]:
    """The administrator and the instructors, by first name. They share the administrator's authenticator secret,
    so one entry in an authenticator app signs in as any of them."""
    db = uow.connection
    sealed = sealed_secrets.seal(DEMO_STAFF_TOTP_SECRET)
    wanted = [(DEMO_STAFF_EMAIL, 'Demo Admin', StaffRole.ADMIN, DEMO_STAFF_PASSWORD)] + [
        (email, name, StaffRole.INSTRUCTOR, DEMO_INSTRUCTOR_PASSWORD) for email, name in DEMO_INSTRUCTORS.values()
    ]
    existing = {s.email: s for s in await StaffUser.filter(email__in=[w[0] for w in wanted]).using_db(db)}
    hashes = {password: await passwords.hash_password(password) for password in {w[3] for w in wanted}}
    staff = {}
    for email, name, role, password in wanted:
        if email not in existing:
            existing[email] = await StaffUser.create(
                email=email,
                name=name,
                role=role,
                password_hash=hashes[password],
                totp_sealed=sealed,
                totp_confirmed=True,
                using_db=db,
            )
        staff[name.split()[0]] = existing[email]
    return staff


async def _seed_catalogue(
    uow: UnitOfWork, now: dt.datetime, staff: dict[str, StaffUser], primaries: dict[str, Contact]
) -> None:
    """Two locations, the coming (or current) spring term, three-tier categories, about thirty classes with their
    instructors, a closed day, three events, and children enrolled: the demo families' own and those of families
    who fill the popular classes. Each enrolment's first fees are posted as a parent's checkout posts them."""
    db = uow.connection
    year = now.year + 1 if now.month >= 6 else now.year
    rooms: dict[str, Room] = {}
    locations: dict[str, Location] = {}
    for location_name, (address, room_names) in _LOCATIONS.items():
        location = await Location.create(name=location_name, address=address, using_db=db)
        locations[location_name] = location
        for room_name in room_names:
            rooms[f'{location_name} / {room_name}'] = await Room.create(location=location, name=room_name, using_db=db)
    term = await Term.create(
        name=f'Spring {year}',
        starts_on=dt.date(year, 1, 11),
        ends_on=dt.date(year, 5, 29),
        registration_opens_at=dt.datetime(year - 1, 12, 1, 15, 0, tzinfo=dt.UTC),  # 9:00 in Springfield
        early_opens_at=dt.datetime(year - 1, 11, 24, 15, 0, tzinfo=dt.UTC),
        using_db=db,
    )
    categories = await _seed_categories(uow)
    running = CourseStatus.ACTIVE if now.date() >= term.starts_on else CourseStatus.FUTURE
    courses: dict[str, Course] = {}
    patterns: list[MeetingPattern] = []
    teaching: list[CourseInstructor] = []
    for spec in _CLASSES:
        room = rooms[spec.place]
        course = await Course.create(
            name=spec.name,
            description=f'{spec.description}\n\n**{room.name}**, {spec.place.split(" / ")[0]}.',
            term=term,
            location_id=room.location_id,
            room=room,
            starts_on=term.starts_on,
            ends_on=term.ends_on,
            capacity=spec.capacity,
            min_age_months=spec.ages[0],
            max_age_months=spec.ages[1],
            age_taken_at=AgeTakenAt.TERM_START,
            gender_rule=spec.gender,
            prerequisite=courses.get(spec.prerequisite),
            tuition=Decimal(spec.tuition),
            tuition_basis=spec.basis,
            registration_fee=spec.fee,
            status=spec.status or running,
            shown_to_families=spec.shown,
            self_enrol=spec.self_enrol,
            enrol_by_request=spec.by_request,
            using_db=db,
        )
        await course.categories.add(categories[spec.category], using_db=db)
        for weekdays, start, end in spec.meetings:
            patterns.append(
                MeetingPattern(
                    course=course,
                    weekdays=list(weekdays),
                    start_minute=minute_of_day(dt.time.fromisoformat(start)),
                    end_minute=minute_of_day(dt.time.fromisoformat(end)),
                )
            )
        teaching += [
            CourseInstructor(course=course, staff=staff[teacher], position=position)
            for position, teacher in enumerate(spec.teachers)
        ]
        courses[spec.name] = course
    await MeetingPattern.bulk_create(patterns, using_db=db)
    await CourseInstructor.bulk_create(teaching, using_db=db)
    spring_break = dt.date(year, 3, 22)
    spring_break += dt.timedelta(days=-spring_break.weekday() % 7)  # the Monday on or after, a Ballet 2 day
    await Closure.create(date=spring_break, reason='Spring break', using_db=db)
    families = await _seed_class_families(uow, term.starts_on)
    await _seed_enrolments(uow, now, term, courses, families, primaries)
    await _seed_waitlists(uow, now, term, courses, families, primaries)
    await _seed_events(uow, now, term, locations, rooms, families, primaries)


async def _seed_categories(uow: UnitOfWork) -> dict[str, Category]:
    """Every category path the classes use, and each tier above it, once."""
    made: dict[str, Category] = {}
    for spec in _CLASSES:
        tiers = spec.category.split(' › ')
        for depth in range(len(tiers)):
            path = ' › '.join(tiers[: depth + 1])
            if path not in made:
                parent = made.get(' › '.join(tiers[:depth])) if depth else None
                made[path] = await Category.create(name=tiers[depth], parent=parent, using_db=uow.connection)
    return made


class _Child(NamedTuple):
    months: int  # old at the term's start
    gender: Gender
    classes: list[_Class]


class _Families(NamedTuple):
    parents: dict[int, Contact]  # each family's paying contact, by family id
    places: list[tuple[Participant, str]]  # (child, class name) of the class-filling families' children
    children: list[Participant]  # the class-filling families' children


def _overlap(one: _Class, other: _Class) -> bool:
    return any(
        set(a[0]) & set(b[0]) and a[1] < b[2] and b[1] < a[2] for a in one.meetings for b in other.meetings
    )  # 'HH:MM' strings compare as times


def _places_to_fill() -> list[_Child]:
    """Children for the places the demo families leave: one child takes at most two classes that suit their age
    and gender and do not meet at the same time."""
    own = Counter(chosen for _, _, chosen in _DEMO_ENROLMENTS)
    pool: list[_Child] = []
    for number, spec in enumerate(_CLASSES):
        youngest, oldest = spec.ages[0] or 0, spec.ages[1] or (spec.ages[0] or 0) + 300
        wanted = spec.enrolled - own.get(spec.name, 0)
        for candidate in pool[number * 5 % max(len(pool), 1) :] + pool[: number * 5 % max(len(pool), 1)]:
            if wanted == 0:
                break
            if (
                len(candidate.classes) < 2
                and youngest <= candidate.months <= oldest
                and _suits(spec.gender, candidate.gender)
                and not any(_overlap(spec, other) for other in candidate.classes)
            ):
                candidate.classes.append(spec)
                wanted -= 1
        for index in range(wanted):
            girl = spec.gender == GenderRule.FEMALE or (
                spec.gender == GenderRule.ANY and (index % 4 != 3 if spec.category.startswith('Dance') else index % 2)
            )
            months = youngest + (index * 7 + number * 3) % (oldest - youngest + 1)
            pool.append(_Child(months, Gender.FEMALE if girl else Gender.MALE, [spec]))
    return pool


def _suits(rule: GenderRule, gender: Gender) -> bool:
    return rule == GenderRule.ANY or rule.value == gender.value


def _born(term_starts: dt.date, months: int, nudge: int) -> dt.date:
    """A birthday `months` months before the term starts (a few days earlier in that month, as the age counts)."""
    year, month = divmod(term_starts.year * 12 + term_starts.month - 1 - months, 12)
    return dt.date(year, month + 1, max(1, term_starts.day - nudge % 10))


def _family_name(index: int) -> str:
    count = len(_SURNAMES)
    name = _SURNAMES[index % count]
    return name if index < count else f'{name}-{_SURNAMES[(index * 7 + 3) % count]}'


async def _seed_class_families(uow: UnitOfWork, term_starts: dt.date) -> _Families:
    db = uow.connection
    children = _places_to_fill()
    random.Random(2027).shuffle(children)  # siblings of different ages, not the children of one class
    groups: list[list[_Child]] = []
    taken = 0
    while taken < len(children):
        size = _FAMILY_SIZES[len(groups) % len(_FAMILY_SIZES)]
        groups.append(children[taken : taken + size])
        taken += size
    names = [_family_name(index) for index in range(len(groups))]
    await Family.bulk_create([Family(name=name, status=FamilyStatus.ACTIVE) for name in names], using_db=db)
    ids = dict(await Family.filter(name__in=names).using_db(db).values_list('name', 'id'))
    contacts, participants, wanted = [], [], {}
    girls = boys = 0
    for index, (name, group) in enumerate(zip(names, groups, strict=True)):
        first, relationship = _PARENTS[index % len(_PARENTS)]
        contacts.append(
            Contact(
                family_id=ids[name],
                first_name=first,
                last_name=name,
                email=f'{first}.{name}@example.com'.lower(),
                mobile_phone=f'+1312555{200 + index:04d}',
                is_primary=True,
                is_billing=True,
                can_pick_up=True,
                relationship=relationship,
            )
        )
        for child in group:
            if child.gender == Gender.FEMALE:
                given, girls = _GIRLS[girls % len(_GIRLS)], girls + 1
            else:
                given, boys = _BOYS[boys % len(_BOYS)], boys + 1
            born = _born(term_starts, child.months, index)
            participants.append(
                Participant(family_id=ids[name], first_name=given, last_name=name, birthdate=born, gender=child.gender)
            )
            wanted[(ids[name], given)] = child.classes
    await Contact.bulk_create(contacts, using_db=db)
    await Participant.bulk_create(participants, using_db=db)
    parents = {c.family_id: c for c in await Contact.filter(family_id__in=list(ids.values())).using_db(db)}
    made = await Participant.filter(family_id__in=list(ids.values())).using_db(db).order_by('id')
    places = [(child, spec.name) for child in made for spec in wanted[(child.family_id, child.first_name)]]
    return _Families(parents, places, list(made))


async def _seed_enrolments(
    uow: UnitOfWork,
    now: dt.datetime,
    term: Term,
    courses: dict[str, Course],
    families: _Families,
    primaries: dict[str, Contact],
) -> None:
    """Each child from the class's next meeting, with its first fees posted under the sources the checkout uses,
    so a later tuition run for the same month posts nothing twice."""
    db = uow.connection
    today = settings.today()
    closed = await closed_dates(db)
    patterns: dict[int, list[MeetingPattern]] = {course.id: [] for course in courses.values()}
    for pattern in await MeetingPattern.filter(course_id__in=list(patterns)).using_db(db).order_by('id'):
        patterns[pattern.course_id].append(pattern)
    meetings = {course.id: meetings_of(course, term, patterns[course.id], closed) for course in courses.values()}
    own = {contact.family_id: contact for contact in primaries.values()}
    demo_children = {
        (own[child.family_id].last_name, child.first_name): child
        for child in await Participant.filter(family_id__in=list(own)).using_db(db)
    }
    places = [(demo_children[(family, first)], name, True) for family, first, name in _DEMO_ENROLMENTS]
    places += [(child, name, False) for child, name in families.places if (child, name) != _second_in_line(families)]
    made = []
    for child, name, logged in places:
        course = courses[name]
        starts = next((m.date for m in meetings[course.id] if m.date >= today), None)
        if starts is None:
            continue  # seeded after the term's last meeting: nothing left to enrol in
        parent = own.get(child.family_id) or families.parents[child.family_id]
        enrolled_by = parent.full_name if course.self_enrol else 'Demo Admin'
        made.append((child, course, parent, starts, enrolled_by, logged))
    await Enrolment.bulk_create(
        [
            Enrolment(
                course_id=course.id,
                participant_id=child.id,
                family_id=child.family_id,
                starts_on=starts,
                enrolled_at=now,
                enrolled_by=enrolled_by,
            )
            for child, course, _, starts, enrolled_by, _ in made
        ],
        using_db=db,
    )
    stored = {(e.course_id, e.participant_id): e for e in await Enrolment.all().using_db(db)}
    for child, course, parent, starts, enrolled_by, logged in made:
        price = price_from(course, meetings[course.id], starts)
        enrolment = stored[(course.id, child.id)]
        await post_first_fees(uow, enrolment, course, child.full_name, price, posted_by=enrolled_by)
        if logged:
            message = f'Enrolled in Class: {course.name} - Student: {child.full_name} - Starts: {log_day(starts)}'
            await portal_log.record(uow, LogSubject.of(parent), 'enrolled', message, occurred_at=now)


_OFFERED = ('Bestie', 'Ava', 'Pointe Prep')  # its last seat is kept for Ava, first in line, until tomorrow
_WAITING = (('Bestie', 'Nora', 'Sea Otters', 2),)  # (family, child, class, place in line)
_WAITED_FOR = {'Sea Otters': 3, 'Tumble Tots': 3, 'Tadpoles': 2}  # children of other families in line
_MANUAL = 'Tadpoles'  # staff offer its seats themselves


def _second_in_line(families: _Families) -> tuple[Participant, str]:
    """The child who would have had Pointe Prep's last seat: second in line behind Ava instead."""
    return next((child, name) for child, name in families.places if name == _OFFERED[2])


async def _seed_waitlists(
    uow: UnitOfWork,
    now: dt.datetime,
    term: Term,
    courses: dict[str, Course],
    families: _Families,
    primaries: dict[str, Contact],
) -> None:
    """Full classes with children waiting: Ava offered Pointe Prep's last seat, Nora second in line for Sea
    Otters, other families' children in line (one held back by staff), and Tadpoles in manual mode."""
    db = uow.connection
    own = {contact.last_name: contact for contact in primaries.values()}
    bestie = {
        child.first_name: child for child in await Participant.filter(family_id=own['Bestie'].family_id).using_db(db)
    }
    enrolled = set(await Enrolment.all().using_db(db).values_list('course_id', 'participant_id'))
    entries: list[WaitlistEntry] = []

    def add(course: Course, child: Participant, contact_id: int | None, **values: Any) -> None:
        rank = sum(1 for entry in entries if entry.course_id == course.id) + 1
        entries.append(
            WaitlistEntry(
                course_id=course.id,
                participant_id=child.id,
                family_id=child.family_id,
                contact_id=contact_id,
                rank=rank,
                joined_at=now - dt.timedelta(days=9 - rank, hours=rank),
                expires_at=now + dt.timedelta(days=settings.current().waitlist_days - 9 + rank),
                **values,
            )
        )

    ava, pointe = bestie['Ava'], courses[_OFFERED[2]]
    until = now + dt.timedelta(hours=20)
    add(
        pointe,
        ava,
        own['Bestie'].id,
        status=WaitlistStatus.OFFERED,
        offered_at=now - dt.timedelta(hours=4),
        offer_expires_at=until,
    )
    second, _ = _second_in_line(families)
    add(pointe, second, families.parents[second.family_id].id)
    for course_name, count in _WAITED_FOR.items():
        course = courses[course_name]
        fits = [
            child
            for child in families.children
            if (course.id, child.id) not in enrolled
            and (course.min_age_months or 0)
            <= age_in_months(child.birthdate, term.starts_on)  # type: ignore[arg-type]
            <= (course.max_age_months or 1200)
        ]
        line = [(child, families.parents[child.family_id].id) for child in fits[:count]]
        for family_name, first, waited, place in _WAITING:
            if waited == course_name:
                line.insert(place - 1, (bestie[first], own[family_name].id))
        for child, contact_id in line:
            add(course, child, contact_id)
    tumble = [entry for entry in entries if entry.course_id == courses['Tumble Tots'].id]
    tumble[-1].held_back, tumble[-1].held_back_reason = True, 'Parent asked to wait until the summer term'
    await WaitlistEntry.bulk_create(entries, using_db=db)
    courses[_MANUAL].waitlist_mode = WaitlistMode.MANUAL
    await courses[_MANUAL].save(using_db=db, update_fields=['waitlist_mode'])
    subject = LogSubject.of(own['Bestie'])
    for entry in entries:
        if entry.family_id != own['Bestie'].family_id:
            continue
        child = ava if entry.participant_id == ava.id else bestie['Nora']
        course = pointe if entry.course_id == pointe.id else courses['Sea Otters']
        message = f'Joined Waitlist: {course.name} - Student: {child.full_name} - Position: {entry.rank}'
        await portal_log.record(uow, subject, 'waitlist_joined', message, occurred_at=entry.joined_at)
    local = until.astimezone(ZoneInfo(settings.current().timezone))
    expires = f'{log_day(local.date())} {local.strftime("%I:%M %p").lstrip("0")}'
    message = f'Waitlist offer sent: {pointe.name} - Student: {ava.full_name} - Expires: {expires}'
    await portal_log.record(
        uow,
        LogSubject(own['Bestie'].family_id, 'Bestie'),
        'waitlist_offer',
        message,
        occurred_at=now - dt.timedelta(hours=4),
    )


def _saturday_after(day: dt.date, weeks: int) -> dt.date:
    """The Saturday at least a week after `day`, and `weeks` weeks on from it."""
    return day + dt.timedelta(days=(SAT - day.weekday()) % 7 + 7 * (weeks + 1))


async def _seed_events(
    uow: UnitOfWork,
    now: dt.datetime,
    term: Term,
    locations: dict[str, Location],
    rooms: dict[str, Room],
    families: _Families,
    primaries: dict[str, Contact],
) -> None:
    """Aerial Workshops on Saturdays in the coming weeks (one full, one shown but not bookable yet), the Summer
    Camp Open House, and the Spring Showcase on the term's last Saturday."""
    db = uow.connection
    today = settings.today()
    aerial = await EventType.create(
        name='Aerial Workshops',
        description='Silks, hoop and trapeze with a professional rigger. Two hours, **ages 8 to 18**.',
        fee=Decimal('60.00'),
        registrant=EventRegistrant.CHILDREN,
        most_children=2,
        min_age_months=96,
        max_age_months=216,
        location=locations['Riverside'],
        using_db=db,
    )
    open_house = await EventType.create(
        name='Summer Camp Open House',
        description='Meet the camp team, tour the studio and try a free class. Free; one registration per family.',
        fee=Decimal('0'),
        registrant=EventRegistrant.FAMILY,
        max_size=50,
        location=locations['Adams Street'],
        using_db=db,
    )
    showcase = await EventType.create(
        name='Spring Showcase',
        description='Every class on stage. Free seats for the family: register so we can keep yours.',
        fee=Decimal('0'),
        registrant=EventRegistrant.FAMILY,
        location=locations['Riverside'],
        using_db=db,
    )
    show_day = term.ends_on - dt.timedelta(days=(term.ends_on.weekday() - SAT) % 7)
    afternoon, evening = minute_of_day(dt.time(14)), minute_of_day(dt.time(18))
    loft, studio_a, gym = rooms['Riverside / Aerial Loft'], rooms['Adams Street / Studio A'], rooms[_GYM]
    occurrences = [  # (event, date, start, end, room, capacity, status, who comes: 'Ager', 'Bestie' or how many)
        (aerial, _saturday_after(today, 0), 13 * 60, 15 * 60, loft, 8, OccurrenceStatus.OPEN, ('Ager', 3)),
        (aerial, _saturday_after(today, 1), 13 * 60, 15 * 60, loft, 8, OccurrenceStatus.OPEN, (8,)),
        (aerial, _saturday_after(today, 4), 13 * 60, 15 * 60, loft, 8, OccurrenceStatus.OPEN, (2,)),
        (aerial, _saturday_after(today, 6), 13 * 60, 15 * 60, loft, 8, OccurrenceStatus.NOTICE, ()),
        (open_house, _saturday_after(today, 0), 11 * 60, 12 * 60 + 30, studio_a, 25, OccurrenceStatus.OPEN,
         ('Bestie', 6)),
        (open_house, _saturday_after(today, 7), 11 * 60, 12 * 60 + 30, studio_a, 25, OccurrenceStatus.OPEN, (3,)),
        (showcase, show_day, afternoon, afternoon + 120, gym, 80, OccurrenceStatus.OPEN, ('Bestie', 9)),
        (showcase, show_day, evening, evening + 120, gym, 80, OccurrenceStatus.OPEN, ('Ager', 7)),
    ]  # fmt: skip
    others = iter(families.children * 3)
    own_children = {
        contact.last_name: await Participant.filter(family_id=contact.family_id).using_db(db).order_by('id')
        for contact in primaries.values()
    }
    for event, date, start, end, room, capacity, status, comers in occurrences:
        occurrence = await EventOccurrence.create(
            event=event,
            date=date,
            start_minute=start,
            end_minute=end,
            room=room,
            capacity=capacity,
            status=status,
            using_db=db,
        )
        seen: set[int] = set()
        for comer in comers:
            if isinstance(comer, str):
                contact = primaries[comer]
                child = _aerial_age(own_children[comer], date) if event.registrant == EventRegistrant.CHILDREN else None
                registered_at = now - dt.timedelta(days=12 if comer == 'Ager' else 2)  # Holly's fee was posted then
                await _register(uow, occurrence, contact, child, registered_at)
                message = f'Registered for Event: {event.name} - Date/Time: {log_day(date)}'
                await portal_log.record(uow, LogSubject.of(contact), 'registered', message, occurred_at=registered_at)
                continue
            for _ in range(comer):
                child = next(
                    c
                    for c in others
                    if c.family_id not in seen
                    and (event.registrant == EventRegistrant.FAMILY or _aerial_age([c], date) is not None)
                )
                seen.add(child.family_id)
                contact = families.parents[child.family_id]
                registered_at = now - dt.timedelta(days=len(seen) % 9 + 1)
                if event.registrant == EventRegistrant.FAMILY:
                    await _register(uow, occurrence, contact, None, registered_at)
                    continue
                await _register(uow, occurrence, contact, child, registered_at)
                await ledger.post_entry(
                    child.family_id,
                    LedgerKind.FEE,
                    Decimal(str(event.fee)),
                    f'{event.name} ({child.full_name}), {date:%b} {date.day}',
                    posted_at=registered_at,
                    using_db=db,
                    posted_by=contact.full_name,
                )


def _aerial_age(children: list[Participant], on: dt.date) -> Participant | None:
    """The first of the children aged 8 to 18 on the day."""
    return next((c for c in children if c.birthdate and 96 <= age_in_months(c.birthdate, on) <= 227), None)


async def _register(
    uow: UnitOfWork,
    occurrence: EventOccurrence,
    contact: Contact,
    child: Participant | None,
    registered_at: dt.datetime,
) -> None:
    await EventRegistration.create(
        occurrence=occurrence,
        family_id=contact.family_id,
        participant=child,
        registered_at=registered_at,
        registered_by=contact.full_name,
        using_db=uow.connection,
    )
