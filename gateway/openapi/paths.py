"""The API's operations, by path and method: one entry per route of gateway/app.py (the
route-coverage test, tests/unit/test_openapi.py, fails on a route missing here or an
entry without a route). To add a route: add its operation below with `operation(...)`,
reusing or adding a schema in gateway/openapi/schemas.py."""

from gateway.openapi import schemas as s
from gateway.openapi.builder import (
    KEY_PERMISSION_KEY,
    Schema,
    array,
    enum,
    header,
    json_response,
    obj,
    operation,
    query,
    ref,
    text,
)
from services.contracts.lifecycle import Status
from services.contracts.reference import KECAMATAN, Category, Channel

TICKET = "/api/v1/complaints/{ticket}"
HOOKS = "/api/v1/agency-hooks"
OFFICER, ADMIN, SUPERVISOR = ("officer",), ("admin",), ("supervisor",)
AGENCY_ADMIN = ("agency_admin",)
STAFF = ("officer", "admin", "agency_admin", "agency_head", "supervisor")
HOOK_KEEPERS = ("agency_admin", "supervisor")
CLOCK_KEEPERS = ("officer", "agency_admin")
READERS = ("officer", "admin", "supervisor")

IDEMPOTENCY = header(
    "Idempotency-Key",
    text(1, 200, pattern=r"^[\x21-\x7e]{1,200}$"),
    "1-200 visible ASCII characters: the same key with the same body gets the same answer",
)
TOKEN = query("token", text(), "The secret token of the receipt's notifications_url")
LIMIT = query("limit", {"type": "integer", "minimum": 1, "maximum": 200}, "Items a page")


def ok(description: str, schema: Schema, status: int = 200, example=None) -> tuple[int, Schema]:
    return status, json_response(description, schema, example)


def action(
    summary: str,
    roles: tuple[str, ...],
    body: Schema | None,
    answer: Schema | None = None,
    **kwargs,
) -> Schema:
    """A decision on a complaint: 200 {ticket, status} (or `answer`)."""
    return operation(
        summary,
        "Complaint decisions",
        ok("Done; tracking shows the new status a moment later", answer or ref("ActionResult")),
        roles=roles,
        body=body,
        errors={
            409: "The complaint's status does not allow it (`illegal_transition`); for the "
            "lead's resolve, other agencies' tasks are still open (`tasks_open`)"
        },
        **kwargs,
    )


def whatsapp_webhook() -> Schema:
    """Messages and delivery statuses from the WhatsApp Business Cloud API, signed by Meta."""
    op = operation(
        "Messages and statuses from the WhatsApp Business Cloud API (signed by Meta)",
        "Channels",
        ok("Queued for the whatsapp adapter", s.WHATSAPP_ACCEPTED),
        signed=True,
        body=s.WHATSAPP_PAYLOAD,
        errors={
            401: "No valid X-Hub-Signature-256 (`invalid_signature`)",
            429: "Too many messages from this sender",
            503: "RabbitMQ is unreachable, or the app secret is not set (`channel_not_configured`)",
        },
    )
    return op | {"security": [{"metaSignature": []}]}


def triage_setting(name: str) -> dict[str, Schema]:
    """A triage setting: any staff member reads it, a supervisor replaces it (the
    triage service checks the new version; see docs/triage.md)."""
    return {
        "get": operation(f"Triage's {name}", "Triage", ok("The setting", s.SETTING), roles=STAFF),
        "put": operation(
            f"A new version of {name}",
            "Triage",
            ok("The new version", s.SETTING),
            roles=SUPERVISOR,
            body={"type": "object"},
        ),
    }


def download(description: str, media_types: tuple[str, ...]) -> tuple[int, Schema]:
    content = {m: {"schema": {"type": "string", "format": "binary"}} for m in media_types}
    return 200, {"description": description, "content": content}


SUBMIT_RESPONSES = ok(
    "Recorded: the complaint is durable when this answer is sent",
    ref("Receipt"),
    202,
    {
        "ticket": "SMG-2026-000123",
        "status": "received",
        "channel": "sapambakita",
        "received_at": "2026-12-03T10:00:00+07:00",
        "tracking_url": "https://aduan.semarangkota.go.id/api/v1/complaints/SMG-2026-000123",
        "notifications_url": "https://aduan.semarangkota.go.id/api/v1/complaints/"
        "SMG-2026-000123/notifications?token=...",
    },
)


def open_data(form: str, answer: tuple[int, Schema]) -> Schema:
    """A page of the open data (docs/open-data.md), as CSV or JSON."""
    return operation(
        f"Open data: a page of complaints, as {form}, under the city's licence",
        "Open data",
        answer,
        description="Every complaint received, oldest first: when each step happened, "
        "category, agency, kecamatan, channel, status, working days taken and whether within "
        "the deadline (docs/open-data.md). Never the reporter; the title and description only "
        "when the city publishes free text, and never for a confidential complaint.",
        parameters=(
            query("month", text(pattern=r"^[0-9]{4}-[0-9]{2}$"), "Received in this month"),
            query("category", enum(Category), "The officer's category"),
            query("agency", text(1, 40), "The lead agency's code (the agency directory's)"),
            query("kecamatan", enum(KECAMATAN), "Where the problem is"),
            query("page", {"type": "integer", "minimum": 1, "maximum": 100000}, "From 1"),
            query("per_page", {"type": "integer", "minimum": 1, "maximum": 1000}, "Rows (100)"),
        ),
        errors={422: "A filter that is not one, or a page out of range (`invalid_field`)"},
    )


PATHS: dict[str, dict[str, Schema]] = {
    "/healthz": {
        "get": operation("The process is alive", "Operations", ok("Alive", s.HEALTH), backend=False)
    },
    "/readyz": {
        "get": operation(
            "RabbitMQ and MongoDB are reachable",
            "Operations",
            ok("Ready", s.READY),
            errors={503: "A backend is not reachable (`checks` says which)"},
        )
    },
    "/metrics": {
        "get": operation(
            "Prometheus metrics",
            "Operations",
            (
                200,
                {
                    "description": "The gateway's metrics in Prometheus' text format",
                    "content": {"text/plain": {"schema": {"type": "string"}}},
                },
            ),
            backend=False,
        )
    },
    "/api/v1/openapi.json": {
        "get": operation(
            "This document (OpenAPI 3.1)",
            "Operations",
            ok("The document; a page for people is at /api/docs", {"type": "object"}),
            backend=False,
        )
    },
    "/api/v1/auth/token": {
        "post": operation(
            "Sign in: a bearer token for a username and password",
            "Staff accounts",
            ok("Signed in", s.TOKEN),
            body=s.TOKEN_REQUEST,
            body_example={"username": "officer1", "password": "..."},
            errors={
                401: "Wrong username or password, or a disabled account (`invalid_credentials`)",
                429: "10 failed sign-ins for the username in 10 minutes",
            },
        )
    },
    "/api/v1/auth/logout": {
        "post": operation(
            "Sign out: the caller's token ends (its other tokens stay)",
            "Staff accounts",
            (204, {"description": "Signed out"}),
            roles=STAFF,
        )
    },
    "/api/v1/me/contact": {
        "get": operation(
            "Where the caller's notices go",
            "Staff accounts",
            ok("The contact details", s.CONTACT),
            roles=STAFF,
        ),
        "put": operation(
            "Replace the caller's contact details (a field left out, null or '' is cleared)",
            "Staff accounts",
            ok("The details as stored (WhatsApp normalised to +62...)", s.CONTACT),
            roles=STAFF,
            body=s.CONTACT_BODY,
            body_example={"email": "budi@semarangkota.go.id", "whatsapp": "0812-3456-7890"},
        ),
    },
    "/api/v1/users": {
        "get": operation(
            "Staff accounts, by username",
            "Staff accounts",
            ok("The accounts", obj({"users": array(ref("Account"))})),
            roles=SUPERVISOR,
        ),
        "post": operation(
            "Create an account: its temporary password is answered this once",
            "Staff accounts",
            ok("Created", s.NEW_ACCOUNT, 201),
            roles=SUPERVISOR,
            body=s.NEW_USER_BODY,
            body_example={"username": "dpu-liaison", "role": "agency_admin", "agency": "dpu"},
        ),
    },
    "/api/v1/users/{username}/reset-password": {
        "post": operation(
            "A new temporary password (answered once); the account's tokens end",
            "Staff accounts",
            ok("Reset", s.PASSWORD_RESET),
            roles=SUPERVISOR,
        )
    },
    "/api/v1/users/{username}/disable": {
        "post": operation(
            "Disable an account: it can no longer sign in, its tokens end",
            "Staff accounts",
            ok("The account", s.ACCOUNT_CHANGE),
            roles=SUPERVISOR,
            errors={409: "A supervisor cannot disable its own account (`own_account`)"},
        )
    },
    "/api/v1/users/{username}/enable": {
        "post": operation(
            "Enable an account",
            "Staff accounts",
            ok("The account", s.ACCOUNT_CHANGE),
            roles=SUPERVISOR,
        )
    },
    "/api/v1/users/{username}/role": {
        "put": operation(
            "Another role (and agency): the account's tokens end",
            "Staff accounts",
            ok("The account", s.ACCOUNT_CHANGE),
            roles=SUPERVISOR,
            body=s.ROLE_BODY,
            body_example={"role": "agency_admin", "agency": "dlh"},
            errors={409: "A supervisor cannot demote its own account (`own_account`)"},
        )
    },
    "/api/v1/users/{username}/revoke-tokens": {
        "post": operation(
            "Sign the account out everywhere (it stays active)",
            "Staff accounts",
            ok("Signed out", s.TOKENS_REVOKED),
            roles=SUPERVISOR,
        )
    },
    "/api/v1/agency-keys": {
        "get": operation(
            "Agencies' API keys (never their secrets)",
            "Agencies' systems",
            ok("The keys", obj({"keys": array(ref("AgencyKey"))})),
            roles=SUPERVISOR,
            parameters=(query("agency", text(), "Only this agency's keys"),),
        ),
        "post": operation(
            "Create an agency's API key: `key` is answered this once",
            "Agencies' systems",
            ok("Created", s.AGENCY_KEY_WITH_SECRET, 201),
            roles=SUPERVISOR,
            body=s.NEW_KEY_BODY,
            body_example={"agency": "dpu", "name": "SIMPEL DPU", "permissions": ["read"]},
        ),
    },
    "/api/v1/agency-keys/{key_id}/rotate": {
        "post": operation(
            "A new secret for the key (answered once); the old one is refused at once",
            "Agencies' systems",
            ok("Rotated", s.AGENCY_KEY_WITH_SECRET),
            roles=SUPERVISOR,
        )
    },
    "/api/v1/agency-keys/{key_id}/revoke": {
        "post": operation(
            "Revoke the key",
            "Agencies' systems",
            ok("Revoked", ref("AgencyKey")),
            roles=SUPERVISOR,
        )
    },
    "/api/v1/audit": {
        "get": operation(
            "The calls made with agency keys, newest first",
            "Agencies' systems",
            ok("The entries", s.AUDIT),
            roles=SUPERVISOR,
            parameters=(
                query("key", text(), "A key's id"),
                query("agency", text(), "An agency's code"),
                query("limit", {"type": "integer", "minimum": 1, "maximum": 500}, "1-500"),
            ),
        )
    },
    HOOKS + "/endpoints": {
        "get": operation(
            "The agency's webhook endpoints (never their secrets)",
            "Agencies' webhooks",
            ok("The endpoints", obj({"endpoints": array(ref("HookEndpoint"))})),
            roles=HOOK_KEEPERS,
            key="deliveries",
            parameters=(query("agency", text(), "A supervisor's choice of agency"),),
        ),
        "post": operation(
            "Register an endpoint: its signing `secret` is answered this once",
            "Agencies' webhooks",
            ok("Registered", s.HOOK_ENDPOINT_WITH_SECRET, 201),
            roles=HOOK_KEEPERS,
            body=s.NEW_HOOK_BODY,
            body_example={
                "url": "https://simpel.dpu.semarangkota.go.id/aduan/hooks",
                "events": ["complaint.forwarded", "sla.breached"],
                "description": "SIMPEL DPU",
            },
        ),
    },
    HOOKS + "/endpoints/{endpoint_id}/rotate-secret": {
        "post": operation(
            "A new signing secret (answered once), used from the next delivery on",
            "Agencies' webhooks",
            ok("Rotated", s.HOOK_ENDPOINT_WITH_SECRET),
            roles=HOOK_KEEPERS,
        )
    },
    HOOKS + "/endpoints/{endpoint_id}/remove": {
        "post": operation(
            "Stop delivering to the endpoint (its log stays)",
            "Agencies' webhooks",
            ok("Removed", ref("HookEndpoint")),
            roles=HOOK_KEEPERS,
        )
    },
    HOOKS + "/endpoints/{endpoint_id}/redeliver-parked": {
        "post": operation(
            "Send again everything parked for the endpoint",
            "Agencies' webhooks",
            ok("Queued again", {"type": "object"}),
            roles=HOOK_KEEPERS,
        )
    },
    HOOKS + "/deliveries": {
        "get": operation(
            "The delivery log, newest first",
            "Agencies' webhooks",
            ok("The deliveries", s.HOOK_DELIVERIES),
            roles=HOOK_KEEPERS,
            key="deliveries",
            parameters=(
                query("status", enum(["pending", "retrying", "delivered", "parked"]), "State"),
                query("ticket", text(), "One complaint's deliveries"),
                query("endpoint", text(), "One endpoint's deliveries"),
                query("agency", text(), "A supervisor's choice of agency"),
                query("limit", {"type": "integer", "minimum": 1, "maximum": 500}, "1-500"),
            ),
        )
    },
    HOOKS + "/deliveries/{delivery_id}/redeliver": {
        "post": operation(
            "Send one delivery again (a parked one with what waited behind it)",
            "Agencies' webhooks",
            ok("Queued again", {"type": "object"}, 202),
            roles=HOOK_KEEPERS,
            key="deliveries",
        )
    },
    "/api/v1/agencies": {
        # Public; a key needs `read` for it (gateway/agency_keys.py), though none is asked.
        "get": operation(
            "The agency directory",
            "Residents",
            ok("The agencies", obj({"agencies": array(s.AGENCY)})),
        )
        | {KEY_PERMISSION_KEY: "read"}
    },
    "/api/v1/complaints": {
        "post": operation(
            "Submit a complaint (the SapaMbakIta app)",
            "Residents",
            SUBMIT_RESPONSES,
            description="JSON, or multipart/form-data with the JSON in the field `complaint` "
            "and up to 10 JPEG, PNG or PDF files under `attachments` (5 MiB each, 10 MiB in "
            "all). One client address may submit 60 complaints per 10 minutes.",
            body=ref("NewComplaint"),
            body_example=s.COMPLAINT_EXAMPLE,
            multipart=s.UPLOAD,
            parameters=(IDEMPOTENCY,),
            errors={
                422: "A field is invalid (`invalid_field`), or the Idempotency-Key was used "
                "for another complaint (`idempotency_key_reused`)",
                429: "Too many complaints from this address",
            },
        )
    },
    "/api/v1/desk/complaints": {
        "post": operation(
            "Record a walk-in (tatap_muka) or letter (surat) complaint",
            "Channels",
            SUBMIT_RESPONSES,
            roles=OFFICER,
            body=s.DESK_BODY,
            multipart=s.DESK_UPLOAD,
            parameters=(IDEMPOTENCY,),
        )
    },
    "/api/v1/channels/sms/messages": {
        "post": operation(
            "An inbound SMS from the SMS gateway (HMAC-signed)",
            "Channels",
            ok("Queued", s.WEBHOOK_ACCEPTED, 202),
            signed=True,
            body=s.SMS_MESSAGE,
            body_example={"message_id": "m-1", "from": "+6281234567890", "text": "Lampu mati"},
            errors={
                409: "This signed request was received already (`replayed_request`)",
                429: "Too many messages from this sender",
                503: "RabbitMQ is unreachable, or the webhook's secret is not set "
                "(`channel_not_configured`)",
            },
        )
    },
    "/api/v1/channels/social/messages": {
        "post": operation(
            "A mention or direct message from the social relay (HMAC-signed)",
            "Channels",
            ok("Queued", s.WEBHOOK_ACCEPTED, 202),
            signed=True,
            body=s.SOCIAL_MESSAGE,
            errors={
                409: "This signed request was received already (`replayed_request`)",
                429: "Too many messages from this sender",
                503: "RabbitMQ is unreachable, or the webhook's secret is not set "
                "(`channel_not_configured`)",
            },
        )
    },
    "/webhooks/whatsapp": {
        "get": operation(
            "Meta's verification handshake for the WhatsApp webhook",
            "Channels",
            (
                200,
                {
                    "description": "hub.challenge, echoed",
                    "content": {"text/plain": {"schema": {"type": "string"}}},
                },
            ),
            parameters=(
                query("hub.mode", text(), "subscribe"),
                query("hub.verify_token", text(), "The verify token configured at Meta"),
                query("hub.challenge", text(), "Meta's challenge (letters and digits)"),
            ),
            errors={
                403: "hub.verify_token is not the configured token (`forbidden`)",
                503: "The verify token is not set (`channel_not_configured`)",
            },
        ),
        "post": whatsapp_webhook(),
    },
    TICKET: {
        "get": operation(
            "Track a complaint (with a staff token: the staff view)",
            "Residents",
            ok("The complaint", {"anyOf": [ref("Tracking"), ref("StaffView")]}),
            optional_caller=True,
            key="read",
            roles=STAFF,
        )
    },
    TICKET + "/classify": {
        "post": action(
            "Classify: category, scope and agencies (the deadline starts)",
            OFFICER,
            s.CLASSIFY_BODY,
            body_example={
                "category": "infrastruktur_fasum",
                "scope": "single_agency",
                "agencies": ["dpu"],
            },
        )
    },
    TICKET + "/reject": {
        "post": action("Reject (the reason is told to the reporter)", OFFICER, s.REASON_BODY)
    },
    TICKET + "/forward": {
        "post": action(
            "Forward to an agency (default: the first classified one)",
            ADMIN,
            s.FORWARD_BODY,
            body_required=False,
        )
    },
    TICKET + "/reopen": {
        "post": action("Reopen a disputed, closed complaint", OFFICER, s.REASON_BODY)
    },
    TICKET + "/link": {
        "post": action("Mark as a repeat of another complaint", OFFICER, s.LINK_BODY)
    },
    TICKET + "/unlink": {"post": action("Undo a link", OFFICER, None)},
    TICKET + "/accept": {
        "post": action(
            "The agency accepts the complaint",
            AGENCY_ADMIN,
            {"type": "object"},
            body_required=False,
            key="accept",
        )
    },
    TICKET + "/return": {
        "post": action(
            "The agency returns it to the officers (not its authority)",
            AGENCY_ADMIN,
            s.REASON_BODY,
            key="return",
        )
    },
    TICKET + "/resolve": {
        "post": action(
            "The agency resolves it: what was done", AGENCY_ADMIN, s.FOLLOW_UP_BODY, key="resolve"
        )
    },
    TICKET + "/tasks/{agency}/close": {
        "post": action(
            "The lead agency closes another agency's task, with a reason",
            AGENCY_ADMIN,
            s.REASON_BODY,
            key="resolve",
        )
    },
    TICKET + "/tasks/{agency}/reassign": {
        "post": action(
            "Move an agency's task to another agency (the old one loses the complaint)",
            ADMIN,
            s.REASSIGN_BODY,
        )
    },
    TICKET + "/referrals/{institution}": {
        "post": action(
            "The lead records an outside institution's part (cross_institution)",
            AGENCY_ADMIN,
            s.REFERRAL_BODY,
            key="resolve",
        )
    },
    TICKET + "/pause": {
        "post": action("Stop the clock (awaiting the reporter)", CLOCK_KEEPERS, None, s.CLOCK)
    },
    TICKET + "/resume": {
        "post": action("Run the clock again (the deadline moves)", CLOCK_KEEPERS, None, s.CLOCK)
    },
    TICKET + "/request-info": {
        "post": action(
            "Ask the reporter (the clock pauses)",
            CLOCK_KEEPERS,
            s.QUESTION_BODY,
            s.CLOCK,
            key="request_info",
        )
    },
    TICKET + "/sla": {
        "get": operation(
            "The complaint's deadlines, timers and why",
            "Deadlines",
            ok("The SLA history", s.SLA_HISTORY),
            roles=STAFF,
            key="read",
        )
    },
    TICKET + "/notifications": {
        "get": operation(
            "The reporter's notices (with the secret token; staff: with recipients)",
            "Residents",
            ok("The notices", s.NOTICES),
            optional_caller=True,
            roles=READERS,
            parameters=(TOKEN,),
        )
    },
    TICKET + "/staff-notices": {
        "get": operation(
            "The notices to staff about the complaint",
            "Deadlines",
            ok("The deliveries", s.STAFF_NOTICES),
            roles=SUPERVISOR,
        )
    },
    TICKET + "/staff-actions": {
        "get": operation(
            "Who did what to the complaint, when and from which address (hash-chained)",
            "Transparency",
            ok("The complaint's chain of staff actions, oldest first", s.STAFF_ACTIONS),
            roles=SUPERVISOR,
        )
    },
    TICKET + "/review": {
        "get": operation(
            "Triage's suggestions and the words behind them",
            "Triage",
            ok("The review", {"type": "object"}),
            roles=("officer", "supervisor"),
        )
    },
    TICKET + "/replies": {
        "post": operation(
            "The reporter adds information (with the secret token)",
            "Residents",
            ok("Recorded", {"type": "object"}, 202),
            body=s.REPLY_BODY,
            parameters=(TOKEN, IDEMPOTENCY),
            errors={404: "Unknown ticket, or a wrong token"},
        )
    },
    TICKET + "/rating": {
        "post": operation(
            "The reporter rates the result (with the secret token)",
            "Residents",
            ok("Rated", s.RATING, 202),
            body=s.RATING_BODY,
            body_example={"rating": 4, "comment": "Cepat ditangani"},
            parameters=(TOKEN, IDEMPOTENCY),
            errors={
                404: "Unknown ticket, or a wrong token",
                409: "No result yet (`no_result_yet`), or rated already (`already_rated`)",
            },
        )
    },
    TICKET + "/attachments/{file_id}": {
        "get": operation(
            "A file attached to the complaint",
            "Channels",
            download("The file", ("image/jpeg", "image/png", "application/pdf")),
            roles=STAFF,
            key="read",
        )
    },
    TICKET + "/letters": {
        "get": operation(
            "The letters written to a desk reporter",
            "Channels",
            ok("The letters", s.LETTERS),
            roles=READERS,
        )
    },
    TICKET + "/letters/{letter_id}": {
        "get": operation(
            "A letter as PDF",
            "Channels",
            download("The letter", ("application/pdf",)),
            roles=READERS,
        )
    },
    "/api/v1/worklist": {
        "get": operation(
            "The caller's queue: urgent first, then the earliest deadline",
            "Complaint decisions",
            ok("A page of the queue", ref("Worklist")),
            roles=STAFF,
            key="read",
            parameters=(
                LIMIT,
                query("page", {"type": "integer", "minimum": 1, "maximum": 1000}, "1-1000"),
                query("status", enum(Status), "One of the role's worklist statuses"),
                query("category", enum(Category), "A category"),
                query("kecamatan", enum(KECAMATAN), "A kecamatan"),
                query("channel", enum(Channel), "A channel"),
                query("q", text(2, 100), "Text in the title or description"),
            ),
        )
    },
    "/api/v1/triage/routing": triage_setting("the routing table"),
    "/api/v1/triage/auto-reject": triage_setting("the automatic rejections"),
    "/api/v1/reports/monthly": {
        "get": operation(
            "The month's complaint-management report (counts only)",
            "Reports",
            ok("The report", s.MONTHLY),
            parameters=(
                query("month", text(pattern=r"^[0-9]{4}-[0-9]{2}$"), "YYYY-MM", required=True),
            ),
        )
    },
    "/api/v1/reports/analytics": {
        "get": operation(
            "A month's figures in total and by one dimension (counts only, docs/reports.md)",
            "Reports",
            ok("The figures", s.ANALYTICS),
            parameters=(
                query("month", text(pattern=r"^[0-9]{4}-[0-9]{2}$"), "YYYY-MM", required=True),
                query(
                    "by",
                    enum(["category", "agency", "channel", "kecamatan", "scope"]),
                    "The dimension of the rows (default category)",
                ),
            ),
        )
    },
    "/api/v1/reports/archive": {
        "get": operation(
            "The archived monthly reports, newest first (docs/reports.md)",
            "Reports",
            ok("The archive", s.REPORT_ARCHIVE),
            parameters=(
                query("month", text(pattern=r"^[0-9]{4}-[0-9]{2}$"), "YYYY-MM: only its versions"),
            ),
        )
    },
    "/api/v1/reports/monthly/{month}/{format}": {
        "get": operation(
            "An archived monthly report (PDF, XLSX, CSV, JSON): the city's or an agency's month",
            "Reports",
            (200, {"description": "The report", "content": s.REPORT_DOCUMENTS}),
            parameters=(
                query(
                    "version",
                    {"type": "integer", "minimum": 1},
                    "The version (default: the latest)",
                ),
                query("agency", text(1, 60), "An agency's code: that agency's own month"),
            ),
            errors={422: "A month, version or agency that is not one (`invalid_field`)"},
        )
    },
    "/api/v1/reports/monthly/{month}/regenerate": {
        "post": operation(
            "Archive a new version of the month's report from the figures as they stand",
            "Reports",
            ok("The version made", s.ARCHIVED_REPORT, 201),
            roles=SUPERVISOR,
            errors={422: "A month that is not one or has not begun (`invalid_field`)"},
        )
    },
    "/api/v1/reports/overview": {
        "get": operation(
            "Open complaints by deadline state and agency",
            "Reports",
            ok("The overview", s.OVERVIEW),
            roles=SUPERVISOR,
        )
    },
    "/api/v1/open-data/complaints.json": {
        "get": open_data("JSON", ok("The page; `links.next` is the following one", s.OPEN_DATA))
    },
    "/api/v1/open-data/complaints.csv": {
        "get": open_data(
            "CSV",
            (
                200,
                {
                    "description": "The page: a heading row, then one row per complaint; the "
                    "`Link` header gives the next page and the licence, `X-Total-Count` how "
                    "many complaints the filters find",
                    "content": {"text/csv": {"schema": {"type": "string"}}},
                },
            ),
        )
    },
    "/api/v1/open-data/history-anchors": {
        "get": operation(
            "The daily anchors of the complaints' tamper-evident histories",
            "Open data",
            ok("The last `limit` anchors of each owner of chains, newest first", s.HISTORY_ANCHORS),
            description="Each anchor is the SHA-256 over every complaint's chain head at the "
            "end of a day (docs/open-data.md); `aduan-admin verify-history` recomputes them.",
            parameters=(
                query("limit", {"type": "integer", "minimum": 1, "maximum": 400}, "Days (30)"),
            ),
            errors={422: "A limit out of range (`invalid_field`)"},
        )
    },
    "/api/v1/calendar/{year}": {
        "get": operation(
            "The year's days off and local changes",
            "Deadlines",
            ok("The year", s.CALENDAR),
            errors={422: "A year outside the calendar's range (`invalid_field`)"},
        )
    },
    "/api/v1/calendar/days": {
        "post": operation(
            "Add a day off or make a day a working day",
            "Deadlines",
            ok("Changed; the deadlines it moves are recomputed in the background", s.DAY_CHANGE),
            roles=SUPERVISOR,
            body=s.DAY_BODY,
            body_example={"date": "2026-12-24", "working": False, "reason": "Cuti bersama"},
        )
    },
    "/api/v1/calendar/recomputes/{request_id}": {
        "get": operation(
            "How far a recomputation of deadlines is",
            "Deadlines",
            ok("The recomputation", s.RECOMPUTE),
            roles=SUPERVISOR,
        )
    },
    "/api/v1/sla/policies": {
        "get": operation(
            "The SLA policies and their versions", "Deadlines", ok("The policies", s.POLICIES)
        ),
        "post": operation(
            "A new policy or version",
            "Deadlines",
            ok("Added", {"type": "object"}, 201),
            roles=SUPERVISOR,
            body=s.POLICY_BODY,
        ),
    },
    "/api/v1/sla/policies/{policy_id}": {
        "get": operation(
            "One policy's versions", "Deadlines", ok("The versions", s.POLICY_VERSIONS)
        )
    },
    "/api/v1/sla/digest": {
        "get": operation(
            "The latest weekly digest of overdue complaints per agency",
            "Deadlines",
            ok("The digest", s.DIGEST),
            roles=SUPERVISOR,
            errors={404: "No digest has been recorded yet"},
        )
    },
}

# Schemas of the path parameters, by name.
PATH_PARAMETERS: dict[str, Schema] = {
    "ticket": s.TICKET,
    "username": text(1, 100),
    "key_id": text(1, 100),
    "endpoint_id": text(1, 100),
    "delivery_id": text(1, 200),
    "file_id": text(1, 100),
    "letter_id": text(1, 100),
    "request_id": text(1, 100),
    "policy_id": text(1, 100),
    "year": {"type": "integer", "minimum": 0, "maximum": 9999},
    "month": text(7, 7, examples=["2026-11"]),
    "format": enum(["pdf", "xlsx", "csv", "json"]),
    "agency": text(1, 60),
    "institution": text(1, 60),
}
