"""What a page shows when a save is refused because someone else saved the same record first."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from nicegui import ui

from components.forms import CONTACT_INPUTS, bring_into_view, gender_options
from components.i18n import _
from domain.access.actors import ROLE_NAMES
from domain.family import versions
from domain.family.contacts import CONTACT_FLAGS
from domain.family.versions import ChangedMeanwhile
from domain.i18n import LANGUAGE_NAMES, N_
from domain.models import ContactRole


def shown_value(name: str, value: Any) -> str:
    """A stored or typed value in words, for "theirs" and "yours"."""
    if isinstance(value, bool):
        return _('Yes') if value else _('No')
    if name == 'gender':
        return gender_options().get(value, str(value))
    return str(value) if value not in (None, '') else '—'


class ChangedMeanwhileNotice:
    """Shown when a save is refused because someone else saved first: for each field where theirs and yours
    differ, both; then keep yours (saved again, over what they saved, in the fields you changed) or take theirs.
    Nothing is overwritten until the person chooses."""

    def __init__(self, labels: dict[str, str], shown: Callable[[str, Any], str] = shown_value) -> None:
        self.labels, self.shown = labels, shown
        self.box = ui.column().classes('w-full gap-1 border rounded p-3 border-negative').mark('changed-meanwhile')
        self.box.visible = False

    def show(
        self,
        refused: ChangedMeanwhile,
        yours: Any,
        *,
        keep: Callable[[], Awaitable[None]],
        take: Callable[[], None],
    ) -> None:
        self.box.clear()
        with self.box:
            ui.label(_(refused.MESSAGE)).classes('font-semibold text-negative').props('role=alert')
            for name in versions.differing(yours, refused.stored):
                if name not in self.labels:
                    continue
                with ui.column().classes('w-full gap-0').mark(f'changed-{name}'):
                    ui.label(_(self.labels[name])).classes('font-semibold')
                    ui.label(_('Theirs: {value}').format(value=self.shown(name, getattr(refused.stored, name))))
                    ui.label(_('Yours: {value}').format(value=self.shown(name, getattr(yours, name))))
            with ui.row().classes('w-full gap-2'):
                ui.button(_('Keep mine'), on_click=keep).props('unelevated color=primary')
                ui.button(_('Take theirs'), on_click=take).props('outline color=primary')
        self.box.visible = True
        bring_into_view(self.box)

    def offer(
        self,
        refused: ChangedMeanwhile,
        loaded: Any,
        yours: Any,
        *,
        save: Callable[[Any], Awaitable[None]],
        take: Callable[[Any], None],
        show_errors: Callable[[dict[str, str]], None],
    ) -> None:
        """Say why the save was refused (on the save button's line too) and offer the choice: keep mine saves what
        was changed since `loaded` over what they stored, against their version."""
        show_errors({'version': refused.MESSAGE})
        mine = versions.merged(loaded, yours, refused.stored)
        self.show(refused, yours, keep=lambda: save(mine), take=lambda: take(refused.stored))

    def hide(self) -> None:
        self.box.clear()
        self.box.visible = False


CONTACT_LABELS = {
    **{name: label for name, label, _autocomplete, _kind in CONTACT_INPUTS},
    **{flag.name: flag.label for flag in CONTACT_FLAGS},
    'preferred_language': N_('Preferred language'),
    'role': N_('Role in the family'),
}


def shown_contact_value(name: str, value: object) -> str:
    if name == 'role' and value:
        return _(ROLE_NAMES[ContactRole(str(value))])
    if name == 'preferred_language':
        return LANGUAGE_NAMES.get(str(value), str(value))
    return shown_value(name, value)
