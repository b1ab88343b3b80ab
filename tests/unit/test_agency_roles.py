import pytest

from gateway.identity import IdentityError, check_role
from services.contracts.errors import CommandRejected
from services.reporting import core


def test_the_head_of_an_agency_is_bound_to_one_like_its_liaison():
    check_role("agency_head", "dpu")
    check_role("agency_admin", "dpu")
    for role, agency in (("agency_head", None), ("officer", "dpu"), ("supervisor", "dlh")):
        with pytest.raises(IdentityError) as refused:
            check_role(role, agency)
        assert refused.value.field == "agency"


def test_the_heads_worklist_is_its_agencys_complaints_to_their_result():
    statuses, match, _ = core.worklist_query("agency_head", "dpu", 50)
    # Every complaint the agency has a part in, also one whose own task is done.
    assert match == {"task_agencies": "dpu"}
    assert statuses == ["forwarded", "accepted", "resolved"]
    with pytest.raises(CommandRejected):
        core.worklist_query("agency_head", None, 50)
    # An officer's worklist is never narrowed to an agency.
    assert core.worklist_query("officer", "dpu", 50)[1] == {}
