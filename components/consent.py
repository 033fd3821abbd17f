"""One legal policy as a parent signs it: its words, a box to tick, their full name typed."""

from __future__ import annotations

from collections.abc import Callable

import markdown2
from nicegui import ui

from components.frame import heading
from components.i18n import _
from domain.models import PolicyVersion


class PolicyText(ui.html, default_classes='nicegui-markdown text-sm w-full'):
    """A policy's Markdown as the parent reads it, the same wherever it is shown (signing, the family's
    agreements, staff reading one). Staff wrote it: HTML typed into it is shown as the text it is, never run."""

    def __init__(self, body: str) -> None:
        super().__init__(markdown2.markdown(body, extras=['tables'], safe_mode='escape'))


class PolicyConsent:
    """Shows a policy version and keeps what the parent did in `given` ({'accepted', 'typed_name'})."""

    def __init__(
        self, version: PolicyVersion, given: dict, on_change: Callable[[], None] = lambda: None, *, level: int = 3
    ) -> None:
        self.given = given

        def changed(key: str, value) -> None:
            given[key] = value
            on_change()

        with ui.card().classes('w-full gap-2').props('flat bordered'):
            heading(version.title, level).classes('text-base')
            region = ui.element('div').classes('max-h-64 overflow-auto w-full border rounded p-2 bg-gray-50')
            region.props.update(tabindex='0', role='region')
            region.props['aria-label'] = version.title  # staff-written text: a value, never part of a props string
            with region:
                PolicyText(version.body)
            self.box = ui.checkbox(
                _('I have read and agree to this policy'),
                value=bool(given.get('accepted')),
                on_change=lambda e: changed('accepted', e.value),
            ).mark(f'agree-{version.id}')
            self.box_error = ui.label('').classes('text-negative text-sm').props('role=alert')
            self.box_error.set_visibility(False)
            self.name = (
                ui.input(
                    _('Type your full name to sign'),
                    value=given.get('typed_name', ''),
                    on_change=lambda e: changed('typed_name', e.value or ''),
                )
                .props('outlined stack-label autocomplete=name')
                .classes('w-full')
                .mark(f'sign-{version.id}')
            )

    def show_errors(self, box_error: str | None, name_error: str | None) -> None:
        self.box_error.text = box_error or ''
        self.box_error.set_visibility(bool(box_error))
        self.name.error = name_error
