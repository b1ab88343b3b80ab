"""The HTTP API's OpenAPI 3.1 document, served at /api/v1/openapi.json (a page for people
at /api/docs). Built from Python structures: the operations in paths.py, their schemas in
schemas.py, the webhooks Aduan sends in webhooks.py."""

import copy
import functools
import re

from gateway.openapi.builder import Schema, error_response
from gateway.openapi.paths import PATH_PARAMETERS, PATHS
from gateway.openapi.schemas import SCHEMAS
from gateway.openapi.webhooks import WEBHOOKS

PARAMETER = re.compile(r"{([^}:]+)(?::[^}]+)?}")

SECURITY_SCHEMES: dict[str, Schema] = {
    "staffToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "A staff member's token from POST /api/v1/auth/token",
    },
    "agencyKey": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "aduan_<id>_<secret>",
        "description": "An agency's API key (docs/agencies.md): acts as the agency's liaison, "
        "on the routes its permissions name (`x-aduan-key-permission`)",
    },
    "webhookSignature": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Aduan-Signature",
        "description": "`sha256=` and the hex HMAC-SHA256, keyed with the channel's shared "
        "secret, of `<X-Aduan-Timestamp>.<raw body>` (docs/channels.md)",
    },
    "metaSignature": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Hub-Signature-256",
        "description": "WhatsApp Business Cloud API webhooks: `sha256=` and the hex "
        "HMAC-SHA256 of the raw body, keyed with the Meta app's secret (docs/channels.md)",
    },
    "webhookTimestamp": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Aduan-Timestamp",
        "description": "Unix seconds, within 5 minutes of the server's clock",
    },
}

DESCRIPTION = """\
Public-service complaint management for Kota Semarang (Perwal Semarang 5/2023).

Every error is `{"error": CODE, "message": TEXT, "field"?: NAME}`; nothing is changed by
a request that gets an error; a 500 is a bug. JSON bodies are UTF-8, nested at most 32
levels, without repeated keys, NaN or Infinity; integers fit 64 bits; text holds no NUL
and no unpaired surrogate. `x-aduan-roles` names the staff roles that may call an
operation, `x-aduan-key-permission` the permission an agency API key needs for it.
See docs/api.md, docs/agencies.md and docs/channels.md."""


def path_parameters(path: str) -> list[str]:
    return PARAMETER.findall(path)


@functools.cache
def _document() -> Schema:
    paths: dict[str, Schema] = {}
    for path, operations in PATHS.items():
        item: Schema = {}
        names = path_parameters(path)
        if names:
            item["parameters"] = [
                {"name": n, "in": "path", "required": True, "schema": PATH_PARAMETERS[n]}
                for n in names
            ]
        for method, operation in operations.items():
            operation = copy.deepcopy(operation)
            if names:
                operation["responses"].setdefault("404", error_response(404))
            operation["operationId"] = operation_id(method, path)
            item[method] = operation
        paths[path] = item
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Aduan — Kota Semarang complaint management",
            "version": "1",
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
            "description": DESCRIPTION,
        },
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "servers": [{"url": "/"}],
        "paths": paths,
        "webhooks": WEBHOOKS,
        "components": {"schemas": SCHEMAS, "securitySchemes": SECURITY_SCHEMES},
    }


def operation_id(method: str, path: str) -> str:
    words = re.sub(r"[^A-Za-z0-9]+", "_", path.replace("/api/v1/", "")).strip("_")
    return f"{method}_{words}"


def document() -> Schema:
    """The document (a fresh copy: callers may change theirs)."""
    return copy.deepcopy(_document())
