from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User

from domain.access.actors import StaffActor
from domain.models import Contact, ContactRole, ParticipantPhoto, PhotoStatus, Policy, PortalEvent
from domain.registration import policies
from domain.registration.policies import PolicyForm
from domain.studio import settings
from tests.domain.photos import making
from tests.factories import make_family, make_staff
from tests.pages.helpers import press, sign_in


async def upload(user: User, name: str, content_type: str, data: bytes) -> None:
    element = user.find(marker='photo-upload').elements.pop()
    assert element.props['accept'] == 'image/*'
    await element.handle_uploads([SmallFileUpload(name, content_type, data)])


async def open_child(user: User, child_id: int) -> None:
    await user.open(f'/portal/participants/{child_id}')
    await user.should_see(marker='child-photo')


async def admin() -> StaffActor:
    made = await make_staff('owner@example.com', 'Olga Owner', 'admin')
    return StaffActor(made.id, made.name, made.email, made.role)


async def test_a_parent_adds_a_photo_and_sees_it_on_the_page_and_the_tile(user: User):
    made = await make_family('Bestie', 'holly@example.com', children=('Ava',))
    await sign_in(user)
    await open_child(user, made.children[0].id)
    press(user, 'Add a photo')
    await upload(user, 'IMG_0001.JPG', 'image/jpeg', making.jpeg(gps=True))
    await user.should_see('Change photo', retries=30)
    assert await ParticipantPhoto.filter(status=PhotoStatus.CURRENT).count() == 1
    pictures = [e for e in user.find(kind=ui.element).elements if e.tag == 'img']
    assert [p.props['alt'] for p in pictures] == ['Photo of Ava Bestie']
    assert pictures[0].props['src'].startswith('/files/')
    assert await PortalEvent.filter(message='Student photo uploaded: Ava Bestie').exists()
    await user.open('/portal/participants')
    tiles = [str(getattr(e, 'content', '')) for e in user.find(kind=ui.html).elements]
    assert any('alt="Photo of Ava Bestie"' in t and 'src="/files/' in t for t in tiles)


async def test_a_pdf_named_jpg_or_a_bomb_is_refused_beside_the_upload(user: User):
    made = await make_family('Bestie', 'holly@example.com', children=('Ava',))
    await sign_in(user)
    await open_child(user, made.children[0].id)
    press(user, 'Add a photo')
    await upload(user, 'photo.jpg', 'image/jpeg', b'%PDF-1.7\n' + b'0' * 1000)
    await user.should_see('This is not a photo Kinroll can use. Use a JPEG, PNG, WebP or HEIC image.', retries=30)
    await upload(user, 'big.png', 'image/png', making.bomb())
    await user.should_see('This image is too large to use (more than 40 megapixels). Choose a smaller one.', retries=50)
    assert await ParticipantPhoto.all().count() == 0


async def test_with_review_on_the_page_says_the_photo_waits(user: User):
    made = await make_family('Bestie', 'holly@example.com', children=('Ava',))
    await settings.update_sharing(await admin(), photo_review=True)
    await sign_in(user)
    await open_child(user, made.children[0].id)
    press(user, 'Add a photo')
    await upload(user, 'me.png', 'image/png', making.png())
    await user.should_see("A new photo is waiting for the studio's review.", retries=30)
    assert [p.status for p in await ParticipantPhoto.all()] == [PhotoStatus.PENDING]


async def test_the_consent_comes_first(user: User):
    made = await make_family('Bestie', 'holly@example.com', children=('Ava',))
    owner = await admin()
    version = await policies.add_policy(owner, PolicyForm('Photo consent', 'Staff may see the photo.'))
    await Policy.filter(id=version.policy_id).update(at_checkout=True)
    await settings.update_sharing(owner, photo_consent_policy_id=version.policy_id)
    await sign_in(user)
    await open_child(user, made.children[0].id)
    press(user, 'Add a photo')
    await user.should_see('Photo consent')
    await upload(user, 'me.jpg', 'image/jpeg', making.jpeg())
    await user.should_see('Tick the box to agree to this policy', retries=30)
    user.find(marker=f'agree-{version.id}').click()
    user.find(marker=f'sign-{version.id}').type('Holly Bestie')
    await upload(user, 'me.jpg', 'image/jpeg', making.jpeg())
    await user.should_see('Change photo', retries=30)
    assert await ParticipantPhoto.filter(status=PhotoStatus.CURRENT).count() == 1


async def test_a_pickup_contact_sees_the_photo_but_cannot_change_it(user: User):
    made = await make_family('Bestie', 'holly@example.com', children=('Ava',))
    await Contact.filter(id=made.parent.id).update(role=ContactRole.PICKUP)
    await sign_in(user)
    await open_child(user, made.children[0].id)
    await user.should_not_see('Add a photo')
