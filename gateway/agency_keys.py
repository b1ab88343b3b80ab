"""Agencies' API keys: machine credentials of one agency's system, each limited to
named permissions, stored as a digest and shown once (at creation and at rotation).

A key is written `aduan_<id>_<secret>`: the id finds the key's document in one read by
primary key, the secret is compared with its SHA-256 digest (a 256-bit random secret
needs no slow hash). A key acts as its agency's liaison would, within its permissions;
which permission each route needs is the table below, and a route it does not name is
refused to every key.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from pymongo.database import Database

from gateway.identity import IdentityError, Role, Staff

# What a key may be allowed to do.
PERMISSIONS = ("read", "accept", "return", "resolve", "request_info", "deliveries")
KEY = re.compile(r"^aduan_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")
NAME = re.compile(r"^.{3,80}$", re.DOTALL)
# Calls a key may make per minute unless its own limit says otherwise.
DEFAULT_RATE_LIMIT = 600
MAX_RATE_LIMIT = 100_000

TICKET = "/api/v1/complaints/{ticket}"
# (method, route path) -> the permission it needs; the agency steps name theirs in the path.
ROUTE_PERMISSIONS: dict[tuple[str, str], str] = {
    ("GET", "/api/v1/worklist"): "read",
    ("GET", "/api/v1/agencies"): "read",
    ("GET", TICKET): "read",
    ("GET", TICKET + "/sla"): "read",
    ("GET", TICKET + "/attachments/{file_id}"): "read",
    ("POST", TICKET + "/request-info"): "request_info",
    # The lead's part of a multi-agency case: closing another agency's task and recording
    # an outside institution's answer come with resolving.
    ("POST", TICKET + "/tasks/{agency}/close"): "resolve",
    ("POST", TICKET + "/referrals/{institution}"): "resolve",
    # The agency's webhooks (gateway/routes/agency_hooks.py): what was delivered, again.
    ("GET", "/api/v1/agency-hooks/endpoints"): "deliveries",
    ("GET", "/api/v1/agency-hooks/deliveries"): "deliveries",
    ("POST", "/api/v1/agency-hooks/deliveries/{delivery_id}/redeliver"): "deliveries",
}
AGENCY_STEPS = {"accept": "accept", "return": "return", "resolve": "resolve"}
AGENCY_STEP_ROUTE = ("POST", TICKET + "/{action:str}")


@dataclass(frozen=True)
class AgencyKey:
    """A key as supervisors see it (never its secret or digest)."""

    id: str
    agency: str
    name: str
    permissions: tuple[str, ...]
    rate_limit: int
    created_by: str
    created_at: datetime
    rotated_at: datetime | None
    revoked_at: datetime | None


def needed_permission(method: str, route_path: str, action: str | None) -> str | None:
    """The permission a call needs, or None when no key may make it."""
    if (method, route_path) == AGENCY_STEP_ROUTE:
        return AGENCY_STEPS.get(action or "")
    return ROUTE_PERMISSIONS.get((method, route_path))


def looks_like_key(token: str) -> bool:
    return token.startswith("aduan_")


def key_id_of(token: str) -> str | None:
    found = KEY.fullmatch(token)
    return found.group(1) if found else None


def check_new_key(name: object, permissions: object, rate_limit: object) -> None:
    if not isinstance(name, str) or not NAME.fullmatch(name.strip()):
        raise IdentityError("name: 3-80 characters naming the system that uses the key", "name")
    if (
        not isinstance(permissions, list)
        or not permissions
        or not all(isinstance(p, str) and p in PERMISSIONS for p in permissions)
    ):
        raise IdentityError(f"permissions: a list of {', '.join(PERMISSIONS)}", "permissions")
    if (
        isinstance(rate_limit, bool)
        or not isinstance(rate_limit, int)
        or not 1 <= rate_limit <= MAX_RATE_LIMIT
    ):
        raise IdentityError(
            f"rate_limit: calls per minute, a whole number from 1 to {MAX_RATE_LIMIT}",
            "rate_limit",
        )


class AgencyKeys:
    """The keys, in the gateway's database beside the staff accounts."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def create(
        self,
        agency: str,
        name: str,
        permissions: list[str],
        by: str,
        rate_limit: int = DEFAULT_RATE_LIMIT,
    ) -> tuple[AgencyKey, str]:
        """A new key of `agency`; returns it and the key to hand over (shown this once)."""
        check_new_key(name, permissions, rate_limit)
        if not self.db.agencies.find_one({"_id": agency, "active": True}, {"_id": 1}):
            raise IdentityError(f"unknown agency {agency!r}: create it first", "agency")
        key_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        document = {
            "_id": key_id,
            "agency": agency,
            "name": name.strip(),
            "permissions": sorted(set(permissions), key=PERMISSIONS.index),
            "rate_limit": rate_limit,
            "digest": secret_digest(secret),
            "created_by": by,
            "created_at": now,
            "rotated_at": None,
            "revoked_at": None,
        }
        self.db.agency_keys.insert_one(document)
        self._log(key_id, "create", by, agency=agency, permissions=document["permissions"])
        return _key_from(document), _written(key_id, secret)

    def list(self, agency: str | None = None) -> list[AgencyKey]:
        query = {} if agency is None else {"agency": agency}
        return [_key_from(d) for d in self.db.agency_keys.find(query).sort("created_at", 1)]

    def rotate(self, key_id: str, by: str) -> tuple[AgencyKey, str]:
        """A new secret for the key; the old one stops working at once."""
        secret = secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        found = self.db.agency_keys.find_one_and_update(
            {"_id": key_id, "revoked_at": None},
            {"$set": {"digest": secret_digest(secret), "rotated_at": now}},
            return_document=True,
        )
        if found is None:
            raise IdentityError(f"there is no active key {key_id!r}", "key")
        self._log(key_id, "rotate", by)
        return _key_from(found), _written(key_id, secret)

    def revoke(self, key_id: str, by: str) -> AgencyKey:
        """The key is refused from its next call on; revoking twice changes nothing."""
        now = datetime.now(UTC)
        revoked = self.db.agency_keys.update_one(
            {"_id": key_id, "revoked_at": None}, {"$set": {"revoked_at": now}}
        )
        found = self.db.agency_keys.find_one({"_id": key_id})
        if found is None:
            raise IdentityError(f"there is no key {key_id!r}", "key")
        if revoked.modified_count:
            self._log(key_id, "revoke", by)
        return _key_from(found)

    def staff_for(self, token: str) -> tuple[Staff, int] | None:
        """The caller a key stands for and its calls per minute, or None (malformed,
        unknown, wrong secret, revoked). One read by primary key."""
        found = KEY.fullmatch(token)
        if found is None:
            return None
        key_id, secret = found.groups()
        document = self.db.agency_keys.find_one({"_id": key_id})
        if document is None or document.get("revoked_at") is not None:
            return None
        if not hmac.compare_digest(document["digest"], secret_digest(secret)):
            return None
        staff = Staff(
            f"key:{key_id}",
            Role.AGENCY_ADMIN,
            document["agency"],
            permissions=frozenset(document["permissions"]),
        )
        return staff, int(document.get("rate_limit") or DEFAULT_RATE_LIMIT)

    def _log(self, key_id: str, action: str, by: str, **details) -> None:
        self.db.agency_key_log.insert_one(
            {"key": key_id, "action": action, "by": by, "at": datetime.now(UTC)} | details
        )


def secret_digest(secret: str) -> str:
    """What is stored of a key's secret (agencies' and Open311 apps' keys alike)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _written(key_id: str, secret: str) -> str:
    return f"aduan_{key_id}_{secret}"


def _key_from(document: dict) -> AgencyKey:
    return AgencyKey(
        id=document["_id"],
        agency=document["agency"],
        name=document["name"],
        permissions=tuple(document["permissions"]),
        rate_limit=int(document.get("rate_limit") or DEFAULT_RATE_LIMIT),
        created_by=document["created_by"],
        created_at=document["created_at"],
        rotated_at=document.get("rotated_at"),
        revoked_at=document.get("revoked_at"),
    )
