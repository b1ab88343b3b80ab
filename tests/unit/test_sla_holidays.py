from datetime import date

from services.sla.holidays_id import indonesian_holidays


def test_the_national_days_off_are_named_in_indonesian():
    days = indonesian_holidays(2026, 2026)
    assert days[date(2026, 1, 1)] == "Tahun Baru Masehi"
    assert days[date(2026, 8, 17)] == "Hari Kemerdekaan Republik Indonesia"
