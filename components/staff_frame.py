"""The frame around staff pages: studio name, the console's sections, who is signed in."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from weakref import WeakKeyDictionary

from nicegui import Client, context, ui

from components import session
from components.frame import heading, studio_link
from components.i18n import _, adopt_browser_language
from domain.access import sessions
from domain.access.actors import StaffActor
from domain.classes import requests
from domain.models import StaffRole
from domain.photos import photos
from domain.studio import settings


@contextmanager
def staff_frame(title: str, staff: StaffActor) -> Iterator[ui.column]:
    adopt_browser_language()
    ui.page_title(f'{title} · {settings.current().name}')

    async def sign_out() -> None:
        await sessions.sign_out_staff(session.staff_token())
        session.leave('staff')

    with ui.header().classes('bg-white text-black shadow-sm px-4 py-2 items-center justify-between'):
        with ui.row().classes('items-center gap-4'):
            studio_link(settings.current().name + ' · ' + _('Staff'), '/staff').classes(
                'font-bold no-underline kr-link'
            )
            if staff.role != StaffRole.INSTRUCTOR:
                ui.link(_('Parent Portal Log'), '/staff').classes('kr-link')
                ui.link(_('Families'), '/staff/families').classes('kr-link')
            if staff.role == StaffRole.INSTRUCTOR:  # what an instructor opens most: today's rosters
                ui.link(_('Attendance'), '/staff/attendance').classes('kr-link')
            ui.link(_('Classes'), '/staff/classes').classes('kr-link')
            if staff.role != StaffRole.INSTRUCTOR:
                ui.link(_('Attendance'), '/staff/attendance').classes('kr-link')
                ui.link(_('Events'), '/staff/events').classes('kr-link')
                _requests_link()
                _photos_link()
                ui.link(_('News'), '/staff/news').classes('kr-link')
                ui.link(_('Messages'), '/staff/messages').classes('kr-link')
            ui.link(_('Resources'), '/staff/resources').classes('kr-link')
            if staff.role == StaffRole.ADMIN:
                ui.link(_('Registration questions'), '/staff/questions').classes('kr-link')
                ui.link(_('Policies'), '/staff/policies').classes('kr-link')
                ui.link(_('Settings'), '/staff/settings').classes('kr-link')
                ui.link(_('Staff audit'), '/staff/audit').classes('kr-link')
        with ui.row().classes('items-center gap-2'):
            ui.label(staff.name).classes('text-sm')
            ui.button(_('Sign out'), on_click=sign_out).props('flat no-caps color=primary')
    with ui.column().classes('w-full p-4 gap-3') as column:
        heading(title)
        yield column


_RECOUNT: WeakKeyDictionary[Client, Callable[[], Awaitable[None]]] = WeakKeyDictionary()


def _requests_link() -> None:
    """The staff's queue, with how many requests wait: "Requests (3)"."""
    link = ui.link(_('Requests'), '/staff/requests').classes('kr-link').mark('requests-link')
    plain = _('Requests')

    async def count() -> None:
        waiting = await requests.pending_count()
        link.text = _('Requests ({count})').format(count=waiting) if waiting else plain

    _RECOUNT[context.client] = count
    context.client.on_connect(count)  # once the page is built: its own reads come first


def _photos_link() -> None:
    """Children's photos waiting for review: "Photos (2)", shown while the studio reviews them or any wait."""
    link = ui.link(_('Photos'), '/staff/photos').classes('kr-link').mark('photos-link')
    link.set_visibility(settings.current().photo_review)

    async def count() -> None:
        waiting = await photos.pending_count()
        link.text = _('Photos ({count})').format(count=waiting) if waiting else _('Photos')
        link.set_visibility(bool(waiting) or settings.current().photo_review)

    context.client.on_connect(count)


async def recount_requests() -> None:
    """After a decision on this page: the menu's count says what still waits, without a reload."""
    count = _RECOUNT.get(context.client)
    if count is not None:
        await count()
