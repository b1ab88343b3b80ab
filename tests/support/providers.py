"""Local HTTP servers that play a channel's provider (SMS gateway, social platform,
SP4N-LAPOR!), started by the test fixtures: they record what the adapters send, can be
told to fail, and drop a message whose reference they have already taken, as the
providers' idempotent APIs do."""

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from tests.support.processes import free_port


class StandIn:
    def __init__(self, token: str = "provider-token", handler: type | None = None) -> None:
        self.token = token
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.lock = threading.Lock()
        self.taken: dict[str, dict] = {}  # reference -> request body, in order
        self.attempts: list[dict] = []
        self.failures_left = 0
        self.items: list[dict] = []  # what the LAPOR! side hands to the city
        self.polls = 0
        handler = type("Handler", (handler or _Handler,), {"stand_in": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def fail_next(self, count: int) -> None:
        with self.lock:
            self.failures_left = count

    def messages(self, path_part: str = "") -> list[dict]:
        with self.lock:
            return [body for body in self.taken.values() if path_part in body["_path"]]

    def wait_for(self, predicate, timeout: float = 30) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [m for m in self.messages() if predicate(m)]
            if found:
                return found
            time.sleep(0.1)
        raise AssertionError(f"the provider never got such a message; it has {self.messages()}")

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Handler(BaseHTTPRequestHandler):
    stand_in: StandIn

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        stand_in = self.stand_in
        if not self._authorized():
            return
        url = urlparse(self.path)
        after = parse_qs(url.query).get("after", [""])[0]
        with stand_in.lock:
            stand_in.polls += 1
            items = list(stand_in.items)
        start = next((i + 1 for i, item in enumerate(items) if item["cursor"] == after), 0)
        batch = items[start : start + 50]
        cursor = batch[-1]["cursor"] if batch else after
        self._answer(200, {"items": [item["item"] for item in batch], "next_cursor": cursor})

    def do_POST(self) -> None:
        stand_in = self.stand_in
        if not self._authorized():
            return
        length = int(self.headers.get("content-length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        body["_path"] = self.path
        with stand_in.lock:
            stand_in.attempts.append(body)
            if stand_in.failures_left > 0:
                stand_in.failures_left -= 1
                failing = True
            else:
                failing = False
                reference = body.get("reference") or uuid.uuid4().hex
                stand_in.taken.setdefault(
                    reference, body | {"_id": uuid.uuid4().hex, "_at": time.time()}
                )
                taken_id = stand_in.taken[reference]["_id"]
                # The WhatsApp Cloud API names its message in messages[0].id.
                answer = {"id": taken_id, "messages": [{"id": taken_id}]}
        if failing:
            self._answer(503, {"error": "temporarily unavailable"})
        else:
            self._answer(200, answer)

    def _authorized(self) -> bool:
        if self.headers.get("authorization") == f"Bearer {self.stand_in.token}":
            return True
        self._answer(401, {"error": "bad token"})
        return False

    def _answer(self, status: int, body: dict) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)
