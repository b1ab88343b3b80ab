"""The staff's decisions on each complaint, as the gateway saw them: who (account, role,
agency), what (the action and the answer's status), when and from which address. One
hash-chained history per complaint in the gateway's own database
(services/chassis/history_chain.py), anchored daily and checked by
`aduan-admin verify-history` with the services' histories; supervisors read it at
GET /api/v1/complaints/{ticket}/staff-actions."""

import asyncio
import logging
import os
from datetime import UTC, datetime

from pymongo.database import Database
from pymongo.errors import PyMongoError
from starlette.concurrency import run_in_threadpool

from services.chassis import history_store
from services.chassis.aggregates import Aggregates, Change

log = logging.getLogger(__name__)

COLLECTION = "staff_actions"
FIELD = "history"
# For the history store's daily anchor and verification: collection -> chained field.
CHAINED = {COLLECTION: FIELD}
ANCHOR_CHECK_SECONDS = float(os.environ.get("ADUAN_ANCHOR_CHECK_SECONDS", "300"))


class StaffActions:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.aggregates = Aggregates(db[COLLECTION], history=FIELD)

    def record(self, ticket: str, entry: dict) -> None:
        """Adds the entry at the end of the complaint's chain. A failure is logged, not
        raised: the decision it records is taken already, and the caller must hear so."""

        def decide(doc: dict | None) -> Change:
            return Change(state={FIELD: [*(doc or {}).get(FIELD, []), entry]})

        try:
            self.aggregates.change(ticket, decide)
        except PyMongoError as error:
            log.error("staff action on %s not recorded (%r): %s", ticket, error, entry)

    def of(self, ticket: str) -> list[dict]:
        doc = self.db[COLLECTION].find_one({"_id": ticket}, {FIELD: 1})
        return [] if doc is None else doc.get(FIELD, [])


def entry(
    action: str,
    username: str,
    role: str,
    agency: str | None,
    address: str | None,
    status: str | None,
) -> dict:
    return {
        "action": action,
        "by": username,
        "role": role,
        "agency": agency,
        "address": address,
        "status": status,
        "at": datetime.now(UTC),
    }


async def anchor_forever(state) -> None:
    """The daily anchor of the staff actions' chains, as the services record theirs
    (services/chassis/store.py): every gateway checks, the first records it."""
    while True:
        try:
            await run_in_threadpool(
                history_store.record_anchor,
                state.identity.db,
                "gateway",
                CHAINED,
                datetime.now(UTC),
            )
        except Exception as error:
            log.warning("history anchor deferred: %r", error)
        await asyncio.sleep(ANCHOR_CHECK_SECONDS)
