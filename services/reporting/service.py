"""reporting's entrypoints: record every event; answer tracking, worklists and reports."""

from nameko.rpc import rpc

from services.chassis.inbox import Subscription
from services.chassis.metrics import ServiceMetrics
from services.contracts.errors import CommandRejected, ErrorCode
from services.contracts.events import Envelope, EventType
from services.reporting import core
from services.reporting.store import ReportingStore

MAX_WORKLIST = 200


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
    def staff_view(self, ticket: str, agency: str | None) -> dict | None:
        """The complaint for staff; an agency admin sees only its agency's complaints."""
        view = self.views.view(ticket)
        if view is None:
            return None
        if agency is not None and view.get("agency") != agency:
            raise CommandRejected(ErrorCode.FORBIDDEN, "this complaint is not your agency's")
        return core.staff_view(view)

    @rpc(expected_exceptions=CommandRejected)
    def worklist(self, role: str, agency: str | None, limit: int = 50) -> list[dict]:
        statuses = core.WORKLIST_STATUSES.get(role)
        if statuses is None:
            raise CommandRejected(ErrorCode.FORBIDDEN, f"role {role!r} has no worklist")
        if role == "agency_admin" and not agency:
            raise CommandRejected(ErrorCode.FORBIDDEN, "an agency admin needs an agency")
        limit = max(1, min(int(limit), MAX_WORKLIST))
        return self.views.worklist(
            [str(s) for s in statuses], agency if role == "agency_admin" else None, limit
        )

    @rpc(expected_exceptions=CommandRejected)
    def monthly(self, month: str) -> dict:
        month = core.parse_month(month)
        start, end = core.month_bounds(month)
        return core.monthly_summary(month, self.views.monthly_counts(start, end))


# reporting records every event type with the same handler, one subscription each.
for _event_type in EventType:
    _name = "on_" + _event_type.value.replace(".", "_")
    setattr(
        ReportingService,
        _name,
        Subscription.decorator(_event_type)(lambda self, event: self.record(event)),
    )
