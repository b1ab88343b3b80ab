"""triage: suggests a category, and holds the officers ' review (classify or reject)."""
