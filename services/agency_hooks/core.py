"""The agency hooks' pure core: which agency an event concerns, what its endpoints
receive and how it is signed, and the feed that keeps one endpoint's events about one
complaint in order through retries, parking and redelivery.

A feed is one endpoint's queue for one complaint: its head is sent until the endpoint
takes it (any 2xx), then the next; a failed head is tried again with growing delays for
at least `retry_for`, then the feed is parked with everything queued behind it, so a
receiver never sees a complaint's events out of order. Feeds of other complaints and
of other endpoints go on meanwhile.
"""

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from services.chassis import fields
from services.contracts.errors import CommandRejected, ErrorCode
from services.contracts.events import SUBSCRIPTIONS, Envelope, EventType

# What an agency's endpoint can be told, about complaints assigned to the agency: the
# events the service subscribes to (services/contracts/events.py).
HOOK_EVENTS: tuple[EventType, ...] = SUBSCRIPTIONS["agency_hooks"]
HOOK_EVENT_NAMES = tuple(str(t) for t in HOOK_EVENTS)
SIGNATURE_HEADER = "Aduan-Signature"
MAX_URL = 2000
DESCRIPTION = re.compile(r"^.{0,200}$", re.DOTALL)


# -- which agency an event concerns -------------------------------------------------


class MalformedEvent(ValueError):
    """An envelope no agency can be told of; the inbox retries, then parks it."""


def check_event(event: Envelope) -> None:
    """The inbox parks envelopes of the wrong shape (chassis/inbox.py well_formed); what
    only agencies need is checked here: an event of a hook type, a forwarding naming its
    agency, so none is dropped unseen or sent broken."""
    if event["type"] not in HOOK_EVENT_NAMES or not event["ticket"]:
        raise MalformedEvent(f"not an event agencies can be told of: {event!r:.200}")
    data = event["data"]
    if event["type"] == EventType.COMPLAINT_FORWARDED and not isinstance(data.get("agency"), str):
        raise MalformedEvent("complaint.forwarded without its agency")
    if event["type"] == EventType.TASK_REASSIGNED and not all(
        isinstance(data.get(k), str) for k in ("agency", "from_agency")
    ):
        raise MalformedEvent("complaint.task_reassigned without its two agencies")


def concerned_agencies(assignment: dict | None, event: Envelope) -> list[str]:
    """The agencies whose endpoints hear of this event (none: it concerns no agency).

    A forwarding goes to every agency with a task; the lead returning the complaint to
    the lead and every agency whose task it withdrew; a task moved to both its old
    agency (withdrawn) and its new one; an SLA event to the agencies it names (a task's
    stage target to its agency). A reply from the reporter goes to the agencies the
    complaint is with; a dispute, a reopening or a closing to the last that had it.
    """
    data, kind = event["data"], event["type"]
    if kind == EventType.COMPLAINT_FORWARDED:
        return [t["agency"] for t in data.get("tasks") or [{"agency": data["agency"]}]]
    if kind == EventType.COMPLAINT_RETURNED:
        return [data["agency"], *data.get("withdrawn", [])]
    if kind == EventType.TASK_REASSIGNED:
        return [data["from_agency"], data["agency"]]
    if kind.startswith("sla."):
        named = data.get("agencies") or [data.get("agency")]
        return [a for a in named if isinstance(a, str)]
    agencies, last = _assignment(assignment)
    return agencies if kind == EventType.REPORTER_REPLIED else last


def _assignment(assignment: dict | None) -> tuple[list[str], list[str]]:
    """(the agencies the complaint is with, the last that had it); an assignment stored
    before multi-agency cases names one agency of each."""
    assignment = assignment or {}
    if "agencies" in assignment:
        return assignment["agencies"], assignment["last_agencies"]
    agency, last = assignment.get("agency"), assignment.get("last_agency")
    return [agency] if agency else [], [last] if last else []


def assigned(assignment: dict | None, event: Envelope) -> dict | None:
    """The complaint's assignment after the event, or None when it does not change it."""
    kind, data = event["type"], event["data"]
    if kind == EventType.COMPLAINT_FORWARDED:
        agencies = concerned_agencies(assignment, event)
        return {"agencies": agencies, "last_agencies": agencies}
    agencies, last = _assignment(assignment)
    if kind in (EventType.COMPLAINT_RETURNED, EventType.COMPLAINT_REOPENED):
        return {"agencies": [], "last_agencies": last}
    if kind == EventType.TASK_REASSIGNED:

        def moved(names: list[str]) -> list[str]:
            return [data["agency"] if a == data["from_agency"] else a for a in names]

        return {"agencies": moved(agencies), "last_agencies": moved(last)}
    return None


# -- endpoints ----------------------------------------------------------------------


def parse_endpoint(body: object) -> dict:
    """A new endpoint: `{url, events?, description?}`; every hook event when none named."""
    body = fields.obj(body, "", ("url", "events", "description"))
    url = fields.text(body, "url", "url", min_len=8, max_len=MAX_URL)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise fields.invalid("url", "must be an http:// or https:// address with a host")
    if parts.username or parts.password:
        raise fields.invalid("url", "must not hold a user name or password; use the secret")
    events = fields.text_list(body, "events", "events", max_items=len(HOOK_EVENTS))
    unknown = [e for e in events if e not in HOOK_EVENT_NAMES]
    if unknown:
        known = ", ".join(HOOK_EVENT_NAMES)
        raise fields.invalid("events", f"{unknown[0]!r} is not a hook event; known: {known}")
    description = fields.text(
        body, "description", "description", min_len=0, max_len=200, required=False
    )
    return {"url": url, "events": events or list(HOOK_EVENT_NAMES), "description": description}


def check_owner(endpoint: dict | None, agency: str | None, endpoint_id: str) -> dict:
    """The endpoint, when the caller's agency owns it (None: a supervisor, any agency)."""
    if endpoint is None or (agency is not None and endpoint["agency"] != agency):
        raise CommandRejected(ErrorCode.NOT_FOUND, f"there is no endpoint {endpoint_id!r}")
    return endpoint


# -- what an endpoint receives ------------------------------------------------------


def payload(event: Envelope, agency: str, sequence: int) -> str:
    """The JSON body an endpoint receives, as text: it is signed and sent as it is on
    every attempt. No reporter's identity: the events never carry it."""
    data = dict(event["data"])
    data.pop("recipients", None)  # Aduan's own staff roles, not the agency's business
    ticket = event["ticket"]
    body = {
        "id": event["event_id"],
        "type": event["type"],
        "occurred_at": event["occurred_at"],
        "ticket": ticket,
        "agency": agency,
        "sequence": sequence,
        "data": data,
        "links": {"complaint": f"/api/v1/complaints/{ticket}"},
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=str)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """HMAC-SHA256 over "<timestamp>.<body>", hex: the receiver recomputes it."""
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def request_headers(secret: str, item: dict, now: datetime) -> dict[str, str]:
    timestamp = int(now.timestamp())
    body = item["body"].encode()
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Aduan-Hooks/1",
        SIGNATURE_HEADER: f"t={timestamp},v1={signature(secret, timestamp, body)}",
        "Aduan-Event-Id": item["event_id"],
        "Aduan-Event-Type": item["type"],
        "Aduan-Sequence": str(item["seq"]),
        "Aduan-Redelivery": "true" if item.get("redelivery") else "false",
    }


# -- the feed: one endpoint, one complaint ------------------------------------------


@dataclass(frozen=True)
class RetryPolicy:
    base: timedelta = timedelta(seconds=10)
    cap: timedelta = timedelta(hours=1)
    # Retried at least this long after the first failure, then parked.
    retry_for: timedelta = timedelta(hours=24)
    lease: timedelta = timedelta(seconds=60)

    def delay(self, attempts: int) -> timedelta:
        return min(self.base * 2 ** max(attempts - 1, 0), self.cap)


def item(event: Envelope, seq: int, body: str, now: datetime) -> dict:
    return {
        "event_id": event["event_id"],
        "type": event["type"],
        "seq": seq,
        "body": body,
        "occurred_at": event["occurred_at"],
        "enqueued_at": now,
    }


def enqueued(feed: dict | None, endpoint: dict, event: Envelope, now: datetime) -> dict:
    """The feed with the event queued last, its sequence the feed's next."""
    seq = (feed or {}).get("next_seq", 1)
    body = payload(event, endpoint["agency"], seq)
    queue = [*(feed or {}).get("queue", []), item(event, seq, body, now)]
    state = {
        "endpoint": endpoint["_id"],
        "agency": endpoint["agency"],
        "ticket": event["ticket"],
        "next_seq": seq + 1,
        "queue": queue,
    }
    if feed is None or feed["status"] == "idle":
        state |= {"status": "pending", "open": True, "due_at": now, "attempts": 0}
        state |= {"first_failed_at": None, "last_error": None}
    return state  # a feed being sent, waiting to retry or parked keeps its course


def claimed(feed: dict, now: datetime, policy: RetryPolicy) -> dict | None:
    """The feed leased to one sender, or None when it is not due (taken, or waiting)."""
    if not feed.get("open") or not feed["queue"] or feed["due_at"] > now:
        return None
    return {"status": "sending", "due_at": now + policy.lease}


def head_delivered(feed: dict, event_id: str, now: datetime, policy: RetryPolicy) -> dict:
    """The head is taken: the next is sent at once (the lease kept), or the feed idles."""
    queue = feed["queue"]
    if queue and queue[0]["event_id"] == event_id:
        queue = queue[1:]
    state = {"queue": queue, "attempts": 0, "first_failed_at": None, "last_error": None}
    if queue:
        return state | {"status": "sending", "open": True, "due_at": now + policy.lease}
    return state | {"status": "idle", "open": False, "due_at": now}


def head_failed(feed: dict, error: str, now: datetime, policy: RetryPolicy) -> dict:
    """The head failed: tried again later, or, past `retry_for`, parked with the rest."""
    attempts = feed["attempts"] + 1
    first = feed.get("first_failed_at") or now
    state = {"attempts": attempts, "first_failed_at": first, "last_error": error[:300]}
    if now - first >= policy.retry_for:
        return state | {"status": "parked", "open": False, "parked_at": now}
    return state | {"status": "pending", "open": True, "due_at": now + policy.delay(attempts)}


def unparked(feed: dict, now: datetime) -> dict | None:
    """A parked feed sent again from its head, as if new (a redelivery on request)."""
    if feed["status"] != "parked":
        return None
    state = {"status": "pending", "open": True, "due_at": now, "attempts": 0}
    return state | {"first_failed_at": None, "last_error": None}


def replayed(feed: dict, delivered: dict, now: datetime) -> dict:
    """A delivered event queued again on request: the same id, sequence and body (a
    receiver that dedupes by id sees it as the same event), marked as a redelivery."""
    again = {**delivered, "redelivery": True, "enqueued_at": now}
    state = {"queue": [*feed["queue"], again]}
    if feed["status"] == "idle":
        state |= {"status": "pending", "open": True, "due_at": now, "attempts": 0}
    return state


def feed_key(endpoint_id: str, ticket: str) -> str:
    return f"{endpoint_id}/{ticket}"


def delivery_key(endpoint_id: str, event_id: str) -> str:
    return f"{endpoint_id}.{event_id}"
