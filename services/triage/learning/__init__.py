"""Triage's suggestions learned from, and measured on, the labelled complaints in
data/triage: the category classifier and its evaluation. The rules beside it (routing,
validity, duplicates, urgency) are in the triage core modules."""
