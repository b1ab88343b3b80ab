from gateway.errors import ApiError
from gateway.pages import routes_triage_settings as settings
from services.triage import routing

TABLE = routing.to_document(routing.default_table())


def test_the_form_holds_the_table_and_sends_it_back_unchanged():
    typed = settings.typed_from_table(TABLE)
    assert len(typed["rows"]) == len(TABLE["rules"]) + settings.BLANK_ROWS
    body, rows = settings.table_body(typed)
    assert body == {k: TABLE[k] for k in ("rules", "institutions", "agencies_named")}
    assert rows == list(range(len(TABLE["rules"])))


def test_rows_are_taken_by_order_number_and_removed_or_empty_rows_left_out():
    typed = settings.typed_from_table(TABLE)
    blank = len(TABLE["rules"])
    typed["rows"][blank] |= {
        "order": "0",
        "category": "lingkungan_perumahan",
        "words": " Banjir rob , , genangan",
        "agency": "dpu",
    }
    typed["rows"][0]["remove"] = True
    body, rows = settings.table_body(typed)
    assert body["rules"][0] == {
        "category": "lingkungan_perumahan",
        "words": ["Banjir rob", "genangan"],
        "agency": "dpu",
    }
    assert body["rules"][1:] == TABLE["rules"][1:]
    assert rows[:2] == [blank, 1]


def test_word_lines_become_maps_and_a_line_without_a_colon_is_sent_for_triage_to_refuse():
    typed = settings.typed_from_table(TABLE) | {"lembaga": "pln: pln, listrik\n\nPDAM air"}
    body, _ = settings.table_body(typed)
    assert body["institutions"] == {"pln": ["pln", "listrik"], "PDAM air": []}


def test_a_rules_refusal_is_said_beside_its_row_with_its_order_number():
    typed = settings.typed_from_table(TABLE)
    typed["rows"][2]["order"] = "7"
    _, rows = settings.table_body(typed)
    # Row 2 (order 7) is sent after row 5 (order 6) and before row 6 (also order 7).
    assert rows.index(2) == 5
    error = ApiError(
        "invalid_field",
        "rules[5].agency: must be an agency code or kec-{kecamatan}",
        "rules[5].agency",
    )
    assert settings.routing_refusal(error, typed, rows) == (
        "pd-2",
        "Aturan nomor 7, perangkat daerah: pilih perangkat daerah atau kantor kecamatan.",
    )
    missing = ApiError(
        "invalid_field", "rules: lingkungan_perumahan needs a last rule without words", "rules"
    )
    where, message = settings.routing_refusal(missing, typed, rows)
    assert where == "rules"
    assert message.startswith("Aturan: kategori Lingkungan dan perumahan memerlukan")
    named = ApiError(
        "invalid_field", "institutions.PDAM air: is not an agency code", "institutions.PDAM air"
    )
    assert settings.routing_refusal(named, typed, rows) == (
        "lembaga",
        "Instansi di luar Pemkot 'PDAM air': "
        "bukan kode perangkat daerah (huruf kecil, angka, '-').",
    )
