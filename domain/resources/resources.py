"""Class resources: files (PDF, images, audio, video) and https links staff attach to a class, a session, an event
or one child, for the families that belong to it.

The rules, in one place:
- a file is checked by its content (domain/files/inspection.py), at most 50 MB, before anything is stored; its
  bytes and its Resource row are kept in one unit of work, so a refused or failed save leaves nothing behind;
- a link is an https:// address of at most 1000 characters;
- the desk and administrators share with any audience; an instructor only with a class they teach (the classes'
  own `visible_courses`, as for rosters), and sees and removes only those classes' resources;
- a family sees a resource of what it belongs to today (domain/classes/audiences.belonging): a class or session a
  child is enrolled in (a drop ends it from the drop date), an event it registered for, one of its own children;
  families waiting for the class (or a class of the session) see it only when staff ticked "include waiting";
- a family opens one only after that same check (`open_resource`): a short-lived signed link to the file, or the
  link's address; anything else (another family's, a removed one) is NotFound, and an opening is a portal-log line;
- a removed resource is gone for families at once, and its file's bytes are deleted once the removal commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from tortoise.expressions import Q

from domain import audit, clock, portal_log
from domain.access.actors import Actor, PermissionDenied, StaffActor
from domain.classes import audiences
from domain.classes.audiences import Audience, Belonging, Choice
from domain.classes.rosters import visible_courses
from domain.errors import NotFound, ValidationFailed
from domain.files import inspection, links, stored
from domain.files.inspection import MB, FileKind
from domain.i18n import N_
from domain.models import AudienceKind, Course, Resource, ResourceKind, StaffRole, StoredFile
from domain.records import checked_id
from domain.studio import settings
from domain.unit_of_work import UnitOfWork
from domain.validation import Cleaner, for_the_log

MAX_BYTES = 50 * MB
MAX_URL = 1000
KINDS = (AudienceKind.CLASS, AudienceKind.SESSION, AudienceKind.EVENT, AudienceKind.PARTICIPANT)
WAITING_KINDS = (AudienceKind.CLASS, AudienceKind.SESSION)  # a waitlist is for a class: of it, or of its session
# Shown in the browser's own viewer; anything else (HEIC, QuickTime…) is offered as a download with its name.
INLINE_TYPES = frozenset(
    {
        'application/pdf',
        'image/jpeg',
        'image/png',
        'image/webp',
        'image/gif',
        'audio/mpeg',
        'audio/mp4',
        'audio/ogg',
        'audio/aac',
        'video/mp4',
        'video/webm',
    }
)

NOT_HTTPS = N_('Enter a web address starting with https://')
URL_TOO_LONG = N_('This address is too long (at most 1000 characters)')
CHOOSE_AUDIENCE = N_('Choose who the resource is for')


@dataclass(frozen=True)
class ResourceLine:
    """One resource as a family or staff see it in a list."""

    id: int
    title: str  # data, as staff typed it
    description: str  # data
    kind: ResourceKind
    file_kind: FileKind | None  # a file's: PDF, image, audio or video; None for a link
    size: int | None  # a file's bytes
    content_type: str  # a file's ('' for a link)
    created_at: dt.datetime
    audience: Audience
    group: str  # the name of what it is for: the class, session or event, or the child (data)
    include_waiting: bool
    created_by: str
    url: str  # a link's address (staff lists; families open through open_resource)


# Adding and removing (staff)


def refuse_oversize(size: int) -> None:
    """Refuse a file larger than the limit before its bytes are read (the page knows the upload's size)."""
    if size > MAX_BYTES:
        raise ValidationFailed({'file': inspection.TOO_BIG[MAX_BYTES]})


async def add_file(
    staff: StaffActor,
    *,
    title: str,
    description: str,
    audience: Audience,
    include_waiting: bool,
    data: bytes,
    file_name: str,
) -> Resource:
    """Share a file: checked by its content and size first, then its bytes and its row kept together."""
    clean = Cleaner()
    values = _typed(clean, title, description)
    found = None
    try:
        found = inspection.check_upload('file', data, max_bytes=MAX_BYTES, kinds=frozenset(FileKind))
    except ValidationFailed as refused:
        clean.errors.update(refused.errors)
    await _check_audience(clean, staff, audience)
    clean.raise_if_invalid()
    assert found is not None
    async with UnitOfWork() as uow:
        file = await stored.keep(
            uow,
            data,
            folder='resources',
            content_type=found.content_type,
            extension=found.extension,
            original_name=file_name,
        )
        resource = await Resource.create(
            **values,
            kind=ResourceKind.FILE,
            file=file,
            **_aimed(audience, include_waiting),
            created_by=staff.name,
            created_at=clock.now(),
            using_db=uow.connection,
        )
        await _audit_added(uow, staff, resource, {'file': file.original_name, 'size': file.size})
    return resource


async def add_link(
    staff: StaffActor, *, title: str, description: str, audience: Audience, include_waiting: bool, url: str
) -> Resource:
    """Share an https link."""
    clean = Cleaner()
    values = _typed(clean, title, description)
    address = url.strip()
    if len(address) > MAX_URL:
        clean.fail('url', URL_TOO_LONG)
    elif not _is_https(address):
        clean.fail('url', NOT_HTTPS)
    await _check_audience(clean, staff, audience)
    clean.raise_if_invalid()
    async with UnitOfWork() as uow:
        resource = await Resource.create(
            **values,
            kind=ResourceKind.LINK,
            url=address,
            **_aimed(audience, include_waiting),
            created_by=staff.name,
            created_at=clock.now(),
            using_db=uow.connection,
        )
        await _audit_added(uow, staff, resource, {'url': address})
    return resource


async def remove(staff: StaffActor, resource_id: int | str) -> None:
    """Take a resource away from families; its file's bytes go once the removal has committed."""
    async with UnitOfWork() as uow:
        resource = (
            await Resource.select_for_update()
            .filter(id=checked_id(resource_id), removed_at__isnull=True)
            .using_db(uow.connection)
            .first()
        )
        if resource is None or not await _may_manage(staff, _audience_of(resource)):
            raise NotFound()
        file = await StoredFile.filter(id=resource.file_id or 0).using_db(uow.connection).first()
        resource.removed_at = clock.now()
        resource.file_id = None  # the row stays for the audit; the file it held does not
        await resource.save(using_db=uow.connection, update_fields=['removed_at', 'file_id'])
        if file is not None:
            await stored.discard(uow, file)
        await audit.record(uow, staff, 'resource_removed', _target(resource), {'title': resource.title}, None)


def _typed(clean: Cleaner, title: str, description: str) -> dict:
    return {
        'title': clean.name('title', title, max_length=200),
        'description': clean.text('description', description, max_length=2000),
    }


def _is_https(address: str) -> bool:
    scheme, _, rest = address.partition('://')
    host = rest.split('/', 1)[0].split('?', 1)[0].split('#', 1)[0]
    return scheme.lower() == 'https' and bool(host) and not any(c.isspace() for c in address)


def _aimed(audience: Audience, include_waiting: bool) -> dict:
    return {
        'audience_kind': audience.kind,
        'audience_id': audience.id,
        'include_waiting': include_waiting and audience.kind in WAITING_KINDS,
    }


async def _check_audience(clean: Cleaner, staff: StaffActor, audience: Audience) -> None:
    if audience.kind not in KINDS or audience.id is None or await audiences.name_of(audience) == '?':
        clean.fail('audience', CHOOSE_AUDIENCE)
    elif not await _may_manage(staff, audience):
        raise PermissionDenied()


async def _may_manage(staff: StaffActor, audience: Audience) -> bool:
    """The desk and administrators: any audience; an instructor: only a class they teach."""
    if staff.role != StaffRole.INSTRUCTOR:
        return True
    return audience.kind == AudienceKind.CLASS and await visible_courses(staff).filter(id=audience.id).exists()


async def _audit_added(uow: UnitOfWork, staff: StaffActor, resource: Resource, what: dict) -> None:
    new = {'title': resource.title, 'for': _target(resource), 'include_waiting': resource.include_waiting, **what}
    await audit.record(uow, staff, 'resource_added', _target(resource), None, new)


def _target(resource: Resource) -> str:
    return f'Resource {resource.id}: {resource.title} ({resource.audience_kind.value} {resource.audience_id})'


def _audience_of(resource: Resource) -> Audience:
    return Audience(AudienceKind(resource.audience_kind), resource.audience_id)


# Staff lists


async def audience_choices(staff: StaffActor) -> list[Choice]:
    """What this staff member may share with: classes, sessions and events; an instructor only their classes."""
    if staff.role == StaffRole.INSTRUCTOR:
        courses = await visible_courses(staff).order_by('name', 'id').values_list('id', 'name')
        label = audiences.KIND_LABELS[AudienceKind.CLASS]
        return [Choice(Audience(AudienceKind.CLASS, course_id), label, name) for course_id, name in courses]
    return await audiences.choices(kinds=(AudienceKind.CLASS, AudienceKind.SESSION, AudienceKind.EVENT))


async def child_choice(staff: StaffActor, participant_id: int | str) -> Choice:
    """One child to share with (from the staff family page), or NotFound; instructors share with classes only."""
    audience = Audience(AudienceKind.PARTICIPANT, checked_id(participant_id))
    name = await audiences.name_of(audience)
    if name == '?' or staff.role == StaffRole.INSTRUCTOR:
        raise NotFound()
    return Choice(audience, audiences.KIND_LABELS[AudienceKind.PARTICIPANT], name)


async def staff_resources(staff: StaffActor, audience: Audience | None = None) -> list[ResourceLine]:
    """Every resource not removed (of one audience, if given), newest first; an instructor's classes' only."""
    query = Resource.filter(removed_at__isnull=True)
    if audience is not None:
        query = query.filter(audience_kind=audience.kind, audience_id=audience.id)
    if staff.role == StaffRole.INSTRUCTOR:
        taught = await visible_courses(staff).values_list('id', flat=True)
        query = query.filter(audience_kind=AudienceKind.CLASS, audience_id__in=list(taught) or [0])
    return await _lines(await query.order_by('-created_at', '-id').prefetch_related('file'))


async def class_resources(staff: StaffActor, course_id: int | str) -> tuple[Course, list[ResourceLine]]:
    """One class and its resources, for the class's own page; NotFound for a class an instructor does not teach."""
    course = await visible_courses(staff).filter(id=checked_id(course_id)).first()
    if course is None:
        raise NotFound()
    return course, await staff_resources(staff, Audience(AudienceKind.CLASS, course.id))


async def staff_open(staff: StaffActor, resource_id: int | str) -> str:
    """A signed link to a resource's file (or the link's address) for staff checking what they shared."""
    resource = await Resource.get_or_none(id=checked_id(resource_id), removed_at__isnull=True)
    if resource is None or not await _may_manage(staff, _audience_of(resource)):
        raise NotFound()
    return await _address(resource)


# Families


async def family_resources(actor: Actor) -> list[ResourceLine]:
    """What the family may open today, grouped: classes, then sessions, events and each child, by name; within a
    group the newest first."""
    found = await _belonging(actor)
    of = found.belonging
    candidates = {  # a superset, narrowed by the one rule (`sees`) below
        AudienceKind.CLASS: of.classes | of.waitlists,
        AudienceKind.SESSION: of.sessions | found.waiting_sessions,
        AudienceKind.EVENT: of.events,
        AudienceKind.PARTICIPANT: of.participants,
    }
    wanted = Q()
    for kind, ids in candidates.items():
        wanted |= Q(audience_kind=kind, audience_id__in=list(ids) or [0])
    rows = await Resource.filter(wanted, removed_at__isnull=True).prefetch_related('file')
    lines = await _lines([resource for resource in rows if found.sees(resource)])
    lines.sort(key=lambda line: -line.created_at.timestamp())
    lines.sort(key=lambda line: (KINDS.index(line.audience.kind), line.group.casefold(), line.audience.id or 0))
    return lines


async def open_resource(actor: Actor, resource_id: int | str) -> str:
    """The address to open a resource at, after the family's access check: a signed link to its file, or the
    link's https address. Another family's resource, a removed one and an unknown id are all NotFound."""
    found = await _belonging(actor)
    resource = await Resource.get_or_none(id=checked_id(resource_id), removed_at__isnull=True)
    if resource is None or not found.sees(resource):
        raise NotFound()
    address = await _address(resource)
    async with UnitOfWork() as uow:
        opened = f'Resource opened: {for_the_log(resource.title)}'
        await portal_log.record(uow, actor.subject, 'resource_opened', opened)
    return address


@dataclass
class _FamilyBelonging:
    belonging: Belonging
    waiting_sessions: set[int]  # the sessions of the classes a child waits for

    def sees(self, resource: Resource) -> bool:
        """The one rule of who sees a resource."""
        kind, target = AudienceKind(resource.audience_kind), resource.audience_id
        if self.belonging.includes(kind, target):
            return True
        if not resource.include_waiting:
            return False
        if kind == AudienceKind.CLASS:
            return target in self.belonging.waitlists
        return kind == AudienceKind.SESSION and target in self.waiting_sessions


async def _belonging(actor: Actor) -> _FamilyBelonging:
    found = await audiences.belonging(actor.family_id, settings.today())
    waiting = await Course.filter(id__in=list(found.waitlists) or [0]).values_list('term_id', flat=True)
    return _FamilyBelonging(found, set(cast(list[int], waiting)))


async def _address(resource: Resource) -> str:
    if resource.kind == ResourceKind.LINK:
        return resource.url
    file = await StoredFile.get(id=resource.file_id)
    return links.link(file, download=file.content_type not in INLINE_TYPES)


def file_kind_of(content_type: str) -> FileKind | None:
    if content_type == 'application/pdf':
        return FileKind.PDF
    for kind in (FileKind.IMAGE, FileKind.AUDIO, FileKind.VIDEO):
        if content_type.startswith(f'{kind.value}/'):
            return kind
    return None


async def _lines(resources: list[Resource]) -> list[ResourceLine]:
    names: dict[Audience, str] = {}
    lines = []
    for resource in resources:
        audience = _audience_of(resource)
        if audience not in names:
            names[audience] = await audiences.name_of(audience)
        file = resource.file
        content_type = file.content_type if file else ''
        lines.append(
            ResourceLine(
                id=resource.id,
                title=resource.title,
                description=resource.description,
                kind=ResourceKind(resource.kind),
                file_kind=file_kind_of(content_type) if file else None,
                size=file.size if file else None,
                content_type=content_type,
                created_at=resource.created_at,
                audience=audience,
                group=names[audience],
                include_waiting=resource.include_waiting,
                created_by=resource.created_by,
                url=resource.url,
            )
        )
    return lines
