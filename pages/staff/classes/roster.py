"""A class's roster: each child enrolled from today on, their age, allergy and medical flags, and the phones of
their family; for the desk, the class's waitlist under it. Instructors open the rosters of the classes they teach,
and only those, without the waitlist."""

from __future__ import annotations

from nicegui import ui

from components.class_labels import STATUS_NAMES, age_text, phone_rows, schedule_text
from components.guards import staff_page
from components.i18n import _, day, weekday_day
from components.staff_frame import staff_frame
from domain.absences import attendance
from domain.access.actors import StaffActor
from domain.classes import rosters
from domain.classes.rosters import Roster, RosterChild
from domain.errors import NotFound
from domain.i18n import N_
from domain.models import StaffRole
from domain.photos import photos
from pages.staff.classes.missing import no_such_class
from pages.staff.classes.waitlist_panel import waitlist_panel

FLAG_CELL = r"""
<q-td :props="props">
  <q-badge v-if="props.row[props.col.name]" color="negative" class="q-mr-xs">{{ props.col.label }}</q-badge>
  <span class="whitespace-pre-wrap">{{ props.row[props.col.name + '_text'] }}</span>
</q-td>
"""
PHONES_CELL = r"""
<q-td :props="props">
  <div v-for="phone in props.row.phones" :key="phone.number">
    {{ phone.contact }}: <a class="kr-link" :href="'tel:' + phone.number">{{ phone.shown }}</a>
  </div>
</q-td>
"""


@staff_page('/staff/classes/{course_id}/roster', title=N_('Roster'), instructors=True)
async def roster_page(staff: StaffActor, course_id: str):
    try:
        shown = await rosters.roster(staff, course_id)
    except NotFound:
        no_such_class(staff)
        return
    with staff_frame(_('Roster: {name}').format(name=shown.course.name), staff):
        with ui.row().classes('gap-4'):
            ui.link(_('Back to classes'), '/staff/classes').classes('kr-link')
            ui.link(_('Resources'), f'/staff/classes/{shown.course.id}/resources').classes('kr-link')
        summary(shown)
        await take_attendance(staff, shown.course.id)
        if not shown.children:
            ui.label(_('No child is enrolled in this class.'))
        else:
            shown_photos = await photos.photo_links_for_staff(staff, [c.participant_id for c in shown.children])
            _children(shown, {child: links[0] for child, links in shown_photos.items()})
        if staff.role != StaffRole.INSTRUCTOR:
            await waitlist_panel(staff, shown.course)


async def take_attendance(staff: StaffActor, course_id: int) -> None:
    """Open the roster of a meeting to mark: today's, or the last one before it, or another chosen."""
    try:
        days, likely = await attendance.meeting_days(staff, course_id)
    except NotFound:  # a draft or archived class has no roster to take
        return
    if likely is None:
        return
    with ui.row().classes('w-full items-center gap-2').mark('take-attendance'):
        meeting = ui.select({d.isoformat(): weekday_day(d) for d in days}, value=likely.isoformat(), label=_('Meeting'))
        meeting.props('outlined dense').classes('w-48').mark('meeting')
        ui.button(
            _('Take attendance'), on_click=lambda: ui.navigate.to(f'/staff/attendance/{course_id}/{meeting.value}')
        ).props('unelevated color=primary no-caps')


def _children(shown: Roster, thumbnails: dict[int, str]) -> None:
    """The children enrolled, with their photos, their health flags and their families' phones."""
    columns = [
        {'name': 'name', 'label': _('Child'), 'field': 'name', 'align': 'left'},
        {'name': 'age', 'label': _('Age'), 'field': 'age', 'align': 'left'},
        {'name': 'starts', 'label': _('Enrolment'), 'field': 'starts', 'align': 'left'},
        {'name': 'allergy', 'label': _('Allergy'), 'field': 'allergy', 'align': 'left'},
        {'name': 'medical', 'label': _('Medical'), 'field': 'medical', 'align': 'left'},
        {'name': 'family', 'label': _('Family'), 'field': 'family', 'align': 'left'},
        {'name': 'phones', 'label': _('Phones'), 'field': 'phones', 'align': 'left'},
    ]
    rows = [{**row(child), 'photo': thumbnails.get(child.participant_id, '')} for child in shown.children]
    roster_table(columns, rows).add_slot('body-cell-name', NAME_WITH_PHOTO_CELL)


# the photo is beside the name, which says who it is: nothing more for a screen reader to read
NAME_WITH_PHOTO_CELL = (
    '<q-td :props="props"><div style="display:flex;align-items:center;gap:8px">'
    '<img v-if="props.row.photo" :src="props.row.photo" alt="" width="32" height="32" '
    'style="border-radius:50%;object-fit:cover;flex-shrink:0">{{ props.row.name }}</div></q-td>'
)


def summary(shown: Roster) -> None:
    place = shown.location.name + (f' · {shown.room.name}' if shown.room else '')
    facts = [
        (_('Session'), shown.term.name),
        (_('Dates'), f'{day(shown.course.starts_on)} – {day(shown.course.ends_on)}'),
        (_('Days and times'), schedule_text(shown.patterns) or '—'),
        (_('Location'), place),
        (_('Instructor'), ', '.join(shown.instructors) or '—'),
        (_('Status'), _(STATUS_NAMES[shown.course.status])),
        (_('Enrolled'), f'{len(shown.children)} / {shown.course.capacity}'),
    ]
    with ui.column().classes('gap-0 text-sm').mark('roster-summary'):
        for label, value in facts:
            ui.label(f'{label}: {value}')


def row(child: RosterChild) -> dict:
    return {
        'id': child.participant_id,
        'name': child.name,
        'age': age_text(child.age),
        'starts': _('Starts {date}').format(date=day(child.starts_on)) if child.starts_on else _('Enrolled'),
        'allergy': child.has_allergies,
        'allergy_text': child.allergies.strip(),
        'medical': child.has_medical_notes,
        'medical_text': child.medical_notes.strip(),
        'family': child.family_name,
        'phones': phone_rows(child.phones),
    }


def roster_table(columns: list[dict], rows: list[dict]) -> ui.table:
    """A class's or an event date's children: their health flags and their family's phones in cells of their own."""
    table = (
        ui.table(columns=columns, rows=rows, row_key='id')
        .props('flat bordered dense wrap-cells')
        .classes('w-full')
        .mark('roster')
    )
    table.add_slot('body-cell-allergy', FLAG_CELL)
    table.add_slot('body-cell-medical', FLAG_CELL)
    table.add_slot('body-cell-phones', PHONES_CELL)
    return table
