"""Open311 apps' API keys: the `api_key` an app developer's app sends to post requests.

Not an agency's key (gateway/agency_keys.py), which acts as an agency's liaison: an
Open311 key only posts residents' requests, as the `open311` channel, within its calls
per minute. Supervisors make and revoke them with aduan-admin (gateway/open311/cli.py);
a key is written `o311_<id>_<secret>`, shown once, and stored as its digest, in the
gateway's database beside the agencies' keys.
"""

import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from pymongo.database import Database

from gateway.agency_keys import MAX_RATE_LIMIT, NAME, secret_digest
from gateway.identity import IdentityError

KEY = re.compile(r"^o311_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")
# Requests an app may post per minute unless its own limit says otherwise.
DEFAULT_RATE_LIMIT = 60


@dataclass(frozen=True)
class ClientKey:
    """A key as supervisors see it (never its secret or digest)."""

    id: str
    name: str
    contact: str
    rate_limit: int
    created_by: str
    created_at: datetime
    revoked_at: datetime | None


class ClientKeys:
    def __init__(self, db: Database) -> None:
        self.keys = db.open311_keys
        self.log = db.open311_key_log

    def create(
        self, name: str, contact: str, by: str, rate_limit: int = DEFAULT_RATE_LIMIT
    ) -> tuple[ClientKey, str]:
        """A new key for the app `name`, whose developer is reached at `contact`; returns
        it and the key to hand over (shown this once)."""
        if not isinstance(name, str) or not NAME.fullmatch(name.strip()):
            raise IdentityError("name: 3-80 characters naming the app", "name")
        if not isinstance(contact, str) or not NAME.fullmatch(contact.strip()):
            raise IdentityError("contact: 3-80 characters: who answers for the app", "contact")
        if isinstance(rate_limit, bool) or not 1 <= rate_limit <= MAX_RATE_LIMIT:
            raise IdentityError(f"rate_limit: requests per minute, 1 to {MAX_RATE_LIMIT}")
        key_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
        document = {
            "_id": key_id,
            "name": name.strip(),
            "contact": contact.strip(),
            "rate_limit": rate_limit,
            "digest": secret_digest(secret),
            "created_by": by,
            "created_at": datetime.now(UTC),
            "revoked_at": None,
        }
        self.keys.insert_one(document)
        self._log(key_id, "create", by)
        return _key_from(document), f"o311_{key_id}_{secret}"

    def list(self) -> list[ClientKey]:
        return [_key_from(d) for d in self.keys.find().sort("created_at", 1)]

    def revoke(self, key_id: str, by: str) -> ClientKey:
        """The key is refused from its next request on; revoking twice changes nothing."""
        revoked = self.keys.update_one(
            {"_id": key_id, "revoked_at": None}, {"$set": {"revoked_at": datetime.now(UTC)}}
        )
        found = self.keys.find_one({"_id": key_id})
        if found is None:
            raise IdentityError(f"there is no Open311 key {key_id!r}", "key")
        if revoked.modified_count:
            self._log(key_id, "revoke", by)
        return _key_from(found)

    def check(self, written: str) -> ClientKey | None:
        """The key `written` is, or None (malformed, unknown, wrong secret, revoked).
        One read by primary key."""
        found = KEY.fullmatch(written)
        if found is None:
            return None
        key_id, secret = found.groups()
        document = self.keys.find_one({"_id": key_id})
        if document is None or document.get("revoked_at") is not None:
            return None
        if not hmac.compare_digest(document["digest"], secret_digest(secret)):
            return None
        return _key_from(document)

    def _log(self, key_id: str, action: str, by: str) -> None:
        self.log.insert_one({"key": key_id, "action": action, "by": by, "at": datetime.now(UTC)})


def _key_from(document: dict) -> ClientKey:
    return ClientKey(
        id=document["_id"],
        name=document["name"],
        contact=document["contact"],
        rate_limit=int(document.get("rate_limit") or DEFAULT_RATE_LIMIT),
        created_by=document["created_by"],
        created_at=document["created_at"],
        revoked_at=document.get("revoked_at"),
    )
