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
        recent = self._seen.pop(key, deque())
        while recent and recent[0][0] <= now - self.window:
            recent.popleft()
        self._seen[key] = recent
        if len(self._seen) > MAX_KEYS:
            self._seen.popitem(last=False)
        if any(seen == item for _, seen in recent):
            return
        if len(recent) >= self.limit:
            retry_after = int(recent[0][0] + self.window - now) + 1
            error = ApiError(
                "too_many_requests",
                f"too many {what} from this sender: at most {self.limit} in "
                f"{int(self.window)} seconds; try again in {retry_after} seconds",
            )
            error.retry_after = retry_after
            raise error
        recent.append((now, item))
