"""The inbox parks an envelope whose fields are not of their types, for every service."""

import pytest

from services.chassis.inbox import well_formed

GOOD = {
    "event_id": "e1",
    "type": "reporter.rated",
    "version": 1,
    "occurred_at": "2026-12-03T03:00:00+00:00",
    "ticket": "SMG-2026-000001",
    "data": {"rating": 4},
}


def test_an_envelope_of_the_contracts_shape_is_taken_also_without_a_ticket():
    assert well_formed(GOOD) and well_formed(GOOD | {"ticket": ""})


@pytest.mark.parametrize(
    "broken",
    [{"ticket": ["SMG"]}, {"event_id": {"x": 1}}, {"event_id": ""}, {"data": "text"}, {"type": 3}],
)
def test_an_envelope_with_a_field_of_another_type_is_refused(broken):
    assert not well_formed(GOOD | broken)
