"""The baseline: a bare NiceGUI page with a given number of elements, served like Kinroll is."""

import os

from nicegui import ui

COUNT = int(os.environ.get('BARE_ELEMENTS', '50'))


@ui.page('/')
def bare() -> None:
    with ui.column():
        for index in range(COUNT - 1):  # the column is the first element
            ui.label(f'label {index}')


ui.run(
    host='127.0.0.1',
    port=int(os.environ['BARE_PORT']),
    reload=False,
    show=False,
    storage_secret='bare',
    uvicorn_logging_level='warning',
)
