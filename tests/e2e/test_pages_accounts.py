"""Staff accounts on the supervisors' pages, in a real browser against the running
system: a supervisor creates an agency liaison's account and hands over the temporary
password shown once; the liaison signs in with it and sees its agency's worklist; the
supervisor disables the account (the liaison's open session ends at its next page),
enables it, moves it to another agency and gives it a new password. A supervisor cannot
disable its own account, and a refused new account is said beside its field. axe-core
checks every page; screenshots go to artifacts/screenshots/."""

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.support.api import Api
from tests.support.browser import check_page, sign_in, staff_page

pytestmark = pytest.mark.e2e

ACCOUNTS = "/pengawas/staf"


def sign_in_with(page: Page, url: str, username: str, password: str) -> None:
    page.goto(url + "/kerja")
    page.wait_for_url(re.compile(r"/masuk\?next="))
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(url + "/kerja")


def shown_password(page: Page) -> str:
    password = page.locator("#kata-sandi").inner_text().strip()
    assert len(password) >= 12
    return password


def test_a_supervisor_creates_disables_moves_and_resets_an_account(stack, browser):
    api = Api(stack.url)
    username = f"u-{uuid.uuid4().hex[:10]}"
    supervisor = staff_page(browser)
    sign_in(supervisor, stack.url, "supervisor1", "/kerja")
    supervisor.get_by_role("link", name="Akun staf").click()
    supervisor.wait_for_url(stack.url + ACCOUNTS)
    expect(supervisor.locator('#daftar-akun tr[data-username="officer1"]')).to_contain_text(
        "Petugas"
    )
    check_page(supervisor, "pengawas-akun")

    supervisor.get_by_label("Nama pengguna").fill(username)
    supervisor.get_by_label("Peran", exact=True).select_option("agency_admin")
    supervisor.get_by_role("button", name="Buat akun").click()
    expect(supervisor.locator("#e-akun")).to_have_text(
        "Perangkat daerah: pilih perangkat daerah untuk admin penghubung atau kepala "
        "perangkat daerah, dan hanya untuk mereka."
    )
    expect(supervisor.get_by_label("Nama pengguna")).to_have_value(username)
    supervisor.get_by_label("Perangkat daerah").select_option("dlh")
    supervisor.get_by_role("button", name="Buat akun").click()
    expect(supervisor.get_by_role("heading", level=1)).to_have_text(f"Akun {username} sudah dibuat")
    password = shown_password(supervisor)
    check_page(supervisor, "pengawas-akun-kata-sandi")

    liaison = staff_page(browser)
    sign_in_with(liaison, stack.url, username, password)
    expect(liaison.get_by_role("heading", level=1)).to_contain_text("Dinas Lingkungan Hidup")

    supervisor.get_by_role("link", name=f"Ke halaman akun {username}").click()
    supervisor.get_by_role("button", name="Nonaktifkan akun").click()
    expect(supervisor.locator("#berhasil")).to_contain_text("Akun dinonaktifkan")
    expect(supervisor.locator("#keadaan")).to_have_text("Nonaktif")
    check_page(supervisor, "pengawas-akun-satu")
    liaison.goto(stack.url + "/kerja")
    liaison.wait_for_url(re.compile(r"/masuk\?"))
    assert (
        api.http.post(
            "/api/v1/auth/token", json={"username": username, "password": password}
        ).status_code
        == 401
    )

    supervisor.get_by_role("button", name="Aktifkan akun").click()
    expect(supervisor.locator("#keadaan")).to_have_text("Aktif")
    supervisor.get_by_label("Perangkat daerah").select_option("dpu")
    supervisor.get_by_role("button", name="Simpan peran").click()
    expect(supervisor.locator("#berhasil")).to_contain_text("Peran diubah")
    expect(supervisor.locator("#perangkat-daerah")).to_contain_text("Pekerjaan Umum")

    supervisor.get_by_role("button", name="Buat kata sandi sementara baru").click()
    expect(supervisor.get_by_role("heading", level=1)).to_have_text(
        f"Kata sandi baru untuk {username}"
    )
    new_password = shown_password(supervisor)
    assert new_password != password
    sign_in_with(liaison, stack.url, username, new_password)
    expect(liaison.get_by_role("heading", level=1)).to_contain_text("Pekerjaan Umum")


def test_a_supervisor_cannot_disable_its_own_account_on_the_page(stack, browser):
    supervisor = staff_page(browser)
    sign_in(supervisor, stack.url, "supervisor1", ACCOUNTS + "/supervisor1")
    supervisor.get_by_role("button", name="Nonaktifkan akun").click()
    expect(supervisor.locator("#e-akun")).to_contain_text(
        "Anda tidak dapat menonaktifkan akun sendiri"
    )
    expect(supervisor.locator("#keadaan")).to_have_text("Aktif")
    # Without its CSRF token an account form changes nothing.
    refused = supervisor.request.post(
        stack.url + ACCOUNTS, form={"username": "tanpa-token", "role": "supervisor"}
    )
    assert refused.status == 403
    expect(supervisor.locator("#keadaan")).to_have_text("Aktif")
    supervisor.goto(stack.url + ACCOUNTS)
    expect(supervisor.locator('#daftar-akun tr[data-username="tanpa-token"]')).to_have_count(0)


def test_an_officer_gets_the_403_page_on_the_account_pages(stack, browser):
    officer = staff_page(browser)
    sign_in(officer, stack.url, "officer1", "/kerja")
    expect(officer.get_by_role("link", name="Akun staf")).to_have_count(0)
    for path in (ACCOUNTS, ACCOUNTS + "/officer1"):
        assert officer.goto(stack.url + path).status == 403
