"""What the waitlist writes to families, in the recipient's language: joined, offered, and an offer or a place
on the list that ended."""

from __future__ import annotations

from domain.i18n import N_
from domain.messages.notices import Notice, compose


def joined(language: str, name: str, child: str, course: str, position: str) -> Notice:
    """`position` is '' when the studio keeps the order to itself."""
    paragraphs = [N_('Hello {name},'), N_('{child} is on the waitlist for {course}.')]
    if position:
        paragraphs.append(N_('Place in line: {position}.'))
    paragraphs.append(
        N_(
            'When a place opens, we will email and text you. You can then accept it in your parent portal '
            'before the offer runs out.'
        )
    )
    return compose(
        'waitlist_joined',
        language,
        N_('{studio}: {child} is on the waitlist for {course}'),
        paragraphs,
        name=name,
        child=child,
        course=course,
        position=position,
    )


def offer(language: str, name: str, child: str, course: str, until: str, link: str) -> Notice:
    """The link opens the portal's waitlist page; signing in is still needed there (the link is no key)."""
    return compose(
        'waitlist_offer',
        language,
        N_('{studio}: a place in {course} for {child}'),
        [
            N_('Hello {name},'),
            N_('A place in {course} is open for {child}, and it is kept for you until {until}.'),
            N_('To take it, sign in to your parent portal and tap Accept:'),
            link,
            N_('If you do not want it, tap Decline so the next child can have it.'),
        ],
        sms=N_('{studio}: a place in {course} is open for {child} until {until}. Accept it in your parent portal.'),
        name=name,
        child=child,
        course=course,
        until=until,
    )


ENDED_WHY = {
    'declined': N_('You declined the place in {course} for {child}. It goes to the next child in line.'),
    'offer_expired': N_(
        'The place in {course} kept for {child} was not accepted in time, so it went to the next child in line.'
    ),
    'expired': N_('{child} has been on the waitlist for {course} as long as the studio keeps a place in line.'),
    'removed': N_('The studio has taken {child} off the waitlist for {course}.'),
}


def ended(language: str, name: str, child: str, course: str, why: str) -> Notice:
    """`why` is the entry's new status: declined, offer_expired, expired or removed."""
    return compose(
        'waitlist_ended',
        language,
        N_('{studio}: the waitlist for {course}'),
        [N_('Hello {name},'), ENDED_WHY[why], N_('Your parent portal shows your other classes and waitlists.')],
        name=name,
        child=child,
        course=course,
    )
