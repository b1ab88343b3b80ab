"""The gateway's own database: staff accounts, their tokens, and the agency directory.

Tokens and changes to accounts
------------------------------
A token document holds a snapshot of its user's role and agency, so that checking a
token (`staff_for`, on every authenticated request, against a slow embedded MongoDB) is
one read. The snapshot stays true because every change to a user (disabled, enabled,
another role or agency) deletes all of that user's tokens at once, right after the
user's document is updated: the user signs in again and gets a token with the new
rights, or, disabled, cannot.

We chose deletion over a per-user generation counter stored in each token: a counter
must be compared with the user's current one on every request (a second read, or a
$lookup), while deletion costs one extra read per sign-in (see `issue_token`) and one
delete per change, both rare.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from pymongo import MongoClient, ReturnDocument
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from gateway.passwords import hash_password, new_password, verify_password
from services.contracts.reference import SEED_AGENCIES, AgencyKind

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")
AGENCY_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
MIN_PASSWORD = 12
# What a token grants: a change to any of these ends the user's tokens.
GRANT_FIELDS = ("role", "agency", "active")
ACCOUNT_FIELDS = {"role": 1, "agency": 1, "active": 1, "created_at": 1}


class Role(StrEnum):
    OFFICER = "officer"
    ADMIN = "admin"
    AGENCY_ADMIN = "agency_admin"
    # The head of an agency (kepala dinas): reads its agency's complaints, acts on none.
    AGENCY_HEAD = "agency_head"
    SUPERVISOR = "supervisor"


# Roles bound to one agency: they see that agency's complaints only.
AGENCY_ROLES = frozenset({Role.AGENCY_ADMIN, Role.AGENCY_HEAD})


@dataclass(frozen=True)
class Staff:
    username: str
    role: Role
    agency: str | None
    # An agency API key's permissions (gateway/agency_keys.py); None for a person, whose
    # role alone decides.
    permissions: frozenset[str] | None = None


@dataclass(frozen=True)
class Account:
    """A staff account as operators see it (never its password hash)."""

    username: str
    role: Role
    agency: str | None
    active: bool
    created_at: datetime | None


@dataclass(frozen=True)
class UserChange:
    """The outcome of a change: the account after it, whether anything changed, and how
    many tokens it ended."""

    account: Account
    changed: bool
    tokens_revoked: int


class IdentityError(ValueError):
    """A directory change that was refused; the message says why, `field` what to fix."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class UnknownUser(IdentityError):
    """The username names no account."""

    def __init__(self, username: str) -> None:
        super().__init__(f"there is no user {username!r}", "username")


def check_username(username: str) -> None:
    # fullmatch: with match, "$" would also accept a trailing newline.
    if not USERNAME.fullmatch(username):
        raise IdentityError(
            "username: 3-40 lower-case letters, digits, '.', '_' or '-'", "username"
        )


def check_role(role: str, agency: str | None) -> None:
    """The shape of a role and agency pair (whether the agency exists is checked apart)."""
    if role not in set(Role):
        raise IdentityError(f"role must be one of {', '.join(Role)}", "role")
    if (role in AGENCY_ROLES) != (agency is not None):
        raise IdentityError(
            "an agency_admin or agency_head needs an agency, and only they have one", "agency"
        )


def same_grant(before: dict, now: dict | None) -> bool:
    """Whether a user read at sign-in still grants what it granted then: active, with
    the same role and agency."""
    return (
        now is not None
        and now.get("active") is True
        and all(before.get(name) == now.get(name) for name in GRANT_FIELDS)
    )


def account_from(doc: dict) -> Account:
    return Account(
        username=doc["_id"],
        role=Role(doc["role"]),
        agency=doc.get("agency"),
        active=bool(doc.get("active")),
        created_at=doc.get("created_at"),
    )


class Identity:
    def __init__(self, db: Database) -> None:
        self.db = db

    @classmethod
    def connect(cls, mongo_uri: str, database: str) -> "Identity":
        client = MongoClient(
            mongo_uri, tz_aware=True, serverSelectionTimeoutMS=3000, w="majority", journal=True
        )
        return cls(client[database])

    def ensure_indexes(self) -> None:
        self.db.tokens.create_index("expires_at", expireAfterSeconds=0)
        # A change to a user deletes its tokens by username.
        self.db.tokens.create_index("username")

    def ping(self) -> None:
        self.db.command("ping")

    # agencies
    def add_agency(self, code: str, name: str, kind: str) -> bool:
        if not AGENCY_CODE.fullmatch(code):
            raise IdentityError(f"agency code {code!r}: use 2-40 lower-case letters, digits, -")
        if kind not in set(AgencyKind):
            raise IdentityError(f"agency kind must be one of {', '.join(AgencyKind)}")
        result = self.db.agencies.update_one(
            {"_id": code},
            {"$setOnInsert": {"name": name, "kind": kind, "active": True}},
            upsert=True,
        )
        return result.upserted_id is not None

    def seed(self) -> int:
        return sum(self.add_agency(code, name, kind) for code, name, kind in SEED_AGENCIES)

    def unknown_agencies(self, codes: list[str]) -> list[str]:
        known = {
            doc["_id"] for doc in self.db.agencies.find({"_id": {"$in": codes}, "active": True})
        }
        return [code for code in codes if code not in known]

    def agencies(self) -> list[dict]:
        return [
            {"code": doc["_id"], "name": doc["name"], "kind": doc["kind"]}
            for doc in self.db.agencies.find({"active": True}).sort("_id")
        ]

    # staff
    def add_user(
        self, username: str, password: str, role: str, agency: str | None, by: str = "aduan-admin"
    ) -> Account:
        check_username(username)
        if len(password) < MIN_PASSWORD:
            raise IdentityError(f"password: at least {MIN_PASSWORD} characters", "password")
        check_role(role, agency)
        self._check_agency_exists(agency)
        try:
            self.db.users.insert_one(
                {
                    "_id": username,
                    "password_hash": hash_password(password),
                    "role": role,
                    "agency": agency,
                    "active": True,
                    "created_at": datetime.now(UTC),
                }
            )
        except DuplicateKeyError:
            raise IdentityError(f"user {username!r} exists already", "username") from None
        self._log(username, "create", by, role=str(role), agency=agency)
        found = self.db.users.find_one({"_id": username}, ACCOUNT_FIELDS)
        return account_from(found)

    def reset_password(self, username: str, by: str) -> tuple[str, int]:
        """A new temporary password for the user, to be handed over; its tokens end (it
        signs in again with the new one). Returns the password and the tokens ended."""
        password = new_password()
        updated = self.db.users.update_one(
            {"_id": username}, {"$set": {"password_hash": hash_password(password)}}
        )
        if updated.matched_count == 0:
            raise UnknownUser(username)
        revoked = self.db.tokens.delete_many({"username": username}).deleted_count
        self._log(username, "reset_password", by, tokens_revoked=revoked)
        return password, revoked

    def list_users(self) -> list[Account]:
        return [account_from(doc) for doc in self.db.users.find({}, ACCOUNT_FIELDS).sort("_id")]

    def disable_user(self, username: str, by: str) -> UserChange:
        return self._change(username, {"active": False}, "disable", by)

    def enable_user(self, username: str, by: str) -> UserChange:
        return self._change(username, {"active": True}, "enable", by)

    def set_role(self, username: str, role: str, agency: str | None, by: str) -> UserChange:
        check_role(role, agency)
        self._check_agency_exists(agency)
        return self._change(username, {"role": str(role), "agency": agency}, "set_role", by)

    def revoke_tokens(self, username: str, by: str) -> int:
        """Ends every token of the user (signed out everywhere); the user may sign in again."""
        if self.db.users.find_one({"_id": username}, {"_id": 1}) is None:
            raise UnknownUser(username)
        revoked = self.db.tokens.delete_many({"username": username}).deleted_count
        self._log(username, "revoke_tokens", by, tokens_revoked=revoked)
        return revoked

    def revoke_token(self, token: str) -> bool:
        """Signs one token out; False when it was unknown already."""
        return self.db.tokens.delete_one({"_id": _digest(token)}).deleted_count == 1

    # tokens
    def issue_token(self, username: str, password: str, ttl: int) -> tuple[str, Staff] | None:
        user = self.db.users.find_one({"_id": username, "active": True})
        if user is None or not verify_password(password, user["password_hash"]):
            return None
        token = secrets.token_urlsafe(32)
        staff = Staff(username, Role(user["role"]), user.get("agency"))
        self.db.tokens.insert_one(
            {
                "_id": _digest(token),
                "username": username,
                "role": staff.role,
                "agency": staff.agency,
                "expires_at": datetime.now(UTC) + timedelta(seconds=ttl),
            }
        )
        # A change that landed between the read above and the insert deleted the user's
        # tokens before this one existed. Changes update the user first and delete its
        # tokens second, so re-reading the user after the insert closes that gap: a
        # change updated before this read is seen here, one updated after it deletes
        # this token itself.
        now = self.db.users.find_one({"_id": username}, {name: 1 for name in GRANT_FIELDS})
        if not same_grant(user, now):
            self.db.tokens.delete_one({"_id": _digest(token)})
            return None
        return token, staff

    def staff_for(self, token: str) -> Staff | None:
        # One read by primary key: the snapshot is kept true by deleting tokens on change.
        doc = self.db.tokens.find_one({"_id": _digest(token)})
        if doc is None or doc["expires_at"] <= datetime.now(UTC):
            return None
        return Staff(doc["username"], Role(doc["role"]), doc.get("agency"))

    # internals
    def _check_agency_exists(self, agency: str | None) -> None:
        if agency is not None and self.unknown_agencies([agency]):
            raise IdentityError(f"unknown agency {agency!r}: create it first", "agency")

    def _change(self, username: str, fields: dict, action: str, by: str) -> UserChange:
        before = self.db.users.find_one_and_update(
            {"_id": username},
            {"$set": fields},
            projection=ACCOUNT_FIELDS,
            return_document=ReturnDocument.BEFORE,
        )
        if before is None:
            raise UnknownUser(username)
        after = before | fields
        changed = any(before.get(name) != value for name, value in fields.items())
        revoked = 0
        # After the update (see issue_token). A disabled user must hold no token even if
        # it was disabled already; an unchanged active user keeps its sessions.
        if changed or not after["active"]:
            revoked = self.db.tokens.delete_many({"username": username}).deleted_count
        if changed:
            self._log(
                username,
                action,
                by,
                before={name: before.get(name) for name in GRANT_FIELDS},
                after={name: after.get(name) for name in GRANT_FIELDS},
                tokens_revoked=revoked,
            )
        return UserChange(account_from(after), changed, revoked)

    def _log(self, username: str, action: str, by: str, **details) -> None:
        # Written after the change itself: the change and its revocations must never
        # wait on the record of them.
        self.db.user_log.insert_one(
            {"username": username, "action": action, "by": by, "at": datetime.now(UTC)} | details
        )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
