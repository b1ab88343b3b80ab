"""Publishes what outboxes hold, and removes each event once RabbitMQ confirmed it.

Publishing is at least once: an event may go out twice when a relay dies between the
confirm and the removal. Consumers apply each event id once.
"""

import logging
from collections.abc import Callable, Iterable
from contextlib import suppress
from datetime import datetime, timedelta

from services.chassis.aggregates import Aggregates, Unpublished
from services.contracts.events import Envelope

log = logging.getLogger(__name__)

Publish = Callable[[Envelope], None]


class Relay:
    """Publishes outboxes. With `defer_clearing`, the outboxes of published events are
    emptied in batches (`clear_published`, one or two commands for many aggregates)
    instead of one update each: a crash before the batch only publishes them again."""

    def __init__(
        self,
        publish: Publish,
        lease: timedelta = timedelta(seconds=30),
        defer_clearing: bool = False,
    ) -> None:
        self.publish = publish
        self.lease = lease
        self.defer_clearing = defer_clearing
        self._published: list[Unpublished] = []

    def relay(self, unpublished: Unpublished) -> int:
        """Publishes one aggregate's events in order; stops at the first failure."""
        for event in unpublished.events:
            self.publish(event)
        if self.defer_clearing:
            self._published.append(unpublished)
        else:
            event_ids = [event["event_id"] for event in unpublished.events]
            unpublished.store.mark_published(unpublished.key, event_ids, unpublished.version)
        return len(unpublished.events)

    def clear_published(self) -> int:
        """Empties the outboxes whose events were published since the last call."""
        batch, self._published = self._published, []
        by_collection: dict[str, list[Unpublished]] = {}
        for unpublished in batch:
            name = unpublished.store.collection.full_name
            by_collection.setdefault(name, []).append(unpublished)
        try:
            for items in by_collection.values():
                items[0].store.mark_published_many(items)
        except Exception:
            # Kept for the next call; until then the outbox lease keeps the sweep away.
            self._published = batch + self._published
            raise
        return len(batch)

    def sweep(self, stores: Iterable[Aggregates], now: datetime, limit: int = 100) -> int:
        """Relays what earlier workers left behind (a crash, a broker outage)."""
        sent = 0
        for store in stores:
            claimed = store.unpublished(now, self.lease, limit)
            for done, unpublished in enumerate(claimed):
                try:
                    sent += self.relay(unpublished)
                except Exception:
                    # The rest of the batch would otherwise wait out the whole lease
                    # after the broker is back; releasing is best effort (a release
                    # that fails leaves the lease to end as before).
                    with suppress(Exception):
                        store.release(claimed[done:])
                    raise
        return sent
