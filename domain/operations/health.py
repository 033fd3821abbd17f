"""What a load balancer asks before sending parents here: is the database reachable, is mail backing up."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise import connections

from domain import clock
from domain.models import DeliveryStatus, OutboxMessage


@dataclass(frozen=True)
class Health:
    database: str  # 'ok', or the error
    outbox_backlog: int  # messages queued and not yet sent
    oldest_queued_seconds: int

    @property
    def ok(self) -> bool:
        return self.database == 'ok'


async def check() -> Health:
    try:
        await connections.get('default').execute_query('SELECT 1')
    except Exception as exc:
        return Health(f'{type(exc).__name__}: {exc}'[:200], -1, 0)
    queued = OutboxMessage.filter(status=DeliveryStatus.QUEUED)
    backlog = await queued.count()
    oldest = await queued.order_by('created_at').first()
    age = int((clock.now() - oldest.created_at).total_seconds()) if oldest else 0
    return Health('ok', backlog, age)
