"""What the studio writes to the contact who booked or cancelled a makeup, in the recipient's language."""

from __future__ import annotations

from domain.i18n import N_
from domain.messages.notices import Notice, compose


def booked(language: str, name: str, child: str, course: str, when: str, where: str, missed: str, until: str) -> Notice:
    """`when` is the meeting's start and `until` the moment a cancellation still returns the credit, both written
    in the reader's language already."""
    return compose(
        'makeup_booked',
        language,
        N_('{studio}: a makeup for {child} in {course}'),
        [
            N_('Hello {name},'),
            N_('{child} is booked for a makeup in {course} on {when}, at {where}.'),
            N_('It uses the makeup credit for the class missed on {missed}.'),
            N_('Cancel by {until} and the credit comes back; after that it is used.'),
        ],
        name=name,
        child=child,
        course=course,
        when=when,
        where=where,
        missed=missed,
        until=until,
    )


def cancelled(
    language: str, name: str, child: str, course: str, day: str, *, returned: bool, closed: bool = False
) -> Notice:
    """`closed`: the studio closed on the makeup's day, and cancelled it."""
    paragraphs = [
        N_('Hello {name},'),
        N_('The studio is closed on {day}, so {child}’s makeup in {course} is cancelled.')
        if closed
        else N_('{child}’s makeup in {course} on {day} is cancelled.'),
        N_('The makeup credit is back: book another makeup in your parent portal.')
        if returned
        else N_('It was cancelled after the studio’s cut-off, so the makeup credit is used.'),
    ]
    return compose(
        'makeup_cancelled',
        language,
        N_('{studio}: {child}’s makeup is cancelled'),
        paragraphs,
        name=name,
        child=child,
        course=course,
        day=day,
    )
