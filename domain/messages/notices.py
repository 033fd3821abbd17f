"""What Kinroll writes to families, in the recipient's language, as plain text, HTML and a text message."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from html import escape

from domain import i18n
from domain.i18n import N_
from domain.studio import settings

SECRET = '\u27e6secret\u27e7'  # stands where a code, link or password goes until the moment of sending
MASK = '••••••'

KIND_LABELS = {
    'sign_in_code': N_('Sign-in code'),
    'password_reset': N_('Password reset'),
    'password_changed': N_('Password changed'),
    'portal_password': N_('Portal Password'),
    'registration': N_('Registration'),
    'policy_request': N_('Policy request'),
    'payment_receipt': N_('Payment receipt'),
    'address_change_code': N_('Sign-in change code'),
    'address_changed': N_('Sign-in changed'),
    'portal_enroll': N_('Portal Enroll'),
    'instructor_enrolled': N_('New student'),
    'waitlist_joined': N_('Waitlist'),
    'waitlist_offer': N_('Waitlist offer'),
    'waitlist_ended': N_('Waitlist'),
    'class_request': N_('Request'),
    'absence_reported': N_('Absence'),
    'makeup_credit': N_('Makeup credit'),
    'credit_expiring': N_('Makeup credit'),
    'makeup_booked': N_('Makeup'),
    'makeup_cancelled': N_('Makeup'),
    'studio_message': N_('Message from the studio'),
    'news_post': N_('News'),
    'photo_rejected': N_('Student photo'),
}
# Messages about one contact's own sign-in: the family's other contacts do not see them under Messages.
PERSONAL_KINDS = frozenset(
    {'sign_in_code', 'password_reset', 'password_changed', 'portal_password', 'address_change_code', 'address_changed'}
)


@dataclass(frozen=True)
class Notice:
    kind: str
    subject: str
    text: str
    html: str
    sms: str


def compose(kind: str, language: str, subject: str, paragraphs: list[str], sms: str = '', **values: str) -> Notice:
    def t(message: str) -> str:
        return i18n.gettext(language, message).format(studio=settings.current().name, **values)

    parts = [t(p) for p in paragraphs]
    html_parts = []
    for part in parts:
        if (part == SECRET and kind == 'password_reset') or part.startswith(('https://', 'http://')):
            html_parts.append(f'<p><a href="{escape(part)}">{escape(part)}</a></p>')
        else:
            html_parts.append('<p>' + escape(part).replace('\n', '<br>') + '</p>')
    studio = settings.current()
    if studio.logo_file_id is not None:  # the studio's logo heads the email, loaded from the studio's address
        source = f'{studio.base_url}/studio/logo?v={studio.logo_file_id}'
        html_parts.insert(0, f'<p><img src="{escape(source)}" alt="{escape(studio.name)}" height="48"></p>')
    html = (
        '<div style="font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a">'
        + ''.join(html_parts)
        + '</div>'
    )
    return Notice(kind, t(subject), '\n\n'.join(parts), html, t(sms) if sms else '')


def sign_in_code(language: str) -> Notice:
    """The code itself is the secret: it is filled in only when the message is sent."""
    return compose(
        'sign_in_code',
        language,
        N_('Your sign-in code for {studio}'),
        [
            N_('Your sign-in code is {code}.'),
            N_('It works once, for 10 minutes. If you did not ask for it, you can ignore this message.'),
        ],
        sms=N_('{studio}: your sign-in code is {code}. It expires in 10 minutes.'),
        code=SECRET,
    )


def password_reset(language: str, name: str) -> Notice:
    return compose(
        'password_reset',
        language,
        N_('Reset your {studio} portal password'),
        [
            N_('Hello {name},'),
            N_(
                'Someone, hopefully you, asked to reset the password of your {studio} parent portal. '
                'Open this link within 60 minutes to choose a new password:'
            ),
            '{link}',
            N_('If you did not ask for this, ignore this email: your password stays as it is.'),
        ],
        name=name,
        link=SECRET,
    )


def password_changed(language: str, name: str) -> Notice:
    return compose(
        'password_changed',
        language,
        N_('Your {studio} portal password was changed'),
        [
            N_('Hello {name},'),
            N_('The password of your {studio} parent portal was just changed, and every other device was signed out.'),
            N_('If this was you, there is nothing to do. If it was not, contact the studio right away.'),
        ],
        name=name,
    )


def portal_password(language: str, name: str, user_id: str, sign_in_link: str) -> Notice:
    return compose(
        'portal_password',
        language,
        N_('{studio} Parent Portal: your temporary password'),
        [
            N_('Hello {name},'),
            N_('The studio has reset your parent portal password.'),
            N_(
                'Your Portal UserID is: {user_id}\nYour temporary password is: {password}\n'
                '(Passwords are case-sensitive.)'
            ),
            N_('This temporary password works for 72 hours. When you sign in, you will choose your own password:'),
            '{sign_in_link}',
        ],
        name=name,
        user_id=user_id,
        password=SECRET,
        sign_in_link=sign_in_link,
    )


def registration_received(language: str, name: str, participants: str, sign_in_link: str) -> Notice:
    return compose(
        'registration',
        language,
        N_('Welcome to {studio}: your registration is in'),
        [
            N_('Hello {name},'),
            N_(
                "Thank you for registering with {studio}. We have your family's details, and you can sign in to "
                'your parent portal at any time.'
            ),
            N_('Participants: {participants}'),
            N_('Your parent portal is always here:'),
            '{sign_in_link}',
        ],
        name=name,
        participants=participants,
        sign_in_link=sign_in_link,
    )


def policy_request(language: str, name: str, sign_in_link: str) -> Notice:
    return compose(
        'policy_request',
        language,
        N_('{studio}: please review and agree to our policies'),
        [
            N_('Hello {name},'),
            N_(
                'Our policies have changed, or your agreement to them is due for renewal. Please sign in to your '
                'parent portal to read them and agree. It only takes a minute.'
            ),
            '{sign_in_link}',
        ],
        name=name,
        sign_in_link=sign_in_link,
    )


def payment_receipt(
    language: str, name: str, *, amount: str, fee: str, total: str, card: str, reference: str, when: str
) -> Notice:
    return compose(
        'payment_receipt',
        language,
        N_('{studio}: receipt for your payment of {total}'),
        [
            N_('Hello {name},'),
            N_('Thank you: your payment was approved.'),
            N_(
                'Payment: {amount}\nCard fee: {fee}\nTotal charged: {total}\nCard: {card}\nDate: {when}\n'
                'Reference: {reference}'
            ),
            N_('You can see your account and download a statement in your parent portal at any time.'),
        ],
        name=name,
        amount=amount,
        fee=fee,
        total=total,
        card=card,
        reference=reference,
        when=when,
    )


def address_change_code(language: str) -> Notice:
    """The code that proves a new sign-in email or mobile number belongs to the contact who typed it."""
    return compose(
        'address_change_code',
        language,
        N_('Confirm your new {studio} portal sign-in'),
        [
            N_('Your code is {code}.'),
            N_('Enter it on your "You" page within 10 minutes to sign in with this address from now on.'),
            N_('If you did not ask for it, you can ignore this message.'),
        ],
        sms=N_('{studio}: your code to confirm this number for the portal is {code}. It expires in 10 minutes.'),
        code=SECRET,
    )


def address_changed(language: str, field: str, new: str) -> Notice:
    """To the old address or number, once a new one signs in instead."""
    if field == 'email':
        changed = N_('Your portal email was changed to {new}. If this was not you, call the studio.')
    else:
        changed = N_('Your portal mobile number was changed to {new}. If this was not you, call the studio.')
    return compose(
        'address_changed', language, N_('Your {studio} portal sign-in was changed'), [changed], sms=changed, new=new
    )


def portal_enroll(language: str, name: str, lines: list[tuple[str, str, str]], *, by_studio: bool = False) -> Notice:
    """The confirmation of an enrolment: each (class, child, first day) on a line, the calendar attached. One
    the studio made at the desk says so, rather than thanking the parent for what they did not do."""
    t = functools.partial(i18n.gettext, language)
    enrolled = '\n'.join(
        t(N_('{child} in {course}, from {day}')).format(child=child, course=course, day=day)
        for course, child, day in lines
    )
    return compose(
        'portal_enroll',
        language,
        N_('{studio}: enrolment confirmed'),
        [
            N_('Hello {name},'),
            N_('The studio has enrolled:') if by_studio else N_('Thank you for enrolling:'),
            enrolled.replace('{', '{{').replace('}', '}}'),
            N_('The attached calendar file adds the classes to your phone. Your schedule is in your parent portal.'),
        ],
        name=name,
    )


def instructor_enrolled(language: str, name: str, course: str, child: str, day: str) -> Notice:
    return compose(
        'instructor_enrolled',
        language,
        N_('{studio}: {child} joins {course}'),
        [N_('Hello {name},'), N_('{child} is enrolled in {course} from {day}.')],
        name=name,
        course=course,
        child=child,
        day=day,
    )
