"""The emails and texts sent to a family: for the family in the portal, for staff on the family page.

Within a family each contact sees the family's messages and their own, not another contact's personal ones
(notices.PERSONAL_KINDS: their sign-in codes, password resets and changes); staff see everything. A message
staff wrote reaches the family once per contact: a parent's list shows it once, their own copy if they have one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tortoise.expressions import Q

from domain import clock
from domain.access.actors import Actor, Standing, standing
from domain.errors import NotFound
from domain.messages.notices import KIND_LABELS, PERSONAL_KINDS
from domain.messages.outbox import stored_copy
from domain.models import Channel, DeliveryStatus, OutboxMessage
from domain.records import owned


@dataclass(frozen=True)
class SentMessage:
    id: int
    created_at: dt.datetime
    sent_at: dt.datetime | None
    status: DeliveryStatus
    channel: Channel
    kind_label: str  # a gettext id
    subject: str
    recipient_name: str
    to_address: str
    from_address: str
    text: str
    html: str
    last_error: str
    from_studio: bool = False  # a copy of a message staff wrote ("From the studio")

    @classmethod
    def of(cls, message: OutboxMessage) -> SentMessage:
        return cls(
            message.id,
            message.created_at,
            message.sent_at,
            message.status,
            message.channel,
            KIND_LABELS.get(message.kind, message.kind),
            stored_copy(message.subject),
            message.recipient_name,
            message.to_address,
            message.from_address,
            stored_copy(message.body_text),
            stored_copy(message.body_html),
            message.last_error,
            message.studio_message_id is not None,
        )


# Messages about the family's money: a contact who sees no payments sees them only when sent to them.
BILLING_KINDS = frozenset({'payment_receipt'})


def _theirs(actor: Actor, standing: Standing) -> Q:
    """What a contact sees of the family's messages, as their role lets them: a guardian the family's but another
    contact's personal ones (and, without billing, another's receipts); an authorized pickup or emergency contact,
    who sees only the children and their own details, only the messages sent to them."""
    own = Q(contact_id=actor.contact_id)
    if not standing.is_guardian:
        return own
    hidden = PERSONAL_KINDS if standing.sees_payments else PERSONAL_KINDS | BILLING_KINDS
    return ~Q(kind__in=hidden) | own


async def family_messages(actor: Actor, *, limit: int = 100) -> list[SentMessage]:
    """What the signed-in contact sees under Messages, newest first; a studio message once."""
    query = OutboxMessage.filter(_theirs(actor, await standing(actor)), family_id=actor.family_id)
    messages = await query.order_by('-created_at', '-id').limit(limit)
    shown: list[OutboxMessage] = []
    studio_copies: dict[int, int] = {}  # studio message -> its place in `shown`
    for message in messages:
        copy_of = message.studio_message_id
        if copy_of is None:
            shown.append(message)
        elif copy_of not in studio_copies:
            studio_copies[copy_of] = len(shown)
            shown.append(message)
        elif message.contact_id == actor.contact_id:
            shown[studio_copies[copy_of]] = message
    return [SentMessage.of(m) for m in shown]


async def family_messages_for_staff(family_id: int, *, limit: int = 100) -> list[SentMessage]:
    """Every copy sent to the family, each contact's personal ones too, for the staff family page."""
    messages = await OutboxMessage.filter(family_id=family_id).order_by('-created_at', '-id').limit(limit)
    return [SentMessage.of(m) for m in messages]


async def family_message(actor: Actor, message_id: int | str) -> SentMessage:
    """One message sent to the actor's family; another family's, another contact's personal one, a missing one
    and an impossible id: the same NotFound."""
    message = await owned(OutboxMessage, actor, message_id)
    if not await OutboxMessage.filter(_theirs(actor, await standing(actor)), id=message.id).exists():
        raise NotFound()
    return SentMessage.of(message)


async def purge_older_than(days: int, now: dt.datetime | None = None) -> int:
    """The retention rule: history older than the studio's setting is deleted, queued messages excepted."""
    cutoff = (now or clock.now()) - dt.timedelta(days=days)
    return await OutboxMessage.filter(created_at__lt=cutoff).exclude(status=DeliveryStatus.QUEUED).delete()
