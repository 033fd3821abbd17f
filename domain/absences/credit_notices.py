"""What makeup credits write to families, in the recipient's language: a credit issued (or granted by staff),
a credit about to expire, and a credit withdrawn."""

from __future__ import annotations

from domain.i18n import N_
from domain.messages.notices import Notice, compose

BOOK_IT = N_('Book a makeup in your parent portal, under Absences and makeups.')


def issued(language: str, name: str, child: str, course: str, missed: str, until: str) -> Notice:
    """`until` is '' for a credit that never expires."""
    paragraphs = [N_('Hello {name},'), N_('{child} has a makeup credit for {course} on {missed}.')]
    if until:
        paragraphs.append(N_('Use it by {until}.'))
    paragraphs.append(BOOK_IT)
    return compose(
        'makeup_credit',
        language,
        N_('{studio}: a makeup credit for {child}'),
        paragraphs,
        name=name,
        child=child,
        course=course,
        missed=missed,
        until=until,
    )


def expiring(language: str, name: str, child: str, course: str, missed: str, until: str) -> Notice:
    return compose(
        'credit_expiring',
        language,
        N_('{studio}: {child}’s makeup credit expires on {until}'),
        [N_('Hello {name},'), N_('{child}’s makeup credit for {course} on {missed} expires on {until}.'), BOOK_IT],
        name=name,
        child=child,
        course=course,
        missed=missed,
        until=until,
    )


ENDED_WHY = {
    'revoked': N_('The roster for {course} on {missed} shows {child} attended, so the makeup credit is withdrawn.'),
    'refused': N_('The studio has decided that {child}’s absence from {course} on {missed} earns no makeup credit.'),
    'expired': N_('{child}’s makeup credit for {course} on {missed} has expired.'),
}


def ended(language: str, name: str, child: str, course: str, missed: str, why: str, note: str = '') -> Notice:
    """`why` is the credit's new status: revoked, refused or expired; `note` is staff's own words, if any."""
    paragraphs = [N_('Hello {name},'), ENDED_WHY[why]]
    if note:
        paragraphs += [N_('A message from the studio:'), '{note}']
    paragraphs.append(N_('Your parent portal shows the family’s other credits.'))
    return compose(
        'makeup_credit',
        language,
        N_('{studio}: {child}’s makeup credit'),
        paragraphs,
        name=name,
        child=child,
        course=course,
        missed=missed,
        note=note,
    )
