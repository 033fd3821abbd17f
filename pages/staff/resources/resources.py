"""The resources staff shared: every one, or one class's, session's or event's (`/staff/resources?show=class:3`),
or one class's own page (`/staff/classes/<id>/resources`); a child's from the staff family page
(`/staff/resources?participant=<id>`). Above the list, the form: who it is for, whether families waiting for
the class see it too, a title and description, then a file (Quasar's uploader shows the upload's progress, at
most 50 MB in the browser and checked again by its content on the server) or an https link. Instructors see and
share only their own classes'."""

from __future__ import annotations

from contextlib import suppress
from urllib.parse import urlencode

from nicegui import ui

from components.forms import show_errors, text_field
from components.guards import staff_page
from components.i18n import _
from components.staff_frame import staff_frame
from domain.access.actors import PermissionDenied, StaffActor
from domain.classes.audiences import KIND_LABELS, Audience, Choice
from domain.errors import NotFound, ValidationFailed
from domain.i18n import N_
from domain.models import AudienceKind
from domain.resources import resources
from domain.resources.resources import WAITING_KINDS, ResourceLine
from pages.portal.resources.resources import detail
from pages.staff.classes.missing import no_such_class

PAGE = '/staff/resources'
TITLE = N_('Resources')


def _key(audience: Audience) -> str:
    return f'{audience.kind.value}:{audience.id}'


def _audience(key: str | None) -> Audience | None:
    kind, _sep, target = (key or '').partition(':')
    if kind not in {k.value for k in resources.KINDS} or not target.isdigit():
        return None
    return Audience(AudienceKind(kind), int(target))


def _label(choice: Choice) -> str:
    return f'{_(choice.kind_label)}: {choice.name}'


@staff_page(PAGE, title=TITLE, instructors=True)
async def resources_page(staff: StaffActor, show: str = '', participant: str = ''):
    choices = await resources.audience_choices(staff)
    chosen = _audience(show)
    if participant:
        try:
            child = await resources.child_choice(staff, participant)
        except NotFound:
            child = None
        if child is not None:
            choices = [child, *choices]
            chosen = child.audience
    lines = await resources.staff_resources(staff, chosen)
    with staff_frame(_(TITLE), staff):
        options = {'': _('All resources'), **{_key(c.audience): _label(c) for c in choices}}
        shown = (
            ui.select(options, value=_key(chosen) if chosen and _key(chosen) in options else '', label=_('Show'))
            .props('outlined dense')
            .classes('w-80 max-w-full')
            .mark('show')
        )
        shown.on_value_change(lambda e: ui.navigate.to(PAGE + (f'?{urlencode({"show": e.value})}' if e.value else '')))
        ResourcesScreen(staff, choices, chosen, lines)


@staff_page('/staff/classes/{course_id}/resources', title=TITLE, instructors=True)
async def class_resources_page(staff: StaffActor, course_id: str):
    try:
        course, lines = await resources.class_resources(staff, course_id)
    except NotFound:
        no_such_class(staff)
        return
    audience = Audience(AudienceKind.CLASS, course.id)
    with staff_frame(_('Resources: {name}').format(name=course.name), staff):
        ui.link(_('All resources'), PAGE).classes('kr-link')
        ResourcesScreen(staff, [Choice(audience, KIND_LABELS[AudienceKind.CLASS], course.name)], audience, lines)


class ResourcesScreen:
    """The form to share a file or a link, and the list with Open and Remove."""

    def __init__(
        self, staff: StaffActor, choices: list[Choice], chosen: Audience | None, lines: list[ResourceLine]
    ) -> None:
        self.staff, self.chosen, self.lines = staff, chosen, lines
        with ui.card().classes('w-full max-w-2xl gap-2').mark('add-resource'):
            ui.label(_('Share a file or a link')).classes('font-semibold')
            options = {_key(c.audience): _label(c) for c in choices}
            first = _key(chosen) if chosen and _key(chosen) in options else next(iter(options), None)
            self.audience = (
                ui.select(options, value=first, label=_('For'), on_change=self._waiting_shown)
                .props('outlined')
                .classes('w-full')
                .mark('audience')
            )
            self.waiting = ui.checkbox(_('Families waiting for the class see it too')).mark('include-waiting')
            self.title = text_field(_('Title')).mark('title')
            self.description = ui.textarea(_('Description')).props('outlined autogrow').classes('w-full')
            self.description.mark('description')
            ui.label(_('A file: PDF, image, audio or video, at most 50 MB')).classes('text-sm font-medium')
            self.upload = (
                ui.upload(
                    auto_upload=True,
                    max_file_size=resources.MAX_BYTES,
                    on_upload=self._uploaded,
                    on_rejected=self._rejected,
                    label=_('Choose a file'),
                )
                .props('flat bordered')
                .classes('w-full')
                .mark('upload')
            )
            self.upload.props['accept'] = 'application/pdf,image/*,audio/*,video/*'
            self.file_error = ui.label('').classes('text-negative text-sm').mark('file-error')
            self.file_error.props['role'] = 'alert'
            ui.label(_('Or a link')).classes('text-sm font-medium')
            with ui.row().classes('w-full items-start gap-2 no-wrap'):
                self.url = text_field(_('Web address'), kind='url').mark('url')
                ui.button(_('Add link'), on_click=self._add_link).props('unelevated color=primary no-caps')
        self._waiting_shown()
        self.listing = ui.column().classes('w-full gap-2').mark('resources')
        self._list()

    @property
    def _fields(self) -> dict:
        return {'audience': self.audience, 'title': self.title, 'description': self.description, 'url': self.url}

    def _waiting_shown(self) -> None:
        audience = _audience(self.audience.value)
        self.waiting.set_visibility(audience is not None and audience.kind in WAITING_KINDS)

    def _typed(self) -> dict:
        audience = _audience(self.audience.value) or Audience(AudienceKind.CLASS, None)
        return dict(
            title=self.title.value or '',
            description=self.description.value or '',
            audience=audience,
            include_waiting=bool(self.waiting.value),
        )

    def _rejected(self) -> None:
        self.file_error.text = _('This file is larger than 50 MB. Choose a smaller one.')

    async def _uploaded(self, event) -> None:
        self.file_error.text = ''
        upload = event.file
        try:
            resources.refuse_oversize(upload.size())  # before 50 MB and more are read into memory
            await resources.add_file(self.staff, **self._typed(), data=await upload.read(), file_name=upload.name)
        except ValidationFailed as failure:
            self._refused(failure)
            return
        except PermissionDenied as refused:
            self.file_error.text = _(refused.message)
            self.upload.reset()
            return
        await self._added()

    async def _add_link(self) -> None:
        try:
            await resources.add_link(self.staff, **self._typed(), url=self.url.value or '')
        except ValidationFailed as failure:
            self._refused(failure)
            return
        except PermissionDenied as refused:
            ui.notify(_(refused.message), type='warning')
            return
        await self._added()

    def _refused(self, failure: ValidationFailed) -> None:
        show_errors(self._fields, failure.errors)
        self.file_error.text = _(failure.errors['file']) if 'file' in failure.errors else ''
        self.upload.reset()

    async def _added(self) -> None:
        for field in (self.title, self.description, self.url):
            field.value = ''
        show_errors(self._fields, {})
        self.upload.reset()
        ui.notify(_('Shared with the families'), type='positive')
        await self._reload()

    async def _reload(self) -> None:
        self.lines = await resources.staff_resources(self.staff, self.chosen)
        self._list()

    def _list(self) -> None:
        self.listing.clear()
        with self.listing:
            if not self.lines:
                ui.label(_('Nothing shared yet.')).mark('no-resources')
            for line in self.lines:
                self._row(line)

    def _row(self, line: ResourceLine) -> None:
        with ui.row().classes('w-full items-center gap-2 border rounded p-2 bg-white').mark(f'resource-{line.id}'):
            with ui.column().classes('gap-0 min-w-0 flex-1'):
                ui.label(line.title).classes('font-medium break-words')
                shown_for = f'{_(KIND_LABELS[line.audience.kind])}: {line.group}'
                ui.label(shown_for).classes('text-sm break-words')
                facts = [detail(line), line.created_by]
                if line.include_waiting:
                    facts.append(_('waiting families too'))
                ui.label(' · '.join(facts)).classes('text-sm text-gray-700 break-words')
                if line.url:
                    ui.label(line.url).classes('text-sm text-gray-700 break-words')
            ui.button(_('Open'), on_click=lambda line=line: self._open(line)).props('flat no-caps color=primary')
            ui.button(_('Remove'), on_click=lambda line=line: self._confirm(line)).props('flat no-caps color=negative')

    async def _open(self, line: ResourceLine) -> None:
        try:
            address = await resources.staff_open(self.staff, line.id)
        except NotFound:
            await self._reload()
            return
        ui.navigate.to(address, new_tab=True)

    def _confirm(self, line: ResourceLine) -> None:
        with ui.dialog() as dialog, ui.card().mark('confirm-remove'):
            dialog.props['aria-label'] = _('Remove this resource?')
            ui.label(_('Remove this resource? Families no longer see it, and a file is deleted.'))
            ui.label(line.title).classes('font-medium break-words')
            with ui.row().classes('gap-2'):
                ui.button(_('Keep it'), on_click=dialog.close).props('flat no-caps')

                async def remove() -> None:
                    dialog.close()
                    with suppress(NotFound):  # removed meanwhile (another tab, another staff member): shown gone
                        await resources.remove(self.staff, line.id)
                    ui.notify(_('Removed'), type='positive')
                    await self._reload()

                ui.button(_('Remove'), on_click=remove).props('unelevated no-caps color=negative')
        dialog.open()
