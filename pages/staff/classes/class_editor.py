"""An administrator adds a class or edits one: every field of the class, its weekly meetings, categories,
instructors and policies, each mistake said beside its field. An edit is saved against the version it was loaded
with; when someone saved in between, the page shows theirs beside yours and lets you choose."""

from __future__ import annotations

import dataclasses
from typing import Any

from nicegui import ui

from components.class_labels import (
    AGE_TAKEN_AT_NAMES,
    BASIS_NAMES,
    GENDER_RULE_NAMES,
    STATUS_NAMES,
    options,
    weekday_names,
)
from components.edit_conflicts import ChangedMeanwhileNotice, shown_value
from components.forms import save_button, saved, show_errors, text_field
from components.frame import heading
from components.guards import staff_page
from components.i18n import _
from components.staff_frame import staff_frame
from domain.access.actors import StaffActor
from domain.classes import catalogue
from domain.classes.catalogue import CourseChoices, PatternForm, StoredCourse
from domain.errors import NotFound, ValidationFailed
from domain.family.versions import ChangedMeanwhile
from domain.i18n import N_
from domain.models import AgeTakenAt, StaffRole
from pages.staff.classes.missing import no_such_class

BLANK = StoredCourse(name='', term_id=0, location_id=0, starts_on='', ends_on='', capacity='', tuition='', patterns=())

LABELS = {
    'name': N_('Name'),
    'description': N_('Description (Markdown)'),
    'term_id': N_('Session'),
    'location_id': N_('Location'),
    'room_id': N_('Room'),
    'starts_on': N_('First day'),
    'ends_on': N_('Last day'),
    'patterns': N_('Weekly meetings'),
    'capacity': N_('Capacity'),
    'category_ids': N_('Categories'),
    'instructor_ids': N_('Instructors'),
    'policy_ids': N_('Policies asked for at checkout'),
    'min_age_years': N_('Youngest: years'),
    'min_age_months': N_('Youngest: months'),
    'max_age_years': N_('Oldest: years'),
    'max_age_months': N_('Oldest: months'),
    'age_taken_at': N_('Age taken'),
    'age_date': N_('Age taken on'),
    'gender_rule': N_('Who may enrol'),
    'prerequisite_id': N_('Class required first'),
    'tuition': N_('Tuition'),
    'tuition_basis': N_('Charged'),
    'registration_fee': N_('Registration fee applies'),
    'status': N_('Status'),
    'shown_to_families': N_('Shown to families'),
    'self_enrol': N_('Families may enrol themselves'),
    'enrol_by_request': N_('Families ask to enrol; the desk decides'),
}


@staff_page('/staff/classes/new', role=StaffRole.ADMIN, title=N_('Add a class'))
async def new_class_page(staff: StaffActor):
    choices = await catalogue.course_choices()
    with staff_frame(_('Add a class'), staff):
        CourseEditor(staff, None, BLANK, choices)


@staff_page('/staff/classes/{course_id}/edit', role=StaffRole.ADMIN, title=N_('Edit class'))
async def edit_class_page(staff: StaffActor, course_id: str):
    try:
        loaded = await catalogue.course_for_editing(course_id)
    except NotFound:
        no_such_class(staff)
        return
    choices = await catalogue.course_choices()
    with staff_frame(_('Edit class: {name}').format(name=loaded.name), staff):
        CourseEditor(staff, int(course_id), loaded, choices)


def whole_number(label: str) -> ui.input:
    """A field for a whole number, kept as typed (a number input would hand over a float), with the phone's
    digit keyboard."""
    field = text_field(label)
    field.props['inputmode'] = 'numeric'
    return field


class PatternRow:
    """One weekly meeting: its weekdays and times, and its own line for what is wrong with it."""

    def __init__(self, rows: PatternRows, pattern: PatternForm) -> None:
        self.rows = rows
        number = len(rows.rows)
        with ui.column().classes('w-full gap-1 border rounded p-2').mark(f'pattern-{number}') as self.box:
            with ui.row().classes('items-center gap-2 wrap').props('role=group') as days:
                days.props['aria-label'] = _('Days of the week')
                self.days = [
                    ui.checkbox(name, value=weekday in pattern.weekdays).mark(f'pattern-{number}-day-{weekday}')
                    for weekday, name in enumerate(weekday_names())
                ]
            with ui.row().classes('items-end gap-2 wrap w-full'):
                self.start = (
                    text_field(_('Starts at'), str(pattern.start_time), kind='time')
                    .classes(remove='w-full', add='w-40')
                    .mark(f'pattern-{number}-start')
                )
                self.end = (
                    text_field(_('Ends at'), str(pattern.end_time), kind='time')
                    .classes(remove='w-full', add='w-40')
                    .mark(f'pattern-{number}-end')
                )
                ui.button(_('Remove this meeting'), icon='delete', on_click=lambda: rows.remove(self)).props(
                    'flat color=negative no-caps'
                )
            self.message = ui.label('').classes('text-sm text-negative').props('role=alert')

    @property
    def id(self) -> int:  # where show_errors scrolls to
        return self.box.id

    @property
    def error(self) -> str | None:
        return self.message.text or None

    @error.setter
    def error(self, message: str | None) -> None:
        self.message.text = message or ''

    def read(self) -> PatternForm:
        weekdays = tuple(number for number, box in enumerate(self.days) if box.value)
        return PatternForm(weekdays, self.start.value or '', self.end.value or '')


class PatternRows:
    """The class's weekly meetings, as many as it has; a message about them all goes under the last one."""

    def __init__(self, patterns: tuple[PatternForm, ...]) -> None:
        self.rows: list[PatternRow] = []
        self.box = ui.column().classes('w-full gap-2').mark('patterns')
        self.message = ui.label('').classes('text-sm text-negative').props('role=alert')
        ui.button(_('Add a weekly meeting'), icon='add', on_click=lambda: self.add()).props(
            'outline color=primary no-caps'
        )
        self.fill(patterns)

    def fill(self, patterns: tuple[PatternForm, ...]) -> None:
        self.box.clear()
        self.rows = []
        for pattern in patterns or (PatternForm((), '', ''),):
            self.add(pattern)

    def add(self, pattern: PatternForm | None = None) -> None:
        with self.box:
            self.rows.append(PatternRow(self, pattern or PatternForm((), '', '')))

    def remove(self, row: PatternRow) -> None:
        self.rows.remove(row)
        self.box.remove(row.box)

    @property
    def id(self) -> int:
        return self.box.id

    @property
    def error(self) -> str | None:
        return self.message.text or None

    @error.setter
    def error(self, message: str | None) -> None:
        self.message.text = message or ''

    def read(self) -> tuple[PatternForm, ...]:
        return tuple(row.read() for row in self.rows)

    def fields(self) -> dict[str, Any]:
        """Each row under the name its messages come with, then the one for them all."""
        return {**{f'patterns.{number}': row for number, row in enumerate(self.rows)}, 'patterns': self}


class CourseEditor:
    def __init__(self, staff: StaffActor, course_id: int | None, loaded: StoredCourse, choices: CourseChoices) -> None:
        self.staff, self.course_id, self.loaded, self.choices = staff, course_id, loaded, choices
        setup = choices.setup
        with ui.column().classes('w-full max-w-3xl gap-3'):
            self.notice = ChangedMeanwhileNotice(LABELS, self.shown)
            self.name = text_field(_(LABELS['name'])).mark('name')
            self.description = (
                ui.textarea(_(LABELS['description'])).props('outlined stack-label autogrow').classes('w-full')
            )
            self.term = self.select(
                'term_id', {term.id: term.name for term in setup.terms}, on_change=self.term_chosen
            ).mark('term')
            with ui.row().classes('w-full gap-2 wrap'):
                self.starts_on = self.sized(text_field(_(LABELS['starts_on']), kind='date').mark('starts_on'))
                self.ends_on = self.sized(text_field(_(LABELS['ends_on']), kind='date').mark('ends_on'))
            locations = {place.location.id: place.location.name for place in setup.locations}
            self.location = self.select('location_id', locations, on_change=self.location_chosen).mark('location')
            self.room = self.select('room_id', {}).props('clearable').mark('room')
            heading(_(LABELS['patterns']), 2)
            self.patterns = PatternRows(loaded.patterns)
            heading(_('Places and ages'), 2)
            self.capacity = self.sized(whole_number(_(LABELS['capacity'])).mark('capacity'))
            with ui.row().classes('w-full gap-2 wrap'):
                self.ages = {
                    name: self.sized(whole_number(_(LABELS[name])).mark(name))
                    for name in ('min_age_years', 'min_age_months', 'max_age_years', 'max_age_months')
                }
            with ui.row().classes('w-full gap-2 wrap items-start'):
                self.age_taken_at = self.sized(
                    self.select('age_taken_at', options(AGE_TAKEN_AT_NAMES), on_change=self.age_rule_chosen)
                )
                self.age_date = self.sized(text_field(_(LABELS['age_date']), kind='date').mark('age_date'))
            self.gender_rule = self.select('gender_rule', options(GENDER_RULE_NAMES))
            courses = {c.id: c.name for c in choices.courses if c.id != course_id}
            self.prerequisite = self.select('prerequisite_id', courses).props('clearable').mark('prerequisite')
            heading(_('Categories, instructors and policies'), 2)
            categories = {line.id: line.path for line in setup.categories}
            self.categories = self.select('category_ids', categories, multiple=True).mark('categories')
            teachers = {teacher.id: teacher.name for teacher in choices.teachers}
            self.first_instructor = self.select('instructor_ids', teachers).props('clearable').mark('instructor')
            self.first_instructor.props['label'] = _('First instructor')
            self.other_instructors = (
                ui.select(teachers, multiple=True, label=_('Other instructors'), value=[])
                .props('outlined stack-label use-chips')
                .classes('w-full')
                .mark('other-instructors')
            )
            policies = {policy.id: policy.name for policy in choices.policies}
            self.policies = self.select('policy_ids', policies, multiple=True).mark('policies')
            heading(_('Tuition'), 2)
            with ui.row().classes('w-full gap-2 wrap items-start'):
                self.tuition = self.sized(text_field(_(LABELS['tuition']), kind='text').mark('tuition'))
                self.tuition.props['inputmode'] = 'decimal'
                self.tuition_basis = self.sized(self.select('tuition_basis', options(BASIS_NAMES)))
            self.registration_fee = ui.switch(_(LABELS['registration_fee'])).mark('registration_fee')
            heading(_('Status and families'), 2)
            self.status = self.select('status', options(STATUS_NAMES)).mark('status')
            self.shown_to_families = ui.switch(_(LABELS['shown_to_families'])).mark('shown_to_families')
            self.self_enrol = ui.switch(_(LABELS['self_enrol'])).mark('self_enrol')
            self.enrol_by_request = ui.switch(_(LABELS['enrol_by_request'])).mark('enrol_by_request')
            ui.label(
                _('Only when families may not enrol themselves: their requests wait in the requests queue')
            ).classes('text-sm text-gray-700 break-words')
            save_button(self.save, _('Add the class') if course_id is None else _('Save'))
        self.fill(loaded)

    @staticmethod
    def sized(field: Any) -> Any:
        """A field that sits beside others on a laptop and takes the whole width of a phone."""
        return field.classes(remove='w-full', add='w-48 max-w-full')

    def select(self, name: str, choices: dict, *, multiple: bool = False, on_change=None) -> ui.select:
        field = (
            ui.select(choices, label=_(LABELS[name]), multiple=multiple, value=[] if multiple else None)
            .props('outlined stack-label')
            .classes('w-full')
        )
        if multiple:
            field.props('use-chips')
        if on_change is not None:
            field.on_value_change(on_change)
        return field

    @property
    def fields(self) -> dict[str, Any]:
        """Every field under the name its messages come with, in the order of the page."""
        return {
            'name': self.name,
            'description': self.description,
            'term_id': self.term,
            'starts_on': self.starts_on,
            'ends_on': self.ends_on,
            'location_id': self.location,
            'room_id': self.room,
            **self.patterns.fields(),
            'capacity': self.capacity,
            **self.ages,
            'age_taken_at': self.age_taken_at,
            'age_date': self.age_date,
            'gender_rule': self.gender_rule,
            'prerequisite_id': self.prerequisite,
            'category_ids': self.categories,
            'instructor_ids': self.first_instructor,
            'policy_ids': self.policies,
            'tuition': self.tuition,
            'tuition_basis': self.tuition_basis,
            'status': self.status,
        }

    def fill(self, form: StoredCourse) -> None:
        self.loaded = form
        self.name.value = form.name
        self.description.value = form.description
        self.term.value = form.term_id or None
        self.starts_on.value = str(form.starts_on)
        self.ends_on.value = str(form.ends_on)
        self.location.value = form.location_id or None
        self.location_chosen()
        self.room.value = form.room_id
        self.patterns.fill(form.patterns)
        self.capacity.value = str(form.capacity)
        for name, field in self.ages.items():
            field.value = str(getattr(form, name) or '')
        self.age_taken_at.value = form.age_taken_at
        self.age_date.value = str(form.age_date or '')
        self.age_rule_chosen()
        self.gender_rule.value = form.gender_rule
        self.prerequisite.value = form.prerequisite_id
        self.categories.value = list(form.category_ids)
        self.first_instructor.value = form.instructor_ids[0] if form.instructor_ids else None
        self.other_instructors.value = list(form.instructor_ids[1:])
        # a policy retired since it was attached is asked for no more, and cannot be chosen again
        self.policies.value = [policy for policy in form.policy_ids if policy in self.policies.options]
        self.tuition.value = str(form.tuition)
        self.tuition_basis.value = form.tuition_basis
        self.registration_fee.value = form.registration_fee
        self.status.value = form.status
        self.shown_to_families.value = form.shown_to_families
        self.self_enrol.value = form.self_enrol
        self.enrol_by_request.value = form.enrol_by_request

    def read(self) -> StoredCourse:
        first = self.first_instructor.value
        others = [teacher for teacher in self.other_instructors.value or [] if teacher != first]
        return dataclasses.replace(
            self.loaded,
            name=self.name.value or '',
            description=self.description.value or '',
            term_id=self.term.value or 0,
            starts_on=self.starts_on.value or '',
            ends_on=self.ends_on.value or '',
            location_id=self.location.value or 0,
            room_id=self.room.value,
            patterns=self.patterns.read(),
            capacity=self.capacity.value or '',
            **{name: field.value or '' for name, field in self.ages.items()},
            age_taken_at=self.age_taken_at.value or '',
            age_date=self.age_date.value or '',
            gender_rule=self.gender_rule.value or '',
            prerequisite_id=self.prerequisite.value,
            category_ids=tuple(self.categories.value or ()),
            instructor_ids=tuple([first, *others] if first is not None else others),
            policy_ids=tuple(self.policies.value or ()),
            tuition=self.tuition.value or '',
            tuition_basis=self.tuition_basis.value or '',
            registration_fee=bool(self.registration_fee.value),
            status=self.status.value or '',
            shown_to_families=bool(self.shown_to_families.value),
            self_enrol=bool(self.self_enrol.value),
            enrol_by_request=bool(self.enrol_by_request.value),
        )

    def term_chosen(self) -> None:
        """A new class runs over its whole session unless told otherwise."""
        term = next((term for term in self.choices.setup.terms if term.id == self.term.value), None)
        if term is not None and not self.starts_on.value and not self.ends_on.value:
            self.starts_on.value, self.ends_on.value = term.starts_on.isoformat(), term.ends_on.isoformat()

    def location_chosen(self) -> None:
        rooms = {room.id: room.name for room in self.choices.rooms_of(self.location.value)}
        self.room.set_options(rooms, value=self.room.value if self.room.value in rooms else None)

    def age_rule_chosen(self) -> None:
        self.age_date.visible = self.age_taken_at.value == AgeTakenAt.FIXED_DATE.value

    def show_errors(self, errors: dict[str, str]) -> None:
        show_errors(self.fields, errors)

    async def save(self, mine: StoredCourse | None = None) -> None:
        yours = mine or self.read()
        try:
            if self.course_id is None:
                await catalogue.add_course(self.staff, yours)
            else:
                await catalogue.edit_course(self.staff, self.course_id, yours, seen=yours.version)
        except ValidationFailed as failure:
            self.show_errors(failure.errors)
            return
        except ChangedMeanwhile as refused:
            self.notice.offer(refused, self.loaded, yours, save=self.save, take=self.take, show_errors=self.show_errors)
            return
        except NotFound:
            self.show_errors({'version': N_('This class no longer exists')})
            return
        self.show_errors({})
        self.notice.hide()
        if self.course_id is None:
            ui.notify(_('Class added: {name}').format(name=yours.name), type='positive')
            ui.navigate.to('/staff/classes')
            return
        self.fill(await catalogue.course_for_editing(self.course_id))
        saved()

    def take(self, theirs: StoredCourse) -> None:
        self.notice.hide()
        self.show_errors({})
        self.fill(theirs)

    def shown(self, name: str, value: Any) -> str:
        """A value of the class in words, for "theirs" and "yours"."""
        setup = self.choices.setup
        named: dict[str, dict] = {
            'term_id': {term.id: term.name for term in setup.terms},
            'location_id': {place.location.id: place.location.name for place in setup.locations},
            'room_id': {room.id: room.name for place in setup.locations for room in place.rooms},
            'prerequisite_id': {course.id: course.name for course in self.choices.courses},
            'category_ids': {line.id: line.path for line in setup.categories},
            'instructor_ids': {teacher.id: teacher.name for teacher in self.choices.teachers},
            'policy_ids': {policy.id: policy.name for policy in self.choices.policies},
            'age_taken_at': options(AGE_TAKEN_AT_NAMES),
            'gender_rule': options(GENDER_RULE_NAMES),
            'tuition_basis': options(BASIS_NAMES),
            'status': options(STATUS_NAMES),
        }
        if name == 'patterns':
            days = weekday_names()
            return (
                '; '.join(f'{", ".join(days[d] for d in p.weekdays)} {p.start_time}–{p.end_time}' for p in value) or '—'
            )
        if name in named:
            words = named[name]
            if isinstance(value, tuple):
                return ', '.join(str(words.get(item, item)) for item in value) or '—'
            return str(words.get(value, value)) if value not in (None, 0, '') else '—'
        return shown_value(name, value)
