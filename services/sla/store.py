"""SLA's database: clocks (indexed by their next timer), policies, calendar changes."""

import logging
import os
import time
from contextlib import suppress
from datetime import UTC, date, datetime, timedelta

import eventlet
from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError, OperationFailure

from services.chassis import history_store, metrics
from services.chassis.aggregates import Aggregates, public_state
from services.chassis.domain import apply_event, create_from_event, run_command, to_change
from services.chassis.store import MongoStore
from services.contracts.errors import CommandRejected, ErrorCode
from services.contracts.events import Envelope
from services.sla import calendar_edits, core, digest, recompute_store
from services.sla import metrics as sla_metrics
from services.sla.calendar import WorkingDays
from services.sla.holidays_id import indonesian_holidays
from services.sla.policy import PERWAL_5_2023, Policy, policy_for
from services.sla.recompute_store import Progress, Recompute

log = logging.getLogger(__name__)

CALENDAR_REFRESH_SECONDS = 5.0
MEASURE_EVERY_SECONDS = 30.0
DUE_SOON = timedelta(days=3)
RECOMPUTE_LEASE = timedelta(minutes=30)


class Calendar:
    """The working-day calendar: package holidays plus the supervisors' changes."""

    def __init__(self, db, first_year: int, last_year: int) -> None:
        self.db = db
        self.holidays = indonesian_holidays(first_year, last_year)
        self.loaded_at = 0.0
        self.current = WorkingDays(self.holidays)

    def get(self) -> WorkingDays:
        if time.monotonic() - self.loaded_at > CALENDAR_REFRESH_SECONDS:
            self.reload()
        return self.current

    def reload(self) -> WorkingDays:
        off, working = set(), set()
        for change in self.db.calendar_days.find():
            day = date.fromisoformat(change["_id"])
            (working if change["working"] else off).add(day)
        self.current = WorkingDays(set(self.holidays) | off, working=working)
        self.loaded_at = time.monotonic()
        return self.current


class Policies:
    """The SLA policies, read once per refresh period rather than once per event."""

    def __init__(self, db) -> None:
        self.db = db
        self.loaded_at = 0.0
        self.current: list[Policy] = []

    def all(self) -> list[Policy]:
        if time.monotonic() - self.loaded_at > CALENDAR_REFRESH_SECONDS:
            docs = self.db.policies.find({}, {"_id": 0})
            self.current = [Policy.from_document(doc) for doc in docs]
            self.loaded_at = time.monotonic()
        return self.current

    def forget(self) -> None:
        self.loaded_at = 0.0


class Clocks:
    def __init__(
        self,
        clocks: Aggregates,
        db,
        calendar: Calendar,
        policies: Policies | None = None,
        closing_days: int = 10,
    ) -> None:
        self.clocks = clocks
        self.closing_days = closing_days
        self.db = db
        self.calendar = calendar
        self.policy_book = policies or Policies(db)

    # policies
    def policies(self) -> list[Policy]:
        return self.policy_book.all()

    def policy_versions(self, policy_id: str) -> list[Policy]:
        versions = sorted(
            (p for p in self.policies() if p.id == policy_id), key=lambda p: p.version
        )
        if not versions:
            raise CommandRejected(ErrorCode.NOT_FOUND, f"there is no SLA policy {policy_id!r}")
        return versions

    def policy(self, key: dict) -> Policy:
        """The policy a clock was judged by (the default if its document is gone)."""
        for policy in self.policies():
            if policy.key == key:
                return policy
        return PERWAL_5_2023

    def add_policy(self, policy: Policy) -> None:
        key = f"{policy.id}@{policy.version}"
        try:
            self.db.policies.insert_one({"_id": key, **policy.to_document()})
        except DuplicateKeyError:
            raise CommandRejected(
                ErrorCode.INVALID_FIELD, f"policy {key} exists; publish a new version", "version"
            ) from None
        self.policy_book.forget()

    # events
    def start(self, event: Envelope, now: datetime) -> None:
        received_at = datetime.fromisoformat(event["data"]["received_at"])
        policy = policy_for(None, self.policies())
        decided = core.start_clock(received_at, policy, self.calendar.get())
        create_from_event(self.clocks, event, decided, now)

    def rescope(self, event: Envelope, now: datetime) -> None:
        data = event["data"]
        policy = policy_for(data["category"], self.policies())
        apply_event(
            self.clocks,
            event,
            lambda clock: core.rescope(
                clock, data["scope"], policy, self.calendar.get(), now, data["category"]
            ),
            now,
        )

    def enter_stage(self, event: Envelope, now: datetime) -> None:
        """Forwarded, accepted or returned: the lead's stage, and the other tasks'."""
        self._stage_step(event, core.lead_moved, now)

    def task_moved(self, event: Envelope, now: datetime) -> None:
        """A task accepted, returned, resolved, closed or moved: its own stage target."""
        self._stage_step(event, core.task_moved, now)

    def _stage_step(self, event: Envelope, step, now: datetime) -> None:
        """A core step on the clock from the event's type, data and time, under the
        clock's policy and the calendar."""
        at = datetime.fromisoformat(event["occurred_at"])
        apply_event(
            self.clocks,
            event,
            lambda clock: step(
                clock,
                event["type"],
                event["data"],
                at,
                self.policy(clock["policy"]),
                self.calendar.get(),
                now,
            ),
            now,
        )

    def reopen(self, event: Envelope, now: datetime) -> None:
        policy = policy_for(None, self.policies())
        apply_event(
            self.clocks,
            event,
            lambda clock: core.reopen(clock, policy, self.calendar.get(), now),
            now,
        )

    def reporter_replied(self, event: Envelope, now: datetime) -> None:
        apply_event(
            self.clocks,
            event,
            lambda clock: core.resume(
                clock, self.policy(clock["policy"]), self.calendar.get(), now
            ),
            now,
        )

    def result_conveyed(self, event: Envelope, now: datetime) -> None:
        """Only the result notice of a complaint's own case (not a linked complaint's,
        whose clock stopped when it was linked) counts; other notices cost nothing."""
        data = event["data"]
        if data["about"] != "resolved" or (data.get("details") or {}).get("primary"):
            return
        conveyed_at = datetime.fromisoformat(event["occurred_at"])
        apply_event(
            self.clocks,
            event,
            lambda clock: core.result_conveyed(
                clock, conveyed_at, self.calendar.get(), self.closing_days
            ),
            now,
        )

    def fire_closings(self, now: datetime, limit: int = 500) -> int:
        """Fires the closing timers due; each once, whichever instance claims it first
        (the version-checked update), and late if no instance ran when it fell due."""
        due = self.clocks.collection.find({"closing_at": {"$lte": now}}, {"_id": 1}).limit(limit)
        fired = 0
        for doc in due:
            if self._apply(doc["_id"], lambda clock: core.closing_due(clock, now), now):
                fired += 1
        return fired

    def stop(self, event: Envelope, now: datetime) -> None:
        apply_event(self.clocks, event, lambda clock: core.stop_clock(clock, now), now)

    # commands
    def pause(
        self, ticket: str, now: datetime, question: str | None = None, by: str | None = None
    ) -> dict:
        return self._command(
            ticket,
            lambda clock: _must(core.pause(clock, now, question, by), "the clock is not running"),
            now,
        )

    def resume(self, ticket: str, now: datetime) -> dict:
        return self._command(
            ticket,
            lambda clock: _must(
                core.resume(clock, self.policy(clock["policy"]), self.calendar.get(), now),
                "the clock is not paused",
            ),
            now,
        )

    def _command(self, ticket: str, step, now: datetime) -> dict:
        run_command(self.clocks, ticket, step, now, f"complaint {ticket} has no deadline")
        return self.summary(ticket, now)

    # calendar
    def calendar_year(self, year: int) -> dict:
        changes = list(self.db.calendar_days.find())
        return calendar_edits.year_view(year, self.calendar.holidays, changes)

    def change_day(self, change: calendar_edits.DayChange, by: str, now: datetime) -> dict:
        """Saves the change with who, when and why, logs it, and asks for the deadlines
        it affects to be recomputed (in the background: with many open complaints that
        takes longer than a request may)."""
        day = change.day.isoformat()
        record = {"working": change.working, "reason": change.reason, "by": by, "at": now}
        self.db.calendar_days.update_one({"_id": day}, {"$set": record}, upsert=True)
        log_id = self.db.calendar_log.insert_one({"date": day, **record}).inserted_id
        verb = "working day" if change.working else "day off"
        self.db.recomputes.insert_one(
            {
                "_id": str(log_id),
                "day": day,
                "requested_at": now,
                "state": "pending",
                "reason": f"calendar: {day} {verb} ({change.reason})",
            }
        )
        return {
            "date": day,
            "working": change.working,
            "reason": change.reason,
            "recompute": str(log_id),
        }

    def recompute_pending(self, now: datetime) -> int:
        """Runs the recomputations asked for, each once (claimed by compare-and-set)."""
        moved = 0
        unfinished = self.db.recomputes.find({"state": {"$in": ["pending", "running"]}})
        for request in unfinished.sort("requested_at", 1):
            # A recompute whose instance died is taken over after RECOMPUTE_LEASE; it
            # starts again from the first page (clocks already moved no longer move).
            if request["state"] == "running" and request["started_at"] > now - RECOMPUTE_LEASE:
                continue
            claimed = self.db.recomputes.update_one(
                {
                    "_id": request["_id"],
                    "state": request["state"],
                    "started_at": request.get("started_at"),
                },
                {"$set": {"state": "running", "started_at": now}},
            )
            if not claimed.modified_count:
                continue
            moved += self._recompute(request, now)
        return moved

    def _recompute(self, request: dict, now: datetime) -> int:
        """One claimed recomputation, its progress recorded page by page; it stops when
        another instance has taken it over."""
        mine = {"_id": request["_id"], "started_at": now}

        def report(progress: Progress) -> bool:
            counts = {"clocks_read": progress.read, "deadlines_moved": progress.moved}
            return bool(self.db.recomputes.update_one(mine, {"$set": counts}).matched_count)

        run = Recompute(
            self.clocks,
            date.fromisoformat(request["day"]),
            self.calendar.reload(),
            self._working_day_counts(),
            lambda clock: self.policy(clock["policy"]),
            request["reason"],
            now,
        )
        progress = run.run(report)
        self.db.recomputes.update_one(
            mine,
            {
                "$set": {
                    "state": "done",
                    "clocks_read": progress.read,
                    "deadlines_moved": progress.moved,
                    "finished_at": datetime.now(UTC),
                }
            },
        )
        return progress.moved

    def _working_day_counts(self) -> set[int]:
        """Every deadline length a clock may have (the default's too, used when a
        clock's policy document is gone)."""
        policies = (PERWAL_5_2023, *self.policies())
        return {days for policy in policies for days in policy.working_days.values()}

    def recompute_status(self, request_id: str) -> dict | None:
        found = self.db.recomputes.find_one({"_id": request_id})
        if found is None:
            return None
        request_id = found.pop("_id")
        return _iso({"id": request_id, **found})

    # timers
    def fire_due(self, now: datetime, limit: int = 500) -> int:
        """Fires what is due; a clock another instance fired first is skipped."""
        due = (
            self.clocks.collection.find({"running": True, "next_at": {"$lte": now}}, {"_id": 1})
            .sort("next_at", ASCENDING)
            .limit(limit)
        )
        fired = 0
        for doc in due:
            change = self._apply(doc["_id"], lambda clock: core.fire_due(clock, now), now)
            if change:
                sla_metrics.count_fired(change.events)
                fired += len(change.events)
        return fired

    def weekly_digest(self, now: datetime) -> dict | None:
        """Records the week's digest once, whichever instance gets there first."""
        week = digest.week_key(now)
        if not digest.is_due(now) or self.db.digests.find_one({"_id": week}, {"_id": 1}):
            return None
        rows = self.clocks.collection.aggregate(
            [
                {"$match": {"running": True, "paused_since": None, "due_at": {"$lt": now}}},
                {
                    "$group": {
                        "_id": "$agency",
                        "overdue": {"$sum": 1},
                        "tickets": {"$push": "$_id"},
                    }
                },
            ]
        )
        recorded = digest.digest(week, list(rows), now)
        # Stored with its event in one insert (the outbox): staff_notices delivers it.
        digests = Aggregates(self.db.digests, self.clocks.to_relay)
        try:
            digests.create(week, to_change("", (recorded, [digest.event(recorded)]), now))
        except DuplicateKeyError:
            return None
        return recorded

    def latest_digest(self) -> dict | None:
        found = self.db.digests.find_one({}, sort=[("_id", -1)])
        if found is None:
            return None
        found = public_state(found)
        week = found.pop("_id")
        return _iso({"week": week, **found})

    def measure(self, now: datetime) -> None:
        """Refreshes the SLA gauges from one read of the running clocks (five counts and a
        sort each read them all again; SecantusDB holds its lock while it does)."""
        running = self.clocks.collection.find(
            {"running": True}, {"_id": 0, "due_at": 1, "paused_since": 1}
        )
        counts, to_next_breach = core.open_gauges(list(running), now, DUE_SOON)
        for state, count in counts.items():
            sla_metrics.OPEN_BY_STATE.labels(state).set(count)
        if to_next_breach is not None:
            sla_metrics.NEXT_BREACH.set(to_next_breach)

    def _apply(self, ticket: str, step, now: datetime):
        return self.clocks.change(ticket, lambda clock: _as_change(ticket, step(clock), now))

    # reads
    def history_anchors(self, limit: int) -> list[dict]:
        return history_store.anchors(self.db, history_store.anchor_limit(limit))

    def summary(self, ticket: str, now: datetime) -> dict | None:
        clock = self.clocks.collection.find_one({"_id": ticket})
        if clock is None:
            return None
        return {
            "ticket": ticket,
            "state": core.state(clock, now),
            "due_at": clock["due_at"].isoformat(),
            "working_days": clock["working_days"],
            "remaining_working_days": core.remaining_working_days(clock, self.calendar.get(), now),
            "paused_working_days": clock["paused_days"],
            "policy": clock["policy"],
        }

    def history(self, ticket: str, now: datetime) -> dict | None:
        clock = self.clocks.collection.find_one({"_id": ticket})
        if clock is None:
            return None
        return {
            **self.summary(ticket, now),
            "deadlines": [_iso(record) for record in clock["history"]],
            "fired": [_iso(record) for record in clock["fired"]],
            "pending_timers": [_iso(timer) for timer in clock.get("timers", [])],
            # The automatic closing after the result reached the reporter, if pending.
            "closing": _iso(clock["closing"]) if clock.get("closing_at") else None,
        }


def _as_change(ticket: str, decided, now: datetime):
    return None if decided is None else to_change(ticket, decided, now)


def _must(decided, message: str):
    if decided is None:
        raise CommandRejected(ErrorCode.ILLEGAL_TRANSITION, message)
    return decided


def _iso(record: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in record.items()}


class SlaStore(MongoStore):
    """| variable | default | meaning |
    |---|---|---|
    | ADUAN_CLOSE_AFTER_WORKING_DAYS | 10 | working days from the result reaching the reporter
      to the automatic closing of a complaint nobody disputed |
    """

    # digests: each week's digest with its event in the outbox, swept like the clocks.
    aggregate_collections = ("clocks", "digests")
    chained_histories = {"clocks": "history"}

    def setup(self) -> None:
        super().setup()
        self.closing_days = int(os.environ.get("ADUAN_CLOSE_AFTER_WORKING_DAYS", "10"))
        year = datetime.now(UTC).year
        self.calendar = Calendar(self.db, year - 1, year + 3)
        self.policies = Policies(self.db)

    def ensure_indexes(self) -> None:
        self.db.clocks.create_index([("running", 1), ("next_at", 1)])
        self.db.clocks.create_index("closing_at")
        self.db.clocks.create_index(recompute_store.INDEX)
        # Every index costs each clock update; the new one serves what this one did.
        if recompute_store.REPLACED_INDEX in self.db.clocks.index_information():
            # Another instance starting at once may have dropped it first.
            with suppress(OperationFailure):
                self.db.clocks.drop_index(recompute_store.REPLACED_INDEX)
        self.db.policies.update_one(
            {"_id": f"{PERWAL_5_2023.id}@{PERWAL_5_2023.version}"},
            {"$setOnInsert": PERWAL_5_2023.to_document()},
            upsert=True,
        )

    def start(self) -> None:
        super().start()
        self.container.spawn_managed_thread(self._timers_forever, identifier="sla-timers")

    def domain(self, to_relay: list) -> Clocks:
        clocks, _digests = self.aggregates(to_relay)
        return Clocks(clocks, self.db, self.calendar, self.policies, self.closing_days)

    def _timers_forever(self) -> None:
        last_measure = 0.0
        while self.running:
            eventlet.sleep(self.settings.timer_interval)
            to_relay: list = []
            clocks = self.domain(to_relay)
            now = datetime.now(UTC)
            try:
                if clocks.recompute_pending(now):
                    log.info("recomputed deadlines after a calendar change")
                fired = clocks.fire_due(now) + clocks.fire_closings(now)
                if fired:
                    log.info("fired %d SLA timers", fired)
                if time.monotonic() - last_measure >= MEASURE_EVERY_SECONDS:
                    clocks.measure(now)
                    if clocks.weekly_digest(now):
                        log.info("recorded the weekly digest for %s", digest.week_key(now))
                    last_measure = time.monotonic()
            except Exception as error:
                log.warning("SLA timer sweep failed: %r", error)
            for unpublished in to_relay:
                try:
                    metrics.EVENTS_RELAYED.labels("sla").inc(self.relay.relay(unpublished))
                except Exception as error:
                    log.warning("relay of %s deferred: %r", unpublished.key, error)
