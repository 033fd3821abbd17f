"""Carries the event bus between processes through Redis publish/subscribe.

Each process delivers its own publications at once and sends them to Redis with its origin id; it
delivers what other processes send and skips its own. If Redis is unreachable for a while, local
delivery goes on and the listener reconnects; each time it has (re)subscribed it says so in this process
(`events.RELAY_SUBSCRIBED`), since what was published meanwhile is lost to it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from typing import Any

import redis.asyncio as redis

from domain import events

log = logging.getLogger('kinroll.redis')
PREFIX = 'kinroll:events:'


class RedisRelay:
    def __init__(self, url: str, bus: events.LocalEventBus, *, prefix: str = PREFIX) -> None:
        self.url, self.bus, self.prefix = url, bus, prefix
        self.origin = secrets.token_hex(8)
        self._client: redis.Redis | None = None
        self._listener: asyncio.Task | None = None
        self._sending: set[asyncio.Task] = set()
        self.ready = asyncio.Event()

    async def start(self) -> None:
        self._client = redis.from_url(self.url, client_name=f'kinroll-relay-{self.origin}')  # seen in CLIENT LIST
        self.bus.relay = self
        self._listener = asyncio.create_task(self._listen(), name='redis event relay')
        await asyncio.wait_for(self.ready.wait(), timeout=10)

    async def stop(self) -> None:
        if self.bus.relay is self:
            self.bus.relay = None
        if self._sending:
            await asyncio.gather(*self._sending, return_exceptions=True)
        if self._listener:
            self._listener.cancel()
            await asyncio.gather(self._listener, return_exceptions=True)
        if self._client:
            await self._client.aclose()

    def send(self, topic: str, payload: Any) -> None:
        message = json.dumps({'origin': self.origin, 'payload': events.encode(topic, payload)})
        task = asyncio.get_running_loop().create_task(self._publish(self.prefix + topic, message))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _publish(self, channel: str, message: str) -> None:
        assert self._client is not None
        try:
            await self._client.publish(channel, message)
        except redis.RedisError:
            log.exception('could not relay an event to the other processes')

    async def _listen(self) -> None:
        assert self._client is not None
        while True:
            try:
                async with self._client.pubsub() as pubsub:
                    await pubsub.psubscribe(self.prefix + '*')
                    async for message in pubsub.listen():
                        if message.get('type') == 'pmessage':
                            self._deliver(message['channel'], message['data'])
                        elif message.get('type') == 'psubscribe':  # also after redis-py's own silent reconnect
                            self.ready.set()
                            self.bus.deliver(events.RELAY_SUBSCRIBED, None)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception('event relay lost Redis; reconnecting')
                await asyncio.sleep(1)

    def _deliver(self, channel: bytes | str, data: bytes | str) -> None:
        topic = (channel.decode() if isinstance(channel, bytes) else channel).removeprefix(self.prefix)
        body = json.loads(data)
        if body['origin'] != self.origin:
            self.bus.deliver(topic, events.decode(topic, body['payload']))
