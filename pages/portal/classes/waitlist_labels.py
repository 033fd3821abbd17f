"""How the waitlist's places read: ordinals in the reader's language, and what a full class's card says."""

from __future__ import annotations

from components.class_labels import openings_text
from components.i18n import _, current_language
from domain.classes.browsing import ClassOffer

EN_SUFFIXES = {1: 'st', 2: 'nd', 3: 'rd'}


def ordinal(number: int, language: str) -> str:
    """1st, 2nd, 3rd, 11th, 22nd; "3.º"; "第3位"."""
    if language == 'es':
        return f'{number}.º'
    if language == 'zh_Hans':
        return f'第{number}位'
    suffix = 'th' if number % 100 in (11, 12, 13) else EN_SUFFIXES.get(number % 10, 'th')
    return f'{number}{suffix}'


def place_in_line(position: int) -> str:
    """ "3rd in line", "3.º en la lista", "排在第3位"."""
    return _('{place} in line').format(place=ordinal(position, current_language()))


def openings_said(offer: ClassOffer) -> str:
    """A class card's places: "Full: join the waitlist" when its waitlist is open, else as the studio shows them."""
    if offer.full_with_waitlist:
        return _('Full: join the waitlist')
    return openings_text(offer.openings)


def child_said(offer: ClassOffer, child_id: int, child: str) -> str:
    """What a full class with a waitlist says about one child, or '' to say their reasons as usual."""
    if not offer.full_with_waitlist:
        return ''
    if child_id in offer.offered:
        return _('A place is kept for {child}: accept it under Your waitlists').format(child=child)
    if child_id in offer.waiting:
        return _('{child} is on the waitlist').format(child=child)
    if offer.may_wait(child_id):
        return _('{child} can join the waitlist').format(child=child)
    return ''
