"""The list of classes staff see: each with its session, place, times, instructors, status and seats; an
instructor sees only the classes they teach."""

from __future__ import annotations

from urllib.parse import urlencode

from nicegui import ui

from components.class_labels import STATUS_NAMES, schedule_text
from components.forms import text_field
from components.guards import staff_page
from components.i18n import _
from components.staff_frame import staff_frame
from domain.access.actors import StaffActor
from domain.classes import rosters
from domain.classes.rosters import ClassLine
from domain.i18n import N_
from domain.models import StaffRole

LINKS_CELL = r"""
<q-td :props="props">
  <div class="row no-wrap items-center" style="gap: 0.75rem">
    <a class="kr-link" :href="props.row.roster_url">{{ props.row.roster_label }}</a>
    <a v-if="props.row.edit_url" class="kr-link" :href="props.row.edit_url">{{ props.row.edit_label }}</a>
  </div>
</q-td>
"""


@staff_page('/staff/classes', title=N_('Classes'), instructors=True)
async def classes_page(staff: StaffActor, term: str = '', q: str = ''):
    term_id = int(term) if term.isdigit() else None
    listed = await rosters.class_list(staff, term_id=term_id, text=q)
    admin = staff.role == StaffRole.ADMIN
    with staff_frame(_('Classes'), staff):
        if admin:
            with ui.row().classes('items-center gap-4'):
                ui.button(_('Add a class'), icon='add', on_click=lambda: ui.navigate.to('/staff/classes/new')).props(
                    'unelevated color=primary'
                )
                ui.link(_('Locations, sessions, categories and closures'), '/staff/classes/setup').classes('kr-link')
        sessions = {0: _('All sessions'), **{t.id: t.name for t in listed.terms}}
        with ui.row().classes('items-end gap-2 w-full'):
            session = (
                ui.select(sessions, value=term_id if term_id in sessions else 0, label=_('Session'))
                .props('outlined dense')
                .classes('w-64 max-w-full')
                .mark('session-filter')
            )
            search = text_field(_('Search'), q).classes(remove='w-full', add='w-64 max-w-full').mark('search')

            def find() -> None:
                wanted = {'term': session.value or '', 'q': search.value or ''}
                ui.navigate.to('/staff/classes?' + urlencode({k: v for k, v in wanted.items() if v}))

            session.on_value_change(find)
            search.on('keydown.enter', find)
            ui.button(_('Search'), icon='search', on_click=find).props('unelevated color=primary')
        if not listed.lines:
            if staff.role == StaffRole.INSTRUCTOR and not (term_id or q):
                ui.label(_('You are not the instructor of any class yet.'))
            else:
                ui.label(_('No classes found'))
            return
        columns = [
            {'name': name, 'label': label, 'field': name, 'align': align}
            for name, label, align in (
                ('name', _('Class'), 'left'),
                ('session', _('Session'), 'left'),
                ('location', _('Location'), 'left'),
                ('schedule', _('Days and times'), 'left'),
                ('instructors', _('Instructor'), 'left'),
                ('status', _('Status'), 'left'),
                ('enrolled', _('Enrolled'), 'right'),
                ('capacity', _('Capacity'), 'right'),
                ('openings', _('Openings'), 'right'),
                ('waiting', _('Waiting'), 'right'),
                ('links', _('Links'), 'left'),
            )
        ]
        table = (
            ui.table(columns=columns, rows=[_row(line, admin) for line in listed.lines], row_key='id')
            .props('flat bordered dense wrap-cells')
            .classes('w-full')
            .mark('classes')
        )
        table.add_slot('body-cell-links', LINKS_CELL)


def _row(listed: ClassLine, admin: bool) -> dict:
    line = listed.line
    place = line.location.name + (f' · {line.room.name}' if line.room else '')
    return {
        'id': line.course.id,
        'name': line.course.name,
        'session': line.term.name,
        'location': place,
        'schedule': schedule_text(listed.patterns),
        'instructors': ', '.join(listed.instructors) or '—',
        'status': _(STATUS_NAMES[line.course.status]),
        'enrolled': line.enrolled,
        'capacity': line.capacity,
        'openings': line.openings,
        'waiting': line.waiting,
        'roster_url': f'/staff/classes/{line.course.id}/roster',
        'roster_label': _('Roster'),
        'edit_url': f'/staff/classes/{line.course.id}/edit' if admin else '',
        'edit_label': _('Edit'),
    }
