"""SLA policies as data: deadlines by scope, stage targets and warning thresholds,
versioned by the rule that sets them. A new policy is a document, not code."""

import re
from dataclasses import asdict, dataclass

from services.chassis import fields
from services.contracts.reference import Category, Scope

STAGES = ("review", "forward", "agency_response")
POLICY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{2,59}$")


@dataclass(frozen=True)
class Policy:
    id: str
    version: int
    rule: str
    working_days: dict[str, int]
    stage_targets: dict[str, int]
    warn_fractions: tuple[float, ...]
    warn_days_before: tuple[int, ...]
    # Categories this policy governs; the default policy has none and governs the rest.
    categories: tuple[str, ...] = ()

    @property
    def key(self) -> dict:
        return {"id": self.id, "version": self.version}

    def to_document(self) -> dict:
        return {
            **asdict(self),
            "warn_fractions": list(self.warn_fractions),
            "warn_days_before": list(self.warn_days_before),
            "categories": list(self.categories),
        }

    @classmethod
    def from_document(cls, doc: dict) -> "Policy":
        return cls(
            id=doc["id"],
            version=doc["version"],
            rule=doc["rule"],
            working_days=dict(doc["working_days"]),
            stage_targets=dict(doc["stage_targets"]),
            warn_fractions=tuple(doc["warn_fractions"]),
            warn_days_before=tuple(doc["warn_days_before"]),
            categories=tuple(doc.get("categories", ())),
        )


PERWAL_5_2023 = Policy(
    id="perwal-semarang-5-2023",
    version=1,
    rule="Peraturan Wali Kota Semarang Nomor 5 Tahun 2023",
    working_days={Scope.SINGLE_AGENCY: 5, Scope.CROSS_AGENCY: 10, Scope.CROSS_INSTITUTION: 30},
    stage_targets={"review": 1, "forward": 1, "agency_response": 1},
    warn_fractions=(0.5, 0.8),
    warn_days_before=(1,),
)


def parse_policy(body: object) -> Policy:
    """A policy sent by a supervisor; every field is checked, nothing is assumed."""
    body = fields.obj(
        body,
        "",
        (
            "id",
            "version",
            "rule",
            "working_days",
            "stage_targets",
            "warn_fractions",
            "warn_days_before",
            "categories",
        ),
    )
    policy_id = fields.text(body, "id", "id", max_len=60)
    if not POLICY_ID.match(policy_id):
        raise fields.invalid("id", "3-60 lower-case letters, digits or '-'")
    version = body.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= 1000:
        raise fields.invalid("version", "a whole number from 1 to 1000")
    return Policy(
        id=policy_id,
        version=version,
        rule=fields.text(body, "rule", "rule", min_len=5, max_len=300),
        working_days=_day_counts(body.get("working_days"), "working_days", tuple(Scope)),
        stage_targets=_day_counts(body.get("stage_targets"), "stage_targets", STAGES),
        warn_fractions=_numbers(body.get("warn_fractions", []), "warn_fractions", 0.01, 0.99),
        warn_days_before=tuple(
            int(d)
            for d in _numbers(
                body.get("warn_days_before", []), "warn_days_before", 1, 60, whole=True
            )
        ),
        categories=tuple(
            fields.choice({"c": c}, "c", "categories", Category)
            for c in fields.text_list(body, "categories", "categories", max_items=7)
        ),
    )


def policy_for(category: str | None, policies: list[Policy]) -> Policy:
    """The newest version of the policy that names the category, else of the default."""

    def newest(candidates):
        return max(candidates, key=lambda p: p.version, default=None)

    named = newest([p for p in policies if category and category in p.categories])
    return named or newest([p for p in policies if p.id == PERWAL_5_2023.id]) or PERWAL_5_2023


def _day_counts(value: object, field: str, keys: tuple[str, ...]) -> dict[str, int]:
    value = fields.obj(value if value is not None else {}, field, keys)
    counts = {}
    for key in keys:
        days = value.get(key)
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 365:
            raise fields.invalid(f"{field}.{key}", "a whole number of working days, 1 to 365")
        counts[str(key)] = days
    return counts


def _numbers(value: object, field: str, low: float, high: float, whole: bool = False):
    kind = int if whole else (int, float)
    if (
        not isinstance(value, list)
        or len(value) > 5
        or not all(
            isinstance(v, kind) and not isinstance(v, bool) and low <= v <= high for v in value
        )
    ):
        raise fields.invalid(field, f"a list of at most 5 numbers from {low} to {high}")
    return tuple(sorted(set(value)))
