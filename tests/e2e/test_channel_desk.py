"""Walk-in (tatap_muka) and letter (surat) complaints recorded at the service desk, with
scanned pages in GridFS, and the letters written back, rendered as PDF."""

import io
import json

import pypdf
import pytest

from tests.support.api import Api, complaint
from tests.support.processes import wait_for

pytestmark = pytest.mark.e2e

PDF_SCAN = b"%PDF-1.4\n" + b"0" * 20_000 + b"\n%%EOF\n"
JPEG_PHOTO = b"\xff\xd8\xff\xe0" + b"1" * 5_000


@pytest.fixture(scope="module")
def api(stack):
    return Api(stack.url)


def letter_writer() -> dict:
    return {
        "name": "Bapak Suharto Wibowo",
        "address": "Jl. Kauman No. 12, RT 03/RW 02, Kelurahan Kauman, Semarang 50137",
    }


def record(api: Api, channel: str, body: dict, files=None, user: str = "officer1"):
    if files is None:
        return api.http.post(
            "/api/v1/desk/complaints",
            json={"channel": channel, "complaint": body},
            headers=api.login(user),
        )
    return api.http.post(
        "/api/v1/desk/complaints",
        data={"channel": channel, "complaint": json.dumps(body)},
        files=files,
        headers=api.login(user),
    )


def letters(api: Api, ticket: str, count: int) -> list[dict]:
    return api.wait_until(
        lambda: api.http.get(
            f"/api/v1/complaints/{ticket}/letters", headers=api.login("officer1")
        ).json()["letters"],
        lambda found: len(found) >= count,
        timeout=30,
    )


def pdf_text(api: Api, ticket: str, letter: dict) -> str:
    response = api.http.get(
        f"/api/v1/complaints/{ticket}/letters/{letter['id']}", headers=api.login("officer1")
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_a_letter_with_scanned_pages_gets_a_pdf_reply_letter(api, stack):
    body = complaint(reporter=letter_writer(), title="Permohonan perbaikan talud sungai")
    files = [
        ("attachments", ("halaman-1.pdf", PDF_SCAN, "application/pdf")),
        ("attachments", ("foto.jpg", JPEG_PHOTO, "image/jpeg")),
    ]
    recorded = record(api, "surat", body, files)
    assert recorded.status_code == 202, recorded.text
    ticket = recorded.json()["ticket"]

    # The scans are in intake's GridFS, for staff only, byte for byte.
    view = api.wait_status(ticket, "awaiting_review")
    assert "attachments" not in view
    staff_view = api.track(ticket, "officer1").json()
    [scan, photo] = staff_view["attachments"]
    assert (scan["filename"], scan["content_type"]) == ("halaman-1.pdf", "application/pdf")
    url = f"/api/v1/complaints/{ticket}/attachments/{scan['id']}"
    assert api.http.get(url).status_code == 401
    download = api.http.get(url, headers=api.login("officer1"))
    assert download.content == PDF_SCAN and download.headers["content-type"] == "application/pdf"
    assert stack.database("intake")["attachments.files"].count_documents({}) >= 2

    [receipt] = letters(api, ticket, 1)
    assert receipt["kind"] == "tanda_terima"
    text = pdf_text(api, ticket, receipt)
    assert "PEMERINTAH KOTA SEMARANG" in text and ticket in text
    assert "Bapak Suharto Wibowo" in text and "Jl. Kauman No. 12" in text

    api.classify_and_forward(ticket, "infrastruktur_fasum", ["dpu"])
    api.resolve_through(ticket, "dpu-admin", "Talud diperbaiki dengan bronjong sepanjang 20 meter")
    reply = letters(api, ticket, 3)[-1]
    assert reply["kind"] == "surat_jawaban" and reply["subject"] == "Jawaban atas Pengaduan"
    text = pdf_text(api, ticket, reply)
    for expected in (ticket, "Talud diperbaiki dengan bronjong", "Jawaban atas Pengaduan"):
        assert expected in text
    # The letter is recorded as ready on the reporter's notices.
    notices = api.http.get(
        f"/api/v1/complaints/{ticket}/notifications", headers=api.login("supervisor1")
    ).json()["notifications"]
    # Staff read the addressee by name, never the postal address.
    assert notices[-1]["about"] == "resolved"
    assert notices[-1]["to"] == "Bapak Suharto Wibowo (surat ke alamat pelapor)"
    wait_for(
        lambda: (
            api.http.get(
                f"/api/v1/complaints/{ticket}/notifications", headers=api.login("supervisor1")
            ).json()["notifications"][-1]["delivery"]["status"]
            == "ready"
        ),
        20,
        "letter recorded as ready",
    )


def test_a_walk_in_complaint_gets_a_receipt_and_a_result_letter(api):
    body = complaint(reporter={"name": "Ibu Wartini", "phone": "081390001122"})
    recorded = record(api, "tatap_muka", body)
    assert recorded.status_code == 202, recorded.text
    receipt = recorded.json()
    ticket = receipt["ticket"]
    assert receipt["channel"] == "tatap_muka" and "notifications_url" in receipt
    [slip] = letters(api, ticket, 1)
    assert slip["kind"] == "tanda_terima" and ticket in pdf_text(api, ticket, slip)

    api.classify_and_forward(ticket, "infrastruktur_fasum", ["dpu"])
    api.resolve_through(ticket, "dpu-admin", "Jalan sudah ditambal aspal")
    result = letters(api, ticket, 3)[-1]
    assert "Jalan sudah ditambal aspal" in pdf_text(api, ticket, result)
    assert "Ibu Wartini" in pdf_text(api, ticket, result)


def test_a_letter_needs_the_address_the_reply_goes_to(api):
    body = complaint(reporter={"name": "Budi", "phone": "081234567890"})
    refused = record(api, "surat", body)
    assert refused.status_code == 422
    assert refused.json()["field"] == "reporter.address"


def test_only_officers_record_at_the_desk(api):
    body = complaint(reporter=letter_writer())
    assert record(api, "surat", body, user="dpu-admin").status_code == 403
    assert api.http.post("/api/v1/desk/complaints", json={}).status_code == 401
    assert record(api, "sms", body).json()["field"] == "channel"


UNSUPPORTED = "unsupported_media_type"
TOO_LARGE = b"%PDF-" + b"0" * (6 * 1024 * 1024)


@pytest.mark.parametrize(
    ("file", "status", "error"),
    [
        (
            ("virus.exe", b"MZ\x90\x00" + b"0" * 100, "application/pdf"),
            415,
            "unsupported_media_type",
        ),
        (("scan.pdf", b"GIF89a" + b"0" * 100, "image/gif"), 415, UNSUPPORTED),
        (("foto.png", JPEG_PHOTO, "image/png"), 415, UNSUPPORTED),
        (
            ("besar.pdf", TOO_LARGE, "application/pdf"),
            413,
            "body_too_large",
        ),
    ],
)
def test_oversized_or_wrong_type_attachments_are_refused_and_nothing_is_stored(
    api, stack, file, status, error
):
    title = f"Lampiran ditolak {file[0]}"
    body = complaint(reporter=letter_writer(), title=title)
    refused = record(api, "surat", body, [("attachments", file)])
    assert refused.status_code == status, refused.text
    assert refused.json()["error"] == error
    assert stack.database("intake").complaints.find_one({"title": title}) is None
