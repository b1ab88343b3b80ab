"""The SMS channel end to end: the SMS gateway's webhook in, replies out through the
provider (a local stand-in), with signatures, duplicates, parts, throttling, provider
failures and the adapter stopped and restarted."""

import json
import time

import pytest

from gateway.signature import sign
from tests.conftest import SMS_SECRET
from tests.support.api import Api, complaint, new_phone, ticket_in
from tests.support.processes import wait_for

pytestmark = pytest.mark.e2e

TEXT = (
    "Lampu PJU di jalan Ngesrep Tembalang mati sudah 2 minggu, gelap dan rawan. Mohon diperbaiki."
)


@pytest.fixture(scope="module")
def api(stack):
    return Api(stack.url)


def sms(message_id: str, sender: str, text: str = TEXT, **extra) -> dict:
    return {"message_id": message_id, "from": sender, "text": text, **extra}


def international(phone: str) -> str:
    return "+62" + phone[1:]


def replies_to(providers, phone: str, timeout: float = 30, count: int = 1) -> list[dict]:
    sms_provider = providers["sms"]
    wait_for(
        lambda: (
            len([m for m in sms_provider.messages() if m["to"] == international(phone)]) >= count
        ),
        timeout,
        f"{count} SMS to {phone}",
    )
    return [m for m in sms_provider.messages() if m["to"] == international(phone)]


def complaints_from(stack, phone: str) -> list[dict]:
    return list(stack.database("intake").complaints.find({"reporter.phone": international(phone)}))


def test_an_sms_complaint_flows_to_closed_with_receipt_and_result_by_sms(api, stack, providers):
    phone = new_phone()
    accepted = api.webhook("sms/messages", sms(f"m-{phone}", phone), SMS_SECRET)
    assert accepted.status_code == 202, accepted.text

    [receipt] = replies_to(providers, phone)
    ticket = ticket_in(receipt["text"])
    assert "diterima" in receipt["text"] and len(receipt["text"]) <= 160
    view = api.wait_status(ticket, "awaiting_review")
    assert view["kecamatan"] == "Tembalang"

    api.classify_and_forward(ticket, "penerangan_transportasi", ["dpu"])
    api.resolve_through(ticket, "dpu-admin", "Lampu PJU sudah diganti petugas pada 3 Maret")

    texts = [m["text"] for m in replies_to(providers, phone, count=3)]
    assert any("diteruskan ke Dinas Pekerjaan Umum" in t for t in texts)
    assert any("selesai ditindaklanjuti: Lampu PJU sudah diganti" in t for t in texts)
    assert all(len(t) <= 160 and t.isascii() for t in texts)

    # Every notice is recorded with whom it went to (staff read the number masked) and
    # whether it was delivered.
    notices = api.wait_until(
        lambda: api.http.get(
            f"/api/v1/complaints/{ticket}/notifications", headers=api.login("officer1")
        ).json()["notifications"],
        lambda found: (
            len(found) == 3 and all(n["delivery"]["status"] == "delivered" for n in found)
        ),
    )
    assert [n["about"] for n in notices] == ["received", "forwarded", "resolved"]
    assert {n["to"] for n in notices} == {f"+62 ••• ••• {phone[-4:]}"}


@pytest.mark.parametrize(
    "signing",
    ["unsigned", "wrong secret", "stale timestamp", "body changed"],
)
def test_a_forged_or_missing_signature_is_refused_and_nothing_is_stored(api, stack, signing):
    phone = new_phone()
    body = sms(f"forged-{phone}", phone)
    if signing == "unsigned":
        response = api.webhook("sms/messages", body, None)
    elif signing == "wrong secret":
        response = api.webhook("sms/messages", body, "guessed-secret")
    elif signing == "stale timestamp":
        response = api.webhook("sms/messages", body, SMS_SECRET, timestamp=time.time() - 3600)
    else:  # signed one body, sent another
        stamp = str(int(time.time()))
        signature = sign(SMS_SECRET, stamp, json.dumps(body).encode())
        tampered = json.dumps(body | {"text": "Pesan yang diubah di tengah jalan oleh pihak lain"})
        response = api.http.post(
            "/api/v1/channels/sms/messages",
            content=tampered,
            headers={"X-Aduan-Timestamp": stamp, "X-Aduan-Signature": signature},
        )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_signature"
    time.sleep(2)
    assert complaints_from(stack, phone) == []
    assert stack.database("sms").conversations.find_one({"sender": international(phone)}) is None


def test_the_same_sms_delivered_three_times_is_one_complaint(api, stack, providers):
    phone = new_phone()
    now = int(time.time())
    for stamp in (now, now - 1, now - 2):  # each redelivery is a request signed anew
        body = sms(f"dup-{phone}", phone)
        response = api.webhook("sms/messages", body, SMS_SECRET, timestamp=stamp)
        assert response.status_code == 202
    [receipt] = replies_to(providers, phone)
    time.sleep(2)  # any second complaint would have been answered by now
    assert len(complaints_from(stack, phone)) == 1
    assert len(replies_to(providers, phone)) == 1
    assert complaints_from(stack, phone)[0]["ticket"] == ticket_in(receipt["text"])


def test_a_signed_request_replayed_unchanged_is_refused_and_queues_nothing(api, stack, providers):
    phone = new_phone()
    raw = json.dumps(sms(f"replay-{phone}", phone)).encode()
    stamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "X-Aduan-Timestamp": stamp,
        "X-Aduan-Signature": sign(SMS_SECRET, stamp, raw),
    }
    first = api.http.post("/api/v1/channels/sms/messages", content=raw, headers=headers)
    assert first.status_code == 202, first.text
    for _ in range(3):
        again = api.http.post("/api/v1/channels/sms/messages", content=raw, headers=headers)
        assert again.status_code == 409, again.text
        assert again.json()["error"] == "replayed_request"
    [receipt] = replies_to(providers, phone)
    time.sleep(2)
    assert [c["ticket"] for c in complaints_from(stack, phone)] == [ticket_in(receipt["text"])]


def test_the_same_number_sending_the_same_text_again_is_one_complaint(api, stack, providers):
    phone = new_phone()
    assert api.webhook("sms/messages", sms(f"first-{phone}", phone), SMS_SECRET).status_code == 202
    [receipt] = replies_to(providers, phone)
    again = sms(f"again-{phone}", phone, text="  " + TEXT.upper())
    assert api.webhook("sms/messages", again, SMS_SECRET).status_code == 202
    time.sleep(3)
    [complaint_doc] = complaints_from(stack, phone)
    assert complaint_doc["ticket"] == ticket_in(receipt["text"])


def test_a_long_sms_in_parts_is_joined_into_one_complaint(api, stack, providers):
    phone = new_phone()
    parts = [
        "Saluran air di Jalan Pedurungan Kidul mampet ",
        "sejak hujan minggu lalu, air meluap ke rumah warga ",
        "dan jalan tergenang setinggi lutut. Mohon segera dikeruk.",
    ]
    for index in (3, 1, 2):  # parts arrive in any order
        body = sms(
            f"part-{phone}-{index}",
            phone,
            parts[index - 1],
            part={"ref": "77", "index": index, "total": 3},
        )
        assert api.webhook("sms/messages", body, SMS_SECRET).status_code == 202
    [receipt] = replies_to(providers, phone)
    [recorded] = complaints_from(stack, phone)
    assert recorded["description"] == "".join(parts).strip()
    assert recorded["location"] == {"kecamatan": "Pedurungan"}
    assert recorded["ticket"] == ticket_in(receipt["text"])


def test_a_reply_the_provider_refused_at_first_is_delivered_once_later(api, stack, providers):
    phone = new_phone()
    providers["sms"].fail_next(3)
    assert api.webhook("sms/messages", sms(f"flaky-{phone}", phone), SMS_SECRET).status_code == 202
    [receipt] = replies_to(providers, phone, timeout=40)
    ticket = ticket_in(receipt["text"])
    delivery = wait_for(
        lambda: stack.database("sms").deliveries.find_one(
            {"ticket": ticket, "status": "delivered"}
        ),
        20,
        "delivery record",
    )
    assert delivery["attempts"] >= 2
    assert [entry["result"] for entry in delivery["log"]][-1] == "delivered"
    time.sleep(2)
    assert len(replies_to(providers, phone)) == 1


def test_a_flooding_sender_is_throttled_with_a_clear_answer(api, stack, providers):
    phone = new_phone()
    limit = int(stack.env["ADUAN_THROTTLE_LIMIT"])
    for n in range(limit):
        body = sms(f"flood-{phone}-{n}", phone, "tes")  # too short to be a complaint
        assert api.webhook("sms/messages", body, SMS_SECRET).status_code == 202
    refused = api.webhook("sms/messages", sms(f"flood-{phone}-x", phone, "tes"), SMS_SECRET)
    assert refused.status_code == 429
    assert refused.json()["error"] == "too_many_requests"
    assert int(refused.headers["Retry-After"]) > 0
    # A redelivery of a message already taken is not a new message.
    # (The provider signs a redelivery anew: a later timestamp.)
    redelivery = sms(f"flood-{phone}-0", phone, "tes")
    again = api.webhook("sms/messages", redelivery, SMS_SECRET, timestamp=time.time() + 2)
    assert again.status_code == 202
    # Others are not affected, and the flooder was told what a complaint needs.
    other = new_phone()
    assert api.webhook("sms/messages", sms(f"m-{other}", other), SMS_SECRET).status_code == 202
    answers = replies_to(providers, phone, count=limit)
    assert all(a["text"].startswith("Pesan Anda belum dapat kami catat") for a in answers)
    assert complaints_from(stack, phone) == []


def test_sms_waits_while_its_adapter_is_stopped_and_the_app_keeps_working(api, stack, providers):
    stack.kill("sms")
    try:
        submitted = api.submit(complaint())
        assert submitted.status_code == 202
        api.wait_status(submitted.json()["ticket"], "awaiting_review")

        phone = new_phone()
        assert api.webhook("sms/messages", sms(f"w-{phone}", phone), SMS_SECRET).status_code == 202
        time.sleep(2)
        assert complaints_from(stack, phone) == []
    finally:
        stack.start("sms")
        stack.wait_service("sms")
    [receipt] = replies_to(providers, phone)
    assert ticket_in(receipt["text"]) == complaints_from(stack, phone)[0]["ticket"]


def test_a_rejected_sms_complaint_is_told_why_by_sms(api, stack, providers):
    phone = new_phone()
    assert api.webhook("sms/messages", sms(f"r-{phone}", phone), SMS_SECRET).status_code == 202
    ticket = ticket_in(replies_to(providers, phone)[0]["text"])
    api.wait_status(ticket, "awaiting_review")
    reason = "Lokasi berada di luar wilayah Kota Semarang"
    assert api.act("officer1", ticket, "reject", {"reason": reason}).status_code == 200
    answers = replies_to(providers, phone, count=2)
    assert answers[-1]["text"] == f"Pengaduan {ticket} tidak dapat diproses. Alasan: {reason}"


def test_a_question_by_sms_is_answered_by_sms_and_the_clock_runs_again(api, stack, providers):
    phone = new_phone()
    assert api.webhook("sms/messages", sms(f"q-{phone}", phone), SMS_SECRET).status_code == 202
    ticket = ticket_in(replies_to(providers, phone)[0]["text"])
    api.wait_status(ticket, "awaiting_review")
    asked = api.act(
        "officer1", ticket, "request-info", {"question": "Di depan nomor rumah berapa?"}
    )
    assert asked.status_code == 200, asked.text
    question = replies_to(providers, phone, count=2)[-1]["text"]
    assert "mohon keterangan tambahan: Di depan nomor rumah berapa?" in question

    answer = f"{ticket} di depan rumah nomor 17, dekat warung bakso"
    now = int(time.time())
    for stamp in (now, now + 1):  # delivered twice by the SMS gateway: recorded once
        body = sms(f"a-{phone}", phone, answer)
        response = api.webhook("sms/messages", body, SMS_SECRET, timestamp=stamp)
        assert response.status_code == 202
    ack = replies_to(providers, phone, count=3)[-1]["text"]
    assert ack == f"Keterangan tambahan untuk pengaduan {ticket} telah kami terima. Terima kasih."
    view = api.wait_until(
        lambda: api.track(ticket, "officer1").json(), lambda v: len(v.get("replies", [])) == 1
    )
    assert view["replies"][0]["text"] == answer
    public = api.track(ticket).json()
    assert "replies" not in public
    assert any(e["note"] == "Pelapor menyampaikan keterangan tambahan" for e in public["timeline"])
    clock = api.wait_until(
        lambda: api.http.get(
            f"/api/v1/complaints/{ticket}/sla", headers=api.login("officer1")
        ).json(),
        lambda c: c["state"] != "paused",
    )
    assert clock["state"] in ("on_track", "due_soon")
    assert len(complaints_from(stack, phone)) == 1


def test_a_ticket_named_by_another_number_is_a_new_message_not_a_reply(api, stack, providers):
    owner, stranger = new_phone(), new_phone()
    body = sms(f"o-{owner}", owner)
    assert api.webhook("sms/messages", body, SMS_SECRET).status_code == 202
    ticket = ticket_in(replies_to(providers, owner)[0]["text"])
    api.wait_status(ticket, "awaiting_review")
    text = f"{ticket} tolong batalkan saja pengaduan ini, tidak benar"
    message = sms(f"s-{stranger}", stranger, text)
    assert api.webhook("sms/messages", message, SMS_SECRET).status_code == 202
    replies_to(providers, stranger)  # answered as a message of its own
    assert not api.track(ticket, "officer1").json().get("replies")


def test_killing_the_sms_adapter_while_the_provider_is_down_loses_and_doubles_no_reply(
    api, stack, providers
):
    provider = providers["sms"]
    phones = [new_phone() for _ in range(6)]
    provider.fail_next(10_000)  # the SMS provider is down
    try:
        for phone in phones:
            body = sms(f"k-{phone}", phone)
            assert api.webhook("sms/messages", body, SMS_SECRET).status_code == 202
        deliveries = stack.database("sms").deliveries
        wanted = [international(p) for p in phones]
        wait_for(
            lambda: (
                deliveries.count_documents({"to.phone": {"$in": wanted}, "attempts": {"$gte": 1}})
                == len(phones)
            ),
            60,
            "every receipt tried at least once",
        )
        stack.kill("sms")  # SIGKILL, mid-retry
    finally:
        provider.fail_next(0)
    stack.start("sms")
    stack.wait_service("sms")
    for phone in phones:
        replies_to(providers, phone)
    time.sleep(3)  # a second copy of any of them would have arrived by now
    for phone in phones:
        assert len(replies_to(providers, phone)) == 1
        # intake's record of the notice says delivered, after more than one attempt
        notice = wait_for(
            lambda phone=phone: [
                n
                for n in complaints_from(stack, phone)[0]["notifications"]
                if n["delivery"]["status"] == "delivered"
            ],
            20,
            "the receipt recorded as delivered",
        )[0]
        assert notice["about"] == "received" and notice["delivery"]["attempts"] >= 2
    sent = stack.database("sms").deliveries.find({"to.phone": {"$in": wanted}})
    assert {d["status"] for d in sent} == {"delivered"}
