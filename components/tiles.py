"""A dashboard tile: one whole-width link a thumb can hit.

A tile is two elements (the link and its content as HTML) rather than six (link, row, icon, column and two
labels): the dashboard has nine of them, and every element is built, kept and sent for each parent who opens
the page. The text is escaped here; the icon is the same SVG path Quasar would draw.
"""

from __future__ import annotations

from html import escape

from nicegui import ui

from components.i18n import _
from components.setup import icons


def tile(
    title: str, detail: str, target: str, *, icon: str, emphasis: bool = False, image: str | None = None
) -> ui.link:
    """With `image` (a child's photo, a link Kinroll issued), a round 40 px picture stands where the icon would."""
    detail_class = 'kr-tile-detail kr-emphasis' if emphasis else 'kr-tile-detail'
    if image:
        alt = escape(_('Photo of {name}').format(name=title))
        picture = (
            f'<img src="{escape(image)}" alt="{alt}" width="40" height="40" '
            'style="border-radius:50%;object-fit:cover;flex-shrink:0">'
        )
    else:
        picture = f'<span class="kr-tile-icon" aria-hidden="true">{icons.svg(icon)}</span>'
    body = (
        picture
        + f'<span class="kr-tile-text"><span class="kr-tile-title">{escape(title)}</span>'
        + (f'<span class="{detail_class}">{escape(detail)}</span>' if detail else '')
        + '</span>'
    )
    with ui.link(target=target).classes('kr-tile') as link:
        ui.html(body, sanitize=False, tag='span').classes('kr-tile-body')
    return link
