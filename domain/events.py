"""The publish/subscribe bus that carries what happens in the portal to whoever watches it.

Subscribers in this process are called directly. With several processes, a relay (Redis publish/subscribe,
`adapters/redis_relay.py`) carries every publication to the other processes, which deliver it to their
own subscribers; payloads cross as JSON through the codecs registered here.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any, Protocol

Handler = Callable[[Any], None]
log = logging.getLogger(__name__)

PORTAL_LOG = 'portal_log'
# Delivered in this process only, each time the relay has (re)subscribed: what other processes published while
# it was not listening reached nobody here, so whoever keeps a copy of shared state reads it again.
RELAY_SUBSCRIBED = 'relay_subscribed'


class Relay(Protocol):
    def send(self, topic: str, payload: Any) -> None: ...


# topic -> (payload to JSON-able value, and back); topics without one cross as they are
CODECS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {}


def register_codec(topic: str, encode: Callable[[Any], Any], decode: Callable[[Any], Any]) -> None:
    CODECS[topic] = (encode, decode)


def encode(topic: str, payload: Any) -> Any:
    return CODECS[topic][0](payload) if topic in CODECS else payload


def decode(topic: str, value: Any) -> Any:
    return CODECS[topic][1](value) if topic in CODECS else value


class LocalEventBus:
    def __init__(self) -> None:
        self._handlers: dict[str, list[Handler]] = defaultdict(list)
        self.relay: Relay | None = None

    def subscribe(self, topic: str, handler: Handler) -> Callable[[], None]:
        """Call handler with every payload published on topic; returns the function that stops it."""
        self._handlers[topic].append(handler)

        def unsubscribe() -> None:
            if handler in self._handlers[topic]:
                self._handlers[topic].remove(handler)

        return unsubscribe

    def publish(self, topic: str, payload: Any) -> None:
        """Deliver here at once, and to every other process through the relay, if there is one."""
        self.deliver(topic, payload)
        if self.relay is not None:
            self.relay.send(topic, payload)

    def deliver(self, topic: str, payload: Any) -> None:
        for handler in list(self._handlers[topic]):
            try:
                handler(payload)
            except Exception:  # one broken watcher must not stop the others or the parent's save
                log.exception('event handler for %s failed', topic)


bus = LocalEventBus()
