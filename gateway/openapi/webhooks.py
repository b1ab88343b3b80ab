"""The webhooks Aduan sends: the agency_hooks service POSTs each event to the endpoints an
agency registered (docs/agencies.md), signed with the endpoint's secret."""

from gateway.openapi.builder import Schema, header, ref, text
from gateway.openapi.schemas import HOOK_EVENTS

SIGNED_HEADERS = (
    header(
        "Aduan-Signature",
        text(pattern=r"^t=[0-9]+,v1=[0-9a-f]{64}$"),
        "`t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + '.' + raw body)>`; refuse a "
        "timestamp more than 5 minutes from your clock",
    ),
    header("Aduan-Event-Id", text(), "The event's id: deduplicate by it"),
    header("Aduan-Event-Type", {"type": "string", "enum": list(HOOK_EVENTS)}, "The event type"),
    header("Aduan-Sequence", text(pattern="^[0-9]+$"), "1, 2, 3... per complaint and endpoint"),
    header("Aduan-Redelivery", {"type": "string", "enum": ["true", "false"]}, "Asked again"),
)
EVENT_EXAMPLE = {
    "id": "9b1f0c2e4d5a4f6b8c7d9e0f1a2b3c4d",
    "type": "complaint.forwarded",
    "occurred_at": "2026-12-03T03:00:00+00:00",
    "ticket": "SMG-2026-000123",
    "agency": "dpu",
    "sequence": 1,
    "data": {"agency": "dpu", "admin": "admin1"},
    "links": {"complaint": "/api/v1/complaints/SMG-2026-000123"},
}

WEBHOOKS: dict[str, dict[str, Schema]] = {
    "complaintEvent": {
        "post": {
            "summary": "An event about a complaint assigned to the agency",
            "description": "Answer any 2xx within 10 seconds once stored; anything else is "
            "retried (10 s, doubling, at most an hour apart, for 24 hours), then the "
            "complaint's feed to the endpoint is parked until redelivered. Delivery is at "
            "least once and in order per complaint (`sequence`).",
            "tags": ["Agencies' webhooks"],
            "parameters": [dict(h, required=True) for h in SIGNED_HEADERS],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": ref("AgencyEvent"), "example": EVENT_EXAMPLE}
                },
            },
            "responses": {
                "2XX": {"description": "Stored"},
                "default": {"description": "Not stored: the event is sent again later"},
            },
        }
    }
}
