"""The demo's photos and logo: drawn here (no real child's face in a demo), uploaded through the services a parent
and an administrator use. Ava and Leo have photos, Nora's waits for review (the studio reviews photos from
then on), and the studio has a logo."""

from __future__ import annotations

from io import BytesIO

from PIL import Image, ImageDraw

from domain.access.actors import Actor, StaffActor
from domain.models import Contact, Participant, StaffUser
from domain.photos import logo, photos
from domain.studio import settings

PARENT_EMAIL, ADMIN_EMAIL = 'mbestie@example.com', 'admin@example.com'  # as domain/operations/demo.py seeds them
COLOURS = {
    'Ava': ((255, 204, 213), (219, 39, 119)),
    'Leo': ((191, 219, 254), (37, 99, 235)),
    'Nora': ((220, 252, 231), (22, 163, 74)),
}


def drawn_portrait(background: tuple[int, int, int], shirt: tuple[int, int, int]) -> bytes:
    """A friendly figure on a coloured background, 800 × 600 like a phone's photo (so the crop shows)."""
    picture = Image.new('RGB', (800, 600), background)
    pen = ImageDraw.Draw(picture)
    pen.ellipse((250, 380, 550, 760), fill=shirt)  # shoulders
    pen.ellipse((300, 120, 500, 340), fill=(240, 200, 170))  # face
    pen.ellipse((355, 200, 380, 225), fill=(40, 40, 40))
    pen.ellipse((420, 200, 445, 225), fill=(40, 40, 40))
    pen.arc((360, 240, 440, 300), 20, 160, fill=(160, 60, 60), width=6)
    out = BytesIO()
    picture.save(out, 'JPEG', quality=90)
    return out.getvalue()


def drawn_logo() -> bytes:
    picture = Image.new('RGBA', (600, 200), (0, 0, 0, 0))
    pen = ImageDraw.Draw(picture)
    pen.ellipse((10, 10, 190, 190), fill=(124, 58, 237, 255))
    pen.polygon([(100, 40), (130, 150), (70, 150)], fill=(255, 255, 255, 255))
    pen.rounded_rectangle((220, 70, 590, 130), radius=30, fill=(124, 58, 237, 255))
    out = BytesIO()
    picture.save(out, 'PNG')
    return out.getvalue()


async def seed_photos() -> None:
    contact = await Contact.get(email=PARENT_EMAIL).select_related('family')
    parent = Actor.of(contact)
    admin_user = await StaffUser.get(email=ADMIN_EMAIL)
    admin = StaffActor(admin_user.id, admin_user.name, admin_user.email, admin_user.role)
    children = {p.first_name: p for p in await Participant.filter(family_id=contact.family_id)}
    await settings.update_sharing(admin, photo_review=False)
    for name in ('Ava', 'Leo'):
        await photos.upload_photo(parent, children[name].id, drawn_portrait(*COLOURS[name]))
    await settings.update_sharing(admin, photo_review=True)
    await photos.upload_photo(parent, children['Nora'].id, drawn_portrait(*COLOURS['Nora']))
    await logo.set_logo(admin, drawn_logo())
