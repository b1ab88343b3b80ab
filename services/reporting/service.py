"""reporting's entrypoints: record the events of its subscriptions; answer tracking,
worklists and reports."""

from datetime import UTC, datetime

from nameko.rpc import rpc

from services.chassis import fields
from services.chassis.inbox import Subscription
from services.chassis.metrics import ServiceMetrics
from services.contracts.errors import CommandRejected
from services.contracts.events import SUBSCRIPTIONS, Envelope
from services.reporting import analytics, core, monthly_report, overview
from services.reporting.open_data import open_data_query
from services.reporting.public_list import MAX_ITEMS, public_query
from services.reporting.store import ReportingStore


class ReportingService:
    name = "reporting"

    views = ReportingStore()
    metrics = ServiceMetrics()

    def record(self, event: Envelope) -> None:
        self.views.record(event)

    @rpc(expected_exceptions=CommandRejected)
    def tracking(self, ticket: str) -> dict | None:
        view = self.views.view(ticket)
        return core.public_view(view) if view else None

    @rpc(expected_exceptions=CommandRejected)
    def public_list(
        self,
        start: str,
        end: str,
        tickets: list[str] | None = None,
        categories: list[str] | None = None,
        statuses: list[str] | None = None,
        limit: int = MAX_ITEMS,
    ) -> list[dict]:
        """Complaints received between `start` and `end` (or the `tickets` named), newest
        first, as the public may see them (the Open311 API's GET requests)."""
        query = public_query(tickets, categories, statuses, start, end, limit)
        return self.views.public_list(query)

    @rpc(expected_exceptions=CommandRejected)
    def open_data(
        self,
        filters: dict | None = None,
        page: int = 1,
        per_page: int = 100,
        with_text: bool = False,
    ) -> dict:
        """A page of the complaints as open data (docs/open-data.md), oldest first, and
        how many the filters find in all."""
        query = open_data_query(filters, page, per_page, with_text)
        total, rows = self.views.open_data(query)
        return {"total": total, "page": query.page, "per_page": query.per_page, "rows": rows}

    @rpc(expected_exceptions=CommandRejected)
    def staff_view(self, ticket: str, agency: str | None) -> dict | None:
        """The complaint for staff; an agency admin sees only its agency's complaints."""
        view = self.views.view(ticket)
        return core.staff_view(view, agency) if view else None

    @rpc(expected_exceptions=CommandRejected)
    def worklist(
        self,
        role: str,
        agency: str | None,
        limit: int = 50,
        filters: dict | None = None,
        page: int = 1,
    ) -> list[dict]:
        statuses, match, limit = core.worklist_query(role, agency, limit)
        chosen, page = core.worklist_filter(role, filters, page)
        return self.views.worklist(statuses, match, limit, chosen, page)

    @rpc(expected_exceptions=CommandRejected)
    def monthly(self, month: str) -> dict:
        return self.views.monthly_summary(core.parse_month(month))

    @rpc(expected_exceptions=CommandRejected)
    def month_figures(self, month: str) -> dict:
        """The month's figures in total and by each dimension (docs/reports.md)."""
        return self.views.month_figures(core.parse_month(month))

    @rpc(expected_exceptions=CommandRejected)
    def report_archive(self, month: str | None = None) -> list[dict]:
        """The archived monthly reports (docs/reports.md), newest first, without figures."""
        return self.views.archived(None if month is None else core.parse_month(month))

    @rpc(expected_exceptions=CommandRejected)
    def archived_report(self, month: str, version: int | None = None) -> dict | None:
        """A version of a month's archived report with its figures (the latest by default)."""
        return self.views.archived_report(core.parse_month(month), monthly_report.version(version))

    @rpc(expected_exceptions=CommandRejected)
    def regenerate_report(self, month: str, requested_by: str) -> dict:
        """A new version of the month's report from the figures as they stand now."""
        now = datetime.now(UTC)
        month = monthly_report.reportable(core.parse_month(month), now)
        return self.views.archive_report(month, monthly_report.REQUESTED, now, requested_by)

    @rpc(expected_exceptions=CommandRejected)
    def analytics(self, month: str, by: str = "category") -> dict:
        """The month's figures, in total and by one dimension (docs/reports.md)."""
        month = core.parse_month(month)
        if by not in analytics.DIMENSIONS:
            raise fields.invalid("by", f"must be one of: {', '.join(analytics.DIMENSIONS)}")
        return self.views.analytics(month, by)

    @rpc
    def overview(self) -> dict:
        """For supervisors: open complaints by deadline state and agency, oldest first."""
        return overview.overview(self.views.open_counts(), self.views.oldest_open(overview.OLDEST))


# reporting records each event type of its row in contracts.SUBSCRIPTIONS with the same
# handler, one subscription each. The table, not EventType, is the list: the channels'
# raw messages carry the sender's number or account and must never reach the read model.
for _event_type in SUBSCRIPTIONS[ReportingService.name]:
    _name = "on_" + _event_type.value.replace(".", "_")
    setattr(
        ReportingService,
        _name,
        Subscription.decorator(_event_type)(lambda self, event: self.record(event)),
    )
