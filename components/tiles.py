"""A dashboard tile: one whole-width link a thumb can hit.

A tile is two elements (the link and its content as HTML) rather than six (link, row, icon, column and two
labels): the dashboard has nine of them, and every element is built, kept and sent for each parent who opens
the page. The text is escaped here; the icon is the same SVG path Quasar would draw.
"""

from __future__ import annotations

from html import escape

from nicegui import ui

from components.setup import icons


def tile(title: str, detail: str, target: str, *, icon: str, emphasis: bool = False) -> ui.link:
    detail_class = 'kr-tile-detail kr-emphasis' if emphasis else 'kr-tile-detail'
    body = (
        f'<span class="kr-tile-icon" aria-hidden="true">{icons.svg(icon)}</span>'
        f'<span class="kr-tile-text"><span class="kr-tile-title">{escape(title)}</span>'
        + (f'<span class="{detail_class}">{escape(detail)}</span>' if detail else '')
        + '</span>'
    )
    with ui.link(target=target).classes('kr-tile') as link:
        ui.html(body, sanitize=False, tag='span').classes('kr-tile-body')
    return link
