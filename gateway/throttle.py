"""Limits how often one sender may submit: a sliding window per key, in this process.

A repeated message id within the window is a redelivery and not counted again. Each
gateway instance keeps its own windows (behind a load balancer with N instances a
sender gets up to N times the limit); the limit exists to stop floods, not to count.
"""

import time
from collections import OrderedDict, deque

from gateway.errors import ApiError

MAX_KEYS = 100_000


class Throttle:
    def __init__(self, limit: int, window_seconds: float) -> None:
        self.limit = limit
        self.window = window_seconds
        self._seen: OrderedDict[str, deque[tuple[float, str]]] = OrderedDict()

    def check(self, key: str, item: str, what: str, now: float | None = None) -> None:
        """Counts `item` for `key`, or raises too_many_requests (429) over the limit."""
        if self.limit <= 0:
            return
        now = time.monotonic() if now is None else now
        recent = self._recent(key, now)
        if any(seen == item for _, seen in recent):
            return
        self._refuse_when_full(recent, what, now)
        recent.append((now, item))

    def ensure_room(self, key: str, what: str, now: float | None = None) -> None:
        """Raises too_many_requests when `key` used up its window, counting nothing."""
        if self.limit > 0:
            now = time.monotonic() if now is None else now
            self._refuse_when_full(self._recent(key, now), what, now)

    def record(self, key: str, item: str, now: float | None = None) -> None:
        if self.limit > 0:
            now = time.monotonic() if now is None else now
            self._recent(key, now).append((now, item))

    def _recent(self, key: str, now: float) -> deque:
        recent = self._seen.pop(key, deque())
        while recent and recent[0][0] <= now - self.window:
            recent.popleft()
        self._seen[key] = recent
        if len(self._seen) > MAX_KEYS:
            self._seen.popitem(last=False)
        return recent

    def _refuse_when_full(self, recent: deque, what: str, now: float) -> None:
        if len(recent) >= self.limit:
            retry_after = int(recent[0][0] + self.window - now) + 1
            error = ApiError(
                "too_many_requests",
                f"too many {what}: at most {self.limit} in {int(self.window)} seconds; "
                f"try again in {retry_after} seconds",
            )
            error.retry_after = retry_after
            raise error


class KeyThrottles:
    """Each agency key's own calls per minute, in this process."""

    def __init__(self) -> None:
        self._by_key: OrderedDict[str, Throttle] = OrderedDict()

    def check(self, key: str, per_minute: int, now: float | None = None) -> None:
        throttle = self._by_key.pop(key, None)
        if throttle is None or throttle.limit != per_minute:
            throttle = Throttle(per_minute, 60)
        self._by_key[key] = throttle
        if len(self._by_key) > MAX_KEYS:
            self._by_key.popitem(last=False)
        throttle.ensure_room(key, "calls with this API key", now)
        throttle.record(key, "", now)
