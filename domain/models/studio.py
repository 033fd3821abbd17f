"""The studio's own settings row."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class SignInMethods(StrEnum):
    BOTH = 'both'
    CODES = 'codes'
    PASSWORD = 'password'


class OpeningsShown(StrEnum):
    NUMBER = 'number'  # "4 openings"
    STATUS = 'status'  # OPEN, "few left" or FULL


class StudioSettings(Model):
    """The one row of settings that belong to the studio rather than to the deployment."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120)
    timezone = fields.CharField(max_length=64)
    currency = fields.CharField(max_length=3)
    default_language = fields.CharField(max_length=8)
    phone_region = fields.CharField(max_length=2)
    sign_in_methods = fields.CharEnumField(
        SignInMethods, max_length=16, default=SignInMethods.BOTH, db_default=SignInMethods.BOTH
    )
    message_retention_days = fields.IntField(default=180, db_default=180)
    policy_renewal_months = fields.IntField(default=12, db_default=12)
    allow_prepay = fields.BooleanField(default=False, db_default=False)
    card_fee_percent = fields.DecimalField(max_digits=5, decimal_places=2, default=0, db_default=0)
    address = fields.TextField(default='', db_default='')  # as it heads a statement, one line per line
    # Enrolment (issue 15)
    hold_minutes = fields.SmallIntField(default=15, db_default=15)  # how long a checkout keeps its seats
    openings_shown = fields.CharEnumField(
        OpeningsShown, max_length=8, default=OpeningsShown.NUMBER, db_default=OpeningsShown.NUMBER
    )
    few_left_at = fields.SmallIntField(default=3, db_default=3)  # "few left" from this many openings down
    registration_fee = fields.DecimalField(max_digits=10, decimal_places=2, default=0, db_default=0)
    pay_at_checkout = fields.BooleanField(default=False, db_default=False)  # enrolment waits for the payment
    email_instructor = fields.BooleanField(default=False, db_default=False)  # the first instructor hears too
    monthly_tuition = fields.BooleanField(default=False, db_default=False)  # posted by itself each month
    # Waitlists, drops, transfers and trials (issue 16)
    waitlists = fields.BooleanField(default=True, db_default=True)  # a full class takes a waitlist
    waitlist_mode = fields.CharField(max_length=16, default='auto_offer', db_default='auto_offer')
    waitlists_per_child = fields.SmallIntField(default=3, db_default=3)
    waitlist_days = fields.SmallIntField(default=90, db_default=90)  # how long an entry lasts; 0: until the class ends
    offer_hours = fields.SmallIntField(default=24, db_default=24)  # how long an offer keeps its seat
    waitlist_position_shown = fields.BooleanField(default=True, db_default=True)
    drop_notice_days = fields.SmallIntField(default=14, db_default=14)
    drops_approved = fields.BooleanField(default=False, db_default=False)  # True: no staff decision needed
    drop_reasons = fields.TextField(default='', db_default='')  # one per line; '' gives the usual reasons
    transfer_days = fields.SmallIntField(default=14, db_default=14)  # or the next two meetings, if later
    trials = fields.BooleanField(default=True, db_default=True)
    # Absences and makeups (issue 17); the choices' names are domain/absences/rules.py's
    absences_reported = fields.BooleanField(default=True, db_default=True)  # parents may report absences
    makeup_credit = fields.CharField(max_length=16, default='in_time', db_default='in_time')  # never, always…
    absence_notice = fields.CharField(max_length=16, default='hours', db_default='hours')  # or 'day_before'
    absence_notice_hours = fields.SmallIntField(default=2, db_default=2)
    absence_ahead_days = fields.SmallIntField(default=60, db_default=60)
    credit_expiry = fields.CharField(max_length=16, default='months', db_default='months')  # none, days…
    credit_expiry_count = fields.SmallIntField(default=3, db_default=3)
    credits_per_enrolment = fields.SmallIntField(default=2, db_default=2)  # held at once, per class
    makeup_scope = fields.CharField(max_length=16, default='same_type', db_default='same_type')
    makeup_ahead_days = fields.SmallIntField(default=30, db_default=30)
    makeup_cutoff_hours = fields.SmallIntField(default=2, db_default=2)  # booked until this long before
    makeup_cancel_hours = fields.SmallIntField(default=24, db_default=24)  # cancelled, credit back, until
    makeup_extra_seats = fields.SmallIntField(default=0, db_default=0)  # beyond capacity, for makeups only
    closure_credits = fields.BooleanField(default=False, db_default=False)  # a closure credits the enrolled
    # What the studio shares (issue 18)
    photo_review = fields.BooleanField(default=False, db_default=False)  # a parent's photo waits for staff
    photo_consent_policy_id = fields.IntField(null=True)  # asked before a photo is uploaded, when set
    news_read_log = fields.BooleanField(default=False, db_default=False)  # "News read" lines in the portal log
    logo_file_id = fields.IntField(null=True)  # a StoredFile, PNG re-encoded, shown beside the studio's name

    class Meta:
        table = 'studio_settings'
