"""Publishes what outboxes hold, and removes each event once RabbitMQ confirmed it.

Publishing is at least once: an event may go out twice when a relay dies between the
confirm and the removal. Consumers apply each event id once.
"""

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from services.chassis.aggregates import Aggregates, Unpublished
from services.contracts.events import Envelope

log = logging.getLogger(__name__)

Publish = Callable[[Envelope], None]


class Relay:
    def __init__(self, publish: Publish, lease: timedelta = timedelta(seconds=30)) -> None:
        self.publish = publish
        self.lease = lease

    def relay(self, unpublished: Unpublished) -> int:
        """Publishes one aggregate's events in order; stops at the first failure."""
        for event in unpublished.events:
            self.publish(event)
        event_ids = [event["event_id"] for event in unpublished.events]
        unpublished.store.mark_published(unpublished.key, event_ids, unpublished.version)
        return len(event_ids)

    def sweep(self, stores: Iterable[Aggregates], now: datetime, limit: int = 100) -> int:
        """Relays what earlier workers left behind (a crash, a broker outage)."""
        sent = 0
        for store in stores:
            for unpublished in store.unpublished(now, self.lease, limit):
                sent += self.relay(unpublished)
        return sent
