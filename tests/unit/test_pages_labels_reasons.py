from gateway.pages import labels


def test_the_sla_services_deadline_reasons_are_said_in_indonesian():
    said = {
        "received": "Ditetapkan sementara saat pengaduan diterima",
        "classified": "Ditetapkan saat pengaduan diverifikasi",
        "resumed after 2 working days paused": (
            "Diperpanjang 2 hari kerja karena jeda menunggu keterangan pelapor"
        ),
        "reopened (cycle 2)": "Ditetapkan ulang saat pengaduan dibuka kembali (putaran 2)",
        "calendar: 2026-12-24 day off (Cuti bersama: keputusan 12/2026)": (
            "Perubahan kalender: 24 Desember 2026 menjadi hari libur "
            "(Cuti bersama: keputusan 12/2026)"
        ),
        "calendar: 2026-12-26 working day (Hari kerja pengganti)": (
            "Perubahan kalender: 26 Desember 2026 menjadi hari kerja (Hari kerja pengganti)"
        ),
    }
    for reason, indonesian in said.items():
        assert labels.deadline_reason(reason) == indonesian
    assert labels.deadline_reason("something new") == "something new"
    assert labels.deadline_reason(None) == "-"


def test_a_forwarding_in_the_timeline_names_the_agency():
    view = {
        "timeline": [
            {"event": "complaint.received", "at": "2026-11-02T01:00:00+00:00", "note": None},
            {
                "event": "complaint.forwarded",
                "at": "2026-11-02T02:00:00+00:00",
                "note": "Diteruskan ke dpu",
                "agency": "dpu",
            },
            # A view folded before entries named their agency keeps its note.
            {"event": "complaint.forwarded", "at": "2026-11-03T02:00:00+00:00", "note": "x"},
        ]
    }
    lines = labels.timeline(view, {"dpu": "Dinas Pekerjaan Umum"})
    assert [line["note"] for line in lines] == [None, "Diteruskan ke Dinas Pekerjaan Umum", "x"]
    assert lines[1]["label"] == "Diteruskan ke perangkat daerah"
