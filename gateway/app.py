"""The Starlette application: routes, error handling, and the backends it talks to."""

import asyncio
import contextlib
import logging

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from gateway.agency_keys import AgencyKeys
from gateway.audit import AuditLog
from gateway.config import GatewaySettings
from gateway.errors import HANDLERS
from gateway.identity import Identity
from gateway.metrics import RequestMetrics
from gateway.open311.client_keys import ClientKeys
from gateway.open311.routes import ROUTES as OPEN311_ROUTES
from gateway.pages import ROUTES as PAGE_ROUTES
from gateway.pages import PageHeaders, page_aware
from gateway.pages import start as start_pages
from gateway.replay import ReplayGuard
from gateway.routes import (
    agency_hooks,
    agency_keys,
    auth,
    channels,
    complaints,
    contact,
    desk,
    docs,
    history,
    open_data,
    ops,
    report_documents,
    reports,
    sla,
    staff,
    triage,
    users,
    whatsapp,
)
from gateway.rpc import RpcClient
from gateway.staff_actions import StaffActions, anchor_forever
from gateway.staff_directory import resync
from gateway.throttle import KeyThrottles, Throttle
from services.chassis import topology

log = logging.getLogger(__name__)

TICKET = "/api/v1/complaints/{ticket}"
HOOKS = "/api/v1/agency-hooks"


def ensure_key_indexes(db) -> None:
    """The audit log is read newest first, by key or by agency."""
    db.agency_keys.create_index("agency")
    db.api_audit.create_index([("key", 1), ("at", -1)])
    db.api_audit.create_index([("agency", 1), ("at", -1)])
    db.api_audit.create_index([("at", -1)])


ROUTES = [
    Route("/healthz", ops.healthz),
    Route("/readyz", ops.readyz),
    Route("/metrics", ops.metrics),
    # The API document (gateway/openapi: every route below is in it) and its page.
    Route("/api/v1/openapi.json", docs.openapi_json),
    Route("/api/docs", docs.page),
    Mount(docs.ASSETS, app=StaticFiles(directory=docs.VIEWER_DIR), name="api-docs"),
    Route("/api/v1/auth/token", auth.token, methods=["POST"]),
    Route("/api/v1/auth/logout", users.logout, methods=["POST"]),
    Route("/api/v1/me/contact", contact.show),
    Route("/api/v1/me/contact", contact.replace, methods=["PUT"]),
    Route("/api/v1/users", users.list_users),
    Route("/api/v1/users", users.create, methods=["POST"]),
    Route("/api/v1/agency-keys", agency_keys.list_keys),
    Route("/api/v1/agency-keys", agency_keys.create, methods=["POST"]),
    Route("/api/v1/agency-keys/{key_id}/rotate", agency_keys.rotate, methods=["POST"]),
    Route("/api/v1/agency-keys/{key_id}/revoke", agency_keys.revoke, methods=["POST"]),
    Route("/api/v1/audit", agency_keys.audit),
    Route(HOOKS + "/endpoints", agency_hooks.list_endpoints),
    Route(HOOKS + "/endpoints", agency_hooks.register, methods=["POST"]),
    Route(
        HOOKS + "/endpoints/{endpoint_id}/rotate-secret",
        agency_hooks.rotate_secret,
        methods=["POST"],
    ),
    Route(HOOKS + "/endpoints/{endpoint_id}/remove", agency_hooks.remove, methods=["POST"]),
    Route(
        HOOKS + "/endpoints/{endpoint_id}/redeliver-parked",
        agency_hooks.redeliver_parked,
        methods=["POST"],
    ),
    Route(HOOKS + "/deliveries", agency_hooks.deliveries),
    Route(HOOKS + "/deliveries/{delivery_id}/redeliver", agency_hooks.redeliver, methods=["POST"]),
    Route("/api/v1/users/{username}/reset-password", users.reset_password, methods=["POST"]),
    Route("/api/v1/users/{username}/disable", users.disable, methods=["POST"]),
    Route("/api/v1/users/{username}/enable", users.enable, methods=["POST"]),
    Route("/api/v1/users/{username}/role", users.set_role, methods=["PUT"]),
    Route("/api/v1/users/{username}/revoke-tokens", users.revoke_tokens, methods=["POST"]),
    Route("/api/v1/agencies", auth.agencies),
    Route("/api/v1/complaints", complaints.submit, methods=["POST"]),
    Route("/api/v1/desk/complaints", desk.record, methods=["POST"]),
    Route("/api/v1/channels/sms/messages", channels.sms, methods=["POST"]),
    Route("/api/v1/channels/social/messages", channels.social, methods=["POST"]),
    Route("/webhooks/whatsapp", whatsapp.verify, methods=["GET"]),
    Route("/webhooks/whatsapp", whatsapp.receive, methods=["POST"]),
    Route(TICKET, complaints.track),
    Route(TICKET + "/classify", staff.classify, methods=["POST"]),
    Route(TICKET + "/reject", staff.reject, methods=["POST"]),
    Route(TICKET + "/forward", staff.forward, methods=["POST"]),
    Route(TICKET + "/reopen", staff.reopen, methods=["POST"]),
    Route(TICKET + "/link", staff.link, methods=["POST"]),
    Route(TICKET + "/unlink", staff.unlink, methods=["POST"]),
    Route(TICKET + "/pause", sla.pause, methods=["POST"]),
    Route(TICKET + "/resume", sla.resume, methods=["POST"]),
    Route(TICKET + "/request-info", sla.request_info, methods=["POST"]),
    Route(TICKET + "/sla", sla.history),
    Route(TICKET + "/notifications", complaints.notifications),
    Route(TICKET + "/staff-notices", contact.staff_deliveries),
    Route(TICKET + "/staff-actions", history.staff_actions),
    Route(TICKET + "/review", triage.review),
    Route(TICKET + "/replies", complaints.reply, methods=["POST"]),
    Route(TICKET + "/rating", complaints.rate, methods=["POST"]),
    Route(TICKET + "/attachments/{file_id}", desk.attachment),
    Route(TICKET + "/letters", desk.letters),
    Route(TICKET + "/letters/{letter_id}", desk.letter),
    Route(TICKET + "/tasks/{agency}/close", staff.close_task, methods=["POST"]),
    Route(TICKET + "/tasks/{agency}/reassign", staff.reassign_task, methods=["POST"]),
    Route(TICKET + "/referrals/{institution}", staff.record_referral, methods=["POST"]),
    Route(TICKET + "/{action:str}", staff.agency_step, methods=["POST"]),
    Route("/api/v1/worklist", staff.worklist),
    Route("/api/v1/triage/routing", triage.routing_table),
    Route("/api/v1/triage/routing", triage.replace_routing_table, methods=["PUT"]),
    Route("/api/v1/triage/auto-reject", triage.auto_reject),
    Route("/api/v1/triage/auto-reject", triage.replace_auto_reject, methods=["PUT"]),
    Route("/api/v1/reports/monthly", reports.monthly),
    Route("/api/v1/reports/analytics", reports.analytics),
    Route("/api/v1/reports/overview", reports.overview),
    Route("/api/v1/reports/archive", report_documents.archive),
    Route(
        "/api/v1/reports/monthly/{month}/regenerate", report_documents.regenerate, methods=["POST"]
    ),
    Route("/api/v1/reports/monthly/{month}/{format}", report_documents.document),
    Route("/api/v1/open-data/complaints.csv", open_data.complaints_csv),
    Route("/api/v1/open-data/complaints.json", open_data.complaints_json),
    Route("/api/v1/open-data/history-anchors", history.anchors),
    Route("/api/v1/calendar/{year}", sla.calendar),
    Route("/api/v1/calendar/days", sla.change_day, methods=["POST"]),
    Route("/api/v1/calendar/recomputes/{request_id}", sla.recompute),
    Route("/api/v1/sla/policies", sla.policies),
    Route("/api/v1/sla/digest", sla.digest),
    Route("/api/v1/sla/policies/{policy_id}", sla.policy),
    Route("/api/v1/sla/policies", sla.add_policy, methods=["POST"]),
]


# Everything the app serves: the API (gateway/openapi describes it), Open311 and pages.
ALL_ROUTES = ROUTES + OPEN311_ROUTES + PAGE_ROUTES


def create_app(settings: GatewaySettings | None = None) -> Starlette:
    settings = settings or GatewaySettings.from_env()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        app.state.settings = settings
        start_pages(app.state, settings)
        window = settings.throttle_window
        app.state.sender_throttle = Throttle(settings.throttle_limit, window)
        app.state.app_throttle = Throttle(settings.throttle_app_limit, window)
        app.state.login_throttle = Throttle(settings.throttle_login_limit, window)
        try:
            # The channel queues must exist before the first webhook, adapter running or not.
            await run_in_threadpool(topology.declare, settings.amqp_uri)
        except Exception as error:
            log.warning("event bus not declared yet (services declare it too): %r", error)
        app.state.identity = Identity.connect(settings.mongo_uri, settings.database)
        app.state.agency_keys = AgencyKeys(app.state.identity.db)
        app.state.staff_actions = StaffActions(app.state.identity.db)
        app.state.open311_keys = ClientKeys(app.state.identity.db)
        app.state.key_throttles = KeyThrottles()
        app.state.replays = ReplayGuard(app.state.identity.db.seen_signatures)
        try:
            await run_in_threadpool(app.state.identity.ensure_indexes)
            await run_in_threadpool(app.state.replays.ensure_indexes)
            await run_in_threadpool(ensure_key_indexes, app.state.identity.db)
        except Exception as error:
            log.warning("gateway indexes not created yet: %r", error)
        app.state.rpc = RpcClient(settings.amqp_uri, settings.rpc_timeout)
        await run_in_threadpool(app.state.rpc.start)
        # Kept on the state: a task nobody references may be collected before it ends.
        app.state.resync = asyncio.create_task(resync(app.state))
        app.state.anchoring = asyncio.create_task(anchor_forever(app.state))
        try:
            yield
        finally:
            app.state.resync.cancel()
            app.state.anchoring.cancel()
            await run_in_threadpool(app.state.rpc.stop)

    return Starlette(
        routes=ALL_ROUTES,
        # Pages get error pages in Indonesian; the JSON API's answers are unchanged.
        exception_handlers=page_aware(HANDLERS),
        # The audit log sees every agency call's final status, refusals included.
        middleware=[Middleware(RequestMetrics), Middleware(AuditLog), Middleware(PageHeaders)],
        lifespan=lifespan,
    )
