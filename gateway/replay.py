"""Webhook replay protection: each signed request is accepted once.

A signature covers the timestamp and the body, so within the 5-minute window a captured
request could be sent again unchanged. Its signature is recorded in the gateway's
database (shared by every gateway instance) until the window has passed; the same
signature again is refused. A request whose message could not be queued is forgotten
again, so the provider's identical retry is still accepted.
"""

import hashlib
from datetime import UTC, datetime, timedelta

from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from gateway.signature import TOLERANCE_SECONDS


class ReplayGuard:
    def __init__(self, seen: Collection) -> None:
        self.seen = seen

    def ensure_indexes(self) -> None:
        self.seen.create_index("expires_at", expireAfterSeconds=0)

    def first_use(self, signature: str, now: datetime | None = None) -> bool:
        """Records the signature; False when it was used before."""
        now = now or datetime.now(UTC)
        # Kept for two windows: a timestamp may lie up to one window in the future.
        expires_at = now + timedelta(seconds=2 * TOLERANCE_SECONDS)
        try:
            self.seen.insert_one({"_id": _key(signature), "expires_at": expires_at})
        except DuplicateKeyError:
            return False
        return True

    def forget(self, signature: str) -> None:
        self.seen.delete_one({"_id": _key(signature)})


def _key(signature: str) -> str:
    return hashlib.sha256(signature.lower().encode()).hexdigest()
