"""Emails and texts staff write to families (issue 18): to an audience (every family, a location, a class, a
session, an event, the families waiting for a class) or to one family.

The rules, in one place:
- a message reaches each contact of the reached families (removed ones excepted) who has an email address (for
  an email: their sign-in email, else the one typed for them) or a mobile number (for a text), once per address;
- a message to an audience is a mass message: contacts who turned on Mass Email Opt-Out are left out of it,
  email or text alike (a parent who asked for no messages sent to many families does not get them by text
  instead); a message to one family is about its own account and reaches all its contacts regardless;
- the staff's words are data: never through gettext or str.format, escaped in the HTML, line breaks kept; only
  the footer line is the portal's, in each recipient's language;
- the message and every copy of it are queued in one unit of work with the staff audit entry: all or none.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from html import escape

from tortoise.functions import Count

from domain import audit, clock, i18n
from domain.access.actors import PermissionDenied, StaffActor
from domain.classes import audiences
from domain.classes.audiences import Audience
from domain.errors import NotFound, ValidationFailed
from domain.i18n import N_
from domain.messages import outbox
from domain.messages.notices import Notice
from domain.messages.outbox import Recipient
from domain.models import (
    AudienceKind,
    Channel,
    Contact,
    DeliveryStatus,
    Family,
    OutboxMessage,
    StaffRole,
    StudioMessage,
    StudioMessageChannel,
)
from domain.records import checked_id
from domain.studio import settings
from domain.unit_of_work import UnitOfWork
from domain.validation import Cleaner

KIND = 'studio_message'
MASS_KINDS = audiences.MANY_FAMILIES
LONGEST_SUBJECT = 200
LONGEST_EMAIL = 10_000
LONGEST_TEXT = 1_600  # ten text-message parts: longer ones are cut or refused by carriers
SENT_LIST_SIZE = 200

CHOOSE_AUDIENCE = N_('Choose who it goes to')
NOBODY_BY_EMAIL = N_('Nobody it goes to has an email address')
NOBODY_BY_TEXT = N_('Nobody it goes to has a mobile number')
CLIENT_FOOTER = N_('You receive this because your family is a client of {studio}.')
MASS_FOOTER = N_('To stop emails sent to many families, turn off mass email in the portal under You.')

_CHANNELS = {StudioMessageChannel.EMAIL: Channel.EMAIL, StudioMessageChannel.TEXT: Channel.SMS}
_STYLE = 'font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a'


@dataclass(frozen=True)
class Reach:
    """Who a message would reach now: shown before Send ("Send to 38 contacts in 21 families?")."""

    families: int
    contacts: int


@dataclass(frozen=True)
class SentStudioMessage:
    """One message staff wrote, as View Sent Emails lists it, with how its copies fared."""

    id: int
    created_at: dt.datetime
    created_by: str
    channel: StudioMessageChannel
    subject: str
    body: str
    audience_kind: AudienceKind
    audience_name: str  # data ('' for every family)
    mass: bool
    recipients: int
    by_status: dict[DeliveryStatus, int] = field(default_factory=dict)  # copies kept in the history, by status


def is_mass(audience: Audience) -> bool:
    return audience.kind != AudienceKind.FAMILY


async def preview(
    staff: StaffActor, *, channel: StudioMessageChannel, subject: str, body: str, audience: Audience
) -> Reach:
    """Check the message as `send` will, and count whom it would reach now, without sending anything."""
    _may_send(staff)
    channel = StudioMessageChannel(channel)
    _cleaned(channel, subject, body, audience)
    recipients = await _reached(channel, audience)
    return Reach(len({r.family_id for r in recipients}), len(recipients))


async def audience_choices(family_id: int | str | None = None) -> list[audiences.Choice]:
    """What the compose form offers: one family when opened from its page, else every audience of a mass kind."""
    if family_id in (None, ''):
        return await audiences.choices(kinds=MASS_KINDS)
    family = await Family.get_or_none(id=checked_id(family_id))
    if family is None:
        raise NotFound()
    return [
        audiences.Choice(
            Audience(AudienceKind.FAMILY, family.id), audiences.KIND_LABELS[AudienceKind.FAMILY], family.name
        )
    ]


async def send(
    staff: StaffActor, *, channel: StudioMessageChannel, subject: str, body: str, audience: Audience
) -> StudioMessage:
    """Queue one copy for each contact reached, with the message itself and the audit entry: all or none."""
    _may_send(staff)
    channel = StudioMessageChannel(channel)
    subject, body = _cleaned(channel, subject, body, audience)
    mass = is_mass(audience)
    recipients = await _reached(channel, audience)
    async with UnitOfWork() as uow:
        message = await StudioMessage.create(
            channel=channel,
            subject=subject,
            body=body,
            audience_kind=audience.kind,
            audience_id=audience.id,
            mass=mass,
            recipients=len(recipients),
            created_by=staff.name,
            created_at=clock.now(),
            using_db=uow.connection,
        )
        for recipient in recipients:
            notice = studio_notice(recipient.language, channel, subject, body, mass=mass)
            await outbox.enqueue(uow, _CHANNELS[channel], recipient, notice, studio_message_id=message.id)
        described = await _described(audience)
        await audit.record(
            uow,
            staff,
            'studio_message_sent',
            f'Studio {channel.value} "{subject or first_line(body)}" to {described}',
            None,
            {'channel': channel.value, 'subject': subject, 'audience': described, 'recipients': len(recipients)},
            family_id=audience.id if audience.kind == AudienceKind.FAMILY else None,
        )
    return message


def studio_notice(language: str, channel: StudioMessageChannel, subject: str, body: str, *, mass: bool) -> Notice:
    """The staff's words as they typed them (escaped, line breaks kept), and a footer line in the recipient's
    language. The words never pass through gettext or str.format: a brace or a percent sign stays as typed."""
    studio = settings.current().name
    footer = [i18n.gettext(language, CLIENT_FOOTER).format(studio=studio)]
    if mass and channel == StudioMessageChannel.EMAIL:
        footer.append(i18n.gettext(language, MASS_FOOTER))
    paragraphs = [part.strip('\n') for part in body.split('\n\n') if part.strip()]
    html = (
        f'<div style="{_STYLE}">'
        + ''.join('<p>' + escape(part).replace('\n', '<br>') + '</p>' for part in paragraphs)
        + '<hr style="border:none;border-top:1px solid #ddd">'
        + ''.join(f'<p style="font-size:13px;color:#555">{escape(line)}</p>' for line in footer)
        + '</div>'
    )
    text = body + '\n\n--\n' + '\n'.join(footer)
    return Notice(KIND, subject, text, html, studio + ': ' + body)


async def sent_list(*, limit: int = SENT_LIST_SIZE) -> list[SentStudioMessage]:
    """The messages staff wrote, newest first, each with its recipients and its copies by delivery status."""
    messages = await StudioMessage.all().order_by('-created_at', '-id').limit(limit)
    counts: dict[int, Counter[DeliveryStatus]] = {m.id: Counter() for m in messages}
    rows = (
        await OutboxMessage.filter(studio_message_id__in=list(counts) or [0])
        .annotate(copies=Count('id'))
        .group_by('studio_message_id', 'status')
        .values_list('studio_message_id', 'status', 'copies')
    )
    for message_id, status, copies in rows:
        counts[int(message_id)][DeliveryStatus(status)] += int(copies)
    names: dict[tuple[AudienceKind, int | None], str] = {}
    listed = []
    for m in messages:
        key = (m.audience_kind, m.audience_id)
        if key not in names:
            names[key] = await audiences.name_of(Audience(*key))
        listed.append(
            SentStudioMessage(
                m.id,
                m.created_at,
                m.created_by,
                m.channel,
                m.subject,
                m.body,
                m.audience_kind,
                names[key],
                m.mass,
                m.recipients,
                dict(counts[m.id]),
            )
        )
    return listed


def _may_send(staff: StaffActor) -> None:
    if not isinstance(staff, StaffActor) or staff.role == StaffRole.INSTRUCTOR:
        raise PermissionDenied()


def _check_audience(audience: Audience) -> None:
    kind = audience.kind
    if kind not in (*MASS_KINDS, AudienceKind.FAMILY) or (kind != AudienceKind.EVERYONE and audience.id is None):
        raise ValidationFailed({'audience': CHOOSE_AUDIENCE})


def _cleaned(channel: StudioMessageChannel, subject: str, body: str, audience: Audience) -> tuple[str, str]:
    clean = Cleaner()
    is_email = channel == StudioMessageChannel.EMAIL
    subject = clean.name('subject', subject, required=True, max_length=LONGEST_SUBJECT) if is_email else ''
    body = clean.text('body', body, required=True, max_length=LONGEST_EMAIL if is_email else LONGEST_TEXT)
    try:
        _check_audience(audience)
    except ValidationFailed as failure:
        clean.errors.update(failure.errors)
    clean.raise_if_invalid()
    return subject, body


async def _families(audience: Audience) -> set[int]:
    """The families reached: an audience's active families; one family whatever its status, if it exists."""
    if audience.kind == AudienceKind.FAMILY:
        exists = audience.id is not None and await Family.filter(id=audience.id).exists()
        return {audience.id} if exists and audience.id is not None else set()
    return await audiences.families_of(audience, settings.today())


async def _reached(channel: StudioMessageChannel, audience: Audience) -> list[Recipient]:
    recipients = await _recipients(channel, audience)
    if not recipients:
        nobody = NOBODY_BY_EMAIL if channel == StudioMessageChannel.EMAIL else NOBODY_BY_TEXT
        raise ValidationFailed({'audience': nobody})
    return recipients


async def _recipients(channel: StudioMessageChannel, audience: Audience) -> list[Recipient]:
    families = await _families(audience)
    return [
        Recipient(contact.full_name, address, contact.preferred_language, contact.family_id, contact.id)
        for contact, address in await contacts_to_reach(families, channel, mass=is_mass(audience))
    ]


async def contacts_to_reach(
    family_ids: set[int], channel: StudioMessageChannel, *, mass: bool
) -> list[tuple[Contact, str]]:
    """Who a message from the studio to these families goes to, each with the address it goes to: every contact
    with an address for the channel, once per address; for a message to many families (`mass`), not those who
    opted out of mass email (their own account's messages still reach them). News posts go out by the same rule."""
    if not family_ids:
        return []
    contacts = Contact.filter(family_id__in=family_ids, removed_at__isnull=True)
    if mass:
        contacts = contacts.filter(mass_email_opt_out=False)
    found: list[tuple[Contact, str]] = []
    seen: set[str] = set()
    for contact in await contacts.order_by('family_id', '-is_primary', 'id'):
        if channel == StudioMessageChannel.EMAIL:
            address = contact.email or contact.pending_email or ''
        else:
            address = contact.mobile_phone or ''
        if not address or address.casefold() in seen:
            continue
        seen.add(address.casefold())
        found.append((contact, address))
    return found


async def _described(audience: Audience) -> str:
    """The audience in the audit's English: 'Every family', 'Class: Ballet 2', 'Family: Bestie'."""
    label = audiences.KIND_LABELS[audience.kind]
    name = await audiences.name_of(audience)
    return f'{label}: {name}' if name else label


def first_line(body: str) -> str:
    line = body.strip().split('\n', 1)[0]
    return line if len(line) <= 60 else line[:59] + '…'
