"""Kinroll's stored records, one module per area. Times are UTC, money is Decimal, phones are E.164.

Every model is re-exported here: Tortoise finds the app's models in this one module, and the committed
migrations name them by app label only. Columns added after the first release carry a db_default too:
SQLite cannot add a NOT NULL column to a table that has rows without one.
"""

from domain.models.access import AccessCode, CodePurpose, PasswordReset, PortalSession, StaffRole, StaffUser
from domain.models.audit import StaffAuditEntry
from domain.models.billing import LedgerEntry, LedgerKind, Payment, PaymentStatus, SavedCard
from domain.models.classes import (
    AgeTakenAt,
    Category,
    Closure,
    Course,
    CourseStatus,
    GenderRule,
    Location,
    MeetingPattern,
    Room,
    Term,
    TuitionBasis,
)
from domain.models.family import (
    AddressChange,
    Contact,
    ContactRole,
    Family,
    FamilyStatus,
    Gender,
    Participant,
    full_name,
)
from domain.models.log import PortalEvent
from domain.models.messages import Channel, DeliveryStatus, OutboxMessage
from domain.models.registration import (
    Agreement,
    Answer,
    Policy,
    PolicyVersion,
    Question,
    QuestionKind,
    QuestionScope,
    RegistrationDraft,
)
from domain.models.studio import SignInMethods, StudioSettings

__all__ = [
    'AccessCode',
    'AddressChange',
    'AgeTakenAt',
    'Agreement',
    'Answer',
    'Category',
    'Channel',
    'Closure',
    'CodePurpose',
    'Contact',
    'ContactRole',
    'Course',
    'CourseStatus',
    'DeliveryStatus',
    'Family',
    'FamilyStatus',
    'Gender',
    'GenderRule',
    'LedgerEntry',
    'LedgerKind',
    'Location',
    'MeetingPattern',
    'OutboxMessage',
    'Participant',
    'PasswordReset',
    'Payment',
    'PaymentStatus',
    'Policy',
    'PolicyVersion',
    'PortalEvent',
    'PortalSession',
    'Question',
    'QuestionKind',
    'QuestionScope',
    'RegistrationDraft',
    'Room',
    'SavedCard',
    'SignInMethods',
    'StaffAuditEntry',
    'StaffRole',
    'StaffUser',
    'StudioSettings',
    'Term',
    'TuitionBasis',
    'full_name',
]
