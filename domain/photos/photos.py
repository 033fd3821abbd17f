"""Children's photos: a guardian adds or replaces one from the phone, staff may review it before it shows.

A photo is checked by its content (JPEG, PNG, WebP or HEIC, at most 10 MB, at most 40 megapixels), re-encoded
square at 512 px with a 128 px thumbnail and nothing of the original file kept (domain/photos/images.py), and
stored with its row in one unit of work. A child has at most one CURRENT photo: uploads and approvals lock the
child's row, so two at once leave one. When the studio asks for a photo consent (a policy), the family agrees
to its current version first, in the same call or before it.

Photos are served through short-lived links (domain/files/links.py), issued here after the check: a family's
own children, or staff.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain import audit, clock, portal_log
from domain.access.actors import Actor, NotYourRole, StaffActor, require_desk, standing
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.family.participants import staff_subject
from domain.files import inspection, links, stored
from domain.i18n import N_
from domain.messages import outbox
from domain.messages.outbox import Recipient
from domain.models import Channel, Contact, Family, Participant, ParticipantPhoto, PhotoStatus, PolicyVersion
from domain.photos import images, photo_notices
from domain.records import checked_id, owned
from domain.registration import policies
from domain.registration.policies import Acceptance
from domain.studio import settings
from domain.unit_of_work import UnitOfWork
from domain.validation import Cleaner

FIELD = 'photo'
CONSENT_FIELD = 'consent_name'
REASON_FIELD = 'reason'
# long enough to look at a page a while; a page opened later issues new ones
SHOWN_FOR = dt.timedelta(minutes=10)  # a forwarded photo link stops working soon; a page load issues new ones


class ConsentRequired(DomainError):
    MESSAGE = N_('Please agree to the photo consent before uploading a photo.')


class AlreadyReviewed(DomainError):
    MESSAGE = N_('This photo was already reviewed.')


@dataclass(frozen=True)
class ChildPhoto:
    """What a child's page shows: the photo (links), whether one waits for review, what the parent may do."""

    image_url: str | None
    thumbnail_url: str | None
    pending: bool  # a newer photo waits for the studio's review
    may_change: bool  # a guardian's; a pickup or emergency contact only sees the photo
    consent: PolicyVersion | None  # to agree to before the first upload, when the studio asks for one
    refused_because: str = ''  # the studio's reason, when the newest photo sent was not accepted (as staff typed it)


@dataclass(frozen=True)
class PendingPhoto:
    photo_id: int
    participant_id: int
    child_name: str
    family_id: int
    family_name: str
    uploaded_by: str
    uploaded_at: dt.datetime
    image_url: str
    current_url: str | None  # the photo shown now, for comparison


async def upload_photo(
    actor: Actor, participant_id: int | str, data: bytes, *, consent_typed_name: str | None = None
) -> ParticipantPhoto:
    """A guardian's photo of their own child: shown at once, or waiting for the studio's review."""
    inspection.check_photo(FIELD, data)
    await _guardians_child(actor, participant_id)  # before decoding: nobody else's upload costs a decode
    square = await images.decoded(images.square_photo, FIELD, data)
    review = settings.current().photo_review
    async with UnitOfWork() as uow:
        child = await _guardians_child(actor, participant_id, uow, lock=True)
        await _consented(uow, actor, consent_typed_name)
        photo = await _keep(uow, child, square, PhotoStatus.PENDING if review else PhotoStatus.CURRENT, actor.email)
        said = f'Student photo uploaded: {child.full_name}' + (' (waiting for review)' if review else '')
        await portal_log.record(uow, actor.subject, 'photo_uploaded', said)
    return photo


async def child_photo(actor: Actor, participant_id: int | str) -> ChildPhoto:
    child = await _own_child(actor, participant_id)
    me = await standing(actor)
    current = await _current(child.id)
    newest = await ParticipantPhoto.filter(participant_id=child.id).order_by('-uploaded_at', '-id').first()
    owed = await consent_owed(actor.family_id)
    return ChildPhoto(
        links.link(current.image_id, lifetime=SHOWN_FOR) if current else None,
        links.link(current.thumbnail_id, lifetime=SHOWN_FOR) if current else None,
        newest is not None and newest.status == PhotoStatus.PENDING,
        me.manages_children,
        owed,
        newest.reject_reason if newest is not None and newest.status == PhotoStatus.REJECTED else '',
    )


async def consent_owed(family_id: int) -> PolicyVersion | None:
    """The current version of the studio's photo consent, if the family has not agreed to it (or too long ago)."""
    policy_id = settings.current().photo_consent_policy_id
    if policy_id is None:
        return None
    owed = await policies.owed(family_id, policy_ids={policy_id})
    return owed[0] if owed else None


async def family_thumbnails(actor: Actor) -> dict[int, str]:
    """Each of the family's children with a photo: its thumbnail's link."""
    rows = await ParticipantPhoto.filter(
        family_id=actor.family_id, status=PhotoStatus.CURRENT, participant__removed_at=None
    ).values_list('participant_id', 'thumbnail_id')
    return {int(child): links.link(int(thumb), lifetime=SHOWN_FOR) for child, thumb in rows}  # type: ignore[arg-type]


async def photo_links_for_staff(staff: StaffActor, participant_ids: list[int]) -> dict[int, tuple[str, str]]:
    """For a staff page (a family, a roster): each child's current photo as (thumbnail link, image link)."""
    if not isinstance(staff, StaffActor) or not participant_ids:
        return {}
    rows = await ParticipantPhoto.filter(
        participant_id__in=list(participant_ids), status=PhotoStatus.CURRENT
    ).values_list('participant_id', 'thumbnail_id', 'image_id')
    return {
        int(child): (links.link(int(thumb), lifetime=SHOWN_FOR), links.link(int(image), lifetime=SHOWN_FOR))  # type: ignore[arg-type]
        for child, thumb, image in rows
    }


async def pending_photos(staff: StaffActor) -> list[PendingPhoto]:
    """The photos waiting for review, oldest first."""
    require_desk(staff)
    waiting = (
        await ParticipantPhoto.filter(status=PhotoStatus.PENDING, participant__removed_at=None)
        .select_related('participant')
        .order_by('uploaded_at', 'id')
    )
    families = dict(
        await Family.filter(id__in={p.family_id for p in waiting}).values_list('id', 'name')  # type: ignore[arg-type]
    )
    shown = await photo_links_for_staff(staff, [p.participant_id for p in waiting])
    return [
        PendingPhoto(
            photo.id,
            photo.participant_id,
            photo.participant.full_name,
            photo.family_id,
            str(families.get(photo.family_id, '')),
            photo.uploaded_by,
            photo.uploaded_at,
            links.link(photo.image_id, lifetime=SHOWN_FOR),
            shown[photo.participant_id][1] if photo.participant_id in shown else None,
        )
        for photo in waiting
    ]


async def pending_count() -> int:
    return await ParticipantPhoto.filter(status=PhotoStatus.PENDING, participant__removed_at=None).count()


async def approve(staff: StaffActor, photo_id: int | str) -> ParticipantPhoto:
    """The photo shows from now on; the one before it is replaced."""
    require_desk(staff)
    async with UnitOfWork() as uow:
        photo, child, family = await _pending(uow, photo_id)
        await _replace_current(uow, child.id)
        await _review(uow, photo, staff, PhotoStatus.CURRENT)
        await portal_log.record(
            uow, staff_subject(family, staff), 'photo_approved', f'Student photo approved: {child.full_name}'
        )
        await audit.record(
            uow,
            staff,
            'photo_approved',
            f'Photo of {child.full_name} of the {family.name} family',
            {'status': PhotoStatus.PENDING},
            {'status': PhotoStatus.CURRENT},
            family_id=family.id,
        )
    return photo


async def reject(staff: StaffActor, photo_id: int | str, reason: str) -> ParticipantPhoto:
    """The photo never shows (the one before it stays); the parent who uploaded it is emailed the reason."""
    require_desk(staff)
    clean = Cleaner()
    why = clean.text(REASON_FIELD, reason or '', required=True, max_length=1000)
    clean.raise_if_invalid()
    async with UnitOfWork() as uow:
        photo, child, family = await _pending(uow, photo_id)
        photo.reject_reason = why
        await _review(uow, photo, staff, PhotoStatus.REJECTED)
        await portal_log.record(
            uow,
            staff_subject(family, staff),
            'photo_rejected',
            f'Student photo rejected: {child.full_name} by {staff.name}',
        )
        await audit.record(
            uow,
            staff,
            'photo_rejected',
            f'Photo of {child.full_name} of the {family.name} family',
            {'status': PhotoStatus.PENDING},
            {'status': PhotoStatus.REJECTED, 'reason': why},
            family_id=family.id,
        )
        contact = await _uploader(uow, photo)
        if contact is not None and contact.email:
            language = contact.preferred_language
            notice = photo_notices.rejected(
                language,
                contact.first_name,
                child.first_name,
                why,
                f'{settings.current().base_url}/portal/participants/{child.id}',
            )
            recipient = Recipient(contact.full_name, contact.email, language, contact.family_id, contact.id)
            await outbox.enqueue(uow, Channel.EMAIL, recipient, notice)
    return photo


async def _guardians_child(
    actor: Actor, participant_id: int | str, uow: UnitOfWork | None = None, *, lock: bool = False
) -> Participant:
    if lock and uow is not None:  # two uploads at once: the second waits, then replaces the first
        await Participant.select_for_update().filter(id=checked_id(participant_id)).using_db(uow.connection).first()
    child = await _own_child(actor, participant_id, uow)
    if not (await standing(actor, uow)).manages_children:
        raise NotYourRole()
    return child


async def _own_child(actor: Actor, participant_id: int | str, uow: UnitOfWork | None = None) -> Participant:
    """One child of the actor's family still in it; a removed one is as missing as another family's."""
    child = await owned(Participant, actor, participant_id, uow)
    if child.removed_at is not None:
        raise NotFound()
    return child


async def _consented(uow: UnitOfWork, actor: Actor, typed_name: str | None) -> None:
    """The studio's photo consent agreed to before, or now (the parent's full name typed)."""
    owed = await consent_owed(actor.family_id)
    if owed is None:
        return
    if typed_name is None:
        raise ConsentRequired()
    acceptance = {owed.id: Acceptance(True, typed_name)}
    clean = Cleaner()
    policies.check_acceptances(clean, [owed], acceptance, actor.contact_name)
    if clean.errors:
        raise ValidationFailed({CONSENT_FIELD: policies.TYPE_FULL_NAME})
    await policies.record_agreements(uow, actor.subject, [owed], acceptance)


async def _keep(
    uow: UnitOfWork, child: Participant, square: images.SquarePhoto, status: PhotoStatus, by: str
) -> ParticipantPhoto:
    image = await stored.keep(uow, square.image, folder='photos', content_type='image/jpeg', extension='jpg')
    thumbnail = await stored.keep(uow, square.thumbnail, folder='photos', content_type='image/jpeg', extension='jpg')
    if status == PhotoStatus.CURRENT:
        await _replace_current(uow, child.id)
    # an earlier photo still waiting is superseded: the studio reviews only the newest
    await (
        ParticipantPhoto.filter(participant_id=child.id, status=PhotoStatus.PENDING)
        .using_db(uow.connection)
        .update(status=PhotoStatus.REPLACED)
    )
    return await ParticipantPhoto.create(
        participant_id=child.id,
        family_id=child.family_id,
        image=image,
        thumbnail=thumbnail,
        status=status,
        uploaded_by=by[:160],
        uploaded_at=clock.now(),
        using_db=uow.connection,
    )


async def _replace_current(uow: UnitOfWork, participant_id: int) -> None:
    await (
        ParticipantPhoto.filter(participant_id=participant_id, status=PhotoStatus.CURRENT)
        .using_db(uow.connection)
        .update(status=PhotoStatus.REPLACED)
    )


async def _current(participant_id: int) -> ParticipantPhoto | None:
    return await ParticipantPhoto.filter(participant_id=participant_id, status=PhotoStatus.CURRENT).first()


async def _pending(uow: UnitOfWork, photo_id: int | str) -> tuple[ParticipantPhoto, Participant, Family]:
    """A photo waiting for review, its child's row locked; NotFound, or AlreadyReviewed once decided."""
    found = await ParticipantPhoto.filter(id=checked_id(photo_id)).using_db(uow.connection).first()
    if found is None:
        raise NotFound()
    child = await Participant.select_for_update().filter(id=found.participant_id).using_db(uow.connection).first()
    photo = await ParticipantPhoto.filter(id=found.id).using_db(uow.connection).get()  # as it is under the lock
    if child is None or child.removed_at is not None:
        raise NotFound()
    if photo.status != PhotoStatus.PENDING:
        raise AlreadyReviewed()
    family = await Family.filter(id=child.family_id).using_db(uow.connection).get()
    return photo, child, family


async def _review(uow: UnitOfWork, photo: ParticipantPhoto, staff: StaffActor, status: PhotoStatus) -> None:
    photo.status = status
    photo.reviewed_by = staff.name[:160]
    photo.reviewed_at = clock.now()
    await photo.save(using_db=uow.connection)


async def _uploader(uow: UnitOfWork, photo: ParticipantPhoto) -> Contact | None:
    """The contact who uploaded the photo, or else the family's primary contact."""
    contacts = Contact.filter(family_id=photo.family_id, removed_at=None, email__not_isnull=True).using_db(
        uow.connection
    )
    by_upload = await contacts.filter(email=photo.uploaded_by).first() if photo.uploaded_by else None
    return by_upload or await contacts.order_by('-is_primary', 'id').first()
