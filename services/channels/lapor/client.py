"""The SP4N-LAPOR! integration API, behind one small interface.

LAPOR!'s API documentation is only available behind a developer login, so the HTTP
client below is written against the fields and paths listed in docs/channels.md
(assumed, to be checked against the real API). Everything else in the bridge speaks
only to `LaporClient`, so adapting to the real API changes this file alone.
"""

from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote, urlencode

from services.chassis.http import DeliveryFailed, request_json


@dataclass(frozen=True)
class Batch:
    items: list[dict]
    next_cursor: str


class LaporClient(Protocol):
    def handed_over(self, after: str) -> Batch:
        """Complaints LAPOR! disposed to the city after `after` (an opaque cursor)."""

    def send_update(self, tracking_id: str, status: str, message: str, reference: str) -> str:
        """A status change or the final follow-up for one LAPOR! complaint; `reference`
        makes a repeated call a no-op on LAPOR!'s side. Returns LAPOR!'s id for it."""


class HttpLaporClient:
    """GET  {base}/disposisi?after=CURSOR&limit=50 -> {"items": [...], "next_cursor": str}
    POST {base}/laporan/{tracking_id}/tindak-lanjut {status, message, reference} -> {"id"}
    Both with Authorization: Bearer {token}."""

    def __init__(self, base_url: str, token: str, timeout: float = 15.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def handed_over(self, after: str) -> Batch:
        self._configured()
        query = urlencode({"after": after, "limit": 50})
        answer = request_json(
            "GET", f"{self.base_url}/disposisi?{query}", token=self.token, timeout=self.timeout
        )
        items = answer.get("items")
        if not isinstance(items, list):
            raise DeliveryFailed("LAPOR! answered without an items list")
        return Batch(items, str(answer.get("next_cursor") or after))

    def send_update(self, tracking_id: str, status: str, message: str, reference: str) -> str:
        self._configured()
        url = f"{self.base_url}/laporan/{quote(tracking_id, safe='')}/tindak-lanjut"
        body = {"status": status, "message": message, "reference": reference}
        return str(request_json("POST", url, body, self.token, self.timeout).get("id", ""))

    def _configured(self) -> None:
        if not self.base_url:
            raise DeliveryFailed("ADUAN_LAPOR_URL is not set")
