"""Indonesian public holidays and cuti bersama, from the `holidays` package."""

from datetime import date

import holidays


def indonesian_holidays(first_year: int, last_year: int) -> dict[date, str]:
    years = range(first_year, last_year + 1)
    return dict(holidays.country_holidays("ID", years=years, categories=("public", "government")))
