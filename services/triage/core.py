"""Triage's pure core: the category suggestion and the officers' review decisions."""

import re
from datetime import datetime

from services.chassis import fields
from services.contracts.errors import CommandRejected, ErrorCode
from services.contracts.events import EventType
from services.contracts.lifecycle import Action, Status, next_status
from services.contracts.reference import TICKET_PATTERN, Category, Scope
from services.triage.duplicates import NEAR_COPY, index_keys
from services.triage.validity import REJECTION_REASONS

AGENCY_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
CLASSIFY_FIELDS = ("category", "scope", "agencies")
REJECT_FIELDS = ("reason",)
MAX_AGENCIES = 10


AUTO_OFFICER = "otomatis"
# Reviews still open to a duplicate link: the incident has not been decided or closed.
OPEN_STATUSES = ("awaiting_review", "classified", "returned")


def open_review(data: dict, suggestion: dict, words: list[str], now: datetime) -> tuple[dict, list]:
    """The review of a received complaint, with triage's suggestions; rejected at once
    when a supervisor turned automatic rejection on for one of its validity flags."""
    location = data.get("location") or {}
    state = {
        "status": str(next_status(Status.RECEIVED, Action.TRIAGE)),
        "received_at": datetime.fromisoformat(data["received_at"]),
        "kecamatan": location.get("kecamatan"),
        "kelurahan": location.get("kelurahan"),
        "lat": location.get("lat"),
        "lon": location.get("lon"),
        "words": list(words),
        "suggestion": suggestion,
        "suggested_category": suggestion["category"],
        "decisions": [],
    }
    # Later complaints find it as a possible duplicate by these (indexed) keys.
    state["dup_keys"] = review_keys(state)
    events = [(EventType.COMPLAINT_TRIAGED, triaged_event(suggestion))]
    flag = suggestion.get("auto_rejected")
    if flag:
        decision = {"reason": REJECTION_REASONS[flag]}
        rejected_state, rejected = reject(state, decision, AUTO_OFFICER, now)
        state |= rejected_state
        events += rejected
    return state, events


def triaged_event(suggestion: dict) -> dict:
    return {
        "suggested_category": suggestion["category"],
        "matched_keywords": suggestion["category_words"],
        "confidence": suggestion["confidence"],
        "needs_attention": suggestion["needs_attention"],
        "suggested_agency": suggestion["agency"],
        "suggested_agencies": suggestion["agencies"],
        "suggested_scope": suggestion["scope"],
        "validity_flags": suggestion["validity_flags"],
        "urgent": suggestion["urgent"],
        "urgent_words": suggestion["urgent_words"],
        "possible_duplicate_of": suggestion["duplicate_of"],
    }


def agreement(suggestion: dict | None, decision: dict) -> dict:
    """Whether the officer's final choice kept each suggestion."""
    if not suggestion:
        return {}
    return {
        "category": suggestion.get("category") == decision["category"],
        "agency": suggestion.get("agency") == decision["agencies"][0],
        "scope": suggestion.get("scope") == decision["scope"],
    }


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
    kept = agreement(review.get("suggestion"), decision)
    record = {**decision, "action": "classify", "officer": officer, "at": now, "agreed": kept}
    state = {"status": str(status), **decision, "decisions": [*review["decisions"], record]}
    # Its category may have changed: duplicates are looked for among the same category.
    state["dup_keys"] = review_keys({**review, **state})
    return state, [(EventType.COMPLAINT_CLASSIFIED, {**decision, "officer": officer})]


def review_keys(review: dict) -> list[str]:
    """The duplicate-search keys of a review (duplicates.index_keys), from its place,
    category (the officer's, else the suggested one), words and time of receipt; none
    once it is no longer open to a duplicate link (rejected, linked), so that the index
    holds open reviews only. None either for a near copy of an open review that no
    officer has decided on yet: later copies find the group through its first report
    (duplicates.NEAR_COPY)."""
    if review.get("received_at") is None or review.get("status") not in OPEN_STATUSES:
        return []
    suggestion = review.get("suggestion") or {}
    if (
        suggestion.get("duplicate_of")
        and (suggestion.get("duplicate_similarity") or 0) >= NEAR_COPY
        and not review.get("decisions")
    ):
        return []
    return index_keys(
        review.get("kecamatan"),
        review.get("category") or review.get("suggested_category"),
        review.get("words") or (),
        review["received_at"],
    )


def reject(review: dict, decision: dict, officer: str, now: datetime) -> tuple[dict, list]:
    status = next_status(Status(review["status"]), Action.REJECT)
    record = {**decision, "action": "reject", "officer": officer, "at": now}
    state = {"status": str(status), "decisions": [*review["decisions"], record], "dup_keys": []}
    return state, [(EventType.COMPLAINT_REJECTED, {**decision, "officer": officer})]


def parse_link(body: object, ticket: str) -> str:
    body = fields.obj(body, "", ("to",))
    primary = fields.text(body, "to", "to", max_len=20)
    if not TICKET_PATTERN.match(primary):
        raise fields.invalid("to", "must be a ticket number such as SMG-2026-000123")
    if primary == ticket:
        raise fields.invalid("to", "a complaint cannot repeat itself")
    return primary


def link(review: dict, primary: dict | None, officer: str, now: datetime):
    """An officer confirms this complaint repeats `primary` (an open complaint)."""
    if primary is None or primary["status"] in (Status.REJECTED, Status.LINKED):
        raise CommandRejected(
            ErrorCode.INVALID_FIELD,
            "to: link to an open complaint that is not itself linked or rejected",
            "to",
        )
    status = next_status(Status(review["status"]), Action.LINK)
    data = {"primary": primary["_id"], "officer": officer}
    record = {"action": "link", **data, "at": now}
    state = {"status": str(status), "linked_to": primary["_id"],
             "decisions": [*review["decisions"], record], "dup_keys": []}  # fmt: skip
    return state, [(EventType.COMPLAINT_LINKED, data)]


def unlink(review: dict, officer: str, now: datetime) -> tuple[dict, list]:
    status = next_status(Status(review["status"]), Action.UNLINK)
    data = {"primary": review["linked_to"], "officer": officer}
    record = {"action": "unlink", **data, "at": now}
    state = {"status": str(status), "linked_to": None,
             "decisions": [*review["decisions"], record]}  # fmt: skip
    state["dup_keys"] = review_keys({**review, **state})
    return state, [(EventType.COMPLAINT_UNLINKED, data)]


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
