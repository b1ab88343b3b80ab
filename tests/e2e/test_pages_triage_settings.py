"""The supervisors' triage settings in a real browser against the running system: the
routing table (a rule added ahead of the others is the table triage now uses; a table
the triage service refuses is said beside its row and changes nothing) and the
automatic rejections (switched on and off). Each test puts the settings back as it
found them: the other tests share this system. axe-core checks every page; screenshots
go to artifacts/screenshots/."""

import pytest
from playwright.sync_api import expect

from tests.support.api import Api
from tests.support.browser import check_page, sign_in, staff_page

pytestmark = pytest.mark.e2e

ROUTING = "/pengawas/rute"
AUTO_REJECT = "/pengawas/penolakan-otomatis"


def table_of(api: Api) -> dict:
    return api.http.get("/api/v1/triage/routing", headers=api.login("supervisor1")).json()


def put_back(api: Api, path: str, body: dict) -> None:
    answer = api.http.put(path, json=body, headers=api.login("supervisor1"))
    assert answer.status_code == 200, answer.text


def test_a_supervisor_adds_a_routing_rule_ahead_of_the_others(stack, browser):
    api = Api(stack.url)
    before = table_of(api)
    original = {k: before[k] for k in ("rules", "institutions", "agencies_named")}
    try:
        supervisor = staff_page(browser)
        sign_in(supervisor, stack.url, "supervisor1", "/kerja")
        supervisor.get_by_role("link", name="Tabel rute").click()
        supervisor.wait_for_url(stack.url + ROUTING)
        rows = supervisor.locator("#aturan tbody tr")
        expect(rows).to_have_count(len(before["rules"]) + 3)
        first = before["rules"][0]
        expect(supervisor.get_by_label("Kategori aturan 1", exact=True)).to_have_value(
            first["category"]
        )
        expect(supervisor.get_by_label("Perangkat daerah aturan 1", exact=True)).to_have_value(
            first["agency"]
        )
        check_page(supervisor, "pengawas-rute")

        new = len(before["rules"]) + 1  # the first blank row
        supervisor.get_by_label(f"Urutan aturan {new}", exact=True).fill("0")
        supervisor.get_by_label(f"Kategori aturan {new}", exact=True).select_option(
            "infrastruktur_fasum"
        )
        supervisor.get_by_label(f"Kata-kata aturan {new}", exact=True).fill(
            "Jembatan Gantung, titian"
        )
        supervisor.get_by_label(f"Perangkat daerah aturan {new}", exact=True).select_option(
            "dishub"
        )
        supervisor.get_by_role("button", name="Simpan tabel rute").click()
        expect(supervisor.locator("#tersimpan")).to_contain_text(f"versi {before['version'] + 1}")
        after = table_of(api)
        assert after["version"] == before["version"] + 1
        assert after["rules"][0] == {
            "category": "infrastruktur_fasum",
            "words": ["jembatan gantung", "titian"],
            "agency": "dishub",
        }
        assert after["rules"][1:] == before["rules"]
        assert after["institutions"] == before["institutions"]
        assert after["agencies_named"] == before["agencies_named"]

        # Removing a category's last rule without words is refused beside the table,
        # with what was typed kept, and changes nothing.
        last = max(
            n
            for n, rule in enumerate(after["rules"], start=1)
            if rule["category"] == "lingkungan_perumahan"
        )
        assert after["rules"][last - 1]["words"] == []
        supervisor.get_by_label(f"Hapus aturan {last}", exact=True).check()
        supervisor.get_by_role("button", name="Simpan tabel rute").click()
        expect(supervisor.locator("#e-rute")).to_contain_text(
            "kategori Lingkungan dan perumahan memerlukan satu aturan tanpa kata-kata"
        )
        expect(supervisor.get_by_label(f"Hapus aturan {last}", exact=True)).to_be_checked()
        check_page(supervisor, "pengawas-rute-ditolak")
        supervisor.get_by_label(f"Hapus aturan {last}", exact=True).uncheck()
        supervisor.get_by_label("Perangkat daerah aturan 2", exact=True).select_option("")
        supervisor.get_by_role("button", name="Simpan tabel rute").click()
        expect(supervisor.locator("#e-rute")).to_have_text(
            "Aturan nomor 2, perangkat daerah: wajib diisi."
        )
        expect(supervisor.get_by_label("Perangkat daerah aturan 2", exact=True)).to_have_attribute(
            "aria-invalid", "true"
        )
        assert table_of(api) == after
    finally:
        put_back(api, "/api/v1/triage/routing", original)


def test_a_supervisor_switches_an_automatic_rejection_on_and_off(stack, browser):
    api = Api(stack.url)
    headers = api.login("supervisor1")
    before = api.http.get("/api/v1/triage/auto-reject", headers=headers).json()
    try:
        supervisor = staff_page(browser)
        sign_in(supervisor, stack.url, "supervisor1", "/kerja")
        supervisor.get_by_role("link", name="Penolakan otomatis").click()
        supervisor.wait_for_url(stack.url + AUTO_REJECT)
        advertising = supervisor.get_by_label(before["reasons"]["advertising"])
        expect(advertising).not_to_be_checked()
        check_page(supervisor, "pengawas-penolakan-otomatis")
        advertising.check()
        supervisor.get_by_role("button", name="Simpan").click()
        expect(supervisor.locator("#tersimpan")).to_be_visible()
        flags = api.http.get("/api/v1/triage/auto-reject", headers=headers).json()["flags"]
        assert flags == sorted({*before["flags"], "advertising"})
        expect(advertising).to_be_checked()
        advertising.uncheck()
        supervisor.get_by_role("button", name="Simpan").click()
        expect(supervisor.locator("#tersimpan")).to_be_visible()
        flags = api.http.get("/api/v1/triage/auto-reject", headers=headers).json()["flags"]
        assert flags == before["flags"]
    finally:
        put_back(api, "/api/v1/triage/auto-reject", {"flags": before["flags"]})
