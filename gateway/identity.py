"""The gateway's own database: staff accounts, their tokens, and the agency directory."""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from pymongo import MongoClient
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from gateway.passwords import hash_password, verify_password
from services.contracts.reference import SEED_AGENCIES, AgencyKind

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")
AGENCY_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
MIN_PASSWORD = 12


class Role(StrEnum):
    OFFICER = "officer"
    ADMIN = "admin"
    AGENCY_ADMIN = "agency_admin"
    SUPERVISOR = "supervisor"


@dataclass(frozen=True)
class Staff:
    username: str
    role: Role
    agency: str | None


class IdentityError(ValueError):
    """A directory change that was refused; the message says why."""


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

    def ping(self) -> None:
        self.db.command("ping")

    # agencies
    def add_agency(self, code: str, name: str, kind: str) -> bool:
        if not AGENCY_CODE.match(code):
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
    def add_user(self, username: str, password: str, role: str, agency: str | None) -> None:
        if not USERNAME.match(username):
            raise IdentityError("username: 3-40 lower-case letters, digits, '.', '_' or '-'")
        if len(password) < MIN_PASSWORD:
            raise IdentityError(f"password: at least {MIN_PASSWORD} characters")
        if role not in set(Role):
            raise IdentityError(f"role must be one of {', '.join(Role)}")
        if (role == Role.AGENCY_ADMIN) != (agency is not None):
            raise IdentityError("an agency_admin needs --agency, and only an agency_admin has one")
        if agency is not None and self.unknown_agencies([agency]):
            raise IdentityError(f"unknown agency {agency!r}: create it first")
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
            raise IdentityError(f"user {username!r} exists already") from None

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
        return token, staff

    def staff_for(self, token: str) -> Staff | None:
        doc = self.db.tokens.find_one({"_id": _digest(token)})
        if doc is None or doc["expires_at"] <= datetime.now(UTC):
            return None
        return Staff(doc["username"], Role(doc["role"]), doc.get("agency"))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
