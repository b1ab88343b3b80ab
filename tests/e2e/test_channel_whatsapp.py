"""The WhatsApp channel end to end: Meta's webhook in (handshake, signed payloads), the
adapter's answers out through a local stand-in of the Graph API, photos fetched from it
as attachments, shared locations, duplicates, status callbacks and the 24-hour session."""

import hashlib
import time

import httpx
import pytest

from tests.conftest import WHATSAPP_NUMBER_ID
from tests.support import meta
from tests.support.api import Api, new_phone, ticket_in
from tests.support.processes import wait_for

pytestmark = pytest.mark.e2e

TEXT = "Jalan di depan SD Negeri Tembalang berlubang besar, sudah dua motor jatuh. Mohon ditambal."
WEBHOOK = "/webhooks/whatsapp"


@pytest.fixture(scope="module")
def api(stack):
    return Api(stack.url)


@pytest.fixture
def graph(providers) -> meta.GraphApi:
    return providers["whatsapp"]


def number() -> str:
    """A WhatsApp sender no other test uses, as Meta writes it (62..., no +)."""
    return "62" + new_phone()[1:]


def post(api: Api, body: dict, secret: str | None = meta.APP_SECRET) -> httpx.Response:
    raw = meta.raw(body)
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Hub-Signature-256"] = meta.sign(raw, secret)
    return api.http.post(WEBHOOK, content=raw, headers=headers)


def send_text(api: Api, sender: str, text: str = TEXT, **options) -> dict:
    message = meta.message(sender, "text", {"body": text}, **options)
    response = post(api, meta.payload([message], number_id=WHATSAPP_NUMBER_ID))
    assert response.status_code == 200, response.text
    assert response.json() == {"accepted": True, "messages": 1, "statuses": 0}
    return message


def answers(graph: meta.GraphApi, sender: str, count: int = 1, timeout: float = 30) -> list[dict]:
    wait_for(lambda: len(graph.sent_to(sender)) >= count, timeout, f"{count} messages to {sender}")
    return graph.sent_to(sender)


def text_of(sent: dict) -> str:
    if sent["type"] == "text":
        return sent["text"]["body"]
    return sent["template"]["components"][0]["parameters"][0]["text"]


def complaints_from(stack, sender: str) -> list[dict]:
    return list(stack.database("intake").complaints.find({"reporter.phone": "+" + sender}))


def test_the_handshake_echoes_metas_challenge_only_with_the_verify_token(api):
    query = {"hub.mode": "subscribe", "hub.verify_token": meta.VERIFY_TOKEN}
    answered = api.http.get(WEBHOOK, params=query | {"hub.challenge": "1158201444"})
    assert answered.status_code == 200
    assert answered.text == "1158201444"
    assert answered.headers["content-type"].startswith("text/plain")

    guessed = query | {"hub.verify_token": "tebakan", "hub.challenge": "1"}
    wrong = api.http.get(WEBHOOK, params=guessed)
    assert wrong.status_code == 403
    assert wrong.json()["error"] == "forbidden" and "verify_token" in wrong.json()["message"]
    for bad in (
        {"hub.challenge": "1"},  # no mode
        query | {"hub.mode": "unsubscribe", "hub.challenge": "1"},
        query | {"hub.challenge": "<script>"},
        query,
    ):
        refused = api.http.get(WEBHOOK, params=bad)
        assert refused.status_code == 422, (bad, refused.text)
        assert set(refused.json()) >= {"error", "message"}


def test_a_text_becomes_a_complaint_and_the_receipt_goes_back_in_the_session(api, stack, graph):
    sender = number()
    send_text(api, sender)
    [receipt] = answers(graph, sender)
    assert receipt["_path"] == f"/{WHATSAPP_NUMBER_ID}/messages"
    assert receipt["messaging_product"] == "whatsapp" and receipt["type"] == "text"
    ticket = ticket_in(receipt["text"]["body"])
    assert "telah kami terima" in receipt["text"]["body"]
    assert f"/api/v1/complaints/{ticket}" in receipt["text"]["body"]
    view = api.wait_status(ticket, "awaiting_review")
    assert view["kecamatan"] == "Tembalang"
    assert api.track(ticket, "officer1").json()["channel"] == "whatsapp"

    [recorded] = complaints_from(stack, sender)
    assert recorded["ticket"] == ticket and recorded["channel"] == "whatsapp"
    notices = api.wait_until(
        lambda: api.http.get(
            f"/api/v1/complaints/{ticket}/notifications", headers=api.login("officer1")
        ).json()["notifications"],
        lambda found: found and found[0]["delivery"]["status"] == "delivered",
    )
    assert notices[0]["to"] == f"+62 ••• ••• {sender[-4:]}"
    # The number stays with intake and the adapter: not in the public view, nor in any
    # event the other services consume.
    assert sender[-8:] not in api.track(ticket).text
    events = stack.database("reporting").views.find_one({"_id": ticket})["events"]
    assert sender[-8:] not in str(events)


@pytest.mark.parametrize("signing", ["unsigned", "wrong secret", "body changed", "not hex"])
def test_a_bad_signature_is_refused_and_nothing_is_stored(api, stack, signing):
    sender = number()
    body = meta.payload([meta.message(sender, "text", {"body": TEXT})])
    if signing == "unsigned":
        response = post(api, body, None)
    elif signing == "wrong secret":
        response = post(api, body, "tebakan-rahasia")
    else:
        raw = meta.raw(body)
        signature = meta.sign(raw)
        if signing == "body changed":
            raw = raw.replace(b"berlubang", b"mulus-mul")
        else:
            signature = "sha256=" + "z" * 64
        response = api.http.post(WEBHOOK, content=raw, headers={"X-Hub-Signature-256": signature})
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_signature"
    time.sleep(2)
    assert complaints_from(stack, sender) == []
    assert stack.database("whatsapp").senders.find_one({"_id": "+" + sender}) is None


@pytest.mark.parametrize(
    "spoil",
    [
        lambda b: b.update(object="instagram"),
        lambda b: b.update(entry="semua"),
        lambda b: b["entry"][0]["changes"][0]["value"]["messages"][0].pop("id"),
        lambda b: b["entry"][0]["changes"][0]["value"]["messages"][0].update(timestamp="-1"),
        lambda b: b["entry"][0]["changes"][0]["value"]["messages"][0].update(text=None),
    ],
)
def test_a_payload_of_the_wrong_shape_is_a_4xx_and_stores_nothing(api, stack, spoil):
    sender = number()
    body = meta.payload([meta.message(sender, "text", {"body": TEXT})])
    spoil(body)
    response = post(api, body)
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "invalid_field" and response.json()["message"]
    not_json = api.http.post(
        WEBHOOK, content=b"{oops", headers={"X-Hub-Signature-256": meta.sign(b"{oops")}
    )
    assert not_json.status_code == 400 and not_json.json()["error"] == "invalid_json"
    time.sleep(2)
    assert complaints_from(stack, sender) == []


def test_a_photo_is_fetched_through_the_api_and_stored_as_an_attachment(api, stack, graph):
    sender = number()
    media_id = graph.add_media(meta.JPEG)
    photo = {"id": media_id, "mime_type": "image/jpeg", "caption": TEXT}
    message = meta.message(sender, "image", photo)
    assert post(api, meta.payload([message])).status_code == 200
    ticket = ticket_in(text_of(answers(graph, sender)[0]))
    [recorded] = complaints_from(stack, sender)
    [attachment] = recorded["attachments"]
    assert attachment["content_type"] == "image/jpeg"
    assert attachment["sha256"] == hashlib.sha256(meta.JPEG).hexdigest()
    assert media_id in graph.downloads
    # Staff download it from intake like any other attachment.
    got = api.http.get(
        f"/api/v1/complaints/{ticket}/attachments/{attachment['id']}",
        headers=api.login("officer1"),
    )
    assert got.status_code == 200 and got.content == meta.JPEG


def test_a_photo_waits_while_the_graph_api_is_down_and_then_comes_with_its_complaint(
    api, stack, graph
):
    sender = number()
    media_id = graph.add_media(meta.JPEG)
    # More failures than ADUAN_MAX_ATTEMPTS: an outage does not use up the message's tries.
    graph.fail_media_next(int(stack.env["ADUAN_MAX_ATTEMPTS"]) + 3)
    photo = {"id": media_id, "mime_type": "image/jpeg", "caption": TEXT}
    assert post(api, meta.payload([meta.message(sender, "image", photo)])).status_code == 200
    [receipt] = answers(graph, sender, timeout=60)
    [recorded] = complaints_from(stack, sender)
    assert recorded["ticket"] == ticket_in(text_of(receipt))
    assert [a["sha256"] for a in recorded["attachments"]] == [hashlib.sha256(meta.JPEG).hexdigest()]
    assert graph.media_failures_left <= 0


def test_a_photo_whatsapp_no_longer_has_is_left_out_and_the_complaint_made(api, stack, graph):
    sender = number()
    photo = {"id": "404404404", "mime_type": "image/jpeg", "caption": TEXT}
    assert post(api, meta.payload([meta.message(sender, "image", photo)])).status_code == 200
    [receipt] = answers(graph, sender)
    [recorded] = complaints_from(stack, sender)
    assert recorded["ticket"] == ticket_in(text_of(receipt))
    assert recorded["attachments"] == []


def test_a_location_and_a_photo_sent_first_go_with_the_complaint_that_follows(api, stack, graph):
    sender = number()
    where = {"latitude": -7.0512, "longitude": 110.4381, "name": "SD Negeri Tembalang"}
    photo = {"id": graph.add_media(meta.PNG, "image/png"), "mime_type": "image/png"}
    first = [
        meta.message(sender, "location", where, sent_at=time.time() - 60),
        meta.message(sender, "image", photo, sent_at=time.time() - 30),
    ]
    assert post(api, meta.payload(first)).status_code == 200
    kept = answers(graph, sender, count=2)
    assert all("kami terima" in text_of(k) for k in kept)
    assert complaints_from(stack, sender) == []

    send_text(api, sender)
    receipt = answers(graph, sender, count=3)[-1]
    ticket = ticket_in(text_of(receipt))
    [recorded] = complaints_from(stack, sender)
    assert recorded["location"]["lat"] == -7.0512 and recorded["location"]["lon"] == 110.4381
    assert recorded["location"]["kecamatan"] == "Tembalang"
    assert [a["content_type"] for a in recorded["attachments"]] == ["image/png"]
    staff_view = api.track(ticket, "officer1").json()
    assert staff_view["ticket"] == ticket


def test_the_same_message_delivered_three_times_is_one_complaint(api, stack, graph):
    sender = number()
    message = meta.message(sender, "text", {"body": TEXT})
    for _ in range(3):  # Meta retries the very request, byte for byte
        assert post(api, meta.payload([message])).status_code == 200
    [receipt] = answers(graph, sender)
    time.sleep(3)  # a second complaint would have been answered by now
    assert len(graph.sent_to(sender)) == 1
    [recorded] = complaints_from(stack, sender)
    assert recorded["ticket"] == ticket_in(text_of(receipt))


def test_status_callbacks_are_recorded_and_reported_to_intake(api, stack, graph):
    sender = number()
    send_text(api, sender)
    [receipt] = answers(graph, sender)
    ticket = ticket_in(text_of(receipt))
    wamid = receipt["_id"]  # what the messages endpoint answered
    deliveries = stack.database("whatsapp").deliveries
    wait_for(lambda: deliveries.find_one({"provider_ref": wamid}), 20, "the send recorded")

    # Out of order, as Meta may send them: "read" wins over a later "delivered".
    statuses = [meta.status(wamid, "read", sender), meta.status(wamid, "delivered", sender)]
    response = post(api, meta.payload(statuses=statuses))
    assert response.status_code == 200 and response.json()["statuses"] == 2
    delivery = wait_for(
        lambda: deliveries.find_one({"provider_ref": wamid, "whatsapp_status": "read"}),
        20,
        "the read receipt recorded",
    )
    # The two statuses are two events, which the adapter's workers may take in either
    # order: "delivered" is recorded only when it came first, never after "read".
    assert [e["status"] for e in delivery["whatsapp_log"]] in (["read"], ["delivered", "read"])

    def notice() -> dict:
        found = api.http.get(
            f"/api/v1/complaints/{ticket}/notifications", headers=api.login("officer1")
        ).json()["notifications"]
        return found[0]["delivery"]

    assert api.wait_until(notice, lambda d: d["status"] == "read")["status"] == "read"

    # A failure WhatsApp reports later is recorded and reported too.
    error = [{"code": 131026, "title": "Message undeliverable"}]
    post(api, meta.payload(statuses=[meta.status(wamid, "failed", sender, error)]))
    failed = api.wait_until(notice, lambda d: d["status"] == "failed")
    assert failed["error"] == "131026 Message undeliverable"
    assert deliveries.find_one({"provider_ref": wamid})["status"] == "failed"


def test_a_notice_outside_the_24_hour_session_goes_as_the_template(api, stack, graph):
    sender = number()
    send_text(api, sender, sent_at=time.time() - 25 * 3600)  # came in after a day's delay
    [receipt] = answers(graph, sender)
    assert receipt["type"] == "template"
    template = receipt["template"]
    assert template["name"] == "aduan_pemberitahuan" and template["language"] == {"code": "id"}
    ticket = ticket_in(text_of(receipt))
    assert "\n" not in text_of(receipt)

    # The resident writes again: the next notice is a session message.
    api.wait_status(ticket, "awaiting_review")
    send_text(api, sender, f"{ticket} lubangnya di depan gerbang sekolah, lebar satu meter")
    ack = answers(graph, sender, count=2)[-1]
    assert ack["type"] == "text"
    assert f"keterangan tambahan untuk pengaduan {ticket}" in ack["text"]["body"]


def test_a_flooding_sender_is_throttled_like_an_sms_sender(api, stack, graph):
    sender = number()
    limit = int(stack.env["ADUAN_THROTTLE_LIMIT"])
    sent = [meta.message(sender, "text", {"body": "tes"}) for _ in range(limit)]
    for message in sent:
        assert post(api, meta.payload([message])).status_code == 200
    refused = post(api, meta.payload([meta.message(sender, "text", {"body": "tes"})]))
    assert refused.status_code == 429
    assert refused.json()["error"] == "too_many_requests"
    assert int(refused.headers["Retry-After"]) > 0
    # Meta retrying a message already taken is not a new message.
    assert post(api, meta.payload([sent[0]])).status_code == 200
    refusals = answers(graph, sender, count=limit)
    assert all(text_of(r).startswith("Terima kasih. Pesan ini belum dapat") for r in refusals)
    assert complaints_from(stack, sender) == []


def test_the_result_goes_by_whatsapp_and_a_rating_reply_closes_the_complaint(api, stack, graph):
    sender = number()
    send_text(api, sender)
    ticket = ticket_in(text_of(answers(graph, sender)[0]))
    api.wait_status(ticket, "awaiting_review")
    api.classify_and_forward(ticket, "infrastruktur_fasum", ["dpu"])
    api.resolve_through(ticket, "dpu-admin", "Lubang sudah ditambal petugas pada 3 Maret.")
    result = text_of(answers(graph, sender, count=3)[-1])
    assert "Lubang sudah ditambal" in result and "NILAI 5" in result
    assert any("Dinas Pekerjaan Umum" in text_of(m) for m in graph.sent_to(sender))

    send_text(api, sender, "nilai 5 cepat sekali, terima kasih")
    thanks = text_of(answers(graph, sender, count=4)[-1])
    assert thanks.startswith(f"Pengaduan {ticket}:")
    view = api.wait_status(ticket, "closed")
    assert view["status"] == "closed"
    rating = api.track(ticket, "officer1").json()["rating"]
    assert (rating["rating"], rating["channel"]) == (5, "whatsapp")
    assert rating["comment"] == "cepat sekali, terima kasih"
    # Nothing of the resident's number reached the read model.
    db = stack.database("reporting")
    dumped = str([list(db[name].find()) for name in db.list_collection_names()])
    assert sender[2:] not in dumped


def test_a_receipt_the_api_refused_at_first_is_sent_once_later(api, stack, graph):
    sender = number()
    graph.fail_next(3)
    send_text(api, sender)
    [receipt] = answers(graph, sender, timeout=40)
    ticket = ticket_in(text_of(receipt))
    delivery = wait_for(
        lambda: stack.database("whatsapp").deliveries.find_one(
            {"ticket": ticket, "status": "delivered"}
        ),
        20,
        "the delivery record",
    )
    assert delivery["attempts"] >= 2 and delivery["provider_ref"] == receipt["_id"]
    assert [entry["result"] for entry in delivery["log"]][-1] == "delivered"
    time.sleep(2)
    assert len(graph.sent_to(sender)) == 1
