"""How a card on file is named to a parent, on the payments pages and at a class's checkout."""

from __future__ import annotations

from components.i18n import _
from domain.models import Payment, SavedCard


def card_label(card: SavedCard | Payment) -> str:
    if isinstance(card, Payment):
        return f'{card.card_brand} •••• {card.card_last4}'
    return _('{brand} ending in {last4}, expires {month:02d}/{year}').format(
        brand=card.brand, last4=card.last4, month=card.exp_month, year=card.exp_year % 100
    )
