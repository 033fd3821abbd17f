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


async def test_emails_and_statements_carry_the_logo_once_there_is_one(database):
    import datetime as dt

    from domain.billing import statements
    from domain.messages import notices
    from tests.factories import make_family

    made = await make_family('Bestie', 'holly@example.com')
    period = statements.StatementRange(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert '<img' not in notices.password_changed('en', 'Holly').html
    assert b'/Subtype /Image' not in await statements.statement_pdf(made.family.id, period, 'en')
    kept = await logo.set_logo(await staff('admin'), making.png(300, 100, 'RGB'))
    html = notices.password_changed('en', 'Holly').html
    assert f'<img src="{settings.current().base_url}/studio/logo?v={kept.id}" alt="Kinroll Studio" height="48">' in html
    assert b'/Subtype /Image' in await statements.statement_pdf(made.family.id, period, 'en')


async def test_the_demo_seeds_two_photos_one_waiting_and_a_logo(database):
    from domain.models import ParticipantPhoto, PhotoStatus
    from domain.photos import demo
    from tests.factories import make_family

    made = await make_family('Bestie', 'mbestie@example.com', children=('Ava', 'Leo', 'Nora'))
    await make_staff('admin@example.com', 'Demo Admin', 'admin')
    await demo.seed_photos()
    statuses = {p.participant_id: p.status for p in await ParticipantPhoto.all()}
    ava, leo, nora = (c.id for c in made.children)
    assert statuses == {ava: PhotoStatus.CURRENT, leo: PhotoStatus.CURRENT, nora: PhotoStatus.PENDING}
    assert settings.current().logo_file_id is not None
