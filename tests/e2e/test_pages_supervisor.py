"""The supervisors' pages in a real browser (Chromium through Playwright) against the
running system: a supervisor adds a day off inside a complaint's deadline window on the
calendar page, follows the recomputation's progress page until it is done, and the
complaint's deadline has moved one working day later (the API's tracking and the staff
complaint page agree). The overview shows what GET /api/v1/reports/overview counts, the
oldest open complaints and the weekly digest. A new version of a policy is published
from the prefilled form, and a refused one is said beside its field. And: an officer
gets the 403 page, a calendar form without its CSRF token changes nothing, the SLA
policies are listed. axe-core checks every page; screenshots go to
artifacts/screenshots/."""

import time
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.support.api import Api, complaint
from tests.support.browser import check_page, sign_in, staff_page

pytestmark = pytest.mark.e2e

OVERVIEW = "/pengawas"
CALENDAR = "/pengawas/kalender"
POLICIES = "/pengawas/kebijakan-sla"
DAY_OFF_REASON = "Cuti bersama tambahan menurut keputusan Wali Kota"
JAKARTA = ZoneInfo("Asia/Jakarta")


def due_day(view: dict) -> date:
    """The day of a deadline (every deadline is the end of a day in Asia/Jakarta)."""
    return datetime.fromisoformat(view["deadline"]["due_at"]).astimezone(JAKARTA).date()


def days_off(api: Api, year: int) -> set[date]:
    listed = api.http.get(f"/api/v1/calendar/{year}").json()["days_off"]
    return {date.fromisoformat(d["date"]) for d in listed}


def is_working_day(api: Api, day: date) -> bool:
    return day.weekday() < 5 and day not in days_off(api, day.year)


def classified_deadline(api: Api) -> tuple[str, date]:
    """A complaint classified through the API, and its deadline as the SLA history and
    the tracking both give it (classified for one agency: five working days)."""
    ticket = api.submit(complaint()).json()["ticket"]
    api.wait_status(ticket, "awaiting_review")
    body = {"category": "infrastruktur_fasum", "scope": "single_agency", "agencies": ["dpu"]}
    assert api.act("officer1", ticket, "classify", body).status_code == 200
    api.wait_status(ticket, "classified")
    history = f"/api/v1/complaints/{ticket}/sla"
    due_at = api.http.get(history, headers=api.login("supervisor1")).json()["due_at"]
    due = datetime.fromisoformat(due_at).astimezone(JAKARTA).date()
    api.wait_for(ticket, lambda v: v.get("deadline") and due_day(v) == due)
    return ticket, due


def follow_until_done(page: Page, timeout: float = 30) -> None:
    """The progress page has no script: the supervisor clicks "Muat ulang"."""
    deadline = time.monotonic() + timeout
    while page.locator("#keadaan").inner_text() != "Selesai":
        assert time.monotonic() < deadline, f"the recomputation never finished: {page.url}"
        time.sleep(0.5)
        page.get_by_role("link", name="Muat ulang").click()
        page.wait_for_load_state()


def change_day(page: Page, day: date, kind: str, reason: str) -> None:
    page.get_by_label("Tanggal", exact=True).fill(day.isoformat())
    page.get_by_label(kind, exact=True).check()
    page.get_by_label("Alasan", exact=True).fill(reason)
    page.get_by_role("button", name="Simpan perubahan").click()


def test_a_supervisor_adds_a_day_off_and_a_deadline_moves(stack, browser):
    api = Api(stack.url)
    ticket, due = classified_deadline(api)
    # A working day inside the deadline window, after today: the last one before the
    # deadline (the deadline is several working days ahead of a complaint just received).
    day = due - timedelta(days=1)
    while not is_working_day(api, day):
        day -= timedelta(days=1)
    assert day > date.today(), f"no working day between today and the deadline {due}"
    # The deadline one working day later.
    expected = due + timedelta(days=1)
    while not is_working_day(api, expected):
        expected += timedelta(days=1)

    supervisor = staff_page(browser)
    sign_in(supervisor, stack.url, "supervisor1", CALENDAR)
    expect(supervisor.get_by_role("heading", level=1)).to_contain_text("Kalender kerja")
    check_page(supervisor, "pengawas-kalender")
    supervisor.get_by_label("Tahun", exact=True).select_option(str(day.year))
    supervisor.get_by_role("button", name="Tampilkan").click()
    supervisor.wait_for_url(f"{stack.url}{CALENDAR}?tahun={day.year}")
    expect(supervisor.locator(f'tr[data-date="{day.isoformat()}"]')).to_have_count(0)

    # A reason too short: the sla service's refusal beside the form, what was typed kept.
    change_day(supervisor, day, "Hari libur", "Cuti")
    expect(supervisor.locator("#e-hari")).to_have_text("Alasan: minimal 5 karakter.")
    expect(supervisor.get_by_label("Tanggal", exact=True)).to_have_value(day.isoformat())
    check_page(supervisor, "pengawas-kalender-ditolak")

    try:
        change_day(supervisor, day, "Hari libur", DAY_OFF_REASON)
        supervisor.wait_for_url(f"**{CALENDAR}/hitung-ulang/*")
        check_page(supervisor, "pengawas-hitung-ulang")
        follow_until_done(supervisor)
        assert int(supervisor.locator("#bergeser").inner_text()) >= 1
        assert int(supervisor.locator("#dibaca").inner_text()) >= 1

        moved = api.wait_for(ticket, lambda v: due_day(v) != due)
        assert due_day(moved) == expected
        # The staff complaint page gives the new deadline and why it moved.
        supervisor.goto(f"{stack.url}/kerja/{ticket}")
        expect(supervisor.locator("#riwayat-sla")).to_contain_text(DAY_OFF_REASON)
        # The calendar lists the day off with its reason and who set it.
        supervisor.goto(f"{stack.url}{CALENDAR}?tahun={day.year}")
        listed = supervisor.locator(f'#hari-libur tr[data-date="{day.isoformat()}"]')
        expect(listed).to_contain_text(DAY_OFF_REASON)
        expect(supervisor.locator(f'#perubahan tr[data-date="{day.isoformat()}"]')).to_contain_text(
            "supervisor1"
        )

        # Made a working day again on the same form: the deadline moves back.
        change_day(supervisor, day, "Hari kerja", "Dibatalkan: kembali hari kerja")
        supervisor.wait_for_url(f"**{CALENDAR}/hitung-ulang/*")
        follow_until_done(supervisor)
        api.wait_for(ticket, lambda v: due_day(v) == due)
    finally:
        # Whatever failed, other tests see the national calendar again.
        if day in days_off(api, day.year):
            body = {"date": day.isoformat(), "working": True, "reason": "Dibatalkan oleh tes"}
            api.http.post("/api/v1/calendar/days", json=body, headers=api.login("supervisor1"))
    assert supervisor.dialogs == []


def test_an_officer_gets_the_403_page_on_the_supervisors_pages(stack, browser):
    officer = staff_page(browser)
    sign_in(officer, stack.url, "officer1", "/kerja")
    # Nothing in the officer's staff bar leads there.
    expect(officer.get_by_role("link", name="Kalender kerja")).to_have_count(0)
    for path in (OVERVIEW, CALENDAR, POLICIES):
        answer = officer.goto(stack.url + path)
        assert answer.status == 403
        expect(officer.get_by_role("heading", level=1)).to_have_text("Akses ditolak")
    check_page(officer, "pengawas-akses-ditolak")


def test_the_overview_counts_open_complaints_by_deadline_state_and_agency(stack, browser):
    api = Api(stack.url)
    refused = api.http.get("/api/v1/reports/overview", headers=api.login("officer1"))
    assert refused.status_code == 403
    ticket = api.submit(complaint()).json()["ticket"]
    api.wait_status(ticket, "awaiting_review")
    supervisor = staff_page(browser)
    sign_in(supervisor, stack.url, "supervisor1", "/kerja")
    supervisor.get_by_role("link", name="Ringkasan", exact=True).click()
    supervisor.wait_for_url(stack.url + OVERVIEW)
    counted = api.http.get("/api/v1/reports/overview", headers=api.login("supervisor1")).json()
    assert counted["open"] >= 1
    not_forwarded = next(a for a in counted["by_agency"] if a["agency"] is None)
    assert not_forwarded["open"] >= 1
    expect(supervisor.locator("#judul-keadaan")).to_have_text(
        f"{counted['open']} pengaduan terbuka"
    )
    for state, n in counted["by_sla_state"].items():
        expect(supervisor.locator(f'#menurut-keadaan dd[data-state="{state}"]')).to_have_text(
            str(n)
        )
    row = supervisor.locator('#menurut-pd tr[data-agency=""]')
    expect(row.locator("th")).to_have_text("Belum diteruskan")
    expect(row.locator("td").first).to_have_text(str(not_forwarded["open"]))
    oldest = [item["ticket"] for item in counted["oldest"]]
    expect(supervisor.locator("#terlama a.ticket-link")).to_have_text(oldest)
    received = [item["received_at"] for item in counted["oldest"]]
    assert received == sorted(received)
    digest = api.http.get("/api/v1/sla/digest", headers=api.login("supervisor1"))
    if digest.status_code == 200:  # recorded from Monday 08:00 WIB on
        expect(supervisor.locator("#ringkasan-minggu")).to_contain_text(digest.json()["week"])
    else:
        expect(supervisor.locator("#ringkasan-minggu")).to_contain_text("belum pernah dibuat")
    check_page(supervisor, "pengawas-ringkasan")


def test_a_calendar_form_without_its_csrf_token_changes_nothing(stack, browser):
    api = Api(stack.url)
    year = date.today().year + 1
    before = api.http.get(f"/api/v1/calendar/{year}").json()
    supervisor = staff_page(browser)
    sign_in(supervisor, stack.url, "supervisor1", CALENDAR)
    form = {"date": f"{year}-06-10", "kind": "libur", "reason": "Libur tanpa token keamanan"}
    for posted in (form, form | {"csrf_token": "forged.token.value"}):
        refused = supervisor.request.post(stack.url + CALENDAR, form=posted)
        assert refused.status == 403
        assert "Formulir tidak dapat diterima" in refused.text()
    assert api.http.get(f"/api/v1/calendar/{year}").json() == before


def test_a_supervisor_reads_the_sla_policies(stack, browser):
    api = Api(stack.url)
    listed = api.http.get("/api/v1/sla/policies").json()["policies"]
    supervisor = staff_page(browser)
    sign_in(supervisor, stack.url, "supervisor1", "/kerja")
    supervisor.get_by_role("link", name="Kebijakan batas waktu").click()
    supervisor.wait_for_url(stack.url + POLICIES)
    shown = supervisor.locator("section.policy")
    expect(shown).to_have_count(len(listed))
    perwal = supervisor.locator('section[data-policy="perwal-semarang-5-2023"]').first
    expect(perwal).to_contain_text("Peraturan Wali Kota Semarang Nomor 5 Tahun 2023")
    expect(perwal).to_contain_text("10 hari kerja")
    check_page(supervisor, "pengawas-kebijakan-sla")


def test_a_supervisor_publishes_a_policy_and_a_new_version_of_it(stack, browser):
    # A policy naming no category and not the city's default one governs no complaint:
    # the other tests' deadlines stay as they are.
    api = Api(stack.url)
    policy_id = f"uji-halaman-{uuid.uuid4().hex[:8]}"
    supervisor = staff_page(browser)
    sign_in(supervisor, stack.url, "supervisor1", POLICIES)
    supervisor.get_by_role("link", name="Terbitkan kebijakan baru").click()
    supervisor.wait_for_url(stack.url + POLICIES + "/baru")
    expect(supervisor.get_by_label("Versi", exact=True)).to_have_value("1")
    supervisor.get_by_label("Kode kebijakan").fill(policy_id)
    supervisor.get_by_label("Dasar aturan").fill("Uji halaman kebijakan batas waktu")
    for label, days in (("satu perangkat daerah", "5"), ("beberapa perangkat daerah", "10")):
        supervisor.get_by_label(label).fill(days)
    supervisor.get_by_label("melibatkan instansi").fill("30")
    for stage in ("verifikasi petugas", "diteruskan admin", "tanggapan perangkat daerah"):
        supervisor.get_by_label(f"Target tahap {stage}").fill("1")
    supervisor.get_by_label("Peringatan saat terpakai (persen)").fill("50, 80")
    supervisor.get_by_label("Peringatan sebelum batas (hari kerja)").fill("1")
    check_page(supervisor, "pengawas-kebijakan-baru")
    supervisor.get_by_role("button", name="Terbitkan").click()
    expect(supervisor.locator("#terbit")).to_contain_text(f"{policy_id}@1 sudah diterbitkan")

    supervisor.get_by_role("link", name=f"Terbitkan versi baru {policy_id}").click()
    expect(supervisor.get_by_label("Versi", exact=True)).to_have_value("2")
    expect(supervisor.get_by_label("Peringatan saat terpakai (persen)")).to_have_value("50, 80")
    version = supervisor.get_by_label("Versi", exact=True)
    version.fill("1")
    supervisor.get_by_role("button", name="Terbitkan").click()
    expect(supervisor.locator("#e-kebijakan")).to_have_text(
        f"Versi: versi {policy_id}@1 sudah ada; naikkan nomor versinya."
    )
    expect(version).to_have_attribute("aria-invalid", "true")
    version.fill("2")
    single = supervisor.get_by_label("satu perangkat daerah")
    single.fill("0")
    supervisor.get_by_role("button", name="Terbitkan").click()
    expect(supervisor.locator("#e-kebijakan")).to_have_text(
        "Batas waktu bila ditangani satu perangkat daerah: tulis jumlah hari kerja, 1 sampai 365."
    )
    expect(single).to_have_attribute("aria-invalid", "true")
    check_page(supervisor, "pengawas-kebijakan-ditolak")
    single.fill("7")
    supervisor.get_by_label("Peringatan saat terpakai (persen)").fill("120")
    supervisor.get_by_role("button", name="Terbitkan").click()
    expect(supervisor.locator("#e-kebijakan")).to_have_text(
        "Peringatan saat terpakai (persen): paling banyak 5 angka dari 1 sampai 99, dipisah koma."
    )
    supervisor.get_by_label("Peringatan saat terpakai (persen)").fill("60")
    # Without its CSRF token the same form changes nothing.
    refused = supervisor.request.post(stack.url + POLICIES, form={"id": policy_id, "version": "3"})
    assert refused.status == 403
    supervisor.get_by_role("button", name="Terbitkan").click()
    expect(supervisor.locator("#terbit")).to_contain_text(f"{policy_id}@2 sudah diterbitkan")

    versions = api.http.get(f"/api/v1/sla/policies/{policy_id}").json()["versions"]
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[1]["working_days"] == {
        "single_agency": 7,
        "cross_agency": 10,
        "cross_institution": 30,
    }
    assert versions[1]["warn_fractions"] == [0.6]
    assert versions[1]["warn_days_before"] == [1]
    assert versions[1]["categories"] == []
