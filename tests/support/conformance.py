"""Every answer the e2e tests' client receives is checked against the API document
(gateway/openapi): its status must be documented for the path and method, and a JSON
body must match the schema of that status. A mismatch fails the test that got it."""

import functools
import re

import httpx
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from gateway.openapi import document
from gateway.openapi.coverage import is_page

PARAMETER = re.compile(r"{[^}]+}")


class Mismatch(AssertionError):
    """An answer the API document does not describe."""


class Conformance:
    def __init__(self, spec: dict) -> None:
        self.spec = spec
        # Concrete paths before templated ones (/complaints/{ticket}/sla before a
        # /{ticket}/{action}), as OpenAPI matches them.
        self.paths = sorted(
            ((_pattern(path), path) for path in spec["paths"]),
            key=lambda entry: entry[1].count("{"),
        )
        self._validators: dict[str, Draft202012Validator] = {}

    def operation(self, method: str, path: str) -> tuple[str, dict] | None:
        for pattern, template in self.paths:
            if pattern.fullmatch(path):
                found = self.spec["paths"][template].get(method.lower())
                if found is not None:
                    return template, found
        return None

    def check(self, response: httpx.Response) -> None:
        request = response.request
        path = request.url.path
        if is_page(path):
            return
        found = self.operation(request.method, path)
        status = response.status_code
        if found is None:
            # A path or method the API does not have: its answer is still an error body.
            if status >= 400:
                self._validate("#/components/schemas/Error", response, f"{request.method} {path}")
            return
        template, operation = found
        where = f"{request.method} {template} -> {status}"
        responses = operation["responses"]
        answer = responses.get(str(status)) or responses.get(f"{status // 100}XX")
        if answer is None:
            raise Mismatch(f"{where}: the status is not documented ({response.text[:300]})")
        content = answer.get("content")
        if not content:
            return
        media_type = response.headers.get("content-type", "").split(";")[0].strip()
        if media_type not in content:
            raise Mismatch(f"{where}: answered {media_type!r}, documented {sorted(content)}")
        if media_type == "application/json":
            pointer = "/".join(
                (
                    "#/paths",
                    _escape(template),
                    request.method.lower(),
                    "responses",
                    str(status) if str(status) in responses else f"{status // 100}XX",
                    "content",
                    "application~1json",
                    "schema",
                )
            )
            self._validate(pointer, response, where)

    def _validate(self, pointer: str, response: httpx.Response, where: str) -> None:
        validator = self._validators.get(pointer)
        if validator is None:
            validator = Draft202012Validator({"$ref": pointer, **self.spec})
            self._validators[pointer] = validator
        try:
            body = response.json()
        except ValueError:
            raise Mismatch(f"{where}: the body is not JSON: {response.text[:300]}") from None
        first = best_match(validator.iter_errors(body))
        if first is not None:
            at = "/".join(str(p) for p in first.absolute_path) or "(the body)"
            raise Mismatch(f"{where}: {at}: {first.message} (body {response.text[:500]})")


def _pattern(template: str) -> re.Pattern:
    parts = PARAMETER.split(template)
    return re.compile("[^/]+".join(re.escape(part) for part in parts))


def _escape(template: str) -> str:
    return template.replace("~", "~0").replace("/", "~1")


@functools.cache
def conformance() -> Conformance:
    return Conformance(document())


def check_response(response: httpx.Response) -> None:
    """An httpx response hook: reads the body, then checks it against the document."""
    response.read()
    conformance().check(response)
