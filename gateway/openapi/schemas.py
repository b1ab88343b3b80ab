"""The API document's schemas (components/schemas): what the gateway takes and answers.

Answers list the properties clients rely on; they may carry more (a later version adds
fields, never removes them), so answers are open objects. Request bodies the gateway
refuses unknown fields of are closed.
"""

from gateway.agency_keys import PERMISSIONS
from gateway.identity import Role
from gateway.openapi.builder import Schema, array, enum, nullable, obj, ref, text
from services.contracts.events import SUBSCRIPTIONS
from services.contracts.lifecycle import Status, TaskStatus
from services.contracts.reference import KECAMATAN, Category, Channel, Scope

TIME = {"type": "string", "format": "date-time"}
DATE = {"type": "string", "format": "date"}
ANY_TIME = nullable(TIME)
MAYBE_TEXT = nullable({"type": "string"})
TICKET = text(pattern=r"^SMG-[0-9]{4}-[0-9]{6,9}$", examples=["SMG-2026-000123"])
AGENCY_CODE = text(1, 60, examples=["dpu"])
SLA_STATES = ("on_track", "due_soon", "overdue", "paused")
# What an agency's endpoint can be told: agency_hooks' row of the subscriptions table.
HOOK_EVENTS = tuple(str(t) for t in SUBSCRIPTIONS["agency_hooks"])
COUNT = {"type": "integer", "minimum": 0}

ERROR = obj(
    {
        "error": text(1, examples=["invalid_field"]),
        "message": text(1, examples=["title: 5-200 characters"]),
    },
    {"field": text(1, examples=["title"])},
    description="Every error answer. `error` is a stable code, `message` says what to "
    "change, `field` names the field or parameter at fault.",
)

REPORTER = obj(
    optional={
        "name": text(2, 120),
        "phone": text(
            max_length=32,
            pattern=r"^\+?[0-9]{8,15}$",
            description="spaces, dashes, dots and brackets are left out first",
        ),
        "email": text(max_length=254, pattern=r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$"),
        "address": text(max_length=300),
        "anonymous": {"type": "boolean"},
        "confidential": {"type": "boolean"},
    },
    closed=True,
    anyOf=[
        {"required": ["anonymous"], "properties": {"anonymous": {"const": True}}},
        {"required": ["name", "phone"]},
        {"required": ["name", "email"]},
    ],
    description="A name and a phone or an e-mail, unless `anonymous` (then the reporter "
    "hears back only through the secret notifications link)",
)
LOCATION = obj(
    {"kecamatan": enum(KECAMATAN)},
    {
        "kelurahan": text(max_length=100),
        "address": text(max_length=300),
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "lon": {"type": "number", "minimum": -180, "maximum": 180},
    },
    closed=True,
)
NEW_COMPLAINT = obj(
    {
        "reporter": ref("Reporter"),
        "title": text(5, 200),
        "description": text(10, 5000),
        "location": ref("Location"),
    },
    {"category": enum(Category)},
    closed=True,
)
COMPLAINT_EXAMPLE = {
    "reporter": {"name": "Siti Rahayu", "phone": "081234567890", "email": "siti@contoh.id"},
    "title": "Jalan berlubang di Jalan Ngesrep Timur",
    "description": "Jalan rusak berlubang besar di depan kampus, bahaya bagi pengendara motor.",
    "location": {"kecamatan": "Tembalang", "kelurahan": "Sumurboto", "lat": -7.05, "lon": 110.43},
    "category": "infrastruktur_fasum",
}
RECEIPT = obj(
    {"ticket": TICKET, "status": enum(Status), "received_at": TIME, "tracking_url": text()},
    {"channel": enum(Channel), "notifications_url": text()},
    description="`notifications_url` (the secret link) only for the request that created "
    "the complaint, or a retry with the same Idempotency-Key and body",
)
DEADLINE = nullable(
    obj(
        optional={
            "due_at": ANY_TIME,
            "working_days": nullable({"type": "integer"}),
            "scope": nullable(enum(Scope)),
            "remaining_working_days": nullable({"type": "integer"}),
            "state": text(),
        }
    )
)
TIMELINE_ENTRY = obj(
    {"event": text(), "at": ANY_TIME},
    {"status": MAYBE_TEXT, "label": MAYBE_TEXT, "note": {}, "agency": MAYBE_TEXT},
)
TRACKING = obj(
    {"ticket": TICKET, "status": enum(Status)},
    {
        "status_label": text(),
        "category": nullable(enum(Category)),
        "category_label": MAYBE_TEXT,
        "agency": MAYBE_TEXT,
        "received_at": ANY_TIME,
        "title": MAYBE_TEXT,
        "description": MAYBE_TEXT,
        "kecamatan": MAYBE_TEXT,
        "deadline": DEADLINE,
        "sla_state": text(),
        "timeline": array(TIMELINE_ENTRY),
        "tasks": array(
            obj(
                {"agency": text(), "lead": {"type": "boolean"}, "status": enum(TaskStatus)},
                {"status_label": text(), "follow_up": MAYBE_TEXT},
            ),
            description="Each agency's part; the lead first",
        ),
        "referrals": array(
            obj(
                {"institution": text()},
                {"sent_on": MAYBE_TEXT, "answer": MAYBE_TEXT, "answered_on": MAYBE_TEXT},
            ),
            description="A cross_institution complaint's outside institutions",
        ),
    },
    description="Public tracking (never the reporter). While the read model catches up "
    "it is the receipt's `ticket`, `status` and `received_at`.",
)
STAFF_VIEW = {
    "allOf": [
        ref("Tracking"),
        obj(
            optional={
                "confidential": nullable({"type": "boolean"}),
                "location": nullable({"type": "object"}),
                "attachments": array(
                    obj(
                        {"id": text()},
                        {"filename": text(), "content_type": text(), "size": COUNT},
                    )
                ),
                "media": array({}),
                "replies": array(obj({"text": text(), "at": ANY_TIME})),
                "rating": nullable({"type": "object"}),
                "suggested_category": MAYBE_TEXT,
                "suggestions": nullable({"type": "object"}),
                "urgent": {"type": "boolean"},
                "scope": nullable(enum(Scope)),
                "agencies": nullable(array(text())),
                "channel": nullable(enum(Channel)),
            }
        ),
    ],
    "description": "The staff view: tracking plus the text always, scope, agencies, "
    "triage's suggestions, attachments and replies (still never the reporter's identity)",
}
WORKLIST_ITEM = obj(
    {"ticket": TICKET, "status": enum(Status)},
    {
        "title": MAYBE_TEXT,
        "category": MAYBE_TEXT,
        "agency": MAYBE_TEXT,
        "received_at": ANY_TIME,
        "due_at": ANY_TIME,
        "sla_state": enum(SLA_STATES),
        "urgent": {"type": "boolean"},
        "needs_attention": {"type": "boolean"},
    },
)
WORKLIST = obj(
    {
        "role": enum(Role),
        "agency": MAYBE_TEXT,
        "page": {"type": "integer", "minimum": 1},
        "items": array(ref("WorklistItem")),
    }
)
ACTION_RESULT = obj({"ticket": TICKET, "status": text()})
NOTICE = obj(
    {"about": text(), "message": text(), "at": TIME},
    {"channel": text(), "delivery": {}, "id": text(), "to": {}},
)
NOTICES = obj({"ticket": TICKET, "notifications": array(ref("Notice"))})
REPLY_BODY = obj({"text": text(2, 2000)}, closed=True)
RATING_BODY = obj(
    {"rating": {"type": "integer", "minimum": 1, "maximum": 5}},
    {"comment": text(max_length=1000)},
    closed=True,
)
RATING = obj(
    {
        "ticket": TICKET,
        "rating": {"type": "integer", "minimum": 1, "maximum": 5},
        "cycle": {"type": "integer"},
        "disputed": {"type": "boolean"},
        "message": text(),
    }
)
MONTHLY = obj(
    {
        "month": text(pattern=r"^[0-9]{4}-[0-9]{2}$"),
        "total": COUNT,
        "by_category": {"type": "object", "additionalProperties": COUNT},
        "by_status": {"type": "object", "additionalProperties": COUNT},
        "resolved": COUNT,
        "rejected": COUNT,
        "resolution_rate": nullable({"type": "number", "minimum": 0, "maximum": 1}),
        "figures": obj(
            {
                "total": {"type": "object"},
                "by": obj(
                    {
                        dimension: array(obj({"key": text()}))
                        for dimension in ("category", "agency", "channel", "kecamatan", "scope")
                    }
                ),
            },
            description="The month's figures (received, resolved, within the deadline and "
            "its share, working days to resolve, breaches, returns, reopenings, duplicates, "
            "ratings, open at the month's end) in total and by each dimension, as "
            "GET /api/v1/reports/analytics gives one (docs/reports.md)",
        ),
    }
)
ARCHIVED_REPORT = obj(
    {
        "id": text(1),
        "month": text(pattern=r"^[0-9]{4}-[0-9]{2}$"),
        "version": {"type": "integer", "minimum": 1},
        "trigger": enum(["scheduled", "requested"]),
        "requested_by": nullable(text()),
        "generated_at": text(format="date-time"),
    },
    description="`scheduled`: made on the first working day after the month at 08:00 WIB; "
    "`requested`: regenerated by the supervisor `requested_by`",
)
REPORT_ARCHIVE = obj({"reports": array(ARCHIVED_REPORT)})
_WHEN = nullable(text(format="date-time"))
# A row of the open data (docs/open-data.md): closed, so a field added to a row without
# its place in the document (and the data dictionary) fails the conformance check.
OPEN_DATA_ROW = obj(
    {
        "ticket": TICKET,
        "month": text(pattern=r"^[0-9]{4}-[0-9]{2}$"),
        "received_at": text(format="date-time"),
        "classified_at": _WHEN,
        "forwarded_at": _WHEN,
        "accepted_at": _WHEN,
        "resolved_at": _WHEN,
        "closed_at": _WHEN,
        "rejected_at": _WHEN,
        "channel": nullable(text()),
        "category": nullable(text()),
        "category_label": nullable(text()),
        "scope": nullable(text()),
        "agency": nullable(text()),
        "kecamatan": nullable(text()),
        "status": nullable(text()),
        "duplicate_of": nullable(TICKET),
        "deadline_working_days": nullable(COUNT),
        "due_at": _WHEN,
        "working_days_taken": nullable(COUNT),
        "within_deadline": nullable({"type": "boolean"}),
        "title": nullable(text()),
        "description": nullable(text()),
    },
    closed=True,
)
_PAGE_LINK = nullable(text(format="uri"))
OPEN_DATA = obj(
    {
        "publisher": text(1),
        "licence": obj({"id": text(1), "name": text(1), "url": text(format="uri")}),
        "free_text": {"type": "boolean"},
        "filters": {"type": "object", "additionalProperties": text()},
        "total": COUNT,
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1, "maximum": 1000},
        "links": obj(
            {"self": text(format="uri"), "next": _PAGE_LINK, "prev": _PAGE_LINK},
            {"last": text(format="uri"), "history_anchors": text(format="uri")},
        ),
        "complaints": array(OPEN_DATA_ROW),
    },
    closed=True,
)
HISTORY_ANCHOR = obj(
    {
        "day": text(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
        "owner": text(1),
        "anchor": text(pattern=r"^[0-9a-f]{64}$"),
        "cutoff": text(format="date-time"),
        "recorded_at": text(format="date-time"),
    },
    closed=True,
)
HISTORY_ANCHORS = obj(
    {
        "about": text(1),
        "anchors": {"type": "object", "additionalProperties": array(HISTORY_ANCHOR)},
        "chains": {"type": "object", "additionalProperties": text()},
    }
)
STAFF_ACTIONS = obj(
    {
        "ticket": TICKET,
        "actions": array(
            obj(
                {
                    "action": text(1),
                    "by": text(1),
                    "role": text(1),
                    "agency": nullable(text()),
                    "address": nullable(text()),
                    "status": nullable(text()),
                    "at": text(format="date-time"),
                    "prev": text(pattern=r"^[0-9a-f]{64}$"),
                    "hash": text(pattern=r"^[0-9a-f]{64}$"),
                }
            )
        ),
    }
)
REPORT_DOCUMENTS = {
    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
        "schema": {"type": "string", "format": "binary"}
    },
    "text/csv": {"schema": {"type": "string"}},
    "application/json": {
        "schema": obj(
            {"month": text(), "version": {"type": "integer"}, "figures": {"type": "object"}},
            description="The archived version and its figures: the month's total, `by` "
            "dimension and, for the city, each agency's own (docs/reports.md)",
        )
    },
}
OVERVIEW = obj(
    {
        "open": COUNT,
        "by_sla_state": {"type": "object", "additionalProperties": COUNT},
        "by_agency": array({"type": "object"}),
        "oldest": array(ref("WorklistItem")),
    }
)
TOKEN_REQUEST = obj({"username": text(1), "password": text(1)})
TOKEN = obj(
    {
        "access_token": text(1),
        "token_type": enum(["bearer"]),
        "expires_in": {"type": "integer"},
        "role": enum(Role),
        "agency": MAYBE_TEXT,
    }
)
USERNAME = text(3, 40, pattern=r"^[a-z0-9._-]{3,40}$")
ACCOUNT = obj(
    {
        "username": text(),
        "role": enum(Role),
        "agency": MAYBE_TEXT,
        "active": {"type": "boolean"},
        "created_at": ANY_TIME,
    }
)
NEW_ACCOUNT = {"allOf": [ref("Account"), obj({"password": text(1)})]}
ACCOUNT_CHANGE = {
    "allOf": [
        ref("Account"),
        obj({"changed": {"type": "boolean"}, "tokens_revoked": COUNT}),
    ]
}
NEW_USER_BODY = obj(
    {"username": USERNAME, "role": enum(Role)}, {"agency": nullable(AGENCY_CODE)}, closed=True
)
ROLE_BODY = obj({"role": enum(Role)}, {"agency": nullable(AGENCY_CODE)}, closed=True)
PASSWORD_RESET = obj({"username": text(), "password": text(1), "tokens_revoked": COUNT})
TOKENS_REVOKED = obj({"username": text(), "tokens_revoked": COUNT})
CONTACT = obj({"username": text(), "email": MAYBE_TEXT, "whatsapp": MAYBE_TEXT})
CONTACT_BODY = obj(
    optional={"email": nullable(text(max_length=254)), "whatsapp": nullable(text(max_length=32))},
    closed=True,
)
STAFF_NOTICES = obj({"ticket": TICKET, "deliveries": array({"type": "object"})})
AGENCY = obj({"code": text(), "name": text(), "kind": enum(["city", "kecamatan", "external"])})
AGENCY_KEY = obj(
    {
        "id": text(),
        "agency": text(),
        "name": text(),
        "permissions": array(enum(PERMISSIONS)),
        "rate_limit": {"type": "integer"},
        "created_by": text(),
        "created_at": TIME,
        "rotated_at": ANY_TIME,
        "revoked_at": ANY_TIME,
        "active": {"type": "boolean"},
    }
)
AGENCY_KEY_WITH_SECRET = {
    "allOf": [ref("AgencyKey"), obj({"key": text(pattern=r"^aduan_[0-9a-f]{16}_")})]
}
NEW_KEY_BODY = obj(
    {
        "agency": AGENCY_CODE,
        "name": text(3, 80),
        "permissions": array(enum(PERMISSIONS), minItems=1),
    },
    {"rate_limit": {"type": "integer", "minimum": 1, "maximum": 100_000}},
    closed=True,
)
AUDIT = obj(
    {
        "entries": array(
            obj(
                {"method": text(), "path": text(), "at": TIME},
                {"key": MAYBE_TEXT, "agency": MAYBE_TEXT, "status": {"type": "integer"}},
            )
        )
    }
)
HOOK_ENDPOINT = obj(
    {"id": text(), "agency": text(), "url": text(), "events": array(enum(HOOK_EVENTS))},
    {
        "description": MAYBE_TEXT,
        "active": {"type": "boolean"},
        "created_by": MAYBE_TEXT,
        "created_at": ANY_TIME,
    },
)
HOOK_ENDPOINT_WITH_SECRET = {
    "allOf": [ref("HookEndpoint"), obj({"secret": text(pattern="^whsec_")})]
}
NEW_HOOK_BODY = obj(
    {"url": text(1, 2000, examples=["https://simpel.dpu.semarangkota.go.id/aduan/hooks"])},
    {
        "events": array(enum(HOOK_EVENTS)),
        "description": text(max_length=200),
        "agency": AGENCY_CODE,
    },
    closed=True,
)
HOOK_DELIVERIES = obj(
    {"agency": MAYBE_TEXT, "deliveries": array(obj({"id": text()}, {"status": text()}))}
)
CLASSIFY_BODY = obj(
    {
        "category": enum(Category),
        "scope": enum(Scope),
        "agencies": array(AGENCY_CODE, minItems=1),
    },
    closed=True,
)
REASON_BODY = obj({"reason": text(10, 500)}, closed=True)
FOLLOW_UP_BODY = obj({"follow_up": text(10, 2000)}, closed=True)
QUESTION_BODY = obj({"question": text(5, 500)}, closed=True)
FORWARD_BODY = obj(
    optional={"lead": AGENCY_CODE, "agency": AGENCY_CODE},
    closed=True,
    description="The lead agency (`agency` is its older name; send one): one of the "
    "classified agencies, the first by default. A cross_agency complaint gets a task per "
    "classified agency.",
)
WHATSAPP_PAYLOAD = obj(
    {"object": enum(["whatsapp_business_account"]), "entry": array({"type": "object"})},
    description="The Cloud API's webhook payload: entry[].changes[].value with messages[] "
    "(text, image, location) and statuses[] (docs/channels.md)",
)
WHATSAPP_ACCEPTED = obj({"accepted": {"type": "boolean"}, "messages": COUNT, "statuses": COUNT})
ANALYTICS = obj(
    {"month": text(), "by": text(), "total": {"type": "object"}, "rows": array(obj({"key": {}}))},
    description="`total` and each row (`key`: the category, agency, ... or null) hold the "
    "month's counts, shares, working days to resolve and ratings (docs/reports.md)",
)
REASSIGN_BODY = obj({"agency": AGENCY_CODE, "reason": text(10, 500)}, closed=True)
DAY = text(10, 10, format="date", examples=["2026-12-02"])
REFERRAL_BODY = obj(
    {"sent_on": DAY},
    {"answer": text(10, 2000), "answered_on": DAY},
    closed=True,
    description="The day the complaint was sent to the outside institution and, once it "
    "answered, its answer and the day (not after today; answered_on on or after sent_on)",
)
LINK_BODY = obj({"to": TICKET}, closed=True)
DESK_BODY = obj(
    {"channel": enum([Channel.TATAP_MUKA, Channel.SURAT]), "complaint": ref("NewComplaint")},
    closed=True,
)
UPLOAD = obj(
    {"complaint": text(description="the complaint's JSON body, as text")},
    {"attachments": array(text(format="binary"), maxItems=10)},
)
DESK_UPLOAD = obj(
    {"channel": enum([Channel.TATAP_MUKA, Channel.SURAT]), "complaint": text()},
    {"attachments": array(text(format="binary"), maxItems=10)},
)
LETTERS = obj({"ticket": TICKET, "letters": array({"type": "object"})})
SMS_MESSAGE = obj(
    {
        "message_id": text(1, 100),
        "from": text(7, 20, pattern=r"^\+?[0-9][0-9\s\-]{6,18}$"),
    },
    {
        "text": text(max_length=1600),
        "part": obj(
            {
                "ref": text(1, 40),
                "index": {"type": "integer", "minimum": 1, "maximum": 10},
                "total": {"type": "integer", "minimum": 1, "maximum": 10},
            }
        ),
    },
)
SOCIAL_MESSAGE = obj(
    {
        "platform": enum(["x", "instagram", "facebook", "tiktok", "youtube"]),
        "post_id": text(1, 100),
        "kind": enum(["mention", "direct_message"]),
        "author": obj({"handle": text(1, 100)}, {"name": text(max_length=120)}),
    },
    {
        "text": text(max_length=5000),
        "media": array(text(pattern=r"^https?://\S{3,500}$"), maxItems=10),
    },
)
WEBHOOK_ACCEPTED = obj({"accepted": {"const": True}, "message_id": text()})
CALENDAR = obj({"year": {"type": "integer"}}, {"days_off": array({}), "changes": array({})})
DAY_BODY = obj({"date": DATE, "working": {"type": "boolean"}, "reason": text(1, 500)})
DAY_CHANGE = obj(
    {"date": DATE, "working": {"type": "boolean"}, "recompute": text()},
    {"reason": text()},
    description="`recompute`: the id of the recomputation of the deadlines the day moves",
)
CLOCK = obj(
    {"ticket": TICKET, "state": text()},
    {
        "due_at": ANY_TIME,
        "working_days": nullable({"type": "integer"}),
        "remaining_working_days": nullable({"type": "integer"}),
        "paused_working_days": nullable({"type": "integer"}),
        "policy": nullable({"type": "object"}),
    },
    description="The complaint's clock after the change",
)
RECOMPUTE = obj(
    {"state": enum(["pending", "running", "done"])},
    {
        "id": text(),
        "clocks_read": COUNT,
        "deadlines_moved": COUNT,
        "day": {},
        "reason": MAYBE_TEXT,
        "requested_at": ANY_TIME,
        "started_at": ANY_TIME,
        "finished_at": ANY_TIME,
    },
)
POLICY = obj({"id": text()}, {"version": {"type": "integer"}})
POLICIES = obj({"policies": array(ref("Policy"))})
POLICY_VERSIONS = obj({"id": text(), "versions": array({"type": "object"})})
POLICY_BODY = obj(
    {
        "id": text(1, 60),
        "version": {"type": "integer", "minimum": 1},
        "rule": text(1, 200),
        "working_days": obj(
            {
                "single_agency": {"type": "integer", "minimum": 1},
                "cross_agency": {"type": "integer", "minimum": 1},
                "cross_institution": {"type": "integer", "minimum": 1},
            }
        ),
        "stage_targets": obj(
            {
                "review": {"type": "integer", "minimum": 1},
                "forward": {"type": "integer", "minimum": 1},
                "agency_response": {"type": "integer", "minimum": 1},
            }
        ),
        "warn_fractions": array({"type": "number", "exclusiveMinimum": 0, "maximum": 1}),
        "warn_days_before": array({"type": "integer", "minimum": 0}),
    },
    {"categories": array(enum(Category))},
)
SLA_HISTORY = obj({"ticket": TICKET}, {"state": text()})
DIGEST = {"type": "object"}
SETTING = {"type": "object", "description": "The setting's current version (see docs/triage.md)"}
HEALTH = obj({"status": enum(["ok"])})
READY = obj(
    {"status": enum(["ready", "unavailable"]), "checks": {"type": "object"}},
    {"error": text(), "message": text()},
)
AGENCY_EVENT = obj(
    {
        "id": text(),
        "type": enum(HOOK_EVENTS),
        "occurred_at": TIME,
        "ticket": TICKET,
        "agency": AGENCY_CODE,
        "sequence": {"type": "integer", "minimum": 1},
        "data": {"type": "object"},
        "links": obj({"complaint": text()}),
    },
    description="An event about a complaint assigned to the agency; never the reporter",
)

SCHEMAS: dict[str, Schema] = {
    "Error": ERROR,
    "Reporter": REPORTER,
    "Location": LOCATION,
    "NewComplaint": NEW_COMPLAINT,
    "Receipt": RECEIPT,
    "Tracking": TRACKING,
    "StaffView": STAFF_VIEW,
    "WorklistItem": WORKLIST_ITEM,
    "Worklist": WORKLIST,
    "ActionResult": ACTION_RESULT,
    "Notice": NOTICE,
    "Account": ACCOUNT,
    "AgencyKey": AGENCY_KEY,
    "HookEndpoint": HOOK_ENDPOINT,
    "Policy": POLICY,
    "AgencyEvent": AGENCY_EVENT,
}
