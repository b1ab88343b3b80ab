"""The pure rules of staff accounts: role shapes, what a sign-in must still grant, the
users API's body and self-protection, and aduan-admin's output."""

from datetime import UTC, datetime

import pytest

from gateway.cli import change_line, users_table
from gateway.errors import ApiError
from gateway.identity import (
    Account,
    IdentityError,
    Role,
    UserChange,
    check_role,
    check_username,
    same_grant,
)
from gateway.routes.users import account_json, role_change_from

CREATED = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("role", "agency", "field"),
    [
        ("chief", None, "role"),
        ("agency_admin", None, "agency"),
        ("supervisor", "dpu", "agency"),
    ],
)
def test_a_role_and_agency_must_fit_together(role, agency, field):
    with pytest.raises(IdentityError) as refused:
        check_role(role, agency)
    assert refused.value.field == field


def test_fitting_roles_pass():
    check_role("agency_admin", "dpu")
    check_role(Role.OFFICER, None)


@pytest.mark.parametrize("name", ["ab", "Budi", "budi\n", "-budi", "bu di", "a" * 41])
def test_usernames_that_cannot_exist(name):
    with pytest.raises(IdentityError):
        check_username(name)


def test_a_sign_in_keeps_its_token_only_while_the_user_grants_the_same():
    read = {"role": "supervisor", "agency": None, "active": True, "password_hash": "x"}
    assert same_grant(read, {"role": "supervisor", "agency": None, "active": True})
    for now in (
        None,
        {"role": "supervisor", "agency": None, "active": False},
        {"role": "officer", "agency": None, "active": True},
        {"role": "supervisor", "agency": "dpu", "active": True},
    ):
        assert not same_grant(read, now), now


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ([], None),
        ({}, "role"),
        ({"role": "chief"}, "role"),
        ({"role": ["officer"]}, "role"),
        ({"role": "agency_admin"}, "agency"),
        ({"role": "agency_admin", "agency": 7}, "agency"),
        ({"role": "officer", "agency": "dpu"}, "agency"),
        ({"role": "officer", "active": False}, "active"),
    ],
)
def test_a_role_change_body_is_refused_naming_the_field(body, field):
    with pytest.raises(ApiError) as refused:
        role_change_from(body)
    assert (refused.value.status, refused.value.code, refused.value.field) == (
        422,
        "invalid_field",
        field,
    )


def test_a_role_change_body_is_read():
    assert role_change_from({"role": "agency_admin", "agency": "dlh"}) == (
        Role.AGENCY_ADMIN,
        "dlh",
    )
    assert role_change_from({"role": "officer", "agency": None}) == (Role.OFFICER, None)


def test_changing_ones_own_account_is_a_conflict():
    refused = ApiError("own_account", "no")
    assert (refused.status, refused.code) == (409, "own_account")


def test_an_account_is_shown_without_secrets():
    account = Account("budi", Role.OFFICER, None, False, CREATED)
    assert account_json(account) == {
        "username": "budi",
        "role": "officer",
        "agency": None,
        "active": False,
        "created_at": "2026-03-02T01:30:00+00:00",
    }


def test_aduan_admin_says_what_changed():
    account = Account("budi", Role.AGENCY_ADMIN, "dpu", True, CREATED)
    assert (
        change_line(UserChange(account, True, 2), "now agency_admin of dpu")
        == "user budi now agency_admin of dpu; 2 tokens revoked"
    )
    assert (
        change_line(UserChange(account, False, 0), "enabled")
        == "user budi unchanged (already enabled)"
    )
    assert change_line(UserChange(account, True, 1), "disabled").endswith("1 token revoked")


def test_aduan_admin_lists_users_in_columns():
    table = users_table(
        [
            Account("budi", Role.OFFICER, None, True, CREATED),
            Account("penghubung-dpu", Role.AGENCY_ADMIN, "dpu", False, None),
        ]
    ).splitlines()
    assert table[0].split() == ["USERNAME", "ROLE", "AGENCY", "ACTIVE", "CREATED"]
    assert table[1].split() == ["budi", "officer", "-", "yes", "2026-03-02", "01:30", "UTC"]
    assert table[2].split() == ["penghubung-dpu", "agency_admin", "dpu", "no", "-"]
    assert table[1].index("officer") == table[0].index("ROLE")
