"""Small helpers that keep the API document's Python readable: schemas, parameters and
operations, with the error answers every operation shares added from what it takes
(a body, a caller, path parameters), so that each operation lists only what is its own."""

from typing import Any

Schema = dict[str, Any]

JSON = "application/json"
# Where a role may call an operation: the fuzzer and the docs read these.
ROLES_KEY = "x-aduan-roles"
KEY_PERMISSION_KEY = "x-aduan-key-permission"


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def text(min_length: int | None = None, max_length: int | None = None, **extra: Any) -> Schema:
    schema: Schema = {"type": "string"}
    if min_length is not None:
        schema["minLength"] = min_length
    if max_length is not None:
        schema["maxLength"] = max_length
    return schema | extra


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def array(items: Schema, **extra: Any) -> Schema:
    return {"type": "array", "items": items} | extra


def obj(
    required: dict[str, Schema] | None = None,
    optional: dict[str, Schema] | None = None,
    closed: bool = False,
    **extra: Any,
) -> Schema:
    """An object: `required` properties must be there; `closed` refuses others (the
    request bodies whose unknown fields the gateway refuses)."""
    required = required or {}
    schema: Schema = {"type": "object", "properties": required | (optional or {})}
    if required:
        schema["required"] = list(required)
    if closed:
        schema["additionalProperties"] = False
    return schema | extra


def enum(values: Any) -> Schema:
    return {"type": "string", "enum": [str(v) for v in values]}


def query(name: str, schema: Schema, description: str, required: bool = False) -> Schema:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema,
    }


def header(name: str, schema: Schema, description: str) -> Schema:
    return {"name": name, "in": "header", "required": False, "description": description} | {
        "schema": schema
    }


ERROR_DESCRIPTIONS = {
    400: "The body is not JSON (or is missing), nested too deeply, repeats a key, or a "
    "header is malformed (`invalid_json`, `invalid_header`, `invalid_body`)",
    401: "No token, an unknown, expired or revoked token or API key (`unauthorized`)",
    403: "The caller's role (or API key's permissions) may not do this, or the complaint "
    "is another agency's (`forbidden`)",
    404: "Nothing is found at this path (`not_found`)",
    409: "The state does not allow it (`illegal_transition` and others named below)",
    413: "The body is over its limit (`body_too_large`)",
    415: "The body is not declared as JSON, or an attachment is not JPEG, PNG or PDF "
    "(`unsupported_media_type`)",
    422: "A field or parameter is missing, of the wrong type or out of range "
    "(`invalid_field`, with `field`)",
    429: "Too many requests (`too_many_requests`); `Retry-After` says when to try again",
    503: "A backend (RabbitMQ, MongoDB, a service) is unreachable (`backend_unavailable`); "
    "try again after `Retry-After`",
}


def error_response(status: int, description: str | None = None) -> Schema:
    return {
        "description": description or ERROR_DESCRIPTIONS[status],
        "content": {JSON: {"schema": ref("Error")}},
    }


def json_response(description: str, schema: Schema, example: Any = None) -> Schema:
    media: Schema = {"schema": schema}
    if example is not None:
        media["example"] = example
    return {"description": description, "content": {JSON: media}}


STAFF_SECURITY = [{"staffToken": []}]
KEY_SECURITY = [{"staffToken": []}, {"agencyKey": []}]
SIGNED_SECURITY = [{"webhookSignature": [], "webhookTimestamp": []}]


def operation(
    summary: str,
    tag: str,
    ok: tuple[int, Schema],
    *,
    description: str = "",
    roles: tuple[str, ...] | None = None,
    optional_caller: bool = False,
    key: str | None = None,
    signed: bool = False,
    body: Schema | None = None,
    body_required: bool = True,
    body_example: Any = None,
    multipart: Schema | None = None,
    parameters: tuple[Schema, ...] = (),
    errors: dict[int, str | None] | None = None,
    backend: bool = True,
) -> Schema:
    """One operation. `roles`: the staff roles that may call it (None: anyone);
    `optional_caller`: public, but a staff token (or key) changes the answer; `key`: the
    permission an agency API key needs for it (None: no key may call it); `signed`: a
    provider's webhook with an HMAC signature. The shared error answers are added."""
    status, answer = ok
    op: Schema = {"summary": summary, "tags": [tag], "responses": {str(status): answer}}
    if description:
        op["description"] = description
    if parameters:
        op["parameters"] = list(parameters)
    codes: dict[int, str | None] = {}
    if roles is not None or optional_caller:
        codes |= {401: None, 403: None, 429: None}
        op["security"] = KEY_SECURITY if key else STAFF_SECURITY
        if optional_caller:
            op["security"] = [*op["security"], {}]
        op[ROLES_KEY] = list(roles or [])
        if key:
            op[KEY_PERMISSION_KEY] = key
    elif signed:
        op["security"] = SIGNED_SECURITY
        codes |= {401: "No valid, fresh signature (`invalid_signature`)"}
    else:
        op["security"] = []
    if body is not None or multipart is not None:
        content: Schema = {}
        if body is not None:
            content[JSON] = {"schema": body}
            if body_example is not None:
                content[JSON]["example"] = body_example
        if multipart is not None:
            content["multipart/form-data"] = {"schema": multipart}
        op["requestBody"] = {"required": body_required, "content": content}
        codes |= {400: None, 413: None, 415: None, 422: None}
    if any(p.get("in") == "query" for p in parameters):
        codes |= {422: None}
    if any(p.get("in") == "header" for p in parameters):
        codes |= {400: None}
    if backend:
        codes |= {503: None}
    codes |= errors or {}
    for code in sorted(codes):
        if str(code) not in op["responses"]:
            op["responses"][str(code)] = error_response(code, codes[code])
    return op
