"""The analytics as counters (services/reporting/analytics.py, cells): for any facts, and
for any sequence of changes to them, the figures read from the cells are those summed
from the facts themselves (month_analytics, the reference)."""

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from services.reporting import analytics
from services.reporting.analytics import DIMENSIONS

MONTHS = ("2026-01", "2026-02", "2026-03", "2026-04")
RESOLVED = datetime(2026, 3, 1, tzinfo=UTC)


@st.composite
def fact(draw) -> dict:
    month = draw(st.sampled_from(MONTHS))
    later = [m for m in MONTHS if m >= month]
    resolved = draw(st.booleans())
    return {
        "month": month,
        "category": draw(st.sampled_from(["infrastruktur_fasum", "kesehatan", "none"])),
        "agency": draw(st.sampled_from(["dpu", "dlh", "none"])),
        "channel": draw(st.sampled_from(["sms", "surat"])),
        "kecamatan": draw(st.sampled_from(["Genuk", "Tembalang", "none"])),
        "scope": draw(st.sampled_from(["single_agency", "none"])),
        "status": draw(st.sampled_from(["resolved", "closed", "rejected", "forwarded"])),
        "forwarded": draw(st.booleans()),
        "resolved_at": RESOLVED if resolved else None,
        "within_deadline": draw(st.sampled_from([None, True, False])) if resolved else None,
        "working_days": draw(st.integers(0, 70)) if resolved else None,
        "breached": draw(st.booleans()),
        "returns": draw(st.integers(0, 2)),
        "reopenings": draw(st.integers(0, 2)),
        "linked": draw(st.booleans()),
        "rating": draw(st.sampled_from([None, 1, 3, 5])),
        **open_at_ends(draw, later),
    }


def open_at_ends(draw, later: list[str]) -> dict:
    """As analytics.facts gives them: the months of closed-off stretches all come before
    the month from which a complaint still open is open (_open_month_ends)."""
    open_from = draw(st.sampled_from([None, *later]))
    before = [m for m in later if open_from is None or m < open_from]
    months = sorted(draw(st.sets(st.sampled_from(before)))) if before else []
    return {"open_months": months, "open_from": open_from}


class Cells:
    """The cells as MongoDB would keep them after `$inc` of each delta (dotted fields
    `h.D` and `r.N` into embedded documents)."""

    def __init__(self) -> None:
        self.by_id: dict[str, dict] = {}

    def apply(self, changes: dict[str, dict[str, int]]) -> None:
        for cell, fields in changes.items():
            month, dimension, key = cell.split("|")
            doc = self.by_id.setdefault(cell, {"month": month, "dimension": dimension, "key": key})
            for field, n in fields.items():
                if "." in field:
                    outer, inner = field.split(".")
                    doc.setdefault(outer, {})
                    doc[outer][inner] = doc[outer].get(inner, 0) + n
                else:
                    doc[field] = doc.get(field, 0) + n

    def analytics(self, month: str, by: str) -> dict:
        docs = [d for d in self.by_id.values() if d["dimension"] in (analytics.TOTAL, by)]
        return analytics.cells_analytics(month, by, [d for d in docs if d["month"] == month], docs)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(fact(), min_size=1, max_size=4), max_size=12))
def test_cells_give_the_figures_of_the_facts_after_any_changes(histories):
    """Each complaint's facts change several times (each list is one complaint's
    successive facts); the cells receive the delta of each change."""
    cells = Cells()
    for versions in histories:
        before = None
        for after in versions:
            cells.apply(analytics.delta(before, after))
            before = after
    final = [versions[-1] for versions in histories]
    docs = list(cells.by_id.values())
    for month in MONTHS:
        report = analytics.cells_report(month, [d for d in docs if d["month"] == month], docs)
        for by in DIMENSIONS:
            expected = analytics.month_analytics(month, by, final)
            assert cells.analytics(month, by) == expected
            # The monthly report's figures: every dimension from one read of the cells.
            assert report["total"] == expected["total"]
            assert report["by"][by] == expected["rows"]


def test_a_change_back_and_forth_leaves_nothing_to_count():
    first = example()
    second = {**first, "status": "closed", "open_from": None, "open_months": ["2026-02"]}
    assert analytics.delta(first, first) == {}
    there = analytics.delta(first, second)
    back = analytics.delta(second, first)
    assert there and all(
        back[cell] == {field: -n for field, n in fields.items()} for cell, fields in there.items()
    )


def example() -> dict:
    return {
        "month": "2026-02",
        "category": "infrastruktur_fasum",
        "agency": "dpu",
        "channel": "sms",
        "kecamatan": "Genuk",
        "scope": "single_agency",
        "status": "forwarded",
        "forwarded": True,
        "resolved_at": None,
        "within_deadline": None,
        "working_days": None,
        "breached": False,
        "returns": 0,
        "reopenings": 0,
        "linked": False,
        "rating": None,
        "open_months": [],
        "open_from": "2026-02",
    }
