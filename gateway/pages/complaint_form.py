"""The home page's complaint form, turned into the body intake takes from the app
(POST /api/v1/complaints): the same fields, the same rules (checked by intake)."""

import math
import uuid

from starlette.datastructures import FormData, UploadFile

# The inputs whose typed values the form keeps when intake refuses it.
TEXT_INPUTS = ("name", "phone", "email", "title", "description", "kecamatan", "kelurahan")
KEPT_INPUTS = (*TEXT_INPUTS, "address", "lat", "lon", "anonymous", "confidential")
CHECKED = "ya"


def typed_values(form: FormData) -> dict[str, str]:
    """What the resident typed, to show again beside intake's refusal."""
    return {name: _text(form, name) or "" for name in KEPT_INPUTS}


def empty_values() -> dict[str, str]:
    return dict.fromkeys(KEPT_INPUTS, "")


def new_key() -> str:
    """The form's Idempotency-Key: sent twice (a double click, a retried POST), it gets
    the first complaint's ticket instead of a second complaint."""
    return uuid.uuid4().hex


def complaint_body(form: FormData) -> dict:
    """Intake's body from the form. Empty inputs are left out (intake says what is
    missing); numbers that do not parse are passed as typed, for intake to refuse."""
    anonymous = form.get("anonymous") == CHECKED
    reporter: dict = {
        "anonymous": anonymous,
        "confidential": form.get("confidential") == CHECKED,
    }
    for name in ("name", "phone", "email"):
        value = _text(form, name)
        # An anonymous resident's name is not asked for, nor kept if the browser kept it.
        if value and not (anonymous and name == "name"):
            reporter[name] = value
    location: dict = {}
    for name in ("kecamatan", "kelurahan", "address"):
        value = _text(form, name)
        if value:
            location[name] = value
    for name, key in (("lat", "lat"), ("lon", "lon")):
        value = _text(form, name)
        if value:
            location[key] = _number(value)
    body: dict = {"reporter": reporter, "location": location}
    for name in ("title", "description"):
        value = _text(form, name)
        if value:
            body[name] = value
    return body


def chosen_files(form: FormData) -> list[UploadFile]:
    """The photos chosen; a file input left empty still sends a nameless, empty part."""
    return [
        item
        for item in form.getlist("attachments")
        if not (isinstance(item, UploadFile) and not item.filename and not item.size)
    ]


def _text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    if not isinstance(value, str):
        return None
    return value.strip() or None


def _number(text: str) -> float | str:
    try:
        value = float(text)
    except ValueError:
        return text
    return value if math.isfinite(value) else text
