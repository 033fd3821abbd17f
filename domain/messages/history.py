"""The emails and texts sent to a family: for the family in the portal, for staff on the family page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain import clock
from domain.access.actors import Actor
from domain.messages.notices import KIND_LABELS
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
        )


async def family_messages(family_id: int, *, limit: int = 100) -> list[SentMessage]:
    messages = await OutboxMessage.filter(family_id=family_id).order_by('-created_at', '-id').limit(limit)
    return [SentMessage.of(m) for m in messages]


async def family_message(actor: Actor, message_id: int | str) -> SentMessage:
    """One message sent to the actor's family; another family's, a missing one and an impossible id: NotFound."""
    return SentMessage.of(await owned(OutboxMessage, actor, message_id))


async def purge_older_than(days: int, now: dt.datetime | None = None) -> int:
    """The retention rule: history older than the studio's setting is deleted, queued messages excepted."""
    cutoff = (now or clock.now()) - dt.timedelta(days=days)
    return await OutboxMessage.filter(created_at__lt=cutoff).exclude(status=DeliveryStatus.QUEUED).delete()
