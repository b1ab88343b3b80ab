"""Tells staff_notices about staff accounts: `staff.account` events.

The accounts live here, in the gateway's database; staff_notices keeps a copy of the
fields a notice needs (role, agency, active) beside the contact details staff give it.
A change is announced after it is saved, by the API and by aduan-admin; an announcement
the bus did not take (it was down) is made good when the gateway starts, which announces
every account again (staff_notices keeps the newest by `changed_at`).
"""

import asyncio
import logging
import uuid
from datetime import UTC, datetime

from gateway.errors import ApiError
from gateway.identity import Account
from services.contracts.events import SCHEMA_VERSION, EventType

log = logging.getLogger(__name__)
RESYNC_ATTEMPTS = 60


def account_event(account: Account, now: datetime | None = None) -> dict:
    now = now or datetime.now(UTC)
    return {
        "event_id": uuid.uuid4().hex,
        "type": str(EventType.STAFF_ACCOUNT),
        "version": SCHEMA_VERSION,
        "occurred_at": now.isoformat(),
        "ticket": "",
        "data": {
            "username": account.username,
            "role": str(account.role),
            "agency": account.agency,
            "active": account.active,
            "changed_at": now.isoformat(),
        },
    }


async def announce(state, account: Account) -> None:
    """After a change is saved; a failure is logged, never the caller's error (the
    change is made), and repaired by the next start-up's resync."""
    try:
        await state.rpc.publish(account_event(account))
    except ApiError as error:
        log.warning("staff.account for %s not published (resync at start): %s", account, error)


async def resync(state) -> None:
    """Every account, once the bus is reachable: what a lost announcement missed."""
    for _ in range(RESYNC_ATTEMPTS):
        try:
            accounts = await asyncio.to_thread(state.identity.list_users)
            for account in accounts:
                await state.rpc.publish(account_event(account))
            log.info("announced %d staff accounts to staff_notices", len(accounts))
            return
        except Exception as error:
            log.info("staff accounts not announced yet: %r", error)
            await asyncio.sleep(1)
    log.warning("staff accounts not announced at start; they are at the next start")
