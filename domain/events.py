"""The publish/subscribe bus that carries what happens in the portal to whoever watches it.

In one process, subscribers are called directly. Several processes swap in a bus with the same
two methods that fans out through a shared broker.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

Handler = Callable[[Any], None]
log = logging.getLogger(__name__)

PORTAL_LOG = 'portal_log'


class LocalEventBus:
    def __init__(self) -> None:
        self._handlers: dict[str, list[Handler]] = defaultdict(list)

    def subscribe(self, topic: str, handler: Handler) -> Callable[[], None]:
        """Call handler with every payload published on topic; returns the function that stops it."""
        self._handlers[topic].append(handler)

        def unsubscribe() -> None:
            if handler in self._handlers[topic]:
                self._handlers[topic].remove(handler)
        return unsubscribe

    def publish(self, topic: str, payload: Any) -> None:
        for handler in list(self._handlers[topic]):
            try:
                handler(payload)
            except Exception:  # one broken watcher must not stop the others or the parent's save
                log.exception('event handler for %s failed', topic)

    def subscriber_count(self, topic: str) -> int:
        return len(self._handlers[topic])


bus = LocalEventBus()
