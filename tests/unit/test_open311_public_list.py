"""The reporting service's public list, which Open311's GET requests reads: checked
filters, an indexed query of one clause per filter, and each complaint as the public
may see it (never the reporter; a confidential one without its text or place)."""

from datetime import UTC, datetime, timedelta

import pytest

from services.contracts.errors import CommandRejected
from services.intake import core as intake
from services.reporting import core, public_list

T0 = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
TICKET = "SMG-2026-000321"


def event(n: int, kind: str, data: dict) -> dict:
    at = (T0 + timedelta(hours=n)).isoformat()
    envelope = {"event_id": f"e{n}", "type": kind, "version": 1, "occurred_at": at}
    return envelope | {"ticket": TICKET, "data": data}


def view(confidential: bool, *later: dict) -> dict:
    received = {
        "channel": "open311",
        "received_at": T0.isoformat(),
        "title": "Lampu jalan mati",
        "description": "Lampu jalan mati sejak seminggu di depan masjid",
        "location": {"kecamatan": "Genuk", "address": "Jl. Woltermonginsidi", "lat": -6.95},
        "category_hint": "penerangan_transportasi",
        "anonymous": False,
        "confidential": confidential,
        "media": ["https://contoh.id/lampu.jpg"],
    }
    folded = None
    for e in [event(0, "complaint.received", received), *later]:
        folded, _ = core.record(folded, TICKET, e)
    return folded


RESOLVED = [
    event(1, "complaint.triaged", {"suggested_category": None, "matched_keywords": []}),
    event(
        2,
        "complaint.classified",
        {"category": "penerangan_transportasi", "scope": "single_agency", "agencies": ["dishub"]}
        | {"officer": "o"},
    ),
    event(3, "complaint.forwarded", {"agency": "dishub", "admin": "a"}),
    event(4, "complaint.accepted", {"agency": "dishub", "by": "x"}),
    event(5, "complaint.resolved", {"agency": "dishub", "follow_up": "Lampu diganti", "by": "x"}),
    event(6, "reporter.notified", {"channel": "open311", "about": "resolved", "message": "..."}),
]


def test_an_item_is_the_public_view_with_its_last_change_and_place():
    item = public_list.public_item(view(False, *RESOLVED))
    assert item["status"] == "resolved" and "timeline" not in item
    # The last change of status, not the notice after it.
    assert item["updated_at"] == (T0 + timedelta(hours=5)).astimezone(core.JAKARTA).isoformat()
    assert item["status_note"] == "Tindak lanjut: Lampu diganti"
    assert item["location"] == {
        "kecamatan": "Genuk",
        "address": "Jl. Woltermonginsidi",
        "lat": -6.95,
    }
    assert item["public_category"] == "penerangan_transportasi"
    unclassified = public_list.public_item(view(False))
    assert unclassified["public_category"] == "penerangan_transportasi"  # the reporter's
    assert item["media"] == ["https://contoh.id/lampu.jpg"]


def test_a_confidential_item_has_no_text_no_place_but_its_kecamatan_and_no_media():
    item = public_list.public_item(view(True))
    assert (item["title"], item["description"], item["media"]) == (None, None, [])
    assert item["location"] == {"kecamatan": "Genuk"}
    assert item["updated_at"] == item["received_at"]


def test_the_query_is_one_indexed_clause_per_filter():
    query = public_list.public_query(
        None,
        ["penegakan_perda"],
        ["resolved", "closed"],
        "2026-09-01T00:00:00+07:00",
        "2026-11-30T00:00:00+00:00",
        1000,
    )
    assert public_list.mongo_filter(query) == {
        "received_at": {"$gte": query.start, "$lte": query.end},
        "status": {"$in": ["resolved", "closed"]},
        "public_category": {"$in": ["penegakan_perda"]},
    }
    by_id = public_list.public_query([TICKET], None, None, T0.isoformat(), T0.isoformat(), 1)
    assert public_list.mongo_filter(by_id) == {"_id": {"$in": [TICKET]}}


@pytest.mark.parametrize(
    "args",
    [
        (["SMG-1"], None, None, "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", 10),
        (None, ["graffiti"], None, "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", 10),
        (None, None, ["open"], "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", 10),
        (None, None, [{"$ne": 1}], "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", 10),
        (None, None, None, "2026-01-01T00:00:00", "2026-01-02T00:00:00Z", 10),
        (None, None, None, "2026-01-01T00:00:00Z", {"$gt": ""}, 10),
        (None, None, None, "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", 1001),
        (None, None, [], "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", 10),
    ],
)
def test_a_bad_filter_is_refused(args):
    with pytest.raises(CommandRejected):
        public_list.public_query(*args)


def test_the_month_counts_every_channel():
    counts = core.channel_counts([("open311", 3), ("sms", 2), (None, 1)])
    assert counts["open311"] == 3 and counts["sms"] == 2 and counts["surat"] == 0


def test_an_open311_complaint_gets_its_title_and_kecamatan_from_its_text():
    body = {
        "reporter": {"anonymous": True, "confidential": False},
        "description": "Lampu jalan mati sejak seminggu. Gelap sekali di malam hari.",
        "location": {"lat": -6.95, "lon": 110.47, "address": "Jl. Woltermonginsidi, Genuk"},
        "category": "penerangan_transportasi",
    }
    submission = intake.parse_submission("open311", body)
    assert submission.title == "Lampu jalan mati sejak seminggu."
    assert submission.location["kecamatan"] == "Genuk"
    assert submission.reporter.anonymous
    nowhere = body | {"location": {"lat": -6.95, "lon": 110.47}}
    assert "kecamatan" not in intake.parse_submission("open311", nowhere).location
    with pytest.raises(CommandRejected) as refused:
        intake.parse_submission("open311", body | {"description": "pendek"})
    assert refused.value.field == "description"


def test_an_open311_reporter_with_a_name_needs_a_way_to_be_answered():
    body = {
        "reporter": {"name": "Siti", "anonymous": False, "confidential": False},
        "description": "Lampu jalan mati sejak seminggu di depan masjid.",
        "location": {"address": "Jl. Woltermonginsidi"},
    }
    with pytest.raises(CommandRejected) as refused:
        intake.parse_submission("open311", body)
    assert refused.value.field == "reporter.phone"
