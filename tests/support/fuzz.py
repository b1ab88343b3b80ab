"""Schemathesis against a running system: every operation of the served API document,
with generated valid (positive) and invalid (negative) requests, each sent as a caller
the operation admits (each staff role, an agency API key, nobody) and, for the
providers' webhooks, signed. Each answer is checked for a server error, a documented
status, its documented content type and its schema. The numbers are kept for the
session's summary (tests/e2e/conftest.py)."""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import HypothesisException
from schemathesis import GenerationMode
from schemathesis.checks import (
    FailureGroup,
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from gateway.openapi.builder import KEY_PERMISSION_KEY, ROLES_KEY
from gateway.signature import sign

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
KEY = "agency_key"


@dataclass
class Failure:
    operation: str
    mode: str
    caller: str | None
    request: str
    detail: str


@dataclass
class FuzzRun:
    seed: int = 0
    operations: int = 0
    requests: int = 0
    by_status: dict[int, int] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    not_generated: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # Per operation: seconds spent (generating and waiting for answers) and statuses.
    spent: dict[str, float] = field(default_factory=dict)
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)

    def summary(self) -> str:
        statuses = ", ".join(f"{s}: {n}" for s, n in sorted(self.by_status.items()))
        return (
            f"Schemathesis: {self.requests} requests to {self.operations} operations in "
            f"{self.seconds:.0f} s, {len(self.failures)} failures ({statuses}; "
            f"seed {self.seed}, ADUAN_FUZZ_SEED repeats it)"
        )

    def slowest(self, count: int = 5) -> str:
        ranked = sorted(self.spent.items(), key=lambda item: -item[1])[:count]
        return ", ".join(f"{label} {seconds:.1f} s" for label, seconds in ranked)


# The session's runs, for its summary.
RUNS: list[FuzzRun] = []


@dataclass
class Callers:
    """Authorization headers by caller: a staff role's signed-in user or an agency key;
    `fresh(role)` signs in anew (for an operation that ends the token it is called
    with); `secrets` sign the providers' webhooks by path."""

    headers: dict[str, dict[str, str]]
    fresh: Callable[[str], dict[str, str]]
    secrets: dict[str, str]
    # Complaints that exist, put in a path's {ticket} now and then instead of a made-up one.
    tickets: list[str] = field(default_factory=list)


def callers_of(operation) -> list[str | None]:
    """Who may call the operation: its roles, an agency key when one may, and nobody
    for a public operation or one whose caller is optional."""
    raw = operation.definition.raw
    roles: list[str | None] = list(raw.get(ROLES_KEY, []))
    if raw.get(KEY_PERMISSION_KEY) and roles:
        roles.append(KEY)
    security = raw.get("security", [])
    if not roles or {} in security:
        roles.append(None)
    return roles


def fuzz(url: str, callers: Callers, max_examples: int, seed_value: int) -> FuzzRun:
    """Runs every operation of the document served at `url`, both modes."""
    run = FuzzRun(seed=seed_value)
    RUNS.append(run)
    started = time.monotonic()
    served = requests.get(f"{url}/api/v1/openapi.json", timeout=30)
    served.raise_for_status()
    schema = schemathesis.openapi.from_dict(served.json())
    session = requests.Session()
    for result in schema.get_all_operations():
        operation = result.ok()
        run.operations += 1
        begun = time.monotonic()
        for mode in MODES:
            _fuzz_operation(run, session, url, operation, mode, callers, max_examples, seed_value)
        run.spent[operation.label] = time.monotonic() - begun
    run.seconds = time.monotonic() - started
    return run


def _fuzz_operation(run, session, url, operation, mode, callers, max_examples, seed_value):
    who = callers_of(operation)
    logout = operation.path == "/api/v1/auth/logout"

    @seed(seed_value)
    @settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(
        case=operation.as_strategy(generation_mode=mode),
        caller=st.sampled_from(who),
        ticket=st.sampled_from([None, *callers.tickets]),
    )
    def test(case, caller, ticket):
        if ticket and "ticket" in (case.path_parameters or {}):
            case.path_parameters["ticket"] = ticket
        headers = {}
        if caller is not None:
            headers = callers.fresh(caller) if logout else callers.headers[caller]
        kwargs = case.as_transport_kwargs(base_url=url, headers=headers)
        prepared = requests.Request(
            method=kwargs["method"],
            url=kwargs["url"],
            headers=kwargs.get("headers"),
            params=kwargs.get("params"),
            json=kwargs.get("json"),
            data=kwargs.get("data"),
            files=kwargs.get("files"),
            cookies=kwargs.get("cookies"),
        ).prepare()
        secret = callers.secrets.get(operation.path)
        if secret is not None:
            body = prepared.body or b""
            body = body.encode() if isinstance(body, str) else body
            stamp = str(int(time.time()))
            prepared.headers["X-Aduan-Timestamp"] = stamp
            prepared.headers["X-Aduan-Signature"] = sign(secret, stamp, body)
        response = session.send(prepared, timeout=30)
        run.requests += 1
        status = response.status_code
        run.by_status[status] = run.by_status.get(status, 0) + 1
        counted = run.statuses.setdefault(operation.label, {})
        counted[status] = counted.get(status, 0) + 1
        try:
            case.validate_response(response, checks=CHECKS)
        except (AssertionError, FailureGroup) as failure:
            run.failures.append(
                Failure(
                    operation.label,
                    mode.value,
                    caller,
                    f"{prepared.method} {prepared.url} {str(prepared.body)[:300]}",
                    f"{response.status_code} {response.text[:300]} :: {str(failure)[:600]}",
                )
            )

    try:
        test()
    except HypothesisException as error:  # nothing to generate (e.g. no invalid form)
        run.not_generated.append(f"{operation.label} ({mode.value}): {type(error).__name__}")
