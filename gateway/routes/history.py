"""The tamper-evident history, read: a complaint's chain of staff actions (supervisors)
and the daily anchors of every chain, published with the open data (docs/open-data.md,
"The history anchors")."""

import asyncio

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.auth import require
from gateway.identity import Role
from gateway.params import query_int
from gateway.routes.complaints import ticket_from
from gateway.staff_actions import CHAINED
from services.chassis import history_store
from services.contracts.reference import JAKARTA

# The services that keep hash-chained histories of complaints, and what they hold.
CHAIN_OWNERS = {"dispatch": "cases' decisions", "sla": "deadlines"}


async def staff_actions(request: Request) -> JSONResponse:
    """Who did what to the complaint, when and from which address, with each entry's
    place in its chain (`prev`, `hash`)."""
    await require(request, Role.SUPERVISOR)
    ticket = ticket_from(request)
    entries = await run_in_threadpool(request.app.state.staff_actions.of, ticket)
    return JSONResponse({"ticket": ticket, "actions": [_shown(entry) for entry in entries]})


async def anchors(request: Request) -> JSONResponse:
    """The last `limit` daily anchors of each owner of chains: the gateway's staff
    actions and the services' histories."""
    limit = query_int(request, "limit", 30, 1, history_store.MAX_ANCHORS)
    rpc = request.app.state.rpc
    services = await asyncio.gather(
        *(rpc.call(owner, "history_anchors", limit=limit) for owner in CHAIN_OWNERS)
    )
    own = await run_in_threadpool(history_store.anchors, request.app.state.identity.db, limit)
    return JSONResponse(
        {
            "about": "Each anchor is the SHA-256 of every complaint's history chain head at "
            "the end of the day (Asia/Jakarta); aduan-admin verify-history recomputes it.",
            "anchors": {"gateway": own, **dict(zip(CHAIN_OWNERS, services, strict=True))},
            "chains": {"gateway": f"staff actions ({', '.join(CHAINED)})", **CHAIN_OWNERS},
        }
    )


def _shown(entry: dict) -> dict:
    return {k: v.astimezone(JAKARTA).isoformat() if k == "at" else v for k, v in entry.items()}
