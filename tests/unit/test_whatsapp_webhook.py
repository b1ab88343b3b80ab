"""The WhatsApp webhook in-process: off until configured, and a payload is queued whole
(one event per message and status) or, refused, not at all."""

import pytest
from starlette.applications import Starlette
from starlette.routing import Route

from gateway.config import GatewaySettings
from gateway.errors import HANDLERS, BackendUnavailable
from gateway.routes import whatsapp
from gateway.throttle import Throttle
from tests.support.asgi import Client
from tests.support.meta import APP_SECRET, VERIFY_TOKEN, message, payload, raw, sign, status


class Bus:
    """Records what the webhook publishes; can be told the broker is down."""

    def __init__(self) -> None:
        self.events: list[dict] = []
        self.down = False

    async def publish(self, event: dict) -> None:
        if self.down:
            raise BackendUnavailable("the message bus is not reachable; try again shortly")
        self.events.append(event)


def client(**env: str) -> tuple[Client, Bus]:
    app = Starlette(
        routes=[
            Route("/webhooks/whatsapp", whatsapp.verify, methods=["GET"]),
            Route("/webhooks/whatsapp", whatsapp.receive, methods=["POST"]),
        ],
        exception_handlers=HANDLERS,
    )
    app.state.settings = GatewaySettings.from_env(env)
    app.state.sender_throttle = Throttle(2, 600)
    app.state.rpc = bus = Bus()
    return Client(app), bus


CONFIGURED = {"ADUAN_WHATSAPP_APP_SECRET": APP_SECRET, "ADUAN_WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN}


def post(http: Client, body: dict):
    data = raw(body)
    headers = {"X-Hub-Signature-256": sign(data)}
    return http.post("/webhooks/whatsapp", content=data, headers=headers)


def test_the_webhook_is_off_until_its_secret_and_token_are_set():
    http, bus = client()
    handshake = {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"}
    for response in (
        http.get("/webhooks/whatsapp", params=handshake),
        post(http, payload([message("6281234567890", "text", {"body": "Lampu mati"})])),
    ):
        assert response.status_code == 503
        assert response.json()["error"] == "channel_not_configured"
    assert bus.events == []


def test_each_message_and_status_is_one_event_without_a_ticket():
    http, bus = client(**CONFIGURED)
    sent = [
        message("6281234567890", "text", {"body": "Lampu mati di Gayamsari"}),
        message("6281234567891", "location", {"latitude": -7.0, "longitude": 110.4}),
    ]
    response = post(http, payload(sent, [status("wamid.S", "delivered", "6281234567890")]))
    assert response.status_code == 200
    assert response.json() == {"accepted": True, "messages": 2, "statuses": 1}
    assert [e["type"] for e in bus.events] == [
        "channel.whatsapp.received",
        "channel.whatsapp.received",
        "channel.whatsapp.status",
    ]
    assert all(e["ticket"] == "" and e["version"] == 1 for e in bus.events)
    assert [e["data"]["message_id"] for e in bus.events] == [m["id"] for m in sent] + ["wamid.S"]
    assert "6281234567890" not in str(bus.events[2])


@pytest.mark.parametrize("broken", ["second message", "status"])
def test_a_payload_with_one_bad_part_queues_none_of_it(broken):
    http, bus = client(**CONFIGURED)
    good = message("6281234567890", "text", {"body": "Lampu mati di Gayamsari"})
    bad = message("6281234567891", "location", {"latitude": 99, "longitude": 110.4})
    if broken == "status":
        body = payload([good], [{"id": "wamid.S", "status": "read"}])  # no timestamp
    else:
        body = payload([good, bad])
    response = post(http, body)
    assert response.status_code == 422 and response.json()["error"] == "invalid_field"
    assert bus.events == []


def test_a_sender_over_the_limit_is_429_and_a_bus_down_is_503_for_metas_retry():
    http, bus = client(**CONFIGURED)
    for n in range(2):
        sent = payload([message("6281234567890", "text", {"body": f"tes {n}"})])
        assert post(http, sent).status_code == 200
    over = post(http, payload([message("6281234567890", "text", {"body": "tes 3"})]))
    assert over.status_code == 429 and int(over.headers["Retry-After"]) > 0
    bus.down = True
    down = post(http, payload([message("6281234567899", "text", {"body": "tes"})]))
    assert down.status_code == 503 and down.json()["error"] == "backend_unavailable"
