"""The audit log of agencies' systems: every call made with an agency API key (or with
something written like one) is recorded after its answer, with who (the key and its
agency), what (method and path), when, from where (the client address) and the result
(the status). Supervisors read it at GET /api/v1/audit.

A pure ASGI middleware, so it sees the status of every answer, refusals included; it
costs one insert per agency call and nothing for other callers.
"""

import logging
from datetime import UTC, datetime

from pymongo.errors import PyMongoError
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.agency_keys import key_id_of, looks_like_key

log = logging.getLogger(__name__)

# Where the key's caller is kept once authenticated (gateway/auth.py sets it).
AGENCY_KEY_STATE = "agency_key"


class AuditLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = _bearer(scope) if scope["type"] == "http" else None
        if token is None or not looks_like_key(token):
            await self.app(scope, receive, send)
            return
        status = 500

        async def answering(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, answering)
        finally:
            caller = (scope.get("state") or {}).get(AGENCY_KEY_STATE)
            entry = {
                "at": datetime.now(UTC),
                "key": key_id_of(token) or "malformed",
                # False: the id was only written, not proven (unknown, revoked or replaced
                # secret, or a public route that does not identify its caller).
                "verified": caller is not None,
                "agency": getattr(caller, "agency", None),
                "method": scope["method"],
                "path": scope["path"],
                "client": (scope.get("client") or ("unknown",))[0],
                "status": status,
            }
            try:
                await run_in_threadpool(scope["app"].state.identity.db.api_audit.insert_one, entry)
            except PyMongoError as error:  # the answer is sent; say loudly what was lost
                log.error("audit entry lost (%r): %s", error, entry)


def _bearer(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token.strip() if scheme.lower() == "bearer" else None
    return None
