"""What a reported absence writes, in the recipient's language: to the family's contacts, and to the class's
first instructor (who reads every child's full name, the family their first names)."""

from __future__ import annotations

import functools
from typing import NamedTuple

from domain import i18n
from domain.absences.rules import REASON_NAMES
from domain.i18n import N_
from domain.messages.notices import Notice, compose
from domain.models import AbsenceReason

KIND = 'absence_reported'


class Line(NamedTuple):
    child: str
    course: str
    day: str  # written in the reader's language already
    reason: str  # an AbsenceReason value


def reported(language: str, name: str, lines: list[Line], *, note: str = '', to_family: bool = True) -> Notice:
    """Every absence of one report that concerns the reader, one a line; the parent's note when there is one."""
    t = functools.partial(i18n.gettext, language)
    listed = '\n'.join(
        t(N_('{child}: {course}, {day} ({reason})')).format(
            child=line.child, course=line.course, day=line.day, reason=t(REASON_NAMES[AbsenceReason(line.reason)])
        )
        for line in lines
    )
    paragraphs = [
        N_('Hello {name},'),
        N_('These absences were reported in the parent portal:'),
        listed.replace('{', '{{').replace('}', '}}'),
    ]
    if note:
        paragraphs += [N_('Note from the family:'), '{note}']
    if to_family:
        paragraphs.append(
            N_('You can cancel an absence in your parent portal, under Absences and makeups, until the class starts.')
        )
    children = ', '.join(dict.fromkeys(line.child for line in lines))
    return compose(
        KIND,
        language,
        N_('{studio}: absence reported for {children}'),
        paragraphs,
        name=name,
        children=children,
        note=note,
    )
