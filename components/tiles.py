"""A dashboard tile: one whole-width link a thumb can hit."""

from __future__ import annotations

from nicegui import ui


def tile(title: str, detail: str, target: str, *, icon: str, emphasis: bool = False) -> ui.link:
    with (
        ui.link(target=target).classes('kr-tile block w-full no-underline text-black bg-white shadow-sm') as link,
        ui.row().classes('items-center no-wrap p-3 gap-3 w-full min-w-0'),
    ):
        ui.icon(icon, size='sm').classes('text-primary').props('aria-hidden=true')
        with ui.column().classes('gap-0 min-w-0 flex-1'):
            ui.label(title).classes('font-medium truncate max-w-full')
            if detail:
                ui.label(detail).classes(
                    ('text-lg font-bold' if emphasis else 'text-sm text-gray-700') + ' truncate max-w-full'
                )
    return link
