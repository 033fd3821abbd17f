"""The studio's logo: an administrator uploads it, Kinroll keeps it as a PNG at most 256 px tall, and it shows
beside the studio's name on every parent page, in emails (from `/studio/logo`) and on statements."""

from __future__ import annotations

from domain import audit
from domain.access.actors import StaffActor, require_admin
from domain.errors import ValidationFailed
from domain.files import inspection, stored
from domain.i18n import N_
from domain.models import StoredFile
from domain.photos import images
from domain.studio import settings
from domain.unit_of_work import UnitOfWork

FIELD = 'logo'
LOGO_TYPES = frozenset({'image/png', 'image/jpeg', 'image/webp'})
NOT_A_LOGO = N_('Use a PNG, JPEG or WebP image for the logo.')


async def set_logo(staff: StaffActor, data: bytes) -> StoredFile:
    require_admin(staff)
    if not data:
        raise ValidationFailed({FIELD: inspection.EMPTY})
    if len(data) > 10 * inspection.MB:
        raise ValidationFailed({FIELD: inspection.TOO_BIG[10 * inspection.MB]})
    found = inspection.detect(data)
    if found is None or found.content_type not in LOGO_TYPES:
        raise ValidationFailed({FIELD: NOT_A_LOGO})
    png = await images.decoded(images.logo_png, FIELD, data)
    async with UnitOfWork() as uow:
        before = settings.current().logo_file_id
        kept = await stored.keep(uow, png, folder='logo', content_type='image/png', extension='png')
        await settings.change(uow=uow, logo_file_id=kept.id)
        await _discard(uow, before)
        await audit.record(
            uow, staff, 'logo_changed', 'Studio logo', {'logo_file_id': before}, {'logo_file_id': kept.id}
        )
    return kept


async def remove_logo(staff: StaffActor) -> None:
    require_admin(staff)
    async with UnitOfWork() as uow:
        before = settings.current().logo_file_id
        if before is None:
            return
        await settings.change(uow=uow, logo_file_id=None)
        await _discard(uow, before)
        await audit.record(uow, staff, 'logo_removed', 'Studio logo', {'logo_file_id': before}, {'logo_file_id': None})


async def logo_file() -> StoredFile | None:
    """The logo's record, for the endpoint and statements; None when the studio has none."""
    file_id = settings.current().logo_file_id
    return await StoredFile.get_or_none(id=file_id) if file_id is not None else None


async def logo_bytes() -> bytes | None:
    file = await logo_file()
    return await stored.read(file) if file is not None else None


def logo_url() -> str | None:
    """Its address in the pages and emails, changing with each new logo so no cache keeps the old one."""
    file_id = settings.current().logo_file_id
    return f'/studio/logo?v={file_id}' if file_id is not None else None


async def _discard(uow: UnitOfWork, file_id: int | None) -> None:
    if file_id is None:
        return
    old = await StoredFile.get_or_none(id=file_id, using_db=uow.connection)
    if old is not None:
        await stored.discard(uow, old)
