"""Pages for people, served by the gateway beside the JSON API: server-rendered
(Jinja2), in Bahasa Indonesia, every form working without JavaScript.

This first part holds the residents' (public) pages; see docs/console.md.
"""

from starlette.datastructures import State
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from gateway.config import GatewaySettings
from gateway.pages import (
    routes_accounts,
    routes_contact,
    routes_desk,
    routes_policy,
    routes_public,
    routes_report,
    routes_sign_in,
    routes_supervisor,
    routes_triage_settings,
    routes_work,
)
from gateway.pages.csrf import CsrfGuard
from gateway.pages.errors import page_aware
from gateway.pages.receipts import ReceiptHandOver
from gateway.pages.rendering import STATIC_DIR
from gateway.pages.report_data import MonthlyReports
from gateway.pages.security import PageHeaders
from gateway.pages.session import StaffSessions

SECRET_LINK = "/aduan/{ticket}/pemberitahuan"

ROUTES = [
    Route("/", routes_public.home),
    Route("/aduan", routes_public.submit, methods=["POST"]),
    Route("/aduan/{ticket}/tanda-terima", routes_public.receipt),
    Route(SECRET_LINK, routes_public.notices),
    Route(SECRET_LINK, routes_public.reply, methods=["POST"]),
    Route("/aduan/{ticket}/penilaian", routes_public.rate, methods=["POST"]),
    Route("/lacak", routes_public.track_form),
    Route("/lacak/{ticket}", routes_public.track),
    Route("/laporan", routes_report.latest),
    Route("/laporan/{month}", routes_report.monthly),
    Route("/laporan/{month}/{chart}.svg", routes_report.chart),
    Route("/laporan/{month}/opd/{agency}", routes_report.agency),
    # Staff: sign-in and each role's work (see docs/console.md).
    Route("/masuk", routes_sign_in.sign_in_form),
    Route("/masuk", routes_sign_in.sign_in, methods=["POST"]),
    Route("/keluar", routes_sign_in.sign_out, methods=["POST"]),
    Route(routes_desk.DESK, routes_desk.desk_form),
    Route(routes_desk.DESK, routes_desk.record, methods=["POST"]),
    Route(routes_desk.SLIP, routes_desk.slip),
    Route("/kerja", routes_work.worklist),
    # Before /kerja/{ticket}, which would take "kontak" for a ticket.
    Route(routes_contact.CONTACT, routes_contact.contact),
    Route(routes_contact.CONTACT, routes_contact.save, methods=["POST"]),
    Route("/kerja/{ticket}", routes_work.complaint),
    Route("/kerja/{ticket}/lampiran/{file_id}", routes_work.attachment),
    Route("/kerja/{ticket}/{aksi}", routes_work.act, methods=["POST"]),
    Route("/kerja/{ticket}/tugas/{agency}/{aksi}", routes_work.act, methods=["POST"]),
    Route("/kerja/{ticket}/instansi/{institution}/{aksi}", routes_work.act, methods=["POST"]),
    # Supervisors: the working-day calendar and the SLA policies.
    Route(routes_supervisor.OVERVIEW, routes_supervisor.overview),
    Route(routes_supervisor.CALENDAR, routes_supervisor.calendar),
    Route(routes_supervisor.CALENDAR, routes_supervisor.change_day, methods=["POST"]),
    Route(routes_supervisor.RECOMPUTE, routes_supervisor.recompute),
    Route(routes_policy.POLICIES, routes_policy.policies),
    Route(routes_policy.POLICIES, routes_policy.add_policy, methods=["POST"]),
    Route(routes_policy.NEW_POLICY, routes_policy.new_policy),
    Route(routes_accounts.ACCOUNTS, routes_accounts.accounts),
    Route(routes_accounts.ACCOUNTS, routes_accounts.create, methods=["POST"]),
    Route(routes_accounts.ACCOUNT, routes_accounts.account),
    Route(routes_accounts.ACCOUNT + "/{aksi}", routes_accounts.act, methods=["POST"]),
    Route(routes_triage_settings.ROUTING, routes_triage_settings.routing),
    Route(routes_triage_settings.ROUTING, routes_triage_settings.save_routing, methods=["POST"]),
    Route(routes_triage_settings.AUTO_REJECT, routes_triage_settings.auto_reject),
    Route(
        routes_triage_settings.AUTO_REJECT,
        routes_triage_settings.save_auto_reject,
        methods=["POST"],
    ),
    Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"),
]


def start(state: State, settings: GatewaySettings) -> None:
    """What the pages keep on the app: the CSRF guard and the receipt hand-over, signed
    with the page secret; cookies are Secure when the public URL is HTTPS."""
    secure = settings.public_url.startswith("https://")
    state.csrf = CsrfGuard(settings.page_secret, secure)
    state.receipts = ReceiptHandOver(settings.page_secret, secure)
    state.sessions = StaffSessions(settings.page_secret, secure, settings.session_idle)
    # The public report's numbers, a minute each (the RPC client is started after this).
    state.monthly_reports = MonthlyReports(lambda: state.rpc)


__all__ = ["ROUTES", "PageHeaders", "page_aware", "start"]
