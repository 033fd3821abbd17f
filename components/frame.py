"""The frame around every parent page: the studio's logo and name (back to the dashboard), language, sign out."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from html import escape

from nicegui import ui

from components import session
from components.i18n import _, adopt_browser_language, current_language, remember_language
from components.idle import idle_guard
from domain import i18n
from domain.access import sessions
from domain.access.actors import Actor
from domain.family import contacts
from domain.photos import logo
from domain.studio import settings


@contextmanager
def portal_frame(title: str, actor: Actor | None = None, *, back: str | None = None) -> Iterator[ui.column]:
    """Header with the studio's name, then the page's own content in one readable column."""
    adopt_browser_language()
    ui.page_title(f'{title} · {settings.current().name}' if title else settings.current().name)
    with ui.header().classes(
        remove='wrap', add='bg-white text-black shadow-sm px-3 py-1 items-center justify-between no-wrap'
    ):
        studio_link(settings.current().name, '/portal' if actor else '/').classes(
            'text-base font-bold no-underline kr-link truncate min-w-0 shrink'
        )
        with ui.row().classes('items-center gap-0 no-wrap shrink-0'):
            language_switcher(actor)
            if actor:
                idle_guard()
                sign_out = ui.button(icon='logout', on_click=lambda: _sign_out(actor))
                sign_out.props('flat round color=primary').mark('sign-out')
                sign_out.props['aria-label'] = _('Sign out')
    with ui.column().classes('w-full max-w-xl mx-auto p-3 gap-3') as column:
        if back:
            ui.link('‹ ' + _('Back'), back).classes('kr-link text-sm')
        if title:
            heading(title)
        yield column


def studio_link(name: str, target: str) -> ui.link:
    """The studio's name, with its logo beside it when it has one; the link's accessible name is the name."""
    url = logo.logo_url()
    if url is None:
        return ui.link(name, target)
    with ui.link(target=target) as link:
        ui.html(
            f'<span style="display:flex;align-items:center;gap:8px;min-width:0">'
            f'<img src="{escape(url)}" alt="" height="32" '
            'style="height:32px;width:auto;max-width:64px;object-fit:contain;flex-shrink:0">'
            f'<span class="truncate">{escape(name)}</span></span>',
            sanitize=False,
        )
    return link


def language_switcher(actor: Actor | None) -> ui.button:
    """A button that names the current language and opens the three choices, each written in itself.

    The menu is built on the first tap, not with the page: most page loads never open it, and a menu with
    its items is four more elements for every page a parent opens."""

    async def switch(language: str) -> None:
        remember_language(language)
        if actor:
            await contacts.set_preferred_language(actor, language)
        ui.navigate.reload()

    def open_menu() -> None:
        if not button.default_slot.children:
            with button, ui.menu() as menu:
                for code, name in i18n.LANGUAGE_NAMES.items():
                    item = ui.menu_item(name, on_click=lambda code=code: switch(code)).props('role=menuitem')
                    item.props['lang'] = i18n.HTML_LANG[code]
            menu.open()

    current = current_language()
    label = _('Language')
    button = (
        ui.button(i18n.LANGUAGE_NAMES[current], icon='translate', on_click=open_menu)
        .props('flat no-caps color=primary aria-haspopup=menu')
        .mark('language')
    )
    button.props['aria-label'] = f'{label}: {i18n.LANGUAGE_NAMES[current]}'
    return button


async def _sign_out(actor: Actor) -> None:
    await sessions.sign_out_parent(session.parent_token(), actor)
    session.leave('parent')


def not_found(actor: Actor | None) -> None:
    """The same page for a record that does not exist and for one that belongs to another family."""
    with portal_frame(_('Not found'), actor):
        ui.label(_('We could not find that page. It may have been removed, or the link may be wrong.'))
        ui.link(_('Back to your dashboard'), '/portal').classes('kr-link')


def heading(text: str, level: int = 1) -> ui.label:
    """A real <h1>/<h2>, so screen readers can jump between sections."""
    label = ui.label(text).classes('m-0 font-semibold ' + ('text-xl' if level == 1 else 'text-lg'))
    label.tag = f'h{level}'
    return label
