"""aduan-service takes a service's own options: agency_hooks runs per agency."""

import pytest

from services.chassis.launch import parse_options


def test_agencies_given_as_options_become_the_setting_the_store_reads():
    options = ["--agency", "dpu", "--agency", "dlh"]
    assert parse_options("agency_hooks", options) == {"ADUAN_HOOKS_AGENCIES": "dpu,dlh"}
    assert parse_options("agency_hooks", []) == {}


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("agency_hooks", ["--agency"]),
        ("agency_hooks", ["--colour", "red"]),
        ("sla", ["--agency", "dpu"]),
    ],
)
def test_an_option_the_service_does_not_take_stops_with_its_usage(name, options):
    with pytest.raises(SystemExit) as stopped:
        parse_options(name, options)
    assert f"usage: aduan-service {name}" in str(stopped.value)
