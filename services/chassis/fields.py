"""Reads typed fields out of untrusted JSON objects, naming the field that is wrong.

Every failure is a CommandRejected(invalid_field) whose message a person can act on.
Only plain JSON types pass, so an operator object such as {"$gt": ""} is refused
wherever a string, number or boolean is expected.
"""

import re
from collections.abc import Iterable
from typing import Any

from services.contracts.errors import CommandRejected, ErrorCode

MISSING = object()
PHONE = re.compile(r"^\+?[0-9]{8,15}$")


def invalid(field: str, message: str) -> CommandRejected:
    return CommandRejected(ErrorCode.INVALID_FIELD, f"{field}: {message}", field)


def obj(value: Any, field: str, allowed: Iterable[str]) -> dict:
    if not isinstance(value, dict):
        raise invalid(field or "body", "must be a JSON object")
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise invalid(f"{field}.{unknown[0]}" if field else unknown[0], "is not a known field")
    return value


def text(
    body: dict, name: str, field: str, *, min_len: int = 1, max_len: int, required: bool = True
) -> str | None:
    value = body.get(name, MISSING)
    if value is MISSING or value is None:
        if required:
            raise invalid(field, "is required")
        return None
    if not isinstance(value, str):
        raise invalid(field, "must be a string")
    value = value.strip()
    if len(value) < min_len:
        raise invalid(field, f"must be at least {min_len} characters")
    if len(value) > max_len:
        raise invalid(field, f"must be at most {max_len} characters")
    return value


def flag(body: dict, name: str, field: str, default: bool = False) -> bool:
    value = body.get(name, default)
    if not isinstance(value, bool):
        raise invalid(field, "must be true or false")
    return value


def number(body: dict, name: str, field: str, low: float, high: float) -> float | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise invalid(field, "must be a number")
    if not low <= value <= high:
        raise invalid(field, f"must be between {low} and {high}")
    return float(value)


def choice(body: dict, name: str, field: str, options: Iterable[str], required: bool = True):
    value = body.get(name)
    if value is None:
        if required:
            raise invalid(field, "is required")
        return None
    options = list(options)
    if not isinstance(value, str) or value not in options:
        raise invalid(field, f"must be one of: {', '.join(options)}")
    return value


def text_list(body: dict, name: str, field: str, *, max_items: int) -> list[str]:
    value = body.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise invalid(field, "must be a list of non-empty strings")
    if len(value) > max_items:
        raise invalid(field, f"must have at most {max_items} items")
    return list(dict.fromkeys(value))


def phone(number: str, field: str) -> str:
    """An Indonesian number in one form, +62..., so 0812..., 62812... and +62812... are
    one number (an SMS sender, a staff member's WhatsApp)."""
    digits = re.sub(r"[\s\-().]", "", number)
    if not PHONE.match(digits):
        raise invalid(field, "must be a phone number such as +6281234567890")
    if digits.startswith("0"):
        return "+62" + digits[1:]
    if digits.startswith("62"):
        return "+" + digits
    return digits
