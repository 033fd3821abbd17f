"""A demo studio to look around in: families, participants, contacts, balances and a portal-log history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from domain import clock, portal_log
from domain.access import passwords, sealed_secrets
from domain.adapters.gateways import label_fingerprint
from domain.billing import ledger
from domain.models import (
    AgeTakenAt,
    Agreement,
    Category,
    Closure,
    Contact,
    ContactRole,
    Course,
    CourseStatus,
    Family,
    FamilyStatus,
    Gender,
    LedgerKind,
    Location,
    MeetingPattern,
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
    await settings.change(name=DEMO_STUDIO_NAME, address=DEMO_STUDIO_ADDRESS)
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
        await _seed_catalogue(uow, now)
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
        if not await StaffUser.filter(email=DEMO_STAFF_EMAIL).using_db(uow.connection).exists():
            await StaffUser.create(
                email=DEMO_STAFF_EMAIL,
                name='Demo Admin',
                role=StaffRole.ADMIN,
                password_hash=await passwords.hash_password(DEMO_STAFF_PASSWORD),
                totp_sealed=sealed_secrets.seal(DEMO_STAFF_TOTP_SECRET),
                totp_confirmed=True,
                using_db=uow.connection,
            )
    return True


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


async def _seed_catalogue(uow: UnitOfWork, now: dt.datetime) -> None:
    """One location with two rooms, the coming (or current) spring term, two category trees, five classes and a
    closed day. Nobody is enrolled: enrolment is the next step of issue 15."""
    db = uow.connection
    year = now.year + 1 if now.month >= 6 else now.year
    location = await Location.create(name='Adams Street', address=DEMO_STUDIO_ADDRESS, using_db=db)
    studio_a = await Room.create(location=location, name='Studio A', using_db=db)
    pool = await Room.create(location=location, name='Pool', using_db=db)
    term = await Term.create(
        name=f'Spring {year}',
        starts_on=dt.date(year, 1, 11),
        ends_on=dt.date(year, 5, 29),
        registration_opens_at=dt.datetime(year - 1, 12, 1, 15, 0, tzinfo=dt.UTC),  # 9:00 in Springfield
        early_opens_at=dt.datetime(year - 1, 11, 24, 15, 0, tzinfo=dt.UTC),
        using_db=db,
    )
    dance = await Category.create(name='Dance', using_db=db)
    ballet = await Category.create(name='Ballet', parent=dance, using_db=db)
    level_2 = await Category.create(name='Level 2', parent=ballet, using_db=db)
    swim = await Category.create(name='Swim', using_db=db)
    beginners = await Category.create(name='Beginners', parent=swim, using_db=db)
    running = CourseStatus.ACTIVE if now.date() >= term.starts_on else CourseStatus.FUTURE
    # name, category, room, weekly meetings (weekdays, start, end), capacity, ages in months, tuition, basis
    classes: list[tuple[str, Category, Room, list[tuple[list[int], str, str]], int, tuple, str, TuitionBasis]] = [
        ('Ballet 1', ballet, studio_a, [([1], '16:00', '17:00')], 12, (60, 84), '60.00', TuitionBasis.PER_MONTH),
        ('Ballet 2', level_2, studio_a, [([0, 2], '17:00', '18:00')], 10, (84, 120), '65.00', TuitionBasis.PER_MONTH),
        ('Jazz Funk', dance, studio_a, [([5], '10:00', '11:00')], 16, (96, 168), '240.00', TuitionBasis.PER_TERM),
        ('Tadpoles', beginners, pool, [([5], '09:00', '09:30')], 6, (42, 60), '18.00', TuitionBasis.PER_MEETING),
        ('Minnows', beginners, pool, [([3], '17:00', '17:45')], 6, (60, 96), '18.00', TuitionBasis.PER_MEETING),
    ]
    made: dict[str, Course] = {}
    for name, category, room, meetings, capacity, (youngest, oldest), tuition, basis in classes:
        course = await Course.create(
            name=name,
            description=f'**{name}** at {location.name}, {room.name}.',
            term=term,
            location=location,
            room=room,
            starts_on=term.starts_on,
            ends_on=term.ends_on,
            capacity=capacity,
            min_age_months=youngest,
            max_age_months=oldest,
            age_taken_at=AgeTakenAt.TERM_START,
            prerequisite=made.get('Ballet 1') if name == 'Ballet 2' else None,
            tuition=Decimal(tuition),
            tuition_basis=basis,
            registration_fee=basis == TuitionBasis.PER_MONTH,
            status=CourseStatus.DRAFT if name == 'Minnows' else running,
            shown_to_families=name != 'Minnows',
            self_enrol=name != 'Minnows',
            using_db=db,
        )
        await course.categories.add(category, using_db=db)
        for weekdays, start, end in meetings:
            await MeetingPattern.create(
                course=course,
                weekdays=weekdays,
                start_minute=minute_of_day(dt.time.fromisoformat(start)),
                end_minute=minute_of_day(dt.time.fromisoformat(end)),
                using_db=db,
            )
        made[name] = course
    spring_break = dt.date(year, 3, 22)
    spring_break += dt.timedelta(days=-spring_break.weekday() % 7)  # the Monday on or after, a Ballet 2 day
    await Closure.create(date=spring_break, reason='Spring break', using_db=db)
