from gateway.errors import ApiError
from gateway.pages import routes_policy
from services.sla.policy import PERWAL_5_2023


def test_the_form_holds_the_newest_version_with_the_next_number():
    typed = routes_policy.typed_from(PERWAL_5_2023.to_document())
    assert typed["id"] == "perwal-semarang-5-2023"
    assert typed["version"] == "2"
    assert typed["working_days.cross_agency"] == "10"
    assert typed["stage_targets.review"] == "1"
    assert typed["warn_fractions"] == "50, 80"
    assert typed["warn_days_before"] == "1"
    assert routes_policy.typed_from({})["version"] == "1"


def test_what_was_typed_becomes_the_apis_body_and_the_body_reads_back_the_same():
    typed = routes_policy.typed_from(PERWAL_5_2023.to_document())
    body = routes_policy.policy_body(typed)
    assert body == {**PERWAL_5_2023.to_document(), "version": 2}


def test_what_is_not_a_number_is_sent_as_typed_for_the_service_to_refuse_by_name():
    typed = routes_policy.typed_from({}) | {
        "version": "dua",
        "working_days.single_agency": "lima",
        "warn_fractions": "50; 80.5",
        "warn_days_before": "satu",
    }
    body = routes_policy.policy_body(typed)
    assert body["version"] == "dua"
    assert body["working_days"]["single_agency"] == "lima"
    assert body["warn_fractions"] == [0.5, 0.805]
    assert body["warn_days_before"] == "satu"
    # Empty text fields are left out: the service calls them missing.
    assert "id" not in body and "rule" not in body


def test_refusals_are_said_in_indonesian_beside_their_input():
    days = ApiError(
        "invalid_field",
        "working_days.cross_agency: a whole number of working days, 1 to 365",
        "working_days.cross_agency",
    )
    assert routes_policy.refusal(days) == (
        "working_days.cross_agency",
        "Batas waktu bila ditangani beberapa perangkat daerah: "
        "tulis jumlah hari kerja, 1 sampai 365.",
    )
    fractions = ApiError(
        "invalid_field",
        "warn_fractions: a list of at most 5 numbers from 0.01 to 0.99",
        "warn_fractions",
    )
    assert routes_policy.refusal(fractions) == (
        "warn_fractions",
        "Peringatan saat terpakai (persen): paling banyak 5 angka dari 1 sampai 99, dipisah koma.",
    )
    policy_id = ApiError("invalid_field", "id: 3-60 lower-case letters, digits or '-'", "id")
    where, message = routes_policy.refusal(policy_id)
    assert where == "id" and message.startswith("Kode kebijakan: 3 sampai 60 huruf kecil")
