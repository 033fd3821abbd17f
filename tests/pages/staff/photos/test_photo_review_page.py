import importlib
import sys
from io import BytesIO

import pytest
from nicegui import ui
from nicegui.testing import User
from PIL import Image

from domain.access.actors import StaffActor
from domain.models import OutboxMessage, ParticipantPhoto, PhotoStatus
from domain.photos import logo, photos
from domain.studio import settings
from tests.domain.photos import making
from tests.factories import STAFF_PASSWORD, make_family, make_staff, signed_in, totp_now
from tests.pages.helpers import press, sign_in, staff_signs_in


@pytest.fixture(autouse=True)
def photo_pages(user):
    """Until main.py imports them: registered again in each test's app."""
    for name in ('pages.endpoints.logo', 'pages.staff.photos.review'):
        sys.modules.pop(name, None)
        importlib.import_module(name)


async def owner() -> StaffActor:
    made = await make_staff('owner@example.com', 'Olga Owner', 'admin')
    return StaffActor(made.id, made.name, made.email, made.role)


async def waiting_photo() -> ParticipantPhoto:
    made = await make_family('Bestie', 'holly@example.com', children=('Ava',))
    await settings.update_sharing(await owner(), photo_review=True)
    return await photos.upload_photo(await signed_in('holly@example.com'), made.children[0].id, making.jpeg())


async def test_staff_approve_a_waiting_photo_from_the_queue(user: User):
    photo = await waiting_photo()
    await staff_signs_in(user)
    await user.should_see('Photos (1)', retries=30)
    await user.open('/staff/photos')
    await user.should_see('Ava Bestie (Bestie)')
    press(user, 'Approve')
    await user.should_see('No photos are waiting for review.', retries=30)
    assert (await ParticipantPhoto.get(id=photo.id)).status == PhotoStatus.CURRENT


async def test_a_rejection_needs_a_reason_and_emails_it(user: User):
    photo = await waiting_photo()
    await staff_signs_in(user)
    await user.open('/staff/photos')
    await user.should_see('Ava Bestie (Bestie)')
    press(user, 'Reject')
    await user.should_see('This field is required', retries=30)
    user.find(kind=ui.textarea).type('Please choose one where her face shows')
    press(user, 'Reject')
    await user.should_see('No photos are waiting for review.', retries=30)
    assert (await ParticipantPhoto.get(id=photo.id)).status == PhotoStatus.REJECTED
    email = await OutboxMessage.get(kind='photo_rejected')
    assert 'Please choose one where her face shows' in email.body_text


async def test_instructors_do_not_review_photos(user: User):
    await waiting_photo()
    teacher = await make_staff('teacher@example.com', role='instructor')
    await user.open('/staff/sign-in')
    user.find('Email').type('teacher@example.com')
    user.find('Password').type(STAFF_PASSWORD)
    user.find('Authenticator code').type(totp_now(teacher))
    press(user, 'Sign in')
    await user.should_see('Classes', retries=30)
    assert not [link for link in user.find(kind=ui.link).elements if link.text.startswith('Photos')]
    await user.open('/staff/photos')
    await user.should_see('Only an administrator can do this')
    await user.should_not_see('Ava Bestie (Bestie)')


async def test_the_logo_is_served_to_anyone_and_shown_in_the_portal_header(user: User):
    client = user.http_client  # no session needed: the logo is not secret
    assert (await client.get('/studio/logo')).status_code == 404
    kept = await logo.set_logo(await owner(), making.png(600, 300, 'RGB'))
    served = await client.get(f'/studio/logo?v={kept.id}')
    assert served.status_code == 200 and served.headers['content-type'] == 'image/png'
    assert served.headers['cache-control'] == 'public, max-age=86400'
    assert Image.open(BytesIO(served.content)).size == (512, 256)
    await make_family('Bestie', 'holly@example.com', children=('Ava',))
    await sign_in(user)
    header = [str(e.content) for e in user.find(kind=ui.html).elements if '/studio/logo' in str(e.content)]
    assert header and f'/studio/logo?v={kept.id}' in header[0] and 'alt=""' in header[0]


async def test_the_family_page_shows_a_childs_photo(user: User):
    made = await make_family('Bestie', 'holly@example.com', children=('Ava', 'Leo'))
    await photos.upload_photo(await signed_in('holly@example.com'), made.children[0].id, making.jpeg())
    await staff_signs_in(user)
    await user.open(f'/staff/families/{made.family.id}')
    await user.should_see('Leo Bestie')
    pictures = [e for e in user.find(kind=ui.element).elements if e.tag == 'img']
    assert [p.props['alt'] for p in pictures] == ['Photo of Ava Bestie']
    assert pictures[0].props['src'].startswith('/files/')
