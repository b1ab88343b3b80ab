"""Complaints as GeoReport v2 service requests: built only from what the reporting
service's public list gives (services/reporting/public_list.py), so a request never
holds the reporter's identity, nor a confidential complaint's description or place."""

from datetime import datetime
from zoneinfo import ZoneInfo

from gateway.open311.status import open311_status
from services.contracts.reference import CATEGORY_LABELS, Category

CITY = "Kota Semarang"
JAKARTA = ZoneInfo("Asia/Jakarta")


def service_request(item: dict, agency_names: dict[str, str]) -> dict:
    """One `request` of GET requests and GET requests/{id}, in the specification's order."""
    code = item.get("public_category")
    location = item.get("location") or {}
    agency = item.get("agency")
    return {
        "service_request_id": item["ticket"],
        "status": open311_status(item.get("status")),
        "status_notes": status_notes(item),
        "service_name": CATEGORY_LABELS[Category(code)] if code in set(Category) else None,
        "service_code": code,
        "description": item.get("description"),
        "agency_responsible": agency_names.get(agency, agency) if agency else None,
        "service_notice": None,
        "requested_datetime": w3c(item.get("received_at")),
        "updated_datetime": w3c(item.get("updated_at") or item.get("received_at")),
        "expected_datetime": w3c((item.get("deadline") or {}).get("due_at")),
        "address": address(location),
        "address_id": None,
        "zipcode": None,
        "lat": location.get("lat"),
        "long": location.get("lon"),
        "media_url": (item.get("media") or [None])[0],
    }


def status_notes(item: dict) -> str:
    """Aduan's own status in Bahasa Indonesia, with the note of its last change (the
    follow-up, the reason for a refusal, the complaint it joined)."""
    label = item.get("status_label") or "Diterima"
    note = item.get("status_note")
    return f"{label}. {note}" if note else label


def address(location: dict) -> str | None:
    """From the most specific to the most general, as the specification asks."""
    kecamatan = location.get("kecamatan")
    parts = [
        location.get("address"),
        location.get("kelurahan"),
        f"Kecamatan {kecamatan}" if kecamatan else None,
    ]
    given = [part for part in parts if part]
    return ", ".join([*given, CITY]) if given else None


def w3c(instant: str | None) -> str | None:
    """An ISO 8601 instant in Asia/Jakarta to the second (2026-03-02T09:15:00+07:00)."""
    if not instant:
        return None
    return datetime.fromisoformat(instant).astimezone(JAKARTA).isoformat(timespec="seconds")


def posted(ticket: str, public_url: str) -> dict:
    """The answer to POST requests: the ticket at once (every service is realtime)."""
    return {
        "service_request_id": ticket,
        "service_notice": (
            f"Pengaduan diterima dengan nomor {ticket}. Petugas memverifikasinya lalu "
            "meneruskannya kepada perangkat daerah yang berwenang; batas waktu penanganan "
            "5, 10 atau 30 hari kerja. Pantau statusnya di "
            f"{public_url}/open311/v2/requests/{ticket}.json"
        ),
        "account_id": None,
    }
