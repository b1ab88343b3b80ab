"""Numbers from the URL (query and path), read so that only ever a 4xx can come of them.

str.isdigit() accepts superscripts and other scripts' digits that int() then rejects,
and Python refuses to convert more than 4,300 digits: both were answers of 500. Here a
number is ASCII digits only, of bounded length, within the range the endpoint serves.
"""

import re

from gateway.errors import ApiError

DIGITS = re.compile(r"[0-9]{1,9}")


def whole_number(text: str | None, field: str, low: int, high: int) -> int:
    if text is None or not DIGITS.fullmatch(text) or not low <= int(text) <= high:
        raise ApiError("invalid_field", f"{field}: a whole number from {low} to {high}", field)
    return int(text)


def query_int(request, name: str, default: int, low: int, high: int) -> int:
    value = request.query_params.get(name)
    return default if value is None else whole_number(value, name, low, high)


def path_int(request, name: str, low: int, high: int) -> int:
    return whole_number(request.path_params.get(name), name, low, high)
