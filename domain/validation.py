"""Cleaning what people type into values worth storing. Each cleaner records a message per field."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from domain.errors import ValidationFailed
from domain.i18n import N_

EARLIEST_BIRTHDATE = dt.date(1900, 1, 1)
CENT = Decimal('0.01')
# Beside an email field whose address a contact or a staff member already has: one sign-in per address.
EMAIL_TAKEN = N_('This email address is already in use. Use another one.')
MAX_EMAIL_LENGTH = 254  # the most an address may have (RFC 5321), and what its columns hold
ENTER_MOMENT = N_('Enter the date and time as year-month-day hours:minutes')
HIDDEN_CHARACTERS = N_('This contains hidden characters that cannot be saved. Please type it again.')

# Refused in anything typed: characters that change how the text around them is shown (the bidirectional
# embeddings, overrides, isolates and marks) and could make a name read differently in the staff console.
_DIRECTION_CONTROLS = frozenset('\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069')
# Characters that show nothing. Inside a value they may be needed (a zero-width non-joiner between two Persian
# or Devanagari letters), at its ends they are dropped, and a value of nothing else is empty.
_INVISIBLE = frozenset(
    '\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\u2800\u3164\ufeff\uffa0'
)


class Cleaner:
    """Collects field errors so a form reports all of them at once, then raises before anything is written."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def fail(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def raise_if_invalid(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)

    def name(self, field: str, value: str, *, required: bool = True, max_length: int = 80) -> str:
        """One line of typed text (a name, an address line): composed (NFC), its spaces collapsed.

        A tab or line break pasted into it is a space; any other control character, and every text-direction
        control, is refused. A value of nothing but invisible characters is empty.
        """
        value = unicodedata.normalize('NFC', value)
        if _hidden(value, keep='\t\n\r'):
            self.fail(field, HIDDEN_CHARACTERS)
            return value
        return self._checked(field, _trimmed(' '.join(value.split())), required=required, max_length=max_length)

    def text(self, field: str, value: str, *, required: bool = False, max_length: int = 2000) -> str:
        """Several lines of typed text (a note, an answer): as `name`, but its lines and tabs kept as typed."""
        value = unicodedata.normalize('NFC', value).replace('\r\n', '\n').replace('\r', '\n')
        if _hidden(value, keep='\t\n'):
            self.fail(field, HIDDEN_CHARACTERS)
            return value
        return self._checked(field, _trimmed(value), required=required, max_length=max_length)

    def _checked(self, field: str, value: str, *, required: bool, max_length: int) -> str:
        if not _shows_something(value):
            value = ''
        if required and not value:
            self.fail(field, N_('This field is required'))
        elif len(value) > max_length:
            self.fail(field, N_('This is too long'))
        return value

    def postal_code(self, field: str, value: str, *, country: str) -> str:
        """A ZIP or postal code as the studio's country writes them (upper case, its one space where it has one);
        for a country without a pattern here, any short run of letters, digits, spaces and hyphens.

        Full-width digits and letters, as a Chinese or Japanese keyboard types them, are read as plain ones.
        """
        value = ' '.join(unicodedata.normalize('NFKC', value).split()).upper()
        if not value:
            return ''
        pattern, message, written = _POSTAL_CODES.get(country.upper(), _ANY_POSTAL_CODE)
        match = pattern.fullmatch(value) if len(value) <= _MAX_POSTAL_LENGTH else None
        if match is None:
            self.fail(field, message)
            return value
        return written(match)

    def email(self, field: str, value: str, *, required: bool = False) -> str | None:
        value = value.strip()
        if not value:
            if required:
                self.fail(field, N_('Enter your email address: it is how you sign in'))
            return None
        if len(value) > MAX_EMAIL_LENGTH:  # refused unread: the validator takes a quarter second for 900 KB
            self.fail(field, N_('Enter a valid email address, like name@example.com'))
            return None
        try:
            return validate_email(value, check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            self.fail(field, N_('Enter a valid email address, like name@example.com'))
            return None

    def phone(self, field: str, value: str, *, region: str) -> str | None:
        value = value.strip()
        if not value:
            return None
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            self.fail(field, N_('Enter a valid phone number, with the area code'))
            return None
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def birthdate(self, field: str, value: str | dt.date | None, *, today: dt.date) -> dt.date | None:
        if value in (None, ''):
            return None
        if isinstance(value, dt.date):
            day = value
        else:
            try:
                day = dt.date.fromisoformat(value.strip())
            except ValueError:
                self.fail(field, N_('Enter the date as year-month-day'))
                return None
        if day > today:
            self.fail(field, N_('A birthdate cannot be in the future'))
        elif day < EARLIEST_BIRTHDATE:
            self.fail(field, N_('A birthdate must be in 1900 or later'))
        return day

    def moment(
        self, field: str, value: str | dt.datetime | None, *, timezone: str, required: bool = False
    ) -> dt.datetime | None:
        """A moment typed on the studio's clock (`timezone`), or given with its zone, kept in UTC; None when left
        empty (and not required)."""
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(field, N_('This field is required'))
            return None
        try:
            moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value.strip())
        except ValueError:
            self.fail(field, ENTER_MOMENT)
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo(timezone))
        return moment.astimezone(dt.UTC)

    def choice(self, field: str, value: str, allowed: set[str]) -> str:
        if value not in allowed:
            self.fail(field, N_('Choose one of the options'))
        return value

    def amount(
        self,
        field: str,
        typed: str | Decimal,
        *,
        maximum: Decimal,
        zero_allowed: bool = False,
        too_much: str = N_('This is too much for one payment'),
        message: str | None = None,
        decimals: int = 2,
    ) -> Decimal | None:
        """A typed decimal amount, to the cent: a finite number with at most two decimals (`decimals`: 0 for a
        currency without cents, such as yen), more than zero (or, `zero_allowed`, at least zero) and at most
        `maximum`; a comma may stand for the decimal point.

        Each refusal has its own message, unless `message` gives one for all. None when refused.
        """
        try:
            amount = Decimal(typed if isinstance(typed, Decimal) else typed.strip().replace(',', '.'))
        except InvalidOperation:
            amount = Decimal('NaN')
        refusal = None
        if not amount.is_finite():
            refusal = N_('Enter an amount, like 25.00')
        elif _beyond(amount, decimals):
            refusal = N_('Use at most two decimals') if decimals else N_('Enter a whole amount, without decimals')
        elif amount < 0 or (amount == 0 and not zero_allowed):
            refusal = N_('Enter an amount greater than zero')
        elif amount > maximum:
            refusal = too_much
        if refusal:
            self.fail(field, message or refusal)
            return None
        return amount.quantize(CENT if decimals else Decimal(1))


_EDGE = f'[\\s{"".join(sorted(_INVISIBLE))}]+'
_EDGES = re.compile(f'^{_EDGE}|{_EDGE}$')


def _hidden(value: str, *, keep: str) -> bool:
    """Whether the text holds a control character other than those in `keep`, a text-direction control, or half
    of a surrogate pair (which no database can store)."""
    return any(
        char in _DIRECTION_CONTROLS or (unicodedata.category(char) in ('Cc', 'Cs') and char not in keep)
        for char in value
    )


def _shows_nothing(char: str) -> bool:
    return char.isspace() or char in _INVISIBLE or unicodedata.category(char) == 'Cf'


def _shows_something(value: str) -> bool:
    return not all(_shows_nothing(char) for char in value)


def _trimmed(value: str) -> str:
    """Without spaces or invisible characters at either end."""
    return _EDGES.sub('', value)


def storable(value: str, *, max_length: int) -> bool:
    """Whether typed text could be a value Kinroll stores: at most `max_length` characters, and no control or
    text-direction character or half of a surrogate pair (PostgreSQL refuses a NUL and cannot encode a half)."""
    return len(value) <= max_length and not _hidden(value, keep='')


def for_the_log(value: str, length: int = 60) -> str:
    """Typed text as a log line may quote it: at most `length` characters, with an ellipsis when cut, and any
    character `storable` refuses shown as �."""
    shown = ''.join('\ufffd' if _hidden(char, keep='') else char for char in value[:length])
    return shown if len(value) <= length else shown + '…'


_MAX_POSTAL_LENGTH = 12
# For each country: the pattern (plain digits and capitals only), the message beside a code it refuses, and how
# a code it matched is written.
_POSTAL_CODES = {
    'US': (
        re.compile(r'([0-9]{5})(?:[- ]?([0-9]{4}))?'),
        N_('Enter a ZIP code of 5 digits (or 5+4), like 62701'),
        lambda m: m[1] + (f'-{m[2]}' if m[2] else ''),
    ),
    'CA': (
        re.compile(r'([ABCEGHJ-NPRSTVXY][0-9][ABCEGHJ-NPRSTV-Z]) ?([0-9][ABCEGHJ-NPRSTV-Z][0-9])'),
        N_('Enter a postal code like K1A 0B1'),
        lambda m: f'{m[1]} {m[2]}',
    ),
    'GB': (
        re.compile(
            r'(GIR|[A-PR-UWYZ](?:[0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRV-Y]?))'  # the outward code
            r' ?([0-9][ABD-HJLNP-UW-Z]{2})'  # and the inward one
        ),
        N_('Enter a postcode like SW1A 1AA'),
        lambda m: f'{m[1]} {m[2]}',
    ),
    'AU': (re.compile(r'[0-9]{4}'), N_('Enter a postcode of 4 digits, like 2000'), lambda m: m[0]),
}
_ANY_POSTAL_CODE = (
    re.compile(r'[0-9A-Z](?:[0-9A-Z -]*[0-9A-Z])?'),
    N_('Enter a postal code of letters and digits'),
    lambda m: m[0],
)


def _beyond(amount: Decimal, decimals: int) -> bool:
    """Whether a finite amount has a digit other than zero after its last allowed decimal (with two, 10.000 has
    none and 10.001 has)."""
    _sign, digits, exponent = amount.as_tuple()
    assert isinstance(exponent, int), 'a finite amount has a numeric exponent'
    return exponent < -decimals and any(digits[exponent + decimals :])


def display_phone(e164: str | None) -> str:
    """An E.164 number written the way people read it."""
    if not e164:
        return ''
    number = phonenumbers.parse(e164)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
