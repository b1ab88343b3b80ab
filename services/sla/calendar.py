"""The working-day arithmetic sla's clocks use: it lives in services/chassis/working_days.py,
shared with reporting (working days to resolve), and is named here as sla's code reads it."""

from services.chassis.working_days import JAKARTA, SATURDAY, SUNDAY, WorkingDays, end_of_day

__all__ = ["JAKARTA", "SATURDAY", "SUNDAY", "WorkingDays", "end_of_day"]
