"""Indonesian public holidays and cuti bersama: in services/chassis/working_days.py, shared
with reporting."""

from services.chassis.working_days import indonesian_holidays

__all__ = ["indonesian_holidays"]
