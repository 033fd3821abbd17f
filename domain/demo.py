"""A demo studio to look around in: families, participants, contacts, balances and a portal-log history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from . import access, billing, portal_log, studio
from .models import Contact, Family, FamilyStatus, Gender, LedgerKind, Participant, StaffRole, StaffUser
from .portal_log import LogSubject
from .unit_of_work import UnitOfWork

DEMO_PARENT_EMAIL = 'mbestie@example.com'
DEMO_PARENT_PASSWORD = 'BestTraining1'
DEMO_STAFF_EMAIL = 'admin@example.com'
DEMO_STAFF_PASSWORD = 'DemoStaff-2026'
DEMO_STAFF_TOTP_SECRET = 'KINROLLDEMOSTAFFSECRETXX'  # fixed, so an authenticator app can be set up once
DEMO_STUDIO_NAME = 'Best Training Dance & Gym'

_FAMILIES = [
    {
        'name': 'Bestie', 'status': FamilyStatus.ACTIVE,
        'contacts': [
            dict(first_name='Mary', last_name='Bestie', email=DEMO_PARENT_EMAIL, mobile_phone='+13125550101',
                 address1='12 Elm Street', city='Springfield', state='IL', postal_code='62701',
                 is_primary=True, is_billing=True, can_pick_up=True, relationship='Mother'),
            dict(first_name='Mark', last_name='Bestie', email='mark.bestie@example.com', mobile_phone='+13125550102',
                 can_pick_up=True, is_emergency=True, relationship='Father'),
            dict(first_name='June', last_name='Porter', mobile_phone='+13125550103', can_pick_up=True,
                 is_emergency=True, relationship='Grandmother', allow_login=False),
        ],
        'participants': [
            dict(first_name='Ava', last_name='Bestie', birthdate=dt.date(2014, 5, 2), gender=Gender.FEMALE,
                 allergies='Peanuts'),
            dict(first_name='Leo', last_name='Bestie', birthdate=dt.date(2017, 9, 21), gender=Gender.MALE),
            dict(first_name='Nora', last_name='Bestie', birthdate=dt.date(2020, 1, 14), gender=Gender.FEMALE),
        ],
        'ledger': [(LedgerKind.FEE, '95.00', 'Ballet I — October tuition', 52), (LedgerKind.FEE, '80.00', 'Tumbling — October tuition', 52),
                   (LedgerKind.PAYMENT, '175.00', 'Payment — thank you', 45),
                   (LedgerKind.FEE, '95.00', 'Ballet I — November tuition', 21), (LedgerKind.FEE, '80.00', 'Tumbling — November tuition', 21),
                   (LedgerKind.FEE, '35.00', 'Recital costume', 10), (LedgerKind.CREDIT, '15.00', 'Sibling discount', 10)],
    },
    {
        'name': 'Ager', 'status': FamilyStatus.ACTIVE,
        'contacts': [dict(first_name='Holly', last_name='Ager', email='hollyager41@example.com',
                          mobile_phone='+13125550141', is_primary=True, is_billing=True, can_pick_up=True,
                          relationship='Mother')],
        'participants': [dict(first_name='Barbie', last_name='Ager', birthdate=dt.date(2010, 11, 17),
                              gender=Gender.FEMALE)],
        'ledger': [(LedgerKind.FEE, '60.00', 'Aerial Workshop', 12)],
    },
    {
        'name': 'Gunnar', 'status': FamilyStatus.ACTIVE,
        'contacts': [dict(first_name='Deanne', last_name='Gunnar', email='dgunnar@example.com',
                          mobile_phone='+13125550151', is_primary=True, is_billing=True, relationship='Mother')],
        'participants': [dict(first_name='Erik', last_name='Gunnar', birthdate=dt.date(2015, 3, 3), gender=Gender.MALE),
                         dict(first_name='Ingrid', last_name='Gunnar', birthdate=dt.date(2012, 7, 30), gender=Gender.FEMALE)],
        'ledger': [(LedgerKind.FEE, '115.95', 'Swim Level 2 — November', 20), (LedgerKind.PAYMENT, '115.95', 'Card payment — Visa 0008', 13)],
    },
    {
        'name': 'Brown', 'status': FamilyStatus.ACTIVE,
        'contacts': [dict(first_name='Gabby', last_name='Brown', email='gbarrett@example.com',
                          is_primary=True, is_billing=True, relationship='Mother')],
        'participants': [dict(first_name='Mia', last_name='Brown', birthdate=dt.date(2016, 2, 8), gender=Gender.FEMALE)],
        'ledger': [],
    },
    {
        'name': 'Lopez', 'status': FamilyStatus.LEAD,
        'contacts': [dict(first_name='Rosa', last_name='Lopez', email='rlopez@example.com', is_primary=True)],
        'participants': [dict(first_name='Sofia', last_name='Lopez', gender=Gender.FEMALE)],
        'ledger': [],
    },
]

_HISTORY = [  # (family, days ago, minutes, message) in the lesson's wording
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
    await studio.change(name=DEMO_STUDIO_NAME)
    password_hash = await access.hash_password(DEMO_PARENT_PASSWORD)
    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    primaries: dict[str, Contact] = {}
    async with UnitOfWork() as uow:
        for spec in _FAMILIES:
            family = await Family.create(name=spec['name'], status=spec['status'], using_db=uow.connection)
            for contact_spec in spec['contacts']:
                has_login = bool(contact_spec.get('email'))
                contact = await Contact.create(family=family, password_hash=password_hash if has_login else None,
                                               using_db=uow.connection, **contact_spec)
                primaries.setdefault(family.name, contact)
            for participant_spec in spec['participants']:
                await Participant.create(family=family, using_db=uow.connection, **participant_spec)
            for kind, amount, description, days_ago in spec['ledger']:
                await billing.post_entry(family.id, kind, Decimal(amount), description,
                                         posted_at=now - dt.timedelta(days=days_ago), using_db=uow.connection)
        for family_name, days_ago, minutes, message in _HISTORY:
            contact = primaries[family_name]
            subject = LogSubject.of(contact)
            kind = {'Login': 'login_success', 'Incorrect': 'login_failed'}.get(message.split()[0], 'history')
            await portal_log.record(uow, subject, kind, message,
                                    occurred_at=now - dt.timedelta(days=days_ago, minutes=-minutes))
        if not await StaffUser.filter(email=DEMO_STAFF_EMAIL).using_db(uow.connection).exists():
            await StaffUser.create(email=DEMO_STAFF_EMAIL, name='Demo Admin', role=StaffRole.ADMIN,
                                   password_hash=await access.hash_password(DEMO_STAFF_PASSWORD),
                                   totp_secret=DEMO_STAFF_TOTP_SECRET, totp_confirmed=True, using_db=uow.connection)
    return True
