import asyncio
from io import BytesIO

import pytest
from PIL import Image

from domain.access.actors import DeskOnly, NotYourRole, StaffActor
from domain.errors import NotFound, ValidationFailed
from domain.files import links
from domain.models import (
    Agreement,
    Contact,
    ContactRole,
    OutboxMessage,
    ParticipantPhoto,
    PhotoStatus,
    Policy,
    PortalEvent,
    StaffAuditEntry,
    StoredFile,
)
from domain.photos import images, photos
from domain.registration import policies
from domain.registration.policies import PolicyForm
from domain.studio import settings
from tests.domain.photos import making
from tests.factories import make_family, make_staff, signed_in


@pytest.fixture
async def family(database):
    return await make_family('Bestie', 'holly@example.com', children=('Ava', 'Leo'))


@pytest.fixture
async def parent(family):
    return await signed_in('holly@example.com')


@pytest.fixture
async def admin(database) -> StaffActor:
    made = await make_staff('owner@example.com', 'Olga Owner', 'admin')
    return StaffActor(made.id, made.name, made.email, made.role)


def stored_files(file_storage) -> list:
    return [p for p in file_storage.root.rglob('*') if p.is_file()] if file_storage.root.exists() else []


async def bytes_of(file_id: int) -> bytes:
    return (file_storage_root() / (await StoredFile.get(id=file_id)).key).read_bytes()


def file_storage_root():
    from domain.adapters import storage

    return storage.storage().root


async def test_a_photo_is_square_at_512_and_128_pixels_with_no_exif_or_location(family, parent):
    data = making.jpeg(1600, 900, gps=True)
    assert b'secret comment' in data and Image.open(BytesIO(data)).getexif().get_ifd(0x8825)
    photo = await photos.upload_photo(parent, family.children[0].id, data)
    assert photo.status == PhotoStatus.CURRENT
    for file_id, side in ((photo.image_id, 512), (photo.thumbnail_id, 128)):
        kept = await bytes_of(file_id)
        picture = Image.open(BytesIO(kept))
        assert (picture.format, picture.size) == ('JPEG', (side, side))
        assert not picture.getexif() and 'exif' not in picture.info
        assert b'Exif' not in kept and b'secret comment' not in kept and b'PhoneMaker' not in kept
    line = await PortalEvent.filter(kind='photo_uploaded').get()
    assert line.message == 'Student photo uploaded: Ava Bestie'


async def test_a_photo_is_turned_upright_and_cropped_in_the_middle(family, parent):
    # 800 × 400, left half blue; orientation 6 means "rotate 90° clockwise to show": blue ends up on top
    photo = await photos.upload_photo(parent, family.children[0].id, making.jpeg(800, 400, orientation=6))
    picture = Image.open(BytesIO(await bytes_of(photo.image_id))).convert('RGB')
    top, bottom = picture.getpixel((256, 20)), picture.getpixel((256, 490))
    assert top[2] > 150 and top[0] < 80  # blue
    assert bottom[0] > 150 and bottom[2] < 80  # red


async def test_a_transparent_png_is_kept_on_white(family, parent):
    photo = await photos.upload_photo(parent, family.children[0].id, making.png())
    picture = Image.open(BytesIO(await bytes_of(photo.thumbnail_id)))
    assert picture.mode == 'RGB' and picture.getpixel((64, 64))[0] > 240


@pytest.mark.parametrize(
    ('data', 'message'),
    [
        (b'\xff\xd8\xff' + b'0' * (12 * 1024 * 1024), 'This file is larger than 10 MB. Choose a smaller one.'),
        (b'%PDF-1.7\n' + b'0' * 2000, 'This is not a photo Kinroll can use. Use a JPEG, PNG, WebP or HEIC image.'),
        (making.bomb(), images.TOO_MANY_PIXELS),
        (making.jpeg()[:400], images.UNREADABLE),
        (b'', 'This file is empty.'),
    ],
    ids=['12 MB', 'PDF renamed .jpg', 'image bomb', 'truncated', 'empty'],
)
async def test_a_bad_file_is_refused_beside_the_field_and_nothing_is_stored(
    family, parent, file_storage, data, message
):
    with pytest.raises(ValidationFailed) as refused:
        await photos.upload_photo(parent, family.children[0].id, data)
    assert refused.value.errors == {'photo': message}
    assert await StoredFile.all().count() == 0 and await ParticipantPhoto.all().count() == 0
    assert stored_files(file_storage) == []


async def test_the_bomb_is_small_and_refused_from_its_header():
    data = making.bomb()
    assert len(data) < 200_000
    with pytest.raises(ValidationFailed):
        images.square_photo('photo', data)


async def test_a_heic_photo_from_an_iphone_is_accepted(family, parent):
    data = making.heic()
    if data is None:
        pytest.skip('pillow_heif on this machine cannot write HEIC')
    photo = await photos.upload_photo(parent, family.children[0].id, data)
    assert Image.open(BytesIO(await bytes_of(photo.image_id))).size == (512, 512)


async def test_another_familys_child_or_a_removed_one_is_not_found(family, parent):
    other = await make_family('Other', 'other@example.com', children=('Zed',))
    for child_id in (other.children[0].id, 'x', 10**30):
        with pytest.raises(NotFound):
            await photos.upload_photo(parent, child_id, making.jpeg())
    with pytest.raises(NotFound):
        await photos.child_photo(parent, other.children[0].id)
    assert await StoredFile.all().count() == 0


async def test_only_a_guardian_changes_a_photo(family, parent):
    await Contact.filter(id=family.parent.id).update(role=ContactRole.PICKUP)
    with pytest.raises(NotYourRole):
        await photos.upload_photo(parent, family.children[0].id, making.jpeg())
    assert not (await photos.child_photo(parent, family.children[0].id)).may_change


async def test_a_new_photo_replaces_the_one_before(family, parent):
    first = await photos.upload_photo(parent, family.children[0].id, making.jpeg())
    second = await photos.upload_photo(parent, family.children[0].id, making.png())
    assert (await ParticipantPhoto.get(id=first.id)).status == PhotoStatus.REPLACED
    assert (await ParticipantPhoto.get(id=second.id)).status == PhotoStatus.CURRENT
    thumbnails = await photos.family_thumbnails(parent)
    assert list(thumbnails) == [family.children[0].id]
    assert links.claim(thumbnails[family.children[0].id].removeprefix('/files/')).file_id == second.thumbnail_id


async def test_two_uploads_at_once_leave_exactly_one_current_photo(family, parent):
    child = family.children[0].id
    await asyncio.gather(*(photos.upload_photo(parent, child, making.jpeg()) for _ in range(4)))
    assert await ParticipantPhoto.filter(participant_id=child, status=PhotoStatus.CURRENT).count() == 1
    assert await ParticipantPhoto.filter(participant_id=child, status=PhotoStatus.REPLACED).count() == 3


async def test_with_review_a_photo_waits_then_shows_once_approved(family, parent, admin):
    await settings.update_sharing(admin, photo_review=True)
    before = await photos.upload_photo(parent, family.children[0].id, making.png())  # shown already? no: pending
    assert before.status == PhotoStatus.PENDING
    view = await photos.child_photo(parent, family.children[0].id)
    assert view.pending and view.image_url is None
    assert await photos.family_thumbnails(parent) == {}
    waiting = await photos.pending_photos(admin)
    assert [(p.child_name, p.family_name, p.uploaded_by) for p in waiting] == [
        ('Ava Bestie', 'Bestie', 'holly@example.com')
    ]
    await photos.approve(admin, before.id)
    assert (await ParticipantPhoto.get(id=before.id)).status == PhotoStatus.CURRENT
    assert await photos.pending_photos(admin) == []
    assert await StaffAuditEntry.filter(action='photo_approved').count() == 1
    assert await PortalEvent.filter(kind='photo_approved', message='Student photo approved: Ava Bestie').exists()
    with pytest.raises(photos.AlreadyReviewed):
        await photos.approve(admin, before.id)


async def test_a_rejected_photo_never_shows_the_old_one_stays_and_the_parent_reads_why(family, parent, admin):
    shown = await photos.upload_photo(parent, family.children[0].id, making.jpeg())
    await settings.update_sharing(admin, photo_review=True)
    waiting = await photos.upload_photo(parent, family.children[0].id, making.png())
    with pytest.raises(ValidationFailed) as refused:
        await photos.reject(admin, waiting.id, '  ')
    assert refused.value.errors == {'reason': 'This field is required'}
    reason = 'Please send one without sunglasses {name} <b>'
    await photos.reject(admin, waiting.id, reason)
    assert (await ParticipantPhoto.get(id=shown.id)).status == PhotoStatus.CURRENT
    rejected = await ParticipantPhoto.get(id=waiting.id)
    assert (rejected.status, rejected.reject_reason, rejected.reviewed_by) == (
        PhotoStatus.REJECTED,
        reason,
        'Olga Owner',
    )
    email = await OutboxMessage.get(kind='photo_rejected')
    assert email.to_address == 'holly@example.com'
    assert reason in email.body_text and 'Ava' in email.subject
    assert '&lt;b&gt;' in email.body_html
    assert await StaffAuditEntry.filter(action='photo_rejected').count() == 1
    assert await PortalEvent.filter(kind='photo_rejected').count() == 1
    view = await photos.child_photo(parent, family.children[0].id)
    assert (view.refused_because, view.pending) == (reason, False)  # the child's page says why, with the old photo
    await photos.upload_photo(parent, family.children[0].id, making.png())
    view = await photos.child_photo(parent, family.children[0].id)
    assert (view.refused_because, view.pending) == ('', True)  # a newer photo sent: the refusal is history


async def test_staff_see_current_photos_of_the_children_they_ask_for(family, parent, admin):
    photo = await photos.upload_photo(parent, family.children[0].id, making.jpeg())
    shown = await photos.photo_links_for_staff(admin, [c.id for c in family.children])
    thumb, image = shown[family.children[0].id]
    assert family.children[1].id not in shown
    assert links.claim(thumb.removeprefix('/files/')).file_id == photo.thumbnail_id
    assert links.claim(image.removeprefix('/files/')).file_id == photo.image_id


async def consent_policy(admin) -> int:
    version = await policies.add_policy(admin, PolicyForm('Photo consent', 'You may show the photo to staff.'))
    await Policy.filter(id=version.policy_id).update(at_checkout=True)  # asked only here, not at every sign-in
    await settings.update_sharing(admin, photo_consent_policy_id=version.policy_id)
    return version.id


async def test_a_photo_consent_is_agreed_to_first(family, parent, admin):
    version_id = await consent_policy(admin)
    assert (await photos.child_photo(parent, family.children[0].id)).consent.id == version_id
    with pytest.raises(photos.ConsentRequired):
        await photos.upload_photo(parent, family.children[0].id, making.jpeg())
    with pytest.raises(ValidationFailed) as refused:
        await photos.upload_photo(parent, family.children[0].id, making.jpeg(), consent_typed_name='Somebody')
    assert refused.value.errors == {'consent_name': policies.TYPE_FULL_NAME}
    assert await StoredFile.all().count() == 0
    await photos.upload_photo(parent, family.children[0].id, making.jpeg(), consent_typed_name='holly  bestie')
    agreement = await Agreement.get(policy_version_id=version_id)
    assert agreement.typed_name == 'holly bestie'
    # agreed once: the next photo needs no consent
    assert (await photos.child_photo(parent, family.children[1].id)).consent is None
    await photos.upload_photo(parent, family.children[1].id, making.jpeg())


async def test_an_instructor_may_not_review_photos(family, parent, admin):
    await settings.update_sharing(admin, photo_review=True)
    waiting = await photos.upload_photo(parent, family.children[0].id, making.png())
    made = await make_staff('ines@example.com', 'Ines Marlowe', 'instructor')
    instructor = StaffActor(made.id, made.name, made.email, made.role)
    for attempt in (
        photos.pending_photos(instructor),
        photos.approve(instructor, waiting.id),
        photos.reject(instructor, waiting.id, 'Blurry'),
    ):
        with pytest.raises(DeskOnly):
            await attempt
    assert (await ParticipantPhoto.get(id=waiting.id)).status == PhotoStatus.PENDING
