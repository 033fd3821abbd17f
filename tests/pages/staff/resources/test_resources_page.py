"""Staff share a file through the uploader and a link with a class, see the server's refusal beside the uploader
with nothing stored, and remove one after confirming; an instructor opens only their own classes' page."""

import asyncio

from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction

from domain.access.actors import StaffActor
from domain.models import Resource, ResourceKind, StoredFile
from tests.domain.classes.studio_setup import make_studio
from tests.domain.resources.making import EXECUTABLE, PDF
from tests.factories import STAFF_PASSWORD, make_staff, totp_now
from tests.pages.helpers import press, staff_signs_in, wait_for

PAGE = '/staff/resources'


async def a_class():
    made = await make_staff('owner@example.com', 'Olga Owner', 'admin')
    studio = await make_studio(StaffActor(made.id, made.name, made.email, made.role))
    return await studio.course('Ballet')


async def upload(user: User, name: str, data: bytes) -> None:
    uploader = user.find(kind=ui.upload).elements.pop()
    await uploader.handle_uploads([SmallFileUpload(name, 'application/pdf', data)])


async def until_shared(title: str) -> None:
    for _ in range(100):
        if await Resource.exists(title=title):
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f'{title} was not shared')


async def test_staff_add_a_pdf_to_a_class_through_the_uploader(user: User):
    ballet = await a_class()
    await staff_signs_in(user)
    await user.open(f'/staff/classes/{ballet.id}/resources')
    await user.should_see('Resources: Ballet')
    user.find(marker='title').type('Recital costume guide')
    await upload(user, 'costume.pdf', PDF)
    await wait_for(
        lambda: (
            bool(user.find(marker='resources').elements)
            and 'Recital costume guide'
            in str([e.text for e in user.find(marker='resources').elements.pop().descendants() if hasattr(e, 'text')])
        ),
        seconds=3,
    )
    made = await Resource.get(title='Recital costume guide').prefetch_related('file')
    await user.should_see(marker=f'resource-{made.id}')
    assert (made.kind, made.audience_id, made.file.original_name, made.file.size) == (
        ResourceKind.FILE,
        ballet.id,
        'costume.pdf',
        len(PDF),
    )


async def test_an_executable_renamed_pdf_is_refused_beside_the_uploader_with_nothing_stored(user: User):
    await a_class()
    await staff_signs_in(user)
    await user.open(PAGE)
    user.find(marker='title').type('Sneaky')
    await upload(user, 'invoice.pdf', EXECUTABLE)
    await user.should_see('This kind of file cannot be shared here. Use a PDF, an image, an audio or a video file.')
    assert not await StoredFile.exists()
    assert not await Resource.exists()


async def test_staff_add_a_link_and_remove_it_after_confirming(user: User):
    await a_class()
    await staff_signs_in(user)
    await user.open(PAGE)
    user.find(marker='title').type('Warm-up video')
    user.find(marker='url').type('http://video.example.com')
    press(user, 'Add link')
    await user.should_see('Enter a web address starting with https://')
    user.find(marker='url').clear().type('https://video.example.com/warm-up')
    press(user, 'Add link')
    await until_shared('Warm-up video')
    made = await Resource.get(title='Warm-up video')
    await user.should_see(marker=f'resource-{made.id}')
    press(user, 'Remove')
    await user.should_see(marker='confirm-remove')
    dialog = user.find(marker='confirm-remove').elements.pop()
    remove = {b for b in dialog.descendants() if isinstance(b, ui.button) and b.text == 'Remove'}
    UserInteraction(user, remove, 'Remove').click()  # the dialog's own Remove
    await user.should_see(marker='no-resources')
    assert (await Resource.get(id=made.id)).removed_at is not None


async def test_an_instructor_opens_only_the_resources_of_a_class_they_teach(user: User):
    ballet = await a_class()
    ines = await make_staff('ines@example.com', role='instructor')
    await user.open('/staff/sign-in')
    user.find('Email').type('ines@example.com')
    user.find('Password').type(STAFF_PASSWORD)
    user.find('Authenticator code').type(totp_now(ines))
    press(user, 'Sign in')
    await user.should_see('Attendance', retries=30)
    await user.open(f'/staff/classes/{ballet.id}/resources')
    await user.should_see('We could not find that page. It may have been removed, or the link may be wrong.')
    await user.open(PAGE)
    await user.should_see(marker='no-resources')
    assert list(user.find(marker='audience').elements.pop().options) == []  # Ines teaches no class yet
