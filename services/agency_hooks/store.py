"""The agency hooks' database: endpoints, each complaint's assignment, the feeds (one
endpoint's queue for one complaint) and the delivery log agencies read."""

import os
import secrets
import uuid
from datetime import datetime, timedelta

from pymongo import ASCENDING, DESCENDING

from services.agency_hooks import core
from services.agency_hooks.sender import Senders
from services.chassis import fields
from services.chassis.aggregates import Aggregates, Change, public_state
from services.chassis.store import MongoStore
from services.contracts.errors import CommandRejected, ErrorCode
from services.contracts.events import Envelope

DELIVERY_STATUSES = ("pending", "retrying", "delivered", "parked")


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def public_endpoint(doc: dict) -> dict:
    return {
        "id": doc["_id"],
        "agency": doc["agency"],
        "url": doc["url"],
        "events": doc["events"],
        "description": doc.get("description"),
        "active": doc["active"],
        "created_by": doc["created_by"],
        "created_at": _iso(doc["created_at"]),
        "secret_rotated_at": _iso(doc.get("secret_rotated_at")),
    }


def public_delivery(doc: dict) -> dict:
    found = {
        k: doc.get(k) for k in ("endpoint", "agency", "ticket", "event_id", "type", "seq", "status")
    }
    found |= {k: doc.get(k, 0) for k in ("attempts", "redeliveries")}
    found |= {"last_status": doc.get("last_status"), "last_error": doc.get("last_error")}
    found |= {k: _iso(doc.get(k)) for k in ("enqueued_at", "delivered_at", "last_attempt_at")}
    return {"id": doc["_id"], **found}


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class HookDesk:
    """Domain verbs: events arrive for agencies, agencies manage endpoints and read
    what was delivered."""

    def __init__(self, db, complaints: Aggregates, feeds: Aggregates, wake) -> None:
        self.db, self.complaints, self.feeds, self.wake = db, complaints, feeds, wake

    # events
    def event_arrived(self, event: Envelope, now: datetime) -> None:
        """Queued once for every endpoint of the agency it concerns that asked for its
        type (each feed applies an event id once), then the assignment moves: a crash
        between the two queues nothing twice, and the redelivered event finds the
        assignment it was judged by."""
        core.check_event(event)
        ticket, event_id = event["ticket"], event["event_id"]
        doc = self.complaints.get(ticket)
        if doc is not None and event_id in doc.get("_applied", ()):
            return
        assignment = None if doc is None else public_state(doc)
        agencies = core.concerned_agencies(assignment, event)
        if agencies:
            query = {"agency": {"$in": agencies}, "active": True, "events": event["type"]}
            for endpoint in self.db.endpoints.find(query):
                self._enqueue(endpoint, event, now)
        moved = core.assigned(assignment, event)
        if moved is not None:
            self.complaints.change(ticket, lambda _: Change(moved), applying=event_id)

    def _enqueue(self, endpoint: dict, event: Envelope, now: datetime) -> None:
        key = core.feed_key(endpoint["_id"], event["ticket"])
        change = self.feeds.change(
            key,
            lambda feed: Change(core.enqueued(feed, endpoint, event, now)),
            applying=event["event_id"],
        )
        queued = (change.state["queue"][-1] if change else None) or self._queued(key, event)
        if queued is not None:
            self._log_queued(endpoint, event, queued, now)
        self.wake(endpoint["_id"], endpoint["agency"])

    def _queued(self, key: str, event: Envelope) -> dict | None:
        """The item an earlier try queued (it may have crashed before its log entry)."""
        feed = self.feeds.get(key) or {}
        return next((i for i in feed.get("queue", ()) if i["event_id"] == event["event_id"]), None)

    def _log_queued(self, endpoint: dict, event: Envelope, queued: dict, now: datetime) -> None:
        entry = {
            "endpoint": endpoint["_id"],
            "agency": endpoint["agency"],
            "ticket": event["ticket"],
            "event_id": event["event_id"],
            "type": event["type"],
            "seq": queued["seq"],
            "body": queued["body"],
            "occurred_at": queued["occurred_at"],
            "enqueued_at": now,
            "status": "pending",
            "attempts": 0,
        }
        key = core.delivery_key(endpoint["_id"], event["event_id"])
        self.db.deliveries.update_one({"_id": key}, {"$setOnInsert": entry}, upsert=True)

    # endpoints
    def register(self, agency: str, body: object, by: str, now: datetime) -> dict:
        endpoint = core.parse_endpoint(body)
        doc = {
            "_id": uuid.uuid4().hex[:16],
            "agency": agency,
            **endpoint,
            "secret": new_secret(),
            "active": True,
            "created_by": by,
            "created_at": now,
        }
        self.db.endpoints.insert_one(doc)
        self.wake(None)
        return public_endpoint(doc) | {"secret": doc["secret"]}

    def endpoints(self, agency: str | None) -> list[dict]:
        query = {} if agency is None else {"agency": agency}
        return [public_endpoint(d) for d in self.db.endpoints.find(query).sort("created_at", 1)]

    def rotate_secret(self, agency: str | None, endpoint_id: str, by: str, now) -> dict:
        self._owned(agency, endpoint_id)
        secret = new_secret()
        self.db.endpoints.update_one(
            {"_id": endpoint_id},
            {"$set": {"secret": secret, "secret_rotated_at": now, "secret_rotated_by": by}},
        )
        return public_endpoint(self._owned(agency, endpoint_id)) | {"secret": secret}

    def remove(self, agency: str | None, endpoint_id: str, by: str, now) -> dict:
        """No more events are queued for it or sent to it; its log stays readable."""
        self._owned(agency, endpoint_id)
        self.db.endpoints.update_one(
            {"_id": endpoint_id},
            {"$set": {"active": False, "removed_at": now, "removed_by": by}},
        )
        return public_endpoint(self._owned(agency, endpoint_id))

    def _owned(self, agency: str | None, endpoint_id: str) -> dict:
        found = self.db.endpoints.find_one({"_id": endpoint_id})
        return core.check_owner(found, agency, endpoint_id)

    # the delivery log
    def deliveries(self, agency: str | None, filters: object, limit: int) -> list[dict]:
        chosen = fields.obj(filters, "", ("status", "ticket", "endpoint"))
        query: dict = {} if agency is None else {"agency": agency}
        status = fields.choice(chosen, "status", "status", DELIVERY_STATUSES, required=False)
        if status:
            query["status"] = status
        for name in ("ticket", "endpoint"):
            value = fields.text(chosen, name, name, max_len=100, required=False)
            if value:
                query[name] = value
        found = self.db.deliveries.find(query, {"body": 0})
        return [public_delivery(d) for d in found.sort("enqueued_at", DESCENDING).limit(limit)]

    def redeliver(self, agency: str | None, delivery_id: str, now: datetime) -> dict:
        """A parked delivery's feed is sent again from its head; a delivered one is
        queued again as it was. One waiting or being retried is already on its way."""
        doc = self.db.deliveries.find_one({"_id": delivery_id})
        if doc is None or (agency is not None and doc["agency"] != agency):
            raise CommandRejected(ErrorCode.NOT_FOUND, f"there is no delivery {delivery_id!r}")
        key = core.feed_key(doc["endpoint"], doc["ticket"])
        if doc["status"] == "parked":
            self._unpark(key, now)
        elif doc["status"] == "delivered":
            sent = {k: doc[k] for k in ("event_id", "type", "seq", "body", "occurred_at")}
            self.feeds.change(key, lambda feed: Change(core.replayed(feed, sent, now)))
            self.db.deliveries.update_one(
                {"_id": delivery_id},
                {"$set": {"status": "pending"}, "$inc": {"redeliveries": 1}},
            )
        else:
            raise CommandRejected(
                ErrorCode.ILLEGAL_TRANSITION,
                f"delivery {delivery_id} is {doc['status']}: it is being delivered already",
            )
        self.wake(doc["endpoint"], doc["agency"])
        return public_delivery(self.db.deliveries.find_one({"_id": delivery_id}, {"body": 0}))

    def redeliver_parked(self, agency: str | None, endpoint_id: str, now: datetime) -> dict:
        """Every parked feed of the endpoint, each from its head (after the agency fixed
        its system)."""
        endpoint = self._owned(agency, endpoint_id)
        parked = self.db.feeds.find({"endpoint": endpoint_id, "status": "parked"}, {"_id": 1})
        keys = [doc["_id"] for doc in parked]
        for key in keys:
            self._unpark(key, now)
        self.wake(endpoint_id, endpoint["agency"])
        return {"endpoint": endpoint_id, "feeds": len(keys)}

    def _unpark(self, key: str, now: datetime) -> None:
        def decide(feed):
            state = None if feed is None else core.unparked(feed, now)
            return None if state is None else Change(state)

        if self.feeds.change(key, decide) is None:
            return
        queued = [i["event_id"] for i in self.feeds.get(key)["queue"]]
        endpoint = key.split("/", 1)[0]
        self.db.deliveries.update_many(
            {"_id": {"$in": [core.delivery_key(endpoint, e) for e in queued]}},
            {"$set": {"status": "pending"}},
        )


class HooksStore(MongoStore):
    """| variable | default | meaning |
    |---|---|---|
    | ADUAN_HOOKS_AGENCIES | (all) | comma-separated agency codes this process delivers
      for (`aduan-service agency_hooks --agency dpu`); events are queued for every
      agency by whichever process consumes them |
    | ADUAN_HOOKS_INTERVAL | 2.0 | seconds between an endpoint's looks for due feeds
      (retries, other processes' events); an event this process queues is sent at once |
    | ADUAN_HOOKS_CONCURRENCY | 4 | complaints of one endpoint sent at once |
    | ADUAN_HOOKS_TIMEOUT | 10 | seconds an endpoint has to answer (shorter than the lease) |
    | ADUAN_HOOKS_RETRY_BASE | 10 | first retry delay in seconds; doubles each time |
    | ADUAN_HOOKS_RETRY_CAP | 3600 | the longest retry delay in seconds |
    | ADUAN_HOOKS_RETRY_FOR | 86400 | seconds a failing delivery is retried, then parked |
    | ADUAN_HOOKS_LEASE | 60 | seconds a sender holds a feed; a crashed sender's feeds
      are taken over after it |
    """

    aggregate_collections = ("complaints", "feeds")

    def setup(self) -> None:
        super().setup()
        env = os.environ
        agencies = [a.strip() for a in env.get("ADUAN_HOOKS_AGENCIES", "").split(",")]
        self.agencies = tuple(a for a in agencies if a) or None
        seconds = lambda name, default: timedelta(seconds=float(env.get(name, default)))  # noqa: E731
        self.policy = core.RetryPolicy(
            base=seconds("ADUAN_HOOKS_RETRY_BASE", "10"),
            cap=seconds("ADUAN_HOOKS_RETRY_CAP", "3600"),
            retry_for=seconds("ADUAN_HOOKS_RETRY_FOR", "86400"),
            lease=seconds("ADUAN_HOOKS_LEASE", "60"),
        )
        self.senders = Senders(
            self.db,
            self.policy,
            agencies=self.agencies,
            interval=float(env.get("ADUAN_HOOKS_INTERVAL", "2.0")),
            concurrency=max(1, int(env.get("ADUAN_HOOKS_CONCURRENCY", "4"))),
            # A send must end before its lease does, or another sender takes the feed.
            timeout=min(
                float(env.get("ADUAN_HOOKS_TIMEOUT", "10")),
                self.policy.lease.total_seconds() / 2,
            ),
            running=lambda: self.running,
            spawn=lambda run, name: self.container.spawn_managed_thread(run, identifier=name),
        )

    def start(self) -> None:
        super().start()
        self.container.spawn_managed_thread(self.senders.run, identifier="hook-senders")

    def ensure_indexes(self) -> None:
        self.db.endpoints.create_index([("agency", ASCENDING), ("active", ASCENDING)])
        self.db.feeds.create_index(
            [("endpoint", ASCENDING), ("open", ASCENDING), ("due_at", ASCENDING)]
        )
        self.db.feeds.create_index([("endpoint", ASCENDING), ("status", ASCENDING)])
        # The feeds gauge counts the few open and parked feeds by status, every 15 s; idle
        # feeds (one per complaint and endpoint, kept for their sequence) are never read.
        self.db.feeds.create_index([("status", ASCENDING), ("agency", ASCENDING)])
        self.db.deliveries.create_index([("agency", ASCENDING), ("enqueued_at", DESCENDING)])
        self.db.deliveries.create_index(
            [("agency", ASCENDING), ("status", ASCENDING), ("enqueued_at", DESCENDING)]
        )
        self.db.deliveries.create_index([("ticket", ASCENDING)])

    def domain(self, to_relay: list) -> HookDesk:
        complaints, feeds = self.aggregates(to_relay)
        return HookDesk(self.db, complaints, feeds, self.senders.wake)
