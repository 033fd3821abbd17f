"""The family's class resources, on one phone screen: grouped by the class, session or event they are for (or the
child), each a row to tap with an icon by kind, its size and type. A row is a real link that opens in a new tab
at `/portal/resources/<id>`, which checks access (domain.resources.open_resource) and sends the browser on to a
short-lived signed link to the file, or to the https address: a new tab opened by a tap is never taken for a
pop-up, as one opened after a round trip to the server can be on a phone."""

from __future__ import annotations

from babel.numbers import format_decimal
from fastapi.responses import RedirectResponse
from nicegui import ui

from components.frame import heading, not_found, portal_frame
from components.guards import parent_page
from components.i18n import _, day, reader_locale
from components.tiles import tile
from domain.access.actors import Actor
from domain.classes.audiences import KIND_LABELS
from domain.errors import NotFound
from domain.files.inspection import MB, FileKind
from domain.i18n import N_
from domain.resources import resources
from domain.resources.resources import ResourceLine

PAGE = '/portal/resources'
KB = 1024
# Until components/setup/icons.py draws picture_as_pdf, image, audiotrack, movie and link, the nearest it has.
ICONS = {
    FileKind.PDF: 'picture_as_pdf',
    FileKind.IMAGE: 'image',
    FileKind.AUDIO: 'audiotrack',
    FileKind.VIDEO: 'movie',
}
KIND_NAMES = {
    FileKind.PDF: N_('PDF'),
    FileKind.IMAGE: N_('Image'),
    FileKind.AUDIO: N_('Audio'),
    FileKind.VIDEO: N_('Video'),
}


@parent_page(PAGE)
async def resources_page(actor: Actor):
    lines = await resources.family_resources(actor)
    with portal_frame(_('Class resources'), actor, back='/portal'):
        if not lines:
            ui.label(
                _('Nothing has been shared with your family yet. Files and links for your classes will appear here.')
            ).classes('text-gray-700 break-words').mark('no-resources')
            return
        ui.label(_('Tap one to open it in a new tab.')).classes('text-sm text-gray-700')
        shown = None
        for line in lines:
            if line.audience != shown:
                shown = line.audience
                heading(f'{_(KIND_LABELS[line.audience.kind])}: {line.group}', 2).classes('break-words')
            _row(line)


def _row(line: ResourceLine) -> None:
    link = tile(line.title, detail(line), f'{PAGE}/{line.id}', icon=icon_of(line)).mark(f'resource-{line.id}')
    link.props['target'] = '_blank'
    link.props['rel'] = 'noopener'
    if line.description:
        ui.label(line.description).classes('text-sm text-gray-700 whitespace-pre-wrap break-words px-3')


def icon_of(line: ResourceLine) -> str:
    return ICONS[line.file_kind] if line.file_kind else 'link'


def detail(line: ResourceLine) -> str:
    """ "PDF · 1.2 MB · added Dec 2, 2026", or "Link · added …"."""
    what = _(KIND_NAMES[line.file_kind]) if line.file_kind else _('Link')
    parts = [what] + ([size_text(line.size)] if line.size is not None else [])
    return ' · '.join([*parts, _('added {date}').format(date=day(line.created_at))])


def size_text(size: int) -> str:
    if size >= MB:
        return _('{size} MB').format(size=format_decimal(round(size / MB, 1), locale=reader_locale()))
    return _('{size} KB').format(size=format_decimal(max(1, round(size / KB)), locale=reader_locale()))


@parent_page(PAGE + '/{resource_id}')
async def open_page(actor: Actor, resource_id: str):
    """Where a row's link goes: the access check, then on to the file or the address (or the not-found page)."""
    try:
        address = await resources.open_resource(actor, resource_id)
    except NotFound:
        not_found(actor)
        return None
    return RedirectResponse(address, status_code=303)
