"""The columns of the open data (GET /api/v1/open-data/complaints.csv|.json), in order:
reporting builds each row of them, the gateway writes them as CSV headings and JSON
fields. docs/open-data.md says what each holds."""

OPEN_DATA_COLUMNS: tuple[str, ...] = (
    "ticket",
    "month",
    "received_at",
    "classified_at",
    "forwarded_at",
    "accepted_at",
    "resolved_at",
    "closed_at",
    "rejected_at",
    "channel",
    "category",
    "category_label",
    "scope",
    "agency",
    "kecamatan",
    "status",
    "duplicate_of",
    "deadline_working_days",
    "due_at",
    "working_days_taken",
    "within_deadline",
    "title",
    "description",
)

# The filters of the open data, and its pages' bounds.
OPEN_DATA_FILTERS: tuple[str, ...] = ("month", "category", "agency", "kecamatan")
MAX_PER_PAGE = 1000
MAX_PAGE = 100_000
