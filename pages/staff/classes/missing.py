"""A class that does not exist, or that this instructor does not teach: the same page, with a way back."""

from __future__ import annotations

from nicegui import ui

from components.i18n import _
from components.staff_frame import staff_frame
from domain.access.actors import StaffActor


def no_such_class(staff: StaffActor) -> None:
    with staff_frame(_('Not found'), staff):
        ui.label(_('We could not find that page. It may have been removed, or the link may be wrong.'))
        ui.link(_('Back to classes'), '/staff/classes').classes('kr-link')
