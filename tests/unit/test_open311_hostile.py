"""Any input to the Open311 endpoints, through the gateway's own app: the answer is
always the specification's error document with a 4xx (or a 503 for the services this
test does not run), never a 500, whatever the parameters, bytes or content type."""

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gateway.app import create_app
from gateway.config import GatewaySettings
from gateway.open311.client_keys import ClientKey
from gateway.open311.params import POST_PARAMETERS, REQUESTS_QUERY
from gateway.pages import start
from gateway.rpc import RpcClient
from gateway.throttle import KeyThrottles, Throttle
from tests.support.asgi import Client

KEY = "o311_0123456789abcdef_" + "k" * 43
NAMES = [
    *POST_PARAMETERS,
    *REQUESTS_QUERY,
    "attribute[kecamatan]",
    "attribute[confidential]",
    "attribute[x]",
]
VALUES = st.one_of(
    st.sampled_from(
        [KEY, "semarang", "infrastruktur_fasum", "-7.05", "110.4", "Tembalang", "true", "open"]
        + ["2026-11-01T00:00:00Z", "SMG-2026-000001", "", "1e999", "%", "\u0000"]
    ),
    st.text(max_size=40),
)


class KnownKey:
    def check(self, written: str) -> ClientKey | None:
        now = datetime.now(UTC)
        return (
            ClientKey("0123456789abcdef", "uji", "dev", 1000, "t", now, None)
            if written == KEY
            else None
        )


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    config = GatewaySettings.from_env({"ADUAN_PAGE_SECRET": "unit-test-page-secret"})
    app = create_app(config)
    # No lifespan: the RPC client is never started, so a call to a service answers 503.
    app.state.settings = config
    app.state.app_throttle = Throttle(10**9, 600)
    app.state.key_throttles = KeyThrottles()
    app.state.open311_keys = KnownKey()
    app.state.rpc = RpcClient(config.amqp_uri, config.rpc_timeout)
    start(app.state, config)
    called = Client(app)
    yield called
    called.close()


def assert_spec_error(response, fmt: str) -> None:
    assert 400 <= response.status_code < 500 or response.status_code == 503, response.text
    if fmt == "json":
        listed = json.loads(response.content)
        assert all(set(e) == {"code", "description"} for e in listed) and listed
        assert all(e["code"] == response.status_code for e in listed)
    else:
        root = ElementTree.fromstring(response.content)
        assert root.tag == "errors"
        assert [e.findtext("code") for e in root] == [str(response.status_code)]


PARAMS = st.lists(st.tuples(st.sampled_from(NAMES), VALUES), max_size=12)
SLOW = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(params=PARAMS, fmt=st.sampled_from(["xml", "json"]))
def test_any_posted_form_is_refused_in_the_specification_s_format(client, params, fmt):
    response = client.post(
        f"/open311/v2/requests.{fmt}",
        content=urlencode(params),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert_spec_error(response, fmt)


@SLOW
@given(
    body=st.one_of(
        st.binary(max_size=60),
        st.dictionaries(
            st.sampled_from(NAMES + ["attribute"]),
            st.recursive(
                st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
                lambda inner: (
                    st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=5), inner, max_size=3)
                ),
                max_leaves=6,
            ),
        ).map(lambda d: json.dumps(d).encode()),
    ),
    content_type=st.sampled_from(
        ["application/json", "multipart/form-data; boundary=x", "text/plain", ""]
    ),
    fmt=st.sampled_from(["xml", "json"]),
)
def test_any_body_of_any_type_is_refused_in_the_specification_s_format(
    client, body, content_type, fmt
):
    response = client.post(
        f"/open311/v2/requests.{fmt}", content=body, headers={"Content-Type": content_type}
    )
    assert_spec_error(response, fmt)


@SLOW
@given(
    params=PARAMS,
    path=st.sampled_from(["requests", "requests/SMG-2026-000001", "services", "tokens/1"]),
    fmt=st.sampled_from(["xml", "json"]),
)
def test_any_query_is_answered_or_refused_without_a_500(client, params, path, fmt):
    response = client.get(f"/open311/v2/{path}.{fmt}?{urlencode(params)}")
    if response.status_code == 200:  # services need no backend
        assert path == "services"
        return
    assert_spec_error(response, fmt)
