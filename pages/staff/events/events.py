"""The staff console's events: the list of every event with its upcoming dates and their seats; an administrator's
form for an event and for each of its dates, every mistake said beside its field; and a date's roster, where the
desk or an administrator cancels a registration. Instructors see none of it: events are not a class they teach."""

from __future__ import annotations

import dataclasses
from typing import Any

from nicegui import ui

from components.class_labels import age_text, hours_text, options, phone_rows, place_text
from components.forms import confirm_dialog, save_button, saved, show_errors, text_field
from components.frame import heading
from components.guards import staff_page
from components.i18n import _, day, moment, money
from components.staff_frame import staff_frame
from domain.access.actors import StaffActor
from domain.classes import events
from domain.classes.events import (
    EventChoices,
    EventSummary,
    EventTypeForm,
    OccurrenceForm,
    OccurrenceLine,
    OccurrenceRoster,
    RosterEntry,
    StoredEvent,
)
from domain.errors import NotFound, ValidationFailed
from domain.i18n import N_
from domain.models import EventRegistrant, EventType, OccurrenceStatus, StaffRole
from domain.studio import settings
from pages.staff.classes.class_editor import whole_number
from pages.staff.classes.roster import roster_table

OCCURRENCE_STATUS_NAMES = {
    OccurrenceStatus.OPEN: N_('Open'),
    OccurrenceStatus.NOTICE: N_('Notice: shown, not bookable'),
    OccurrenceStatus.UNAVAILABLE: N_('Unavailable'),
}
REGISTRANT_NAMES = {
    EventRegistrant.CHILDREN: N_('Each child registers'),
    EventRegistrant.FAMILY: N_('The family registers once'),
}

EVENT_LABELS = {
    'name': N_('Name'),
    'location_id': N_('Location'),
    'description': N_('Description (Markdown)'),
    'fee': N_('Fee'),
    'registrant': N_('Who registers'),
    'most_children': N_('Most children per family'),
    'min_age_years': N_('Youngest: years'),
    'min_age_months': N_('Youngest: months'),
    'max_age_years': N_('Oldest: years'),
    'max_age_months': N_('Oldest: months'),
    'age_cutoff': N_('Ages taken on'),
    'max_size': N_('Most registrations over all dates'),
    'policy_ids': N_('Policies asked for at checkout'),
}
DATE_LABELS = {
    'date': N_('Date'),
    'start_time': N_('Starts at'),
    'end_time': N_('Ends at'),
    'room_id': N_('Room'),
    'capacity': N_('Capacity'),
    'status': N_('Status'),
}

BLANK = EventTypeForm(name='', location_id=None, fee='')
BLANK_DATE = OccurrenceForm(date='', start_time='', end_time='', capacity='')

LINKS_CELL = r"""
<q-td :props="props">
  <div class="row no-wrap items-center" style="gap: 0.75rem">
    <a v-if="props.row.roster_url" class="kr-link" :href="props.row.roster_url">{{ props.row.roster_label }}</a>
    <a v-if="props.row.edit_url" class="kr-link" :href="props.row.edit_url">{{ props.row.edit_label }}</a>
  </div>
</q-td>
"""
CANCEL_CELL = r"""
<q-td :props="props">
  <q-btn flat dense no-caps color="negative" :label="props.row.cancel_label"
         @click="() => $parent.$emit('cancel', props.row)" />
</q-td>
"""


def no_such_event(staff: StaffActor) -> None:
    with staff_frame(_('Not found'), staff):
        ui.label(_('We could not find that page. It may have been removed, or the link may be wrong.'))
        back_to_events()


def back_to_events() -> ui.link:
    return ui.link(_('Back to events'), '/staff/events').classes('kr-link')


def seat_columns(line: OccurrenceLine) -> dict:
    """A date's seats and status, as every table of dates shows them."""
    return {
        'date': day(line.occurrence.date),
        'time': hours_text(line),
        'status': _(OCCURRENCE_STATUS_NAMES[OccurrenceStatus(line.occurrence.status)]),
        'registered': line.seats.registered,
        'capacity': line.seats.capacity,
        'openings': line.openings,
        'roster_url': f'/staff/events/dates/{line.occurrence.id}',
        'roster_label': _('Roster'),
    }


def columns_of(*names: tuple[str, str, str]) -> list[dict]:
    return [{'name': name, 'label': label, 'field': name, 'align': align} for name, label, align in names]


def seat_headings() -> tuple[tuple[str, str, str], ...]:
    return (
        ('date', _('Date'), 'left'),
        ('time', _('Time'), 'left'),
        ('place', _('Location'), 'left'),
        ('status', _('Status'), 'left'),
        ('registered', _('Registered'), 'right'),
        ('capacity', _('Capacity'), 'right'),
        ('openings', _('Openings'), 'right'),
    )


def dates_table(marker: str, rows: list[dict], *headings: tuple[str, str, str]) -> ui.table:
    table = (
        ui.table(
            columns=columns_of(*headings, *seat_headings(), ('links', _('Links'), 'left')), rows=rows, row_key='id'
        )
        .props('flat bordered dense wrap-cells')
        .classes('w-full')
        .mark(marker)
    )
    table.add_slot('body-cell-links', LINKS_CELL)
    return table


# The list


@staff_page('/staff/events', title=N_('Events'))
async def events_page(staff: StaffActor):
    listed = await events.events_overview(staff, settings.today())
    admin = staff.role == StaffRole.ADMIN
    with staff_frame(_('Events'), staff):
        if admin:
            ui.button(_('Add an event'), icon='add', on_click=lambda: ui.navigate.to('/staff/events/new')).props(
                'unelevated color=primary'
            )
        if not listed:
            ui.label(_('No events yet'))
            return
        rows = [row for summary in listed for row in event_rows(summary, admin)]
        dates_table('events', rows, ('event', _('Event'), 'left'))


def event_rows(summary: EventSummary, admin: bool) -> list[dict]:
    """An event's upcoming dates, each a row; an event without one still has its row, saying so."""
    event = summary.event
    named = {
        'event': event.name,
        'edit_url': f'/staff/events/{event.id}' if admin else '',
        'edit_label': _('Edit event'),
    }
    if not summary.upcoming:
        return [{**named, 'id': f'{event.id}-', 'date': _('No upcoming dates'), 'place': summary.location.name}]
    return [
        {**named, **seat_columns(line), 'id': f'{event.id}-{line.occurrence.id}', 'place': place_text(line)}
        for line in summary.upcoming
    ]


# An event and its dates


@staff_page('/staff/events/new', role=StaffRole.ADMIN, title=N_('Add an event'))
async def new_event_page(staff: StaffActor):
    choices = await events.event_choices()
    with staff_frame(_('Add an event'), staff):
        back_to_events()
        EventEditor(staff, None, BLANK, choices)
        ui.label(_('Its dates are added once the event is.')).classes('text-sm text-gray-700')


@staff_page('/staff/events/{event_id}', role=StaffRole.ADMIN, title=N_('Edit event'))
async def edit_event_page(staff: StaffActor, event_id: str):
    try:
        stored = await events.event_for_editing(staff, event_id)
    except NotFound:
        no_such_event(staff)
        return
    choices = await events.event_choices()
    with staff_frame(_('Event: {name}').format(name=stored.event.name), staff):
        back_to_events()
        EventEditor(staff, stored.event.id, stored.form, choices)
        event_dates(staff, stored, choices)


def sized(field: Any) -> Any:
    """A field that sits beside others on a laptop and takes the whole width of a phone."""
    return field.classes(remove='w-full', add='w-48 max-w-full')


def select(label: str, choices: dict, *, multiple: bool = False) -> ui.select:
    field = (
        ui.select(choices, label=label, multiple=multiple, value=[] if multiple else None)
        .props('outlined stack-label')
        .classes('w-full')
    )
    if multiple:
        field.props('use-chips')
    return field


class EventEditor:
    """An event's own fields. A new event, once added, opens on its own page, where its dates are added."""

    def __init__(self, staff: StaffActor, event_id: int | None, loaded: EventTypeForm, choices: EventChoices) -> None:
        self.staff, self.event_id, self.choices = staff, event_id, choices
        with ui.column().classes('w-full max-w-3xl gap-3'):
            self.name = text_field(_(EVENT_LABELS['name'])).mark('name')
            locations = {place.location.id: place.location.name for place in choices.locations}
            self.location = select(_(EVENT_LABELS['location_id']), locations).mark('location')
            self.description = (
                ui.textarea(_(EVENT_LABELS['description']))
                .props('outlined stack-label autogrow')
                .classes('w-full')
                .mark('description')
            )
            self.fee = sized(text_field(_(EVENT_LABELS['fee'])).mark('fee'))
            self.fee.props['inputmode'] = 'decimal'
            heading(_('Who may come'), 2)
            with ui.row().classes('w-full gap-2 wrap items-start'):
                self.registrant = sized(select(_(EVENT_LABELS['registrant']), options(REGISTRANT_NAMES)))
                self.registrant.mark('registrant').on_value_change(self.registrant_chosen)
                self.most_children = sized(whole_number(_(EVENT_LABELS['most_children'])).mark('most_children'))
            with ui.row().classes('w-full gap-2 wrap'):
                self.ages = {
                    name: sized(whole_number(_(EVENT_LABELS[name])).mark(name))
                    for name in ('min_age_years', 'min_age_months', 'max_age_years', 'max_age_months')
                }
            with ui.row().classes('w-full gap-2 wrap items-start'):
                self.age_cutoff = sized(text_field(_(EVENT_LABELS['age_cutoff']), kind='date').mark('age_cutoff'))
                self.age_cutoff.props['hint'] = _('Empty: each child’s age on the day they come')
                self.max_size = sized(whole_number(_(EVENT_LABELS['max_size'])).mark('max_size'))
                self.max_size.props['hint'] = _('Empty: no limit')
            heading(_('Families'), 2)
            self.shown_to_families = ui.switch(_('Shown to families')).mark('shown_to_families')
            policies = {policy.id: policy.name for policy in choices.policies}
            self.policies = select(_(EVENT_LABELS['policy_ids']), policies, multiple=True).mark('policies')
            save_button(self.save, _('Add the event') if event_id is None else _('Save'))
        self.fill(loaded)

    @property
    def fields(self) -> dict[str, Any]:
        """Every field under the name its messages come with, in the order of the page."""
        return {
            'name': self.name,
            'location_id': self.location,
            'description': self.description,
            'fee': self.fee,
            'registrant': self.registrant,
            'most_children': self.most_children,
            **self.ages,
            'age_cutoff': self.age_cutoff,
            'max_size': self.max_size,
            'policy_ids': self.policies,
        }

    def fill(self, form: EventTypeForm) -> None:
        self.name.value = form.name
        self.location.value = form.location_id
        self.description.value = form.description
        self.fee.value = str(form.fee)
        self.registrant.value = form.registrant
        self.most_children.value = str(form.most_children or '')
        for name, field in self.ages.items():
            field.value = str(getattr(form, name) or '')
        self.age_cutoff.value = str(form.age_cutoff or '')
        self.max_size.value = str(form.max_size or '')
        self.shown_to_families.value = form.shown_to_families
        # a policy retired since it was attached is asked for no more, and cannot be chosen again
        self.policies.value = [policy for policy in form.policy_ids if policy in self.policies.options]
        self.registrant_chosen()

    def read(self) -> EventTypeForm:
        return EventTypeForm(
            name=self.name.value or '',
            location_id=self.location.value,
            fee=self.fee.value or '',
            description=self.description.value or '',
            registrant=self.registrant.value or '',
            most_children=self.most_children.value or '',
            **{name: field.value or '' for name, field in self.ages.items()},
            age_cutoff=self.age_cutoff.value or '',
            max_size=self.max_size.value or '',
            shown_to_families=bool(self.shown_to_families.value),
            policy_ids=tuple(self.policies.value or ()),
        )

    def registrant_chosen(self) -> None:
        """A family registers once: how many of its children may come is not asked."""
        self.most_children.visible = self.registrant.value == EventRegistrant.CHILDREN.value

    async def save(self) -> None:
        typed = self.read()
        try:
            if self.event_id is None:
                added = await events.add_event(self.staff, typed)
            else:
                await events.edit_event(self.staff, self.event_id, typed)
        except ValidationFailed as failure:
            show_errors(self.fields, failure.errors)
            return
        except NotFound:
            show_errors(self.fields, {'name': N_('This event no longer exists')})
            return
        show_errors(self.fields, {})
        if self.event_id is None:
            ui.notify(_('Event added: {name}').format(name=typed.name), type='positive')
            ui.navigate.to(f'/staff/events/{added.id}')
            return
        saved()
        await show_dates_again(self.staff, self.event_id, self.choices)  # a new location has other rooms


@ui.refreshable
def event_dates(staff: StaffActor, stored: StoredEvent, choices: EventChoices) -> None:
    """Every date of the event, latest first; tapping one puts it in the form below to change it."""
    heading(_('Dates'), 2)
    editor_rows = [
        {
            **seat_columns(line),
            'id': line.occurrence.id,
            'place': place_text(line),
            'form': dataclasses.asdict(events.occurrence_form(line.occurrence)),
        }
        for line in stored.occurrences
    ]
    shown = None
    if editor_rows:
        ui.label(_('Tap a date to change it, or to open it for booking.')).classes('text-sm text-gray-700')
        shown = dates_table('dates', editor_rows).classes('cursor-pointer')
    else:
        ui.label(_('No dates yet')).classes('text-gray-700')
    editor = DateEditor(staff, stored.event, choices)
    if shown is not None:
        shown.on('row-click', lambda clicked: editor.open(clicked.args[1]))


async def show_dates_again(staff: StaffActor, event_id: int, choices: EventChoices) -> None:
    event_dates.refresh(staff, await events.event_for_editing(staff, event_id), choices)


class DateEditor:
    """The form under the dates: empty, it adds a date; filled from a tapped row, it changes that date."""

    def __init__(self, staff: StaffActor, event: EventType, choices: EventChoices) -> None:
        self.staff, self.event, self.choices = staff, event, choices
        rooms = choices.rooms_of(event.location_id)
        self.editing: int | None = None
        with ui.card().classes('w-full max-w-xl gap-2').mark('date-form'):
            self.title = ui.label(_('Add a date')).classes('font-semibold')
            self.date = sized(text_field(_(DATE_LABELS['date']), kind='date').mark('date'))
            with ui.row().classes('w-full gap-2 wrap'):
                self.start = sized(text_field(_(DATE_LABELS['start_time']), kind='time').mark('start_time'))
                self.end = sized(text_field(_(DATE_LABELS['end_time']), kind='time').mark('end_time'))
            self.room = select(_(DATE_LABELS['room_id']), {room.id: room.name for room in rooms}).mark('room')
            self.room.props('clearable')
            self.capacity = sized(whole_number(_(DATE_LABELS['capacity'])).mark('capacity'))
            self.status = select(_(DATE_LABELS['status']), options(OCCURRENCE_STATUS_NAMES)).mark('status')
            self.save_button = save_button(self.save, _('Add the date'))
            self.cancel = ui.button(_('Cancel'), on_click=self.clear).props('flat color=primary')
        self.clear()

    @property
    def fields(self) -> dict[str, Any]:
        return {
            'date': self.date,
            'start_time': self.start,
            'end_time': self.end,
            'room_id': self.room,
            'capacity': self.capacity,
            'status': self.status,
        }

    def fill(self, form: OccurrenceForm) -> None:
        self.date.value = str(form.date)
        self.start.value = str(form.start_time)
        self.end.value = str(form.end_time)
        self.room.value = form.room_id if form.room_id in self.room.options else None
        self.capacity.value = str(form.capacity)
        self.status.value = form.status
        show_errors(self.fields, {})

    def open(self, row: dict) -> None:
        """Change the date of this row."""
        self.editing = int(row['id'])
        self.title.text = _('Change the date: {date}').format(date=row['date'])
        self.save_button.text = _('Save the date')
        self.cancel.visible = True
        self.fill(OccurrenceForm(**row['form']))

    def clear(self) -> None:
        self.editing = None
        self.title.text = _('Add a date')
        self.save_button.text = _('Add the date')
        self.cancel.visible = False
        self.fill(BLANK_DATE)

    def read(self) -> OccurrenceForm:
        return OccurrenceForm(
            date=self.date.value or '',
            start_time=self.start.value or '',
            end_time=self.end.value or '',
            capacity=self.capacity.value or '',
            room_id=self.room.value,
            status=self.status.value or '',
        )

    async def save(self) -> None:
        try:
            if self.editing is None:
                await events.add_occurrence(self.staff, self.event.id, self.read())
            else:
                await events.edit_occurrence(self.staff, self.editing, self.read())
        except ValidationFailed as failure:
            show_errors(self.fields, failure.errors)
            return
        except NotFound:
            ui.notify(_('This date no longer exists'), type='warning')
            return
        ui.notify(_('Saved'), type='positive')
        await show_dates_again(self.staff, self.event.id, self.choices)


# A date's roster


@staff_page('/staff/events/dates/{occurrence_id}', title=N_('Roster'))
async def occurrence_roster_page(staff: StaffActor, occurrence_id: str):
    try:
        shown = await events.occurrence_roster(staff, occurrence_id)
    except NotFound:
        no_such_event(staff)
        return
    with staff_frame(_('Roster: {name}').format(name=shown.line.event.name), staff):
        back_to_events()
        roster(staff, shown)


@ui.refreshable
def roster(staff: StaffActor, shown: OccurrenceRoster) -> None:
    """The date's seats and who comes, each registration with its own Cancel behind a question."""
    summary(shown.line)
    if not shown.entries:
        ui.label(_('No one is registered for this date.'))
        return
    columns = columns_of(
        ('name', _('Child or family'), 'left'),
        ('age', _('Age'), 'left'),
        ('allergy', _('Allergy'), 'left'),
        ('medical', _('Medical'), 'left'),
        ('family', _('Family'), 'left'),
        ('phones', _('Phones'), 'left'),
        ('registered', _('Registered'), 'left'),
        ('cancel', _('Cancel registration'), 'left'),
    )
    rows = [roster_row(entry) for entry in shown.entries]
    table = roster_table(columns, rows)
    table.add_slot('body-cell-cancel', CANCEL_CELL)
    questions = {row['id']: cancel_question(staff, shown, row) for row in rows}
    table.on('cancel', lambda clicked: questions[clicked.args['id']].open())


def cancel_question(staff: StaffActor, shown: OccurrenceRoster, row: dict) -> ui.dialog:
    async def cancel() -> None:
        dialog.close()
        try:
            await events.cancel_registration_by_staff(staff, row['id'])
        except NotFound:
            ui.notify(_('This registration was cancelled already'), type='warning')
        else:
            ui.notify(_('Registration cancelled: {name}').format(name=row['name']), type='positive')
        roster.refresh(staff, await events.occurrence_roster(staff, shown.line.occurrence.id))

    question = _('Cancel the registration of {name} for this date? Their seat is freed at once.')
    dialog = confirm_dialog(
        question.format(name=row['name']),
        _('Cancel registration'),
        cancel,
        danger=True,
        marker=f'cancel-{row["id"]}',
    )
    return dialog


def summary(line: OccurrenceLine) -> None:
    event = line.event
    facts = [
        (_('Date'), f'{day(line.occurrence.date)} {hours_text(line)}'),
        (_('Location'), place_text(line)),
        (_('Status'), _(OCCURRENCE_STATUS_NAMES[OccurrenceStatus(line.occurrence.status)])),
        (_('Fee'), money(event.fee)),
        (_('Who registers'), _(REGISTRANT_NAMES[EventRegistrant(event.registrant)])),
        (_('Registered'), f'{line.seats.registered} / {line.seats.capacity}'),
        (_('Openings'), str(line.openings)),
    ]
    with ui.column().classes('gap-0 text-sm').mark('roster-summary'):
        for label, value in facts:
            ui.label(f'{label}: {value}')


def roster_row(entry: RosterEntry) -> dict:
    by = f'{entry.registered_by}, {moment(entry.registered_at)}' if entry.registered_at else entry.registered_by
    return {
        'id': entry.registration_id,
        'name': entry.child or _('The {family} family').format(family=entry.family_name),
        'age': age_text(entry.age) if entry.child else '—',
        'allergy': entry.has_allergies,
        'allergy_text': entry.allergies.strip(),
        'medical': entry.has_medical_notes,
        'medical_text': entry.medical_notes.strip(),
        'family': entry.family_name,
        'phones': phone_rows(entry.phones),
        'registered': by,
        'cancel_label': _('Cancel registration'),
    }
