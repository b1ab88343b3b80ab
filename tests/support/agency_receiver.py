"""A local HTTP server that plays an agency's system receiving Aduan's webhooks: it
checks each signature as docs/agencies.md tells an integrator to, records what came
(in arrival order, duplicates included), can answer 500 for a while or answer slowly,
and can act on an event once (call the gateway back with the agency's API key)."""

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.support.processes import free_port


def verify(secret: str, header: str, body: bytes, tolerance: float = 300) -> bool:
    """The check of docs/agencies.md: HMAC-SHA256 of "<t>.<body>" with the secret."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    timestamp, given = parts.get("t", ""), parts.get("v1", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > tolerance:
        return False
    signed = timestamp.encode() + b"." + body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, given)


class AgencyReceiver:
    def __init__(self, on_event: Callable[[dict], None] | None = None) -> None:
        self.secret = ""
        self.on_event = on_event
        self.lock = threading.Lock()
        self.received: list[dict] = []  # every accepted request: body + headers seen
        self.refused = 0  # requests answered 500 (or with a bad signature: 401)
        self.bad_signatures = 0
        self.failing_until = 0.0
        self.answer_delay = 0.0
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/aduan/hooks"
        handler = type("Handler", (_Handler,), {"receiver": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def fail_for(self, seconds: float) -> None:
        self.failing_until = time.monotonic() + seconds

    def events(self, ticket: str | None = None) -> list[dict]:
        with self.lock:
            return [e for e in self.received if ticket is None or e["ticket"] == ticket]

    def unique(self, ticket: str | None = None) -> list[dict]:
        """What a receiver that dedupes by event id keeps, in arrival order."""
        seen: dict[str, dict] = {}
        for event in self.events(ticket):
            seen.setdefault(event["id"], event)
        return list(seen.values())

    def wait_for(self, predicate, timeout: float = 30, what: str = "such events") -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self):
                return self.events()
            time.sleep(0.1)
        raise AssertionError(f"the agency's system never got {what}; it has {self.events()}")

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Handler(BaseHTTPRequestHandler):
    receiver: AgencyReceiver

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:
        receiver = self.receiver
        raw = self.rfile.read(int(self.headers.get("content-length") or 0))
        if receiver.answer_delay:
            time.sleep(receiver.answer_delay)
        if time.monotonic() < receiver.failing_until:
            with receiver.lock:
                receiver.refused += 1
            self._answer(500)
            return
        if not verify(receiver.secret, self.headers.get("Aduan-Signature", ""), raw):
            with receiver.lock:
                receiver.bad_signatures += 1
            self._answer(401)
            return
        event = json.loads(raw)
        event["_headers"] = {k.lower(): v for k, v in self.headers.items()}
        event["_at"] = time.monotonic()
        event["_wall"] = time.time()
        with receiver.lock:
            first = all(e["id"] != event["id"] for e in receiver.received)
            receiver.received.append(event)
        self._answer(204)
        # The system acts on an event once, deduplicating by id as docs/agencies.md asks.
        if receiver.on_event and first:
            threading.Thread(target=receiver.on_event, args=(event,), daemon=True).start()

    def _answer(self, status: int) -> None:
        self.send_response(status)
        self.send_header("content-length", "0")
        self.end_headers()
