"""Triage's pure core: the category suggestion and the officers' review decisions."""

import re
from datetime import datetime

from services.chassis import fields
from services.contracts.events import EventType
from services.contracts.lifecycle import Action, Status, next_status
from services.contracts.reference import Category, Scope
from services.triage.keywords import KEYWORDS

AGENCY_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
CLASSIFY_FIELDS = ("category", "scope", "agencies")
REJECT_FIELDS = ("reason",)
MAX_AGENCIES = 10


def suggest(title: str, description: str, hint: str | None) -> tuple[str | None, list[str]]:
    """The category whose keywords occur most often; the reporter's hint breaks ties."""
    text = f" {title} {description} ".casefold()
    scores = {
        category: [word for word in words if word in text] for category, words in KEYWORDS.items()
    }
    best = max(scores.items(), key=lambda item: (len(item[1]), item[0] == hint))
    if best[1]:
        return str(best[0]), best[1]
    return hint, []


def open_review(data: dict) -> tuple[dict, list]:
    category, matched = suggest(data["title"], data["description"], data.get("category_hint"))
    state = {
        "status": str(next_status(Status.RECEIVED, Action.TRIAGE)),
        "received_at": data["received_at"],
        "suggested_category": category,
        "matched_keywords": matched,
        "decisions": [],
    }
    event = {"suggested_category": category, "matched_keywords": matched}
    return state, [(EventType.COMPLAINT_TRIAGED, event)]


def parse_classification(body: object) -> dict:
    body = fields.obj(body, "", CLASSIFY_FIELDS)
    scope = fields.choice(body, "scope", "scope", Scope)
    agencies = fields.text_list(body, "agencies", "agencies", max_items=MAX_AGENCIES)
    bad = [code for code in agencies if not AGENCY_CODE.match(code)]
    if bad:
        raise fields.invalid("agencies", f"{bad[0]!r} is not an agency code")
    if not agencies:
        raise fields.invalid("agencies", "name at least one agency")
    if scope == Scope.SINGLE_AGENCY and len(agencies) != 1:
        raise fields.invalid("agencies", "a single_agency complaint names exactly one agency")
    if scope == Scope.CROSS_AGENCY and len(agencies) < 2:
        raise fields.invalid("agencies", "a cross_agency complaint names two or more agencies")
    return {
        "category": fields.choice(body, "category", "category", Category),
        "scope": scope,
        "agencies": agencies,
    }


def parse_rejection(body: object) -> dict:
    body = fields.obj(body, "", REJECT_FIELDS)
    return {"reason": fields.text(body, "reason", "reason", min_len=10, max_len=500)}


def classify(review: dict, decision: dict, officer: str, now: datetime) -> tuple[dict, list]:
    status = next_status(Status(review["status"]), Action.CLASSIFY)
    record = {**decision, "action": "classify", "officer": officer, "at": now}
    state = {"status": str(status), **decision, "decisions": [*review["decisions"], record]}
    return state, [(EventType.COMPLAINT_CLASSIFIED, {**decision, "officer": officer})]


def reject(review: dict, decision: dict, officer: str, now: datetime) -> tuple[dict, list]:
    status = next_status(Status(review["status"]), Action.REJECT)
    record = {**decision, "action": "reject", "officer": officer, "at": now}
    state = {"status": str(status), "decisions": [*review["decisions"], record]}
    return state, [(EventType.COMPLAINT_REJECTED, {**decision, "officer": officer})]


def reopened(review: dict, data: dict, now: datetime) -> tuple[dict, list]:
    """The result was disputed after closing: the officers review it again."""
    record = {"action": "reopened", "reason": data["reason"], "by": data["by"], "at": now}
    state = {"status": str(Status.AWAITING_REVIEW), "decisions": [*review["decisions"], record]}
    return state, []


def agency_returned(review: dict, data: dict, now: datetime) -> tuple[dict, list]:
    """The agency sent it back: the officers decide again."""
    record = {"action": "returned", "agency": data["agency"], "reason": data["reason"], "at": now}
    state = {"status": str(Status.RETURNED), "decisions": [*review["decisions"], record]}
    return state, []
