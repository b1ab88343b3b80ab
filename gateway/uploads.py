"""Complaints with attachments: multipart/form-data with a `complaint` field (the JSON
body) and files under `attachments`. Sizes are checked (413) and each file's type is
read from its first bytes, not trusted from the client (415)."""

import base64
from urllib.parse import quote

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.types import Message

from gateway.body import json_body, parse_json, read_limited
from gateway.errors import ApiError

# What a scanned letter or a photo may be, by the bytes it starts with.
SIGNATURES = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/pdf": (b"%PDF-",),
}
MAX_FILES = 10


def is_multipart(request: Request) -> bool:
    return request.headers.get("content-type", "").startswith("multipart/form-data")


async def complaint_with_files(request: Request) -> tuple[object, list[dict], dict]:
    """(complaint body, files for intake, other form fields). A JSON request has no files."""
    if not is_multipart(request):
        return await json_body(request), [], {}
    form, raw = await read_raw_form(request, max_fields=10)
    try:
        field = form.get("complaint")
        if not isinstance(field, str):
            raise ApiError(
                "invalid_field", "complaint: a form field holding the JSON body", "complaint"
            )
        if not sent_as_utf8(field, raw):
            raise ApiError("invalid_json", "complaint: the field is not UTF-8 text")
        body = parse_json(field, "complaint")
        files = await checked_files(request, form.getlist("attachments"))
        others = {k: v for k, v in form.items() if isinstance(v, str) and k != "complaint"}
        return body, files, others
    finally:
        await form.close()


async def read_form(request: Request, max_fields: int) -> FormData:
    """A multipart or urlencoded form read within the upload limit (413 past it); the
    caller closes it. The API's uploads and the residents' pages read forms here."""
    form, _ = await read_raw_form(request, max_fields)
    return form


async def read_raw_form(request: Request, max_fields: int) -> tuple[FormData, bytes]:
    """The form and the bytes it was read from."""
    # Read within the limit first: a chunked upload declares no length to refuse early.
    raw = await read_limited(request, request.app.state.settings.max_upload)
    try:
        form = await _replayed(request, raw).form(max_files=MAX_FILES, max_fields=max_fields)
    except Exception as error:  # malformed multipart, or too many parts
        raise ApiError("invalid_body", f"the multipart body cannot be read: {error}") from None
    return form, raw


def sent_as_utf8(value: str, raw: bytes) -> bool:
    """Whether a multipart field's text is what was sent: Starlette reads a field that
    is not UTF-8 as Latin-1 instead of refusing it, and such text, written back as
    UTF-8, is not among the bytes received."""
    return value.isascii() or value.encode("utf-8", "surrogatepass") in raw


async def checked_files(request: Request, items: list) -> list[dict]:
    """Uploaded files as intake takes them, each checked for size and type (413, 415)."""
    max_file = request.app.state.settings.max_file
    return [await _checked(item, max_file) for item in items]


def _replayed(request: Request, raw: bytes) -> Request:
    """The same request reading its already received body from memory."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": raw, "more_body": False}

    return Request(request.scope, receive)


async def _checked(item: object, max_file: int) -> dict:
    if not isinstance(item, UploadFile):
        raise ApiError("invalid_field", "attachments: must be files", "attachments")
    content = await item.read(max_file + 1)
    name = safe_filename(item.filename)
    if len(content) > max_file:
        raise ApiError("body_too_large", f"{name}: a file may be at most {max_file} bytes")
    if not content:
        raise ApiError("invalid_field", f"{name}: the file is empty", "attachments")
    sniffed = sniff(content)
    declared = (item.content_type or "").split(";")[0].strip().lower()
    if sniffed is None or declared not in (sniffed, "application/octet-stream"):
        raise ApiError(
            "unsupported_media_type",
            f"{name}: attachments must be JPEG or PNG photos or PDF scans "
            f"(declared {declared or 'nothing'}, content {sniffed or 'unknown'})",
        )
    return {
        "filename": name,
        "content_type": sniffed,
        "content_b64": base64.b64encode(content).decode(),
    }


def safe_filename(given: str | None) -> str:
    """The file's own name without directories, quotes or control characters."""
    base = (given or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c for c in base if c.isprintable() and c not in '"<>;')
    return cleaned.strip()[:200] or "lampiran"


def content_disposition(filename: str) -> str:
    """An attachment's download header for any file name: HTTP headers are Latin-1, so a
    name such as "jalan rusak — Tembalang.jpg" travels as RFC 5987 UTF-8 (filename*),
    with an ASCII fallback for old clients (RFC 6266)."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename
    )
    encoded = quote(filename.encode("utf-8", "replace"), safe="")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"


def sniff(content: bytes) -> str | None:
    for content_type, starts in SIGNATURES.items():
        if content.startswith(starts):
            return content_type
    return None
