"""Triage's suggestions through the gateway: a complaint arrives at the officer's
worklist with category, agency, urgency and the words behind them; the officer's final
choice is recorded against the suggestion; supervisors edit the routing table and
switch automatic rejection on."""

import uuid

import httpx
import pytest

from tests.support.api import Api, complaint

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def api(stack):
    return Api(stack.url)


def test_an_urgent_complaint_reaches_the_worklist_first_with_its_suggestions(api, stack):
    # A word only these two complaints hold: the session's other tests leave more than a
    # page of complaints in the officers' queue, urgent ones among them.
    marker = f"uji{uuid.uuid4().hex[:8]}"
    ordinary = complaint(title="Saluran air tersumbat di Jalan Ngesrep")
    ordinary["description"] = f"Saluran air di depan toko tersumbat sampah ({marker})."
    ordinary = api.submit(ordinary).json()["ticket"]
    body = complaint(
        title="Pohon tumbang di Jalan Ngesrep",
        description="Pohon besar tumbang menimpa dua rumah warga dan menutup jalan, mohon "
        f"segera ({marker}).",
    )
    urgent = api.submit(body).json()["ticket"]
    api.wait_status(urgent, "awaiting_review")
    api.wait_status(ordinary, "awaiting_review")

    officer = api.login("officer1")
    items = api.http.get("/api/v1/worklist", params={"q": marker}, headers=officer).json()["items"]
    assert len(items) == 2
    tickets = [item["ticket"] for item in items]
    assert tickets.index(urgent) < tickets.index(ordinary)
    [item] = [i for i in items if i["ticket"] == urgent]
    assert item["urgent"] is True and item["category"] == "lingkungan_perumahan"

    review = api.http.get(f"/api/v1/complaints/{urgent}/review", headers=api.login("officer1"))
    assert review.status_code == 200, review.text
    suggestion = review.json()["suggestion"]
    assert suggestion["category"] == "lingkungan_perumahan" and suggestion["agency"] == "dlh"
    assert suggestion["category_words"] and "tumbang" in suggestion["urgent_words"]
    assert api.http.get(f"/api/v1/complaints/{urgent}/review").status_code == 401

    body = {"category": "lingkungan_perumahan", "scope": "single_agency", "agencies": ["dpu"]}
    classified = api.act("officer1", urgent, "classify", body)
    assert classified.json()["agreed"] == {"category": True, "agency": False, "scope": True}
    decisions = api.http.get(
        f"/api/v1/complaints/{urgent}/review", headers=api.login("officer1")
    ).json()["decisions"]
    assert decisions[-1]["agreed"]["category"] is True
    metrics = httpx.get(f"http://127.0.0.1:{stack.metrics_ports['triage']}/metrics").text
    assert 'aduan_triage_suggestions_total{field="agency",outcome="changed"}' in metrics


def test_supervisors_edit_routing_and_turn_on_automatic_rejection(api):
    table = api.http.get("/api/v1/triage/routing", headers=api.login("officer1")).json()
    table["rules"].insert(
        0, {"category": "infrastruktur_fasum", "words": ["jembatan"], "agency": "kec-{kecamatan}"}
    )
    refused = api.http.put("/api/v1/triage/routing", json=table, headers=api.login("officer1"))
    assert refused.status_code == 403
    saved = api.http.put("/api/v1/triage/routing", json=table, headers=api.login("supervisor1"))
    assert saved.status_code == 200, saved.text
    assert saved.json()["version"] == table["version"] + 1
    broken = {**table, "rules": [{"category": "jalan", "words": [], "agency": "dpu"}]}
    bad = api.http.put("/api/v1/triage/routing", json=broken, headers=api.login("supervisor1"))
    assert bad.status_code == 422 and bad.json()["field"] == "rules[0].category"

    switches = {"flags": ["advertising"]}
    put = api.http.put(
        "/api/v1/triage/auto-reject", json=switches, headers=api.login("supervisor1")
    )
    assert put.status_code == 200 and put.json()["flags"] == ["advertising"]
    try:
        spam = complaint(
            title="PROMO pinjaman dana cepat",
            description="Pinjaman dana cair cepat tanpa jaminan, klik wa.me/6281234500000 promo!",
        )
        ticket = api.submit(spam).json()["ticket"]
        view = api.wait_status(ticket, "rejected")
        assert any("iklan" in (e["note"] or "") for e in view["timeline"])
        bridge = complaint(
            title="Jembatan kayu lapuk",
            description="Jembatan kayu di kampung kami lapuk dan miring, anak sekolah takut lewat.",
        )
        bridge_ticket = api.submit(bridge).json()["ticket"]
        api.wait_status(bridge_ticket, "awaiting_review")
        review = api.http.get(
            f"/api/v1/complaints/{bridge_ticket}/review", headers=api.login("officer1")
        ).json()
        assert review["suggestion"]["agency"] == "kec-tembalang"
    finally:
        api.http.put(
            "/api/v1/triage/auto-reject", json={"flags": []}, headers=api.login("supervisor1")
        )
