"""A file picker a phone and a screen reader understand: Quasar's uploader, hidden, opened by a named button.

Shown, the uploader is a bar reading "0.0B / 0.00%" whose only working part is a small unnamed "+" (axe: an
unnamed command, an unlabelled input). The button opens its file picker in the browser within the tap itself: a
phone opens a picker only from a user's gesture, never from a message of the server.
"""

from __future__ import annotations

from nicegui import ui


def pick_button(upload: ui.upload, label: str, *, icon: str = 'attach_file') -> ui.button:
    """Hide `upload` and return the button that opens its picker."""
    upload.classes('kr-hidden-uploader')
    return (
        ui.button(label, icon=icon)
        .props('unelevated no-caps color=primary')
        .on('click', js_handler=f'(event) => getElement({upload.id}).$refs.qRef.pickFiles(event)')
    )
