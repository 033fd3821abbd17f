"""Staff share files and links with a class, a session, an event or one child; a family sees and opens only what
it belongs to today (a drop ends it on the drop date, waiting counts only when staff said so); a file is checked by
its content and size before anything is stored; a removed resource is gone, and so are its bytes."""

import asyncio
import datetime as dt

import pytest

from domain import clock
from domain.access.actors import PermissionDenied
from domain.classes.audiences import Audience
from domain.errors import NotFound, ValidationFailed
from domain.files import inspection, links
from domain.models import AudienceKind, PortalEvent, Resource, ResourceKind, StaffAuditEntry, StoredFile
from domain.resources import resources
from pages.endpoints.files import stored_file
from tests.domain.classes.making import family
from tests.domain.classes.studio_setup import TODAY, enrol, register
from tests.domain.resources.making import EXECUTABLE, NOON, PDF, TOO_BIG, a_pdf, shared_studio

pytestmark = pytest.mark.usefixtures('database')


def stored_files(storage) -> list:
    return [path for path in storage.root.rglob('*') if path.is_file()] if storage.root.exists() else []


async def test_a_class_pdf_is_listed_for_the_enrolled_family_and_opens_to_its_bytes(admin):
    shared = await shared_studio(admin)
    made = await a_pdf(shared)
    with clock.pinned(NOON):
        (line,) = await resources.family_resources(shared.bestie)
        address = await resources.open_resource(shared.bestie, made.id)
        claim = links.claim(address.removeprefix('/files/'))
        served = await stored_file(address.removeprefix('/files/'))
    assert (line.title, line.group, line.kind, line.file_kind) == ('Costume guide', 'Ballet', 'file', 'pdf')
    assert (line.size, line.content_type) == (len(PDF), 'application/pdf')
    assert claim.download is False  # a PDF opens in the browser's viewer
    assert served.body == PDF
    assert served.media_type == 'application/pdf'
    assert await PortalEvent.filter(kind='resource_opened').values_list('message', flat=True) == [
        'Resource opened: Costume guide'
    ]
    entry = await StaffAuditEntry.get(action='resource_added')
    assert entry.new_values['file'] == 'costume-guide.pdf'


async def test_another_family_neither_sees_nor_opens_it(admin):
    shared = await shared_studio(admin)
    made = await a_pdf(shared, audience=shared.for_class(shared.jazz))
    other, _ = await family('Other')
    with clock.pinned(NOON):
        assert await resources.family_resources(shared.bestie) == []
        assert await resources.family_resources(other) == []
        with pytest.raises(NotFound):
            await resources.open_resource(shared.bestie, made.id)
        with pytest.raises(NotFound):
            await resources.open_resource(other, 'not-a-number')
    assert not await PortalEvent.filter(kind='resource_opened').exists()


async def test_a_waiting_family_sees_a_class_or_session_resource_only_when_staff_include_waiting(admin):
    shared = await shared_studio(admin)
    plain = await a_pdf(shared, title='For the class')
    shared_too = await a_pdf(shared, title='Waiting too', waiting=True)
    session_wide = await a_pdf(shared, title='Session waiting', audience=shared.for_session(), waiting=True)
    with clock.pinned(NOON):
        seen = [line.title for line in await resources.family_resources(shared.ager)]
        assert seen == ['Waiting too', 'Session waiting']
        with pytest.raises(NotFound):
            await resources.open_resource(shared.ager, plain.id)
        assert (await resources.open_resource(shared.ager, shared_too.id)).startswith('/files/')
        assert (await resources.open_resource(shared.ager, session_wide.id)).startswith('/files/')
        enrolled = [line.title for line in await resources.family_resources(shared.bestie)]
    assert enrolled == ['Waiting too', 'For the class', 'Session waiting']  # classes first, newest first


async def test_a_family_whose_child_dropped_loses_access_from_the_drop_date(admin):
    shared = await shared_studio(admin)
    bestie, (mia,) = await family('Brown', children=('Mia',))
    await enrol(shared.jazz, mia, starts_on=TODAY, dropped_on=TODAY + dt.timedelta(days=7))
    made = await a_pdf(shared, audience=shared.for_class(shared.jazz))
    with clock.pinned(NOON + dt.timedelta(days=6)):  # the day before the drop
        assert [line.id for line in await resources.family_resources(bestie)] == [made.id]
        await resources.open_resource(bestie, made.id)
    with clock.pinned(NOON + dt.timedelta(days=7)):  # the drop date
        assert await resources.family_resources(bestie) == []
        with pytest.raises(NotFound):
            await resources.open_resource(bestie, made.id)


async def test_a_childs_resource_is_only_for_that_childs_family_and_an_event_for_those_registered(admin):
    shared = await shared_studio(admin)
    own = await a_pdf(shared, title='Ava feedback', audience=Audience(AudienceKind.PARTICIPANT, shared.ava.id))
    gala = await resources.add_link(
        admin,
        title='Gala map',
        description='',
        audience=Audience(AudienceKind.EVENT, shared.gala.event_id),
        include_waiting=True,
        url='https://example.com/map',
    )
    await register(shared.gala, shared.ager.family_id, shared.leo)
    with clock.pinned(NOON):
        bestie = await resources.family_resources(shared.bestie)
        ager = await resources.family_resources(shared.ager)
        assert [(line.title, line.group) for line in bestie] == [('Ava feedback', 'Ava Bestie')]
        assert [(line.title, line.kind, line.size) for line in ager] == [('Gala map', ResourceKind.LINK, None)]
        assert await resources.open_resource(shared.ager, gala.id) == 'https://example.com/map'
        with pytest.raises(NotFound):
            await resources.open_resource(shared.ager, own.id)
    assert (await Resource.get(id=gala.id)).include_waiting is False  # an event has no waitlist


@pytest.mark.parametrize(
    ('data', 'message'),
    [(EXECUTABLE, inspection.NOT_ALLOWED), (TOO_BIG, inspection.TOO_BIG[50 * inspection.MB]), (b'', inspection.EMPTY)],
)
async def test_an_executable_renamed_pdf_or_a_51_mb_file_is_refused_with_nothing_stored(
    admin, file_storage, data, message
):
    shared = await shared_studio(admin)
    with pytest.raises(ValidationFailed) as refused:
        await a_pdf(shared, data=data)
    assert refused.value.errors == {'file': message}
    assert not await StoredFile.exists()
    assert not await Resource.exists()
    assert stored_files(file_storage) == []


async def test_a_file_with_a_wrong_title_is_refused_before_anything_is_stored_with_every_message(admin, file_storage):
    shared = await shared_studio(admin)
    with pytest.raises(ValidationFailed) as refused:
        await resources.add_file(
            admin,
            title=' ',
            description='',
            audience=Audience(AudienceKind.CLASS, 999),
            include_waiting=False,
            data=EXECUTABLE,
            file_name='x.pdf',
        )
    assert set(refused.value.errors) == {'title', 'file', 'audience'}
    with pytest.raises(ValidationFailed) as long:
        await a_pdf(shared, title='x' * 201)
    assert long.value.errors == {'title': 'This is too long'}
    assert stored_files(file_storage) == []
    with pytest.raises(ValidationFailed):
        resources.refuse_oversize(51 * inspection.MB)


@pytest.mark.parametrize(
    ('url', 'message'),
    [
        ('http://example.com/warm-up', resources.NOT_HTTPS),
        ('javascript:alert(1)', resources.NOT_HTTPS),
        ('https://', resources.NOT_HTTPS),
        ('https://exa mple.com', resources.NOT_HTTPS),
        ('https://example.com/' + 'a' * 1000, resources.URL_TOO_LONG),
    ],
)
async def test_a_link_must_be_https_and_at_most_1000_characters(admin, url, message):
    shared = await shared_studio(admin)
    with pytest.raises(ValidationFailed) as refused:
        await resources.add_link(
            admin, title='Warm-up', description='', audience=shared.for_class(), include_waiting=False, url=url
        )
    assert refused.value.errors == {'url': message}
    assert not await Resource.exists()


async def test_removal_hides_it_and_deletes_the_bytes_after_commit_once_under_parallel_requests(admin, file_storage):
    shared = await shared_studio(admin)
    made = await a_pdf(shared)
    assert len(stored_files(file_storage)) == 1
    outcomes = await asyncio.gather(
        resources.remove(admin, made.id), resources.remove(admin, made.id), return_exceptions=True
    )
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ['NoneType', 'NotFound']
    for _ in range(50):
        if not stored_files(file_storage):
            break
        await asyncio.sleep(0.02)
    assert stored_files(file_storage) == []
    assert not await StoredFile.exists()
    kept = await Resource.get(id=made.id)
    assert kept.removed_at is not None and kept.file_id is None
    with clock.pinned(NOON):
        assert await resources.family_resources(shared.bestie) == []
        with pytest.raises(NotFound):
            await resources.open_resource(shared.bestie, made.id)
    assert await resources.staff_resources(admin) == []
    assert await StaffAuditEntry.filter(action='resource_removed').count() == 1


async def test_an_instructor_shares_with_and_removes_from_only_the_classes_they_teach(admin):
    shared = await shared_studio(admin)
    ines = shared.instructor
    own = await resources.add_link(
        ines, title='Warm-up', description='', audience=shared.for_class(), include_waiting=False, url='https://x.org'
    )
    for audience in (shared.for_class(shared.jazz), shared.for_session(), Audience(AudienceKind.PARTICIPANT, 1)):
        with pytest.raises(PermissionDenied):
            await resources.add_link(
                ines, title='No', description='', audience=audience, include_waiting=False, url='https://x.org'
            )
    jazz = await a_pdf(shared, audience=shared.for_class(shared.jazz))
    assert [line.id for line in await resources.staff_resources(ines)] == [own.id]
    assert [choice.name for choice in await resources.audience_choices(ines)] == ['Ballet']
    with pytest.raises(NotFound):
        await resources.class_resources(ines, shared.jazz.id)
    with pytest.raises(NotFound):
        await resources.remove(ines, jazz.id)
    with pytest.raises(NotFound):
        await resources.child_choice(ines, shared.ava.id)
    course, lines = await resources.class_resources(ines, shared.ballet.id)
    assert (course.name, [line.title for line in lines]) == ('Ballet', ['Warm-up'])
    await resources.remove(ines, own.id)
    assert [line.id for line in await resources.staff_resources(admin)] == [jazz.id]


async def test_staff_open_a_file_they_shared_and_the_desk_pick_a_child(admin):
    shared = await shared_studio(admin)
    made = await a_pdf(shared)
    address = await resources.staff_open(admin, made.id)
    assert (await stored_file(address.removeprefix('/files/'))).body == PDF
    choice = await resources.child_choice(admin, shared.ava.id)
    assert (choice.audience, choice.name) == (Audience(AudienceKind.PARTICIPANT, shared.ava.id), 'Ava Bestie')
    with pytest.raises(NotFound):
        await resources.child_choice(admin, 99999)
