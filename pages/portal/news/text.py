"""A post's text as families read it and staff preview it: Markdown, with any HTML typed into it shown as text."""

from __future__ import annotations

import markdown2
from nicegui import ui


def rendered(body: str) -> str:
    return markdown2.markdown(body, safe_mode='escape')


class PostText(ui.html, default_classes='nicegui-markdown kr-post text-sm w-full break-words'):
    """Staff wrote it: HTML typed into it is shown as the text it is, never run."""

    def __init__(self, body: str) -> None:
        super().__init__(rendered(body))
