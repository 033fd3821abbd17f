"""What the studio writes to a family about a drop, transfer, trial or enrolment request, in the recipient's
language: the decision, and the staff member's message when there is one."""

from __future__ import annotations

from domain.i18n import N_
from domain.messages.notices import Notice, compose

KIND = 'class_request'

APPROVED = {
    'drop': N_('The studio has approved your request: {child} leaves {course} from {day}.'),
    'transfer': N_('The studio has approved your request: {child} moves from {course} to {target} from {day}.'),
    'trial': N_('The studio has approved a trial for {child} in {course} on {day}.'),
    'enrol': N_('The studio has approved your request: {child} is enrolled in {course} from {day}.'),
}
DECLINED = {
    'drop': N_('The studio has declined your request for {child} to leave {course} from {day}.'),
    'transfer': N_('The studio has declined your request for {child} to move from {course} to {target}.'),
    'trial': N_('The studio has declined the trial for {child} in {course} on {day}.'),
    'enrol': N_('The studio has declined your request to enrol {child} in {course}.'),
}


def decided(
    language: str,
    name: str,
    kind: str,
    child: str,
    course: str,
    target: str,
    day: str,
    *,
    approved: bool,
    message: str = '',
) -> Notice:
    """`day` is written in the reader's language already; `message` is the staff member's own words, as typed."""
    paragraphs = [N_('Hello {name},'), (APPROVED if approved else DECLINED)[kind]]
    if message:
        paragraphs += [N_('A message from the studio:'), '{message}']
    paragraphs.append(N_('Your parent portal shows your classes and requests.'))
    subject = (
        N_('{studio}: your request for {child} was approved')
        if approved
        else N_('{studio}: your request for {child} was declined')
    )
    return compose(
        KIND,
        language,
        subject,
        paragraphs,
        name=name,
        child=child,
        course=course,
        target=target,
        day=day,
        message=message,
    )
