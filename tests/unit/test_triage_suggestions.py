"""Triage's suggestions on fixed examples: the classifier, the routing table, validity,
duplicates and urgency."""

from datetime import UTC, datetime, timedelta

import pytest

from services.contracts.errors import CommandRejected
from services.triage import duplicates, routing, urgency, validity
from services.triage.learning.classifier import CategoryModel, load_records
from services.triage.suggestions import Suggester

NOW = datetime(2026, 3, 5, 3, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def model() -> CategoryModel:
    return CategoryModel.train(load_records(split="train"))


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("lampu PJU di jln Kaligawe mati sdh 2 minggu", "penerangan_transportasi"),
        ("KTP saya blm jadi sdh 3 bulan, katanya blanko habis", "administrasi_kependudukan"),
        ("Sampah ing TPS mboten diangkut sampun seminggu, mambu sanget", "lingkungan_perumahan"),
        (
            "Dengan hormat, jalan di kampung kami berlubang dan aspalnya rusak",
            "infrastruktur_fasum",
        ),
        ("@pemkotsemarang PKL jualan di trotoar bikin macet min!!", "penegakan_perda"),
        ("Tagihan PBB naik drastis tanpa pemberitahuan", "perizinan_pajak"),
        ("Puskesmas menolak pasien BPJS, dokternya tidak ada", "pendidikan_kesehatan"),
        ("Selamat pagi min, semoga sukses selalu", "bukan_pengaduan"),
    ],
)
def test_the_classifier_reads_informal_indonesian(model, text, category):
    guess = model.guess(text)
    assert guess.category == category
    assert guess.words and 0 < guess.confidence <= 1
    assert [label for label, _ in guess.ranking][0] == category


def test_a_saved_model_loads_back_and_answers_the_same(model, tmp_path):
    path = tmp_path / "model.joblib"
    model.save(path)
    loaded = CategoryModel.load(path)
    text = "Lampu lalu lintas di Simpang Lima mati"
    assert loaded.guess(text) == model.guess(text)
    assert CategoryModel.load(tmp_path / "missing.joblib") is None


@pytest.mark.parametrize(
    ("category", "text", "kecamatan", "agency", "scope"),
    [
        (
            "penerangan_transportasi",
            "lampu jalan mati di gang",
            "Tugu",
            "disperkim",
            "single_agency",
        ),
        ("penerangan_transportasi", "lampu lalu lintas mati", "Tugu", "dishub", "single_agency"),
        ("perizinan_pajak", "tagihan pbb naik", "Mijen", "bapenda", "single_agency"),
        ("perizinan_pajak", "izin usaha lama sekali", "Mijen", "dpmptsp", "single_agency"),
        (
            "administrasi_kependudukan",
            "lurah minta uang untuk surat pengantar",
            "Genuk",
            "kec-genuk",
            "single_agency",
        ),
        ("infrastruktur_fasum", "jalan provinsi rusak parah", "Tugu", "dpu", "cross_institution"),
        (
            "penerangan_transportasi",
            "kabel PJU putus, listrik PLN",
            "Tugu",
            "disperkim",
            "cross_institution",
        ),
        ("lingkungan_perumahan", "PKL buang sampah ke jalan", "Tugu", "dlh", "cross_agency"),
    ],
)
def test_the_routing_table_names_agency_and_scope(category, text, kecamatan, agency, scope):
    route = routing.route(routing.default_table(), category, text, kecamatan)
    assert (route.agency, route.scope) == (agency, scope)
    assert route.agencies[0] == agency


def test_a_supervisor_edits_the_routing_table_as_data():
    document = routing.to_document(routing.default_table())
    document["rules"].insert(
        0, {"category": "penerangan_transportasi", "words": ["halte"], "agency": "kec-{kecamatan}"}
    )
    table = routing.routing_table_from(document, version=2)
    route = routing.route(table, "penerangan_transportasi", "Halte rusak", "Candisari")
    assert route.agency == "kec-candisari" and route.because == ("halte",)
    assert routing.to_document(table)["version"] == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            lambda d: d["rules"].append({"category": "x", "words": [], "agency": "dpu"}),
            "rules[13].category",
        ),
        (lambda d: d["rules"][0].update(agency="DPU!"), "rules[0].agency"),
        (lambda d: d.update(rules=[r for r in d["rules"] if r["agency"] != "satpolpp"]), "rules"),
        (lambda d: d.update(rules="all"), "rules"),
    ],
)
def test_a_broken_routing_table_is_refused(change, field):
    document = routing.to_document(routing.default_table())
    change(document)
    with pytest.raises(CommandRejected) as caught:
        routing.routing_table_from(document, version=2)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("text", "flags"),
    [
        ("", ("empty",)),
        ("asdfgh qwerty zxcvb", ("gibberish",)),
        ("tes tes 123", ("test",)),
        ("PROMO pinjaman cair cepat, klik wa.me/628123", ("advertising",)),
        ("dasar pegawai goblok semua", ("abusive",)),
        ("Peternakan babi di tengah kampung bau sekali", ()),
        ("Anjing liar menggigit anak di taman, mohon ditangkap", ()),
        ("Jalan berlubang di depan pasar, banyak motor jatuh", ()),
    ],
)
def test_validity_flags_what_is_no_complaint(text, flags):
    assert validity.check(text).flags == flags


def test_nothing_to_act_on_needs_the_classifier_to_agree():
    thanks = "Terima kasih atas pelayanannya kemarin"
    assert validity.check(thanks, not_a_complaint=0.9).flags == ("no_action",)
    assert validity.check(thanks, not_a_complaint=0.1).valid


def test_automatic_rejection_only_for_flags_a_supervisor_turned_on():
    spam = validity.check("PROMO diskon slot gacor klik link")
    assert validity.auto_rejection(spam, frozenset()) is None
    assert validity.auto_rejection(spam, frozenset({"advertising"})) == "advertising"


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("Pohon tumbang menutup jalan dan menimpa rumah", True),
        ("Banjir setinggi lutut masuk rumah warga", True),
        ("Kabel listrik putus menjuntai, ada percikan api", True),
        ("Trotoar berlubang membahayakan pejalan kaki", False),
        ("Rumah sakit menagih uang muka pasien gawat darurat", False),
    ],
)
def test_urgency(text, urgent):
    assert bool(urgency.urgent_words(text)) is urgent


def report(ticket, words, kelurahan="Sumurboto", category="infrastruktur_fasum", days=0, **at):
    return duplicates.Report(
        ticket, category, "Tembalang", kelurahan, at.get("lat"), at.get("lon"),
        tuple(words.split()), NOW - timedelta(days=days),
    )  # fmt: skip


def test_the_same_incident_nearby_and_recent_is_a_duplicate():
    first = report("A", "jalan lubang besar depan kampus motor jatuh")
    second = report("B", "lubang besar jalan depan kampus teman jatuh motor malam")
    match = duplicates.best_match(second, [first])
    assert match.ticket == "A" and match.similarity >= duplicates.MIN_SIMILARITY
    assert "lubang" in match.shared_words


@pytest.mark.parametrize(
    "other",
    [
        report("A", "jalan lubang besar depan kampus motor jatuh", kelurahan="Tembalang"),
        report("A", "jalan lubang besar depan kampus motor jatuh", category="penegakan_perda"),
        report("A", "jalan lubang besar depan kampus motor jatuh", days=45),
        report("A", "sampah tps tidak angkut bau"),
    ],
)
def test_another_place_category_month_or_matter_is_not_a_duplicate(other):
    second = report("B", "lubang besar jalan depan kampus teman jatuh motor malam")
    assert duplicates.best_match(second, [other]) is None


def test_coordinates_decide_the_place_when_both_have_them():
    first = report("A", "pohon tumbang tutup jalan", kelurahan="X", lat=-7.050, lon=110.430)
    near = report("B", "pohon tumbang tutup jalan raya", kelurahan="Y", lat=-7.052, lon=110.431)
    far = report("C", "pohon tumbang tutup jalan raya", kelurahan="X", lat=-7.10, lon=110.43)
    assert duplicates.best_match(near, [first]).ticket == "A"
    assert duplicates.best_match(far, [first]) is None


def test_the_suggester_puts_it_together(model):
    data = {
        "title": "Pohon tumbang",
        "description": "Pohon besar tumbang menimpa rumah warga di Jalan Ngesrep",
        "received_at": NOW.isoformat(),
        "location": {"kecamatan": "Tembalang", "kelurahan": "Sumurboto"},
    }
    suggestion, words = Suggester(model).suggest(
        "SMG-2026-000009", data, [], routing.default_table(), frozenset()
    )
    assert suggestion.category == "lingkungan_perumahan" and suggestion.agency == "dlh"
    assert suggestion.urgent and "tumbang" in suggestion.urgent_words
    assert suggestion.validity_flags == () and suggestion.duplicate_of is None
    assert "pohon" in words
