"""Indonesian public holidays and cuti bersama, from the `holidays` package."""

from datetime import date

import holidays


def indonesian_holidays(first_year: int, last_year: int) -> dict[date, str]:
    years = range(first_year, last_year + 1)
    # Named in Bahasa Indonesia: the supervisors' calendar page shows them as they are.
    found = holidays.country_holidays(
        "ID", years=years, categories=("public", "government"), language="id"
    )
    return dict(found)
