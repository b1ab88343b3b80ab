"""The home page's complaint form, turned into the body intake takes from the app
(POST /api/v1/complaints): the same fields, the same rules (checked by intake)."""

import math
import uuid

from starlette.datastructures import FormData, UploadFile

from gateway.errors import ApiError
from gateway.pages.messages import field_error
from gateway.routes.complaints import IDEMPOTENCY_KEY
from gateway.uploads import MAX_FILES
from services.contracts.reference import KECAMATAN

# The inputs whose typed values the form keeps when intake refuses it.
TEXT_INPUTS = ("name", "phone", "email", "title", "description", "kecamatan", "kelurahan")
KEPT_INPUTS = (*TEXT_INPUTS, "address", "lat", "lon", "anonymous", "confidential")
CHECKED = "ya"
MB = 1024 * 1024


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


def form_key(form: FormData, name: str = "idempotency_key") -> str | None:
    value = form.get(name)
    return value if isinstance(value, str) and IDEMPOTENCY_KEY.match(value) else None


def form_text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def form_context(
    values: dict[str, str], key: str, error: ApiError | None, max_file: int, max_upload: int
) -> dict:
    """What the complaint form's template needs: the typed values, the form's key, and
    intake's refusal, {input: message} beside a field or a message for the whole form."""
    errors: dict[str, str] = {}
    form_error = None
    if error is not None:
        where, message = field_error(error, max_file // MB, max_upload // MB)
        if where:
            errors[where] = message
        else:
            form_error = message
    return {
        "values": values,
        "errors": errors,
        "form_error": form_error,
        "idempotency_key": key,
        "kecamatan": KECAMATAN,
        "max_files": MAX_FILES,
        "max_file_mb": max_file // MB,
    }


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
