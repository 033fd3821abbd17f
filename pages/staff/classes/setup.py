"""What classes are built from, set up by an administrator: locations and their rooms, sessions (terms) with
when registration opens, categories in up to three tiers, and the days the studio is closed. Each list is a table;
tapping a row puts it in the form below to change it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from nicegui import ui
from nicegui.elements.mixins.validation_element import ValidationElement

from components.forms import primary_button, show_errors, text_field
from components.frame import heading
from components.guards import staff_page
from components.i18n import _, day, moment
from components.staff_frame import staff_frame
from domain.access.actors import StaffActor
from domain.classes import catalogue
from domain.classes.catalogue import (
    CatalogueSetup,
    CategoryForm,
    ClosureForm,
    LocationForm,
    RoomForm,
    TermForm,
)
from domain.errors import DomainError, ValidationFailed
from domain.i18n import N_
from domain.models import StaffRole
from domain.studio import settings

Fields = dict[str, Any]


@staff_page('/staff/classes/setup', role=StaffRole.ADMIN, title=N_('Locations, sessions, categories and closures'))
async def setup_page(staff: StaffActor):
    with staff_frame(_('Locations, sessions, categories and closures'), staff):
        ui.link(_('Back to classes'), '/staff/classes').classes('kr-link')
        await sections(staff)


@ui.refreshable
async def sections(staff: StaffActor) -> None:
    setup = await catalogue.catalogue_setup()
    locations_section(staff, setup)
    terms_section(staff, setup)
    categories_section(staff, setup)
    closures_section(staff, setup)


class RecordForm:
    """The form under a table: empty, it adds a record; filled from a tapped row, it changes that record."""

    def __init__(
        self,
        marker: str,
        adding: str,
        build: Callable[[], Fields],
        read: Callable[[Fields], Any],
        add: Callable[[Any], Awaitable[Any]],
        edit: Callable[[int, Any], Awaitable[Any]],
        *,
        kept: tuple[str, ...] = (),
    ) -> None:
        self.adding, self.read, self.add, self.edit, self.kept = adding, read, add, edit, kept
        self.editing: int | None = None
        with ui.card().classes('w-full max-w-xl gap-2').mark(marker):
            self.title = ui.label(adding).classes('font-semibold')
            self.fields = build()
            primary_button(_('Save'), self.save).mark(f'{marker}-save')
            self.cancel = ui.button(_('Cancel'), on_click=self.clear).props('flat color=primary')
            self.cancel.visible = False

    def open(self, row: dict) -> None:
        """Change the record of this row: its values in the fields (those it keeps, shown but fixed)."""
        self.editing = int(row['id'])
        self.title.text = _('Change: {name}').format(name=row['title'])
        for name, field in self.fields.items():
            field.value = row['form'][name]
            field.enabled = name not in self.kept
        self.cancel.visible = True
        self.shown_errors({})

    def clear(self) -> None:
        self.editing = None
        self.title.text = self.adding
        for field in self.fields.values():
            field.value = False if isinstance(field, ui.switch) else None if isinstance(field, ui.select) else ''
            field.enabled = True
        self.cancel.visible = False
        self.shown_errors({})

    def shown_errors(self, errors: dict[str, str]) -> None:
        show_errors({k: f for k, f in self.fields.items() if isinstance(f, ValidationElement)}, errors)

    async def save(self) -> None:
        try:
            form = self.read(self.fields)
            if self.editing is None:
                await self.add(form)
            else:
                await self.edit(self.editing, form)
        except ValidationFailed as failure:
            self.shown_errors(failure.errors)
            return
        except DomainError as refused:
            ui.notify(_(refused.MESSAGE), type='warning')
            return
        ui.notify(_('Saved'), type='positive')
        sections.refresh()


def record_table(marker: str, columns: list[tuple[str, str]], rows: list[dict]) -> ui.table | None:
    if not rows:
        ui.label(_('None yet')).classes('text-gray-700')
        return None
    ui.label(_('Tap a row to change it.')).classes('text-sm text-gray-700')
    shown = ui.table(
        columns=[{'name': name, 'label': label, 'field': name, 'align': 'left'} for name, label in columns],
        rows=rows,
        row_key='id',
    )
    return shown.props('flat bordered dense wrap-cells').classes('w-full max-w-4xl cursor-pointer').mark(marker)


def opens_in(shown: ui.table | None, form: RecordForm) -> None:
    """A tap on a row of the table puts that record in the form."""
    if shown is not None:
        shown.on('row-click', lambda event: form.open(event.args[1]))


def locations_section(staff: StaffActor, setup: CatalogueSetup) -> None:
    heading(_('Locations and rooms'), 2)
    rows = [
        {
            'id': place.location.id,
            'title': place.location.name,
            'name': place.location.name,
            'address': place.location.address.replace('\n', ', '),
            'rooms': ', '.join(room.name for room in place.rooms) or '—',
            'form': {'name': place.location.name, 'address': place.location.address},
        }
        for place in setup.locations
    ]
    shown = record_table('locations', [('name', _('Location')), ('address', _('Address')), ('rooms', _('Rooms'))], rows)
    location_form = RecordForm(
        'location-form',
        _('Add a location'),
        lambda: {
            'name': text_field(_('Name')).mark('location-name'),
            'address': ui.textarea(_('Address')).props('outlined stack-label autogrow').classes('w-full'),
        },
        lambda f: LocationForm(f['name'].value or '', f['address'].value or ''),
        lambda form: catalogue.add_location(staff, form),
        lambda record_id, form: catalogue.edit_location(staff, record_id, form),
    )
    opens_in(shown, location_form)

    room_rows = [
        {
            'id': room.id,
            'title': room.name,
            'location': place.location.name,
            'name': room.name,
            'form': {'location_id': place.location.id, 'name': room.name},
        }
        for place in setup.locations
        for room in place.rooms
    ]
    shown = record_table('rooms', [('location', _('Location')), ('name', _('Room'))], room_rows)
    places = {place.location.id: place.location.name for place in setup.locations}

    async def add_room(typed: tuple[int | None, RoomForm]) -> None:
        location_id, form = typed
        if location_id is None:
            raise ValidationFailed({'location_id': N_('This field is required')})
        await catalogue.add_room(staff, location_id, form)

    room_form = RecordForm(
        'room-form',
        _('Add a room'),
        lambda: {
            'location_id': ui.select(places, label=_('Location'))
            .props('outlined stack-label')
            .classes('w-full')
            .mark('room-location'),
            'name': text_field(_('Room')).mark('room-name'),
        },
        lambda f: (f['location_id'].value, RoomForm(f['name'].value or '')),
        add_room,
        lambda record_id, typed: catalogue.edit_room(staff, record_id, typed[1]),
        kept=('location_id',),  # a room stays at its location
    )
    opens_in(shown, room_form)


def terms_section(staff: StaffActor, setup: CatalogueSetup) -> None:
    heading(_('Sessions'), 2)
    rows = []
    for term in setup.terms:
        typed = catalogue.term_form(term)
        rows.append(
            {
                'id': term.id,
                'title': term.name,
                'name': term.name,
                'dates': f'{day(term.starts_on)} – {day(term.ends_on)}',
                'opens': moment(term.registration_opens_at),
                'early': moment(term.early_opens_at) if term.early_opens_at else '—',
                'hidden': _('Hidden') if term.hidden_from_families else _('Shown'),
                'form': {
                    'name': typed.name,
                    'starts_on': typed.starts_on,
                    'ends_on': typed.ends_on,
                    'registration_opens_at': typed.registration_opens_at,
                    'early_opens_at': typed.early_opens_at or '',
                    'hidden_from_families': typed.hidden_from_families,
                },
            }
        )
    columns = [
        ('name', _('Session')),
        ('dates', _('Dates')),
        ('opens', _('Registration opens')),
        ('early', _('Early opening')),
        ('hidden', _('Families')),
    ]
    shown = record_table('terms', columns, rows)
    clock_hint = _('On the studio’s clock ({zone})').format(zone=settings.current().timezone)

    def build() -> Fields:
        fields: Fields = {'name': text_field(_('Name')).mark('term-name')}
        with ui.row().classes('w-full gap-2 wrap'):
            for name, label in (('starts_on', _('First day')), ('ends_on', _('Last day'))):
                fields[name] = text_field(label, kind='date').classes(remove='w-full', add='w-48').mark(f'term-{name}')
        with ui.row().classes('w-full gap-2 wrap'):
            for name, label in (
                ('registration_opens_at', _('Registration opens')),
                ('early_opens_at', _('Early opening for enrolled families (optional)')),
            ):
                field = text_field(label, kind='datetime-local').classes(remove='w-full', add='w-64 max-w-full')
                field.props['hint'] = clock_hint
                fields[name] = field.mark(f'term-{name}')
        fields['hidden_from_families'] = ui.switch(_('Hidden from families')).mark('term-hidden')
        return fields

    def read(f: Fields) -> TermForm:
        return TermForm(
            f['name'].value or '',
            f['starts_on'].value or '',
            f['ends_on'].value or '',
            f['registration_opens_at'].value or '',
            f['early_opens_at'].value or None,
            bool(f['hidden_from_families'].value),
        )

    term_form = RecordForm(
        'term-form',
        _('Add a session'),
        build,
        read,
        lambda form: catalogue.add_term(staff, form),
        lambda record_id, form: catalogue.edit_term(staff, record_id, form),
    )
    opens_in(shown, term_form)


def categories_section(staff: StaffActor, setup: CatalogueSetup) -> None:
    heading(_('Categories'), 2)
    rows = [
        {
            'id': line.id,
            'title': line.path,
            'path': line.path,
            'form': {'name': line.name, 'parent_id': line.parent_id},
        }
        for line in setup.categories
    ]
    shown = record_table('categories', [('path', _('Category'))], rows)
    parents = {line.id: line.path for line in setup.categories if line.tier < catalogue.MOST_TIERS}
    category_form = RecordForm(
        'category-form',
        _('Add a category'),
        lambda: {
            'name': text_field(_('Name')).mark('category-name'),
            'parent_id': ui.select(parents, label=_('Under (optional)'))
            .props('outlined stack-label clearable')
            .classes('w-full')
            .mark('category-parent'),
        },
        lambda f: CategoryForm(f['name'].value or '', f['parent_id'].value),
        lambda form: catalogue.add_category(staff, form),
        lambda record_id, form: catalogue.edit_category(staff, record_id, form),
    )
    opens_in(shown, category_form)


def closures_section(staff: StaffActor, setup: CatalogueSetup) -> None:
    heading(_('Closed dates'), 2)
    ui.label(_('No class meets on a day the studio is closed.')).classes('text-sm text-gray-700')
    rows = [
        {
            'id': closure.id,
            'title': day(closure.date),
            'date': day(closure.date),
            'reason': closure.reason,
            'form': {'date': closure.date.isoformat(), 'reason': closure.reason},
        }
        for closure in setup.closures
    ]
    shown = record_table('closures', [('date', _('Date')), ('reason', _('Reason'))], rows)
    closure_form = RecordForm(
        'closure-form',
        _('Add a closed date'),
        lambda: {
            'date': text_field(_('Date'), kind='date').classes(remove='w-full', add='w-48').mark('closure-date'),
            'reason': text_field(_('Reason')).mark('closure-reason'),
        },
        lambda f: ClosureForm(f['date'].value or '', f['reason'].value or ''),
        lambda form: catalogue.add_closure(staff, form),
        lambda record_id, form: catalogue.edit_closure(staff, record_id, form),
    )
    opens_in(shown, closure_form)
