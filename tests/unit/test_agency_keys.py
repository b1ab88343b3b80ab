import pytest

from gateway.agency_keys import check_new_key, key_id_of, needed_permission
from gateway.errors import ApiError
from gateway.identity import IdentityError
from gateway.throttle import KeyThrottles

TICKET = "/api/v1/complaints/{ticket}"


def test_each_route_a_key_may_call_names_its_permission_and_every_other_is_refused():
    assert needed_permission("GET", "/api/v1/worklist", None) == "read"
    assert needed_permission("GET", TICKET, None) == "read"
    assert needed_permission("POST", TICKET + "/request-info", None) == "request_info"
    for step in ("accept", "return", "resolve"):
        assert needed_permission("POST", TICKET + "/{action:str}", step) == step
    assert needed_permission("POST", TICKET + "/{action:str}", "forward") is None
    assert needed_permission("POST", TICKET + "/classify", None) is None
    assert needed_permission("GET", "/api/v1/users", None) is None
    assert needed_permission("GET", "/api/v1/audit", None) is None
    assert needed_permission("GET", None, None) is None


def test_a_key_is_read_by_its_shape():
    assert key_id_of("aduan_0123456789abcdef_" + "A" * 43) == "0123456789abcdef"
    for wrong in ("aduan_0123456789abcdef_short", "aduan_XYZ_" + "A" * 43, "token", ""):
        assert key_id_of(wrong) is None


@pytest.mark.parametrize(
    ("name", "permissions", "rate_limit", "field"),
    [
        ("ab", ["read"], 600, "name"),
        (None, ["read"], 600, "name"),
        ("Sistem", [], 600, "permissions"),
        ("Sistem", "read", 600, "permissions"),
        ("Sistem", ["read", "admin"], 600, "permissions"),
        ("Sistem", ["read"], 0, "rate_limit"),
        ("Sistem", ["read"], True, "rate_limit"),
        ("Sistem", ["read"], "600", "rate_limit"),
    ],
)
def test_a_new_key_is_checked(name, permissions, rate_limit, field):
    with pytest.raises(IdentityError) as refused:
        check_new_key(name, permissions, rate_limit)
    assert refused.value.field == field


def test_each_key_has_its_own_calls_per_minute():
    throttles = KeyThrottles()
    for n in range(3):
        throttles.check("key:a", 3, now=100.0 + n)
    with pytest.raises(ApiError) as refused:
        throttles.check("key:a", 3, now=103.0)
    assert refused.value.code == "too_many_requests"
    throttles.check("key:b", 3, now=103.0)  # another key is not held back
    throttles.check("key:a", 3, now=161.0)  # the minute has passed
