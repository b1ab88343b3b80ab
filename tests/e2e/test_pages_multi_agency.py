"""The parts of a multi-agency case on the staff pages, in a real browser: the admin
moves one agency's task to another agency with the form beside it; the lead's liaison
closes another task and sees its own steps; the other agency's liaison accepts and
resolves its own part from its page; axe-core checks each page."""

import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.test_pages_staff import reload_until
from tests.support.api import Api, complaint
from tests.support.browser import check_page, sign_in, staff_page

pytestmark = pytest.mark.e2e


def parts_of(view: dict) -> dict[str, str]:
    return {t["agency"]: t["status"] for t in view["tasks"]}


def cross_agency(api: Api) -> str:
    title = f"Banjir dan jalan rusak di Jalan Majapahit {uuid.uuid4().hex[:6]}"
    ticket = api.submit(complaint(title=title)).json()["ticket"]
    api.wait_status(ticket, "awaiting_review")
    body = {
        "category": "infrastruktur_fasum",
        "scope": "cross_agency",
        "agencies": ["dpu", "dlh", "dishub"],
    }
    assert api.act("officer1", ticket, "classify", body).status_code == 200
    api.wait_status(ticket, "classified")
    assert api.act("admin1", ticket, "forward", {"lead": "dpu"}).status_code == 200
    api.wait_for(ticket, lambda v: len(v["tasks"]) == 3)
    return ticket


def test_the_parts_of_a_cross_agency_complaint_are_worked_on_the_pages(stack, browser):
    api = Api(stack.url)
    ticket = cross_agency(api)
    path = f"/kerja/{ticket}"

    admin = staff_page(browser)
    sign_in(admin, stack.url, "admin1", path)
    expect(admin.locator("#bagian-tugas")).to_contain_text("koordinator")
    part = admin.locator("#bagian-dishub")
    part.locator("summary").click()
    part.get_by_label("Perangkat daerah baru").select_option("satpolpp")
    part.get_by_label("Alasan").fill("Penertiban pedagang yang menutup saluran air")
    part.get_by_role("button", name="Alihkan").click()
    expect(admin.locator("#berhasil")).to_be_visible()
    api.wait_for(ticket, lambda v: "satpolpp" in [t["agency"] for t in v["tasks"]])
    check_page(admin, "multi-agency-admin")
    admin.context.close()

    lead = staff_page(browser)
    sign_in(lead, stack.url, "dpu-admin", path)
    # The lead closes Satpol PP's part (DPU did it) and accepts its own.
    reload_until(lead, "Satuan Polisi Pamong Praja")
    closing = lead.locator("#bagian-satpolpp")
    closing.locator("summary").click()
    closing.get_by_label("Alasan (misalnya sudah dikerjakan koordinator)").fill(
        "Saluran sudah dibuka oleh tim DPU sendiri"
    )
    closing.get_by_role("button", name="Tutup bagian").click()
    expect(lead.locator("#berhasil")).to_be_visible()
    lead.get_by_role("button", name="Terima pengaduan").click()
    expect(lead.locator("#berhasil")).to_be_visible()
    check_page(lead, "multi-agency-lead")
    lead.context.close()

    other = staff_page(browser)
    sign_in(other, stack.url, "dlh-admin", path)
    # DLH's own part: accepted and resolved from its page, while DPU's goes on.
    other.get_by_role("button", name="Terima pengaduan").click()
    expect(other.locator("#berhasil")).to_be_visible()
    api.wait_for(ticket, lambda v: parts_of(v)["dlh"] == "accepted")
    other.reload()
    other.get_by_label("Tindak lanjut").fill("Sampah di saluran sudah diangkut DLH")
    other.get_by_role("button", name="Simpan tindak lanjut").click()
    expect(other.locator("#berhasil")).to_be_visible()
    view = api.wait_for(ticket, lambda v: parts_of(v)["dlh"] == "resolved")
    assert view["status"] == "accepted"
    assert parts_of(view) == {
        "dpu": "accepted",
        "dlh": "resolved",
        "satpolpp": "closed",
    }
    check_page(other, "multi-agency-other-agency")
    other.context.close()
