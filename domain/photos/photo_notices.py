"""What a rejected photo writes to the parent who uploaded it, in their language. The studio's reason is their
own words: it goes in as a value, never through the translations."""

from __future__ import annotations

from domain.i18n import N_
from domain.messages.notices import Notice, compose

KIND = 'photo_rejected'


def rejected(language: str, name: str, child: str, reason: str, link: str) -> Notice:
    return compose(
        KIND,
        language,
        N_('{studio}: the photo of {child} was not accepted'),
        [
            N_('Hello {name},'),
            N_('The studio did not accept the photo you uploaded of {child}. The photo shown before stays.'),
            N_('The studio wrote:'),
            '{reason}',
            N_('You can upload another photo in your parent portal:'),
            '{link}',
        ],
        name=name,
        child=child,
        reason=reason,
        link=link,
    )
