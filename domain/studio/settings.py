"""The studio's own settings, read often and changed rarely, so kept in memory between changes.

Every process keeps its own copy. A change is announced on the event bus once it has committed (`CHANGED`,
carried to the other processes by the relay), and each process's `Reloader` then reads the row again: the
database is the truth, the announcement only says when to look.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from domain import audit, clock, events, i18n
from domain.absences import rules as absence_rules
from domain.absences.rules import AbsenceRules, CreditRule, ExpiryRule, MakeupScope, NoticeRule
from domain.access.actors import StaffActor, require_admin
from domain.config import Config
from domain.errors import ValidationFailed
from domain.i18n import N_
from domain.models import OpeningsShown, Policy, SignInMethods, StudioSettings, WaitlistMode
from domain.unit_of_work import UnitOfWork
from domain.validation import Cleaner

CHANGED = 'studio_settings_changed'  # the payload is only a marker
HOLD_MINUTES = (5, 60)  # a checkout keeps its seats at least long enough to read it, and not all evening
FEW_LEFT_AT = (1, 20)
WAITLISTS_PER_CHILD = (1, 10)
WAITLIST_DAYS = (0, 365)  # 0: until the class ends
OFFER_HOURS = (1, 72)
NOTICE_DAYS = (0, 90)  # a drop's notice and a transfer's window
MOST_DROP_REASONS, DROP_REASON_LENGTH = 12, 80
LARGEST_REGISTRATION_FEE = Decimal('10000')
log = logging.getLogger('kinroll.settings')


@dataclass(frozen=True)
class Studio:
    name: str
    timezone: str
    currency: str
    default_language: str
    phone_region: str
    sign_in_methods: SignInMethods
    message_retention_days: int
    policy_renewal_months: int
    allow_prepay: bool
    card_fee_percent: Decimal
    base_url: str  # from the deployment, for links in emails
    address: str = ''  # as it heads a statement, one line per line
    hold_minutes: int = 15  # how long a checkout keeps its seats
    openings_shown: OpeningsShown = OpeningsShown.NUMBER
    few_left_at: int = 3
    registration_fee: Decimal = Decimal('0')  # once per family per session, for classes marked with it
    email_instructor: bool = False  # a class's first instructor hears of each enrolment too
    monthly_tuition: bool = False  # each month's tuition is posted by itself on its first day
    pay_at_checkout: bool = False  # a checkout charges a card on file before it enrols
    waitlists: bool = True  # a full class takes a waitlist
    waitlist_mode: WaitlistMode = WaitlistMode.AUTO_OFFER  # a class's own mode, when it has none
    waitlists_per_child: int = 3
    waitlist_days: int = 90  # how long an entry lasts; 0: until the class ends
    offer_hours: int = 24  # how long an offer keeps its seat, shorter when the class starts soon
    waitlist_position_shown: bool = True
    drop_notice_days: int = 14
    drops_approved: bool = False  # True: a drop request needs no staff decision
    drop_reasons: tuple[str, ...] = ()  # the studio's own; () gives the usual ones (requests.drop_reasons)
    transfer_days: int = 14  # a transfer's date within this many days, or the next two meetings if later
    trials: bool = True  # families may request a trial
    absences: AbsenceRules = field(default_factory=AbsenceRules)  # absences and makeups (issue 17)
    photo_review: bool = False  # a parent's photo of a child waits for staff before it shows (issue 18)
    photo_consent_policy_id: int | None = None  # the policy a parent agrees to before uploading a photo
    news_read_log: bool = False  # each post a family opens is a line in the portal log
    logo_file_id: int | None = None  # the studio's logo, a StoredFile

    @property
    def offers_codes(self) -> bool:
        return self.sign_in_methods in (SignInMethods.BOTH, SignInMethods.CODES)

    @property
    def offers_password(self) -> bool:
        return self.sign_in_methods in (SignInMethods.BOTH, SignInMethods.PASSWORD)


_current: Studio | None = None


async def ensure_settings(config: Config, *, name: str = 'Kinroll Studio') -> Studio:
    """Create the settings row on first start; the deployment's environment wins on every start."""
    values = dict(
        timezone=config.timezone,
        currency=config.currency,
        default_language=config.default_language,
        phone_region=config.phone_region,
    )
    settings = await StudioSettings.first()
    if settings is None:
        settings = await StudioSettings.create(name=name, **values)  # type: ignore[arg-type]
    else:
        await StudioSettings.filter(id=settings.id).update(**values)
        settings = await StudioSettings.get(id=settings.id)
    return _remember(settings, config.base_url)


async def change(*, uow: UnitOfWork | None = None, **values) -> Studio:
    """Staff changing the studio's own settings (sign-in methods, history retention, policy renewal).

    In the caller's unit of work when given one; every process reloads the settings once it has committed.
    """
    if uow is None:
        async with UnitOfWork() as own:
            return await change(uow=own, **values)
    settings = await StudioSettings.first(using_db=uow.connection)
    assert settings is not None, 'settings exist from start-up'
    settings.update_from_dict(values)
    # only the columns changed: two administrators saving different settings at once both keep their change
    await settings.save(using_db=uow.connection, update_fields=list(values) or None)
    studio = _studio_of(settings, current().base_url)
    uow.after_commit(lambda: _keep(studio))  # a rolled-back change leaves this process's copy as it was
    uow.publish_after_commit(CHANGED, None)
    return studio


class Reloader:
    """Keeps this process's copy in step: reloads when any process announces a change, and when the relay has
    (re)subscribed, since a change announced while it was not listening reached nobody here."""

    def __init__(self, bus: events.LocalEventBus) -> None:
        self._bus = bus
        self._unsubscribe: list[Callable[[], None]] = []
        self._reloads: set[asyncio.Task] = set()
        self._one_at_a_time = asyncio.Lock()  # so an older read never lands after a newer one

    def start(self) -> None:
        self._unsubscribe = [
            self._bus.subscribe(topic, self._reload_soon) for topic in (CHANGED, events.RELAY_SUBSCRIBED)
        ]

    async def stop(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []
        await asyncio.gather(*self._reloads, return_exceptions=True)

    def _reload_soon(self, _marker: object) -> None:
        task = asyncio.get_running_loop().create_task(self._reload(), name='settings reload')
        self._reloads.add(task)
        task.add_done_callback(self._reloads.discard)

    async def _reload(self) -> None:
        async with self._one_at_a_time:
            try:
                settings = await StudioSettings.first()
                assert settings is not None, 'settings exist from start-up'
                _remember(settings, current().base_url)
            except Exception:  # the database away for a moment: the next announcement or reconnect tries again
                log.exception('could not reload the studio settings')


def current() -> Studio:
    assert _current is not None, 'ensure_settings runs at start-up'
    return _current


def today() -> dt.date:
    """The date at the studio, which is what a parent means by today."""
    return clock.now().astimezone(ZoneInfo(current().timezone)).date()


def _remember(settings: StudioSettings, base_url: str) -> Studio:
    return _keep(_studio_of(settings, base_url))


def _keep(studio: Studio) -> Studio:
    global _current
    _current = studio
    return studio


def _studio_of(settings: StudioSettings, base_url: str) -> Studio:
    return Studio(
        settings.name,
        settings.timezone,
        settings.currency,
        settings.default_language,
        settings.phone_region,
        settings.sign_in_methods,
        settings.message_retention_days,
        settings.policy_renewal_months,
        settings.allow_prepay,
        Decimal(str(settings.card_fee_percent)),
        base_url,
        settings.address,
        settings.hold_minutes,
        OpeningsShown(settings.openings_shown),
        settings.few_left_at,
        Decimal(str(settings.registration_fee)),
        settings.email_instructor,
        settings.monthly_tuition,
        settings.pay_at_checkout,
        settings.waitlists,
        WaitlistMode(settings.waitlist_mode),
        settings.waitlists_per_child,
        settings.waitlist_days,
        settings.offer_hours,
        settings.waitlist_position_shown,
        settings.drop_notice_days,
        settings.drops_approved,
        tuple(line.strip() for line in settings.drop_reasons.splitlines() if line.strip()),
        settings.transfer_days,
        settings.trials,
        _absence_rules_of(settings),
        settings.photo_review,
        settings.photo_consent_policy_id,
        settings.news_read_log,
        settings.logo_file_id,
    )


def _absence_rules_of(settings: StudioSettings) -> AbsenceRules:
    return AbsenceRules(
        settings.absences_reported,
        CreditRule(settings.makeup_credit),
        NoticeRule(settings.absence_notice),
        settings.absence_notice_hours,
        settings.absence_ahead_days,
        ExpiryRule(settings.credit_expiry),
        settings.credit_expiry_count,
        settings.credits_per_enrolment,
        MakeupScope(settings.makeup_scope),
        settings.makeup_ahead_days,
        settings.makeup_cutoff_hours,
        settings.makeup_cancel_hours,
        settings.makeup_extra_seats,
        settings.closure_credits,
    )


async def update_settings(
    by: StaffActor,
    *,
    sign_in_methods: str,
    message_retention_days: int,
    allow_prepay: bool | None = None,
    card_fee_percent: str | None = None,
    address: str | None = None,
    hold_minutes: int | None = None,
    openings_shown: str | None = None,
    few_left_at: int | None = None,
    registration_fee: str | None = None,
    email_instructor: bool | None = None,
    monthly_tuition: bool | None = None,
    pay_at_checkout: bool | None = None,
    waitlists: bool | None = None,
    waitlist_mode: str | None = None,
    waitlists_per_child: int | None = None,
    waitlist_days: int | None = None,
    offer_hours: int | None = None,
    waitlist_position_shown: bool | None = None,
    drop_notice_days: int | None = None,
    drops_approved: bool | None = None,
    drop_reasons: str | None = None,
    transfer_days: int | None = None,
    trials: bool | None = None,
) -> Studio:
    """An administrator's changes to the studio's settings; a setting left None is left as it is."""
    require_admin(by)
    clean = Cleaner()
    methods = clean.choice('sign_in_methods', sign_in_methods, {m.value for m in SignInMethods})
    if not 1 <= message_retention_days <= 3650:
        clean.fail('message_retention_days', N_('Enter a number of days from 1 to 3650'))
    changes: dict = {'sign_in_methods': methods, 'message_retention_days': message_retention_days}
    if allow_prepay is not None:
        changes['allow_prepay'] = allow_prepay
    if card_fee_percent is not None:
        percent = clean.amount(
            'card_fee_percent',
            str(card_fee_percent).strip() or '0',
            maximum=Decimal('10'),
            zero_allowed=True,
            message=N_('Enter a percentage from 0 to 10, like 2.9'),
        )
        if percent is not None:
            changes['card_fee_percent'] = percent
    if address is not None:
        changes['address'] = clean.text('address', address, max_length=400)
    changes |= _enrolment_changes(
        clean,
        hold_minutes=hold_minutes,
        openings_shown=openings_shown,
        few_left_at=few_left_at,
        registration_fee=registration_fee,
        email_instructor=email_instructor,
    )
    if monthly_tuition is not None:
        changes['monthly_tuition'] = monthly_tuition
    if pay_at_checkout is not None:
        changes['pay_at_checkout'] = pay_at_checkout
    changes |= _request_changes(
        clean,
        waitlist_mode=waitlist_mode,
        counts={
            'waitlists_per_child': waitlists_per_child,
            'waitlist_days': waitlist_days,
            'offer_hours': offer_hours,
            'drop_notice_days': drop_notice_days,
            'transfer_days': transfer_days,
        },
        drop_reasons=drop_reasons,
    )
    switches = {
        'waitlists': waitlists,
        'waitlist_position_shown': waitlist_position_shown,
        'drops_approved': drops_approved,
        'trials': trials,
    }
    changes |= {name: value for name, value in switches.items() if value is not None}
    clean.raise_if_invalid()
    changes['sign_in_methods'] = SignInMethods(methods)
    return await _audited_change(by, changes, 'Studio settings')


async def _audited_change(by: StaffActor, changes: dict, target: str) -> Studio:
    """Save checked changes and audit what they changed (nothing when the form was saved as it was)."""
    async with UnitOfWork() as uow:
        row = await StudioSettings.first(using_db=uow.connection)
        assert row is not None, 'settings exist from start-up'
        old, new = audit.changes({key: getattr(row, key) for key in changes}, changes)
        studio = await change(uow=uow, **changes)
        if new:
            await audit.record(uow, by, 'settings_changed', target, old, new)
    return studio


def _enrolment_changes(
    clean: Cleaner,
    *,
    hold_minutes: int | None,
    openings_shown: str | None,
    few_left_at: int | None,
    registration_fee: str | None,
    email_instructor: bool | None,
) -> dict:
    """How enrolling works at the studio: the checkout's hold, how openings read, the registration fee."""
    changes: dict = {}
    _count_within(
        clean, changes, 'hold_minutes', hold_minutes, HOLD_MINUTES, N_('Enter a number of minutes from 5 to 60')
    )
    if openings_shown is not None:
        shown = clean.choice('openings_shown', openings_shown, {o.value for o in OpeningsShown})
        if 'openings_shown' not in clean.errors:
            changes['openings_shown'] = OpeningsShown(shown)
    _count_within(clean, changes, 'few_left_at', few_left_at, FEW_LEFT_AT, N_('Enter a number of places from 1 to 20'))
    if registration_fee is not None:
        fee = clean.amount(
            'registration_fee',
            str(registration_fee).strip() or '0',
            maximum=LARGEST_REGISTRATION_FEE,
            zero_allowed=True,
            too_much=N_('This is more than a registration fee can be'),
            decimals=min(i18n.minor_units(current().currency), 2),
        )
        if fee is not None:
            changes['registration_fee'] = fee
    if email_instructor is not None:
        changes['email_instructor'] = email_instructor
    return changes


_REQUEST_COUNTS = {
    'waitlists_per_child': (WAITLISTS_PER_CHILD, N_('Enter a number of waitlists from 1 to 10')),
    'waitlist_days': (WAITLIST_DAYS, N_('Enter a number of days from 0 to 365')),
    'offer_hours': (OFFER_HOURS, N_('Enter a number of hours from 1 to 72')),
    'drop_notice_days': (NOTICE_DAYS, N_('Enter a number of days from 0 to 90')),
    'transfer_days': (NOTICE_DAYS, N_('Enter a number of days from 0 to 90')),
}


def _request_changes(
    clean: Cleaner, *, waitlist_mode: str | None, counts: dict[str, int | None], drop_reasons: str | None
) -> dict:
    """Waitlists, drops, transfers and trials: the counts within their bounds, the default offer mode, and the
    drop reasons one per line (blank lines dropped; none at all gives the usual reasons)."""
    changes: dict = {}
    for name, value in counts.items():
        bounds, message = _REQUEST_COUNTS[name]
        _count_within(clean, changes, name, value, bounds, message)
    if waitlist_mode is not None:
        mode = clean.choice('waitlist_mode', waitlist_mode, {m.value for m in WaitlistMode})
        if 'waitlist_mode' not in clean.errors:
            changes['waitlist_mode'] = WaitlistMode(mode).value
    if drop_reasons is not None:
        text = clean.text('drop_reasons', drop_reasons, max_length=MOST_DROP_REASONS * (DROP_REASON_LENGTH + 1))
        lines = list(dict.fromkeys(' '.join(line.split()) for line in text.splitlines() if line.strip()))
        if len(lines) > MOST_DROP_REASONS:
            clean.fail('drop_reasons', N_('Enter at most 12 reasons, one per line'))
        elif any(len(line) > DROP_REASON_LENGTH for line in lines):
            clean.fail('drop_reasons', N_('Keep each reason to 80 characters'))
        elif 'drop_reasons' not in clean.errors:
            changes['drop_reasons'] = '\n'.join(lines)
    return changes


def _count_within(
    clean: Cleaner, changes: dict, name: str, value: int | None, bounds: tuple[int, int], message: str
) -> None:
    """A count typed by hand, kept when within its bounds and refused beside its field when not."""
    if value is None:
        return
    least, most = bounds
    if least <= value <= most:
        changes[name] = value
    else:
        clean.fail(name, message)


# Absences and makeups (issue 17): the settings row's columns for each of AbsenceRules' fields
_ABSENCE_COLUMNS = {
    'reported': 'absences_reported',
    'credit': 'makeup_credit',
    'notice': 'absence_notice',
    'notice_hours': 'absence_notice_hours',
    'ahead_days': 'absence_ahead_days',
    'expiry': 'credit_expiry',
    'expiry_count': 'credit_expiry_count',
    'per_enrolment': 'credits_per_enrolment',
    'scope': 'makeup_scope',
    'makeup_ahead_days': 'makeup_ahead_days',
    'cutoff_hours': 'makeup_cutoff_hours',
    'cancel_hours': 'makeup_cancel_hours',
    'extra_seats': 'makeup_extra_seats',
    'closure_credits': 'closure_credits',
}
_ABSENCE_CHOICES = {'credit': CreditRule, 'notice': NoticeRule, 'expiry': ExpiryRule, 'scope': MakeupScope}
_ABSENCE_COUNTS = {
    'notice_hours': (absence_rules.NOTICE_HOURS, N_('Enter a number of hours from 0 to 72')),
    'ahead_days': (absence_rules.AHEAD_DAYS, N_('Enter a number of days from 1 to 365')),
    'expiry_count': (absence_rules.EXPIRY_COUNT, N_('Enter a number from 1 to 365')),
    'per_enrolment': (absence_rules.CREDITS_PER_ENROLMENT, N_('Enter a number from 1 to 20')),
    'makeup_ahead_days': (absence_rules.MAKEUP_AHEAD_DAYS, N_('Enter a number of days from 1 to 180')),
    'cutoff_hours': (absence_rules.CUTOFF_HOURS, N_('Enter a number of hours from 0 to 72')),
    'cancel_hours': (absence_rules.CANCEL_HOURS, N_('Enter a number of hours from 0 to 168')),
    'extra_seats': (absence_rules.EXTRA_SEATS, N_('Enter a number from 0 to 20')),
}


async def update_absence_rules(by: StaffActor, **values: object) -> Studio:
    """An administrator's changes to the rules for absences and makeups, named as AbsenceRules' fields; a field
    not given is left as it is. Every count is checked against its bounds and every choice against its list
    before anything is saved, and each bad one is named beside its field."""
    require_admin(by)
    clean = Cleaner()
    changes: dict = {}
    for name, value in values.items():
        if name not in _ABSENCE_COLUMNS:
            raise TypeError(f'no absence rule {name!r}')
        column = _ABSENCE_COLUMNS[name]
        if name in _ABSENCE_CHOICES:
            choice = clean.choice(name, str(value), {c.value for c in _ABSENCE_CHOICES[name]})
            if name not in clean.errors:
                changes[column] = choice
        elif name in _ABSENCE_COUNTS:
            (least, most), message = _ABSENCE_COUNTS[name]
            # an empty field (None), 2.5 or True is no count
            if isinstance(value, int) and not isinstance(value, bool) and least <= value <= most:
                changes[column] = value
            else:
                clean.fail(name, message)
        elif isinstance(value, bool):
            changes[column] = value
        else:
            clean.fail(name, N_('Choose one of the options'))
    clean.raise_if_invalid()
    return await _audited_change(by, changes, 'Absences and makeups')


async def update_sharing(
    by: StaffActor,
    *,
    photo_review: bool | None = None,
    photo_consent_policy_id: int | str | None = '',
    news_read_log: bool | None = None,
) -> Studio:
    """An administrator's choices for photos and news (issue 18); a choice not given is left as it is, and
    `photo_consent_policy_id=None` stops asking for a consent. The logo is changed by photos.set_logo."""
    require_admin(by)
    changes: dict = {}
    if photo_review is not None:
        changes['photo_review'] = bool(photo_review)
    if news_read_log is not None:
        changes['news_read_log'] = bool(news_read_log)
    if photo_consent_policy_id != '':
        if (
            photo_consent_policy_id is not None
            and not await Policy.filter(id=photo_consent_policy_id, retired_at__isnull=True).exists()
        ):
            raise ValidationFailed({'photo_consent_policy_id': N_('Choose one of the options')})
        changes['photo_consent_policy_id'] = photo_consent_policy_id
    return await _audited_change(by, changes, 'Photos and news')
