from io import BytesIO

import pytest
from PIL import Image

from domain.access.actors import PermissionDenied, StaffActor
from domain.errors import ValidationFailed
from domain.models import StaffAuditEntry, StoredFile
from domain.photos import logo
from domain.studio import settings
from tests.domain.photos import making
from tests.factories import make_staff


async def staff(role: str) -> StaffActor:
    made = await make_staff(f'{role}@example.com', role.title(), role)
    return StaffActor(made.id, made.name, made.email, made.role)


async def test_the_logo_is_a_png_at_most_256_px_tall_and_a_new_one_replaces_the_old(database):
    owner = await staff('admin')
    first = await logo.set_logo(owner, making.jpeg(1200, 600))
    picture = Image.open(BytesIO(await logo.logo_bytes()))
    assert (picture.format, picture.size) == ('PNG', (512, 256))
    assert settings.current().logo_file_id == first.id and logo.logo_url() == f'/studio/logo?v={first.id}'
    second = await logo.set_logo(owner, making.png(100, 50))
    assert Image.open(BytesIO(await logo.logo_bytes())).size == (100, 50)  # never enlarged
    assert await StoredFile.filter(id=first.id).count() == 0 and settings.current().logo_file_id == second.id
    await logo.remove_logo(owner)
    assert settings.current().logo_file_id is None and await logo.logo_bytes() is None
    assert await StaffAuditEntry.filter(action__startswith='logo_').count() == 3


async def test_only_an_administrator_sets_the_logo_and_only_as_an_image(database):
    with pytest.raises(PermissionDenied):
        await logo.set_logo(await staff('front_desk'), making.png())
    owner = await staff('admin')
    for data in (b'%PDF-1.7\n' + b'0' * 100, making.bomb()):
        with pytest.raises(ValidationFailed):
            await logo.set_logo(owner, data)
    assert await StoredFile.all().count() == 0
