"""Cleaning what people type into values worth storing. Each cleaner records a message per field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from domain.errors import ValidationFailed
from domain.i18n import N_

EARLIEST_BIRTHDATE = dt.date(1900, 1, 1)
CENT = Decimal('0.01')
# Beside an email field whose address a contact or a staff member already has: one sign-in per address.
EMAIL_TAKEN = N_('This email address is already in use. Use another one.')


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
        value = ' '.join(value.split())
        if required and not value:
            self.fail(field, N_('This field is required'))
        elif len(value) > max_length:
            self.fail(field, N_('This is too long'))
        return value

    def text(self, field: str, value: str, *, max_length: int = 2000) -> str:
        value = value.strip()
        if len(value) > max_length:
            self.fail(field, N_('This is too long'))
        return value

    def email(self, field: str, value: str, *, required: bool = False) -> str | None:
        value = value.strip()
        if not value:
            if required:
                self.fail(field, N_('Enter your email address: it is how you sign in'))
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
    ) -> Decimal | None:
        """A typed decimal amount, to the cent: a finite number with at most two decimals, more than zero (or,
        `zero_allowed`, at least zero) and at most `maximum`; a comma may stand for the decimal point.

        Each refusal has its own message, unless `message` gives one for all. None when refused.
        """
        try:
            amount = Decimal(typed if isinstance(typed, Decimal) else typed.strip().replace(',', '.'))
        except InvalidOperation:
            amount = Decimal('NaN')
        refusal = None
        if not amount.is_finite():
            refusal = N_('Enter an amount, like 25.00')
        elif _beyond_cents(amount):
            refusal = N_('Use at most two decimals')
        elif amount < 0 or (amount == 0 and not zero_allowed):
            refusal = N_('Enter an amount greater than zero')
        elif amount > maximum:
            refusal = too_much
        if refusal:
            self.fail(field, message or refusal)
            return None
        return amount.quantize(CENT)


def _beyond_cents(amount: Decimal) -> bool:
    """Whether a finite amount has a digit other than zero after its cents (10.000 has none, 10.001 has)."""
    _sign, digits, exponent = amount.as_tuple()
    assert isinstance(exponent, int), 'a finite amount has a numeric exponent'
    return exponent < -2 and any(digits[exponent + 2 :])


def display_phone(e164: str | None) -> str:
    """An E.164 number written the way people read it."""
    if not e164:
        return ''
    number = phonenumbers.parse(e164)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
