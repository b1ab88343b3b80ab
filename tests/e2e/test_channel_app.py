"""The SapaMbakIta app: a complaint with photos, and the reporter's notices (receipt,
forwarding, a question, the result) read in the app through the secret link, which is
the only way an anonymous reporter hears back."""

import hashlib
import json

import httpx
import pytest

from tests.support.api import Api, complaint

pytestmark = pytest.mark.e2e

PNG_PHOTO = b"\x89PNG\r\n\x1a\n" + b"2" * 3_000


@pytest.fixture(scope="module")
def api(stack):
    return Api(stack.url)


def submit_with_photo(api: Api, body: dict, photo=("jalan.png", PNG_PHOTO, "image/png")):
    return api.http.post(
        "/api/v1/complaints",
        data={"complaint": json.dumps(body)},
        files=[("attachments", photo)],
        headers={"Idempotency-Key": "app-" + hashlib.sha256(body["title"].encode()).hexdigest()},
    )


def test_an_anonymous_app_complaint_with_a_photo_hears_back_only_through_its_link(api):
    body = complaint(reporter={"anonymous": True}, title="Jalan amblas di Jalan Setiabudi")
    submitted = submit_with_photo(api, body)
    assert submitted.status_code == 202, submitted.text
    receipt = submitted.json()
    ticket, link = receipt["ticket"], receipt["notifications_url"]
    # A retry of the same upload is the same complaint.
    assert submit_with_photo(api, body).json()["ticket"] == ticket

    view = api.wait_status(ticket, "awaiting_review")
    assert view["title"] == body["title"] and "attachments" not in view
    [photo] = api.track(ticket, "officer1").json()["attachments"]
    assert (photo["content_type"], photo["size"]) == ("image/png", len(PNG_PHOTO))

    api.classify_and_forward(ticket, "infrastruktur_fasum", ["dpu"])
    question = {"question": "Mohon kirim titik lokasi yang lebih tepat (dekat nomor rumah)"}
    asked = api.act("dpu-admin", ticket, "request-info", question)
    assert asked.status_code == 200, asked.text
    assert api.act("dpu-admin", ticket, "resume", {}).status_code == 200
    api.resolve_through(ticket, "dpu-admin", "Jalan sudah diurug dan diaspal ulang")

    notices = api.wait_until(
        lambda: httpx.get(link).json()["notifications"], lambda found: len(found) == 4
    )
    assert [n["about"] for n in notices] == ["received", "forwarded", "info_requested", "resolved"]
    assert "titik lokasi yang lebih tepat" in notices[2]["message"]
    assert "diaspal ulang" in notices[3]["message"]
    staff = api.http.get(
        f"/api/v1/complaints/{ticket}/notifications", headers=api.login("supervisor1")
    ).json()["notifications"]
    assert {n["to"] for n in staff} == {"tracking link"}
    assert httpx.get(link.replace("token=", "token=x")).status_code == 404


def test_a_photo_that_is_not_a_photo_is_refused(api, stack):
    body = complaint(title="Foto palsu untuk pengaduan")
    refused = submit_with_photo(api, body, ("foto.jpg", b"<html>not a photo</html>", "image/jpeg"))
    assert refused.status_code == 415
    assert refused.json()["error"] == "unsupported_media_type"
    assert stack.database("intake").complaints.find_one({"title": body["title"]}) is None


def test_a_question_needs_words(api):
    submitted = api.submit(complaint())
    ticket = submitted.json()["ticket"]
    api.wait_status(ticket, "awaiting_review")
    refused = api.act("officer1", ticket, "request-info", {"question": ""})
    assert refused.status_code == 422 and refused.json()["field"] == "question"


def test_the_app_reporter_answers_a_question_with_the_secret_link(api):
    submitted = api.submit(complaint()).json()
    ticket = submitted["ticket"]
    token = submitted["notifications_url"].split("token=")[1]
    api.wait_status(ticket, "awaiting_review")
    assert (
        api.act(
            "officer1", ticket, "request-info", {"question": "Kirim foto lokasi ya"}
        ).status_code
        == 200
    )
    url = f"/api/v1/complaints/{ticket}/replies"
    wrong = api.http.post(url, params={"token": "guess"}, json={"text": "ini jawaban saya"})
    assert wrong.status_code == 404
    empty = api.http.post(url, params={"token": token}, json={"text": ""})
    assert empty.status_code == 422 and empty.json()["field"] == "text"
    answered = api.http.post(
        url, params={"token": token}, json={"text": "Lokasinya di RT 04, dekat masjid"}
    )
    assert answered.status_code == 202
    view = api.wait_until(
        lambda: api.track(ticket, "officer1").json(), lambda v: len(v.get("replies", [])) == 1
    )
    assert view["replies"][0]["text"] == "Lokasinya di RT 04, dekat masjid"
