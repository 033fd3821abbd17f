"""A card as a parent types it, and what can be told about it before any processor sees it.

A wrong digit or a past expiry is caught here, on the review, beside its field: the processor would refuse the
same card after "Pay", when the parent has already decided. The processor still checks on its own.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from domain.i18n import N_
from domain.validation import Cleaner

CARD_ERRORS = {
    'number': N_('Check the card number'),
    'expiry': N_('Enter a valid expiry date, like 08/29'),
    'cvc': N_('Enter the 3 or 4 digit security code'),
}
EXPIRED = N_('The card has expired.')
LONGEST_VALIDITY_YEARS = 20


@dataclass(frozen=True)
class TypedCard:
    """A card typed into the portal's form; it lives only as long as the request."""

    number: str
    expiry: str  # MM/YY
    cvc: str

    def __repr__(self) -> str:  # never in a log or a traceback
        return 'TypedCard(…)'


@dataclass(frozen=True)
class CardDetails:
    """A typed card read into its parts, each of which can be right."""

    number: str  # digits only
    exp_month: int
    exp_year: int
    cvc: str

    def __repr__(self) -> str:
        return 'CardDetails(…)'


def luhn_ok(number: str) -> bool:
    """The check digit every card number carries, which catches a mistyped or swapped digit."""
    digits = [int(d) for d in number]
    odd = digits[-1::-2]
    even = [sum(divmod(2 * d, 10)) for d in digits[-2::-2]]
    return (sum(odd) + sum(even)) % 10 == 0


def check(clean: Cleaner, card: TypedCard, *, today: dt.date) -> CardDetails | None:
    """The card's parts, or None with each field that cannot be right failed on `clean` (`card_number`,
    `card_expiry`, `card_cvc`). `today` is the studio's: a card expires at the end of its month."""
    digits = re.sub(r'[\s-]', '', card.number)
    if not (digits.isdigit() and 12 <= len(digits) <= 19 and luhn_ok(digits)):
        clean.fail('card_number', CARD_ERRORS['number'])
    expiry = expiry_of(card.expiry)
    if expiry is None or expiry[1] > today.year + LONGEST_VALIDITY_YEARS:
        clean.fail('card_expiry', CARD_ERRORS['expiry'])
    elif (expiry[1], expiry[0]) < (today.year, today.month):
        clean.fail('card_expiry', EXPIRED)
    cvc = card.cvc.strip()
    if not (cvc.isdigit() and len(cvc) in (3, 4)):
        clean.fail('card_cvc', CARD_ERRORS['cvc'])
    if any(field in clean.errors for field in ('card_number', 'card_expiry', 'card_cvc')) or expiry is None:
        return None
    return CardDetails(digits, expiry[0], expiry[1], cvc)


def expiry_of(typed: str) -> tuple[int, int] | None:
    """(month, four-digit year) of an expiry typed as MM/YY or MM/YYYY, or None."""
    match = re.fullmatch(r'\s*(\d{1,2})\s*/\s*(\d{2}|\d{4})\s*', typed)
    if not match:
        return None
    month, year = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return None
    return month, year + 2000 if year < 100 else year
