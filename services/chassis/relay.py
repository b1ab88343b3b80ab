"""Publishes what outboxes hold, and removes each event once RabbitMQ confirmed it.

Publishing is at least once: an event may go out twice when a relay dies between the
confirm and the removal. Consumers apply each event id once.
"""

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from services.chassis.aggregates import Aggregates
from services.contracts.events import Envelope

log = logging.getLogger(__name__)

Publish = Callable[[Envelope], None]


class Relay:
    def __init__(self, publish: Publish, lease: timedelta = timedelta(seconds=30)) -> None:
        self.publish = publish
        self.lease = lease

    def relay(self, store: Aggregates, key: str) -> int:
        return self._publish_all(store, key, store.pending(key))

    def sweep(self, stores: Iterable[Aggregates], now: datetime, limit: int = 500) -> int:
        """Relays documents with pending events, a bounded number per call."""
        sent = 0
        for store in stores:
            for _ in range(limit):
                claimed = store.claim_pending(now, self.lease)
                if claimed is None:
                    break
                sent += self._publish_all(store, *claimed)
        return sent

    def _publish_all(self, store: Aggregates, key: str, events: list[Envelope]) -> int:
        published = []
        try:
            for event in events:
                self.publish(event)
                published.append(event["event_id"])
        finally:
            if published:
                store.mark_published(key, published)
        return len(published)
