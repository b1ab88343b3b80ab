"""The LAPOR! bridge's pure core: a handed-over complaint to intake's body, and our
notices to LAPOR! status updates. Standard library only."""

from dataclasses import dataclass

from services.chassis import fields

# Our notices as LAPOR! statuses (assumed vocabulary, see docs/channels.md).
STATUS_FOR_NOTICE = {
    "received": "diproses",
    "forwarded": "diproses",
    "info_requested": "menunggu_tanggapan_pelapor",
    "rejected": "ditolak",
    "resolved": "selesai",
}
RETURNED = "dikembalikan"


@dataclass(frozen=True)
class Item:
    tracking_id: str
    body: dict


def parse_item(item: object) -> Item:
    """A complaint LAPOR! handed to the city. Only the tracking id must be readable
    here; what intake refuses is sent back to LAPOR! with the reason."""
    if not isinstance(item, dict):
        raise fields.invalid("item", "must be an object")
    tracking_id = fields.text(item, "tracking_id", "tracking_id", max_len=64)
    reporter = item.get("reporter") if isinstance(item.get("reporter"), dict) else {}
    body = {
        "reporter": {
            k: v for k, v in reporter.items() if k in ("name", "phone", "email", "anonymous")
        },
        "title": item.get("title"),
        "description": item.get("content"),
    }
    location = item.get("location")
    if isinstance(location, dict):
        body["location"] = {
            k: v for k, v in location.items() if k in ("kecamatan", "kelurahan", "address")
        }
    return Item(tracking_id, body)


def update_for(about: str, message: str) -> tuple[str, str]:
    return STATUS_FOR_NOTICE.get(about, "diproses"), message


def returned_message(reason: str) -> str:
    return (
        "Laporan dikembalikan oleh Pemerintah Kota Semarang karena datanya belum dapat "
        f"diproses ({reason}). Mohon lengkapi laporan."
    )
