"""JSON over HTTP to a channel's provider, with failures sorted into retry or give up.

Adapters run under eventlet, whose patched sockets make urllib cooperative.
"""

import json
import urllib.error
import urllib.request


class DeliveryFailed(Exception):
    """The provider did not take the message. `permanent` when retrying cannot help."""

    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


def request_json(
    method: str, url: str, body: dict | None = None, token: str | None = None, timeout=10.0
) -> dict:
    data = None if body is None else json.dumps(body).encode()
    headers = {"Accept": "application/json"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    raw, _ = _exchange(method, url, data, headers, token, timeout)
    try:
        return json.loads(raw) if raw else {}
    except json.JSONDecodeError:
        raise DeliveryFailed(f"{method} {url}: the answer is not JSON") from None


def request_bytes(
    url: str, token: str | None, max_bytes: int, timeout: float = 30.0
) -> tuple[bytes, str]:
    """A file the provider serves (a photo a resident sent) and its Content-Type; refused
    for good when it is larger than `max_bytes` (reading on would not make it fit)."""
    raw, content_type = _exchange("GET", url, None, {}, token, timeout, max_bytes + 1)
    if len(raw) > max_bytes:
        raise DeliveryFailed(f"GET {url}: larger than {max_bytes} bytes", permanent=True)
    return raw, content_type


def _exchange(
    method: str,
    url: str,
    data: bytes | None,
    headers: dict,
    token: str | None,
    timeout: float,
    limit: int | None = None,
) -> tuple[bytes, str]:
    if token:
        headers = headers | {"Authorization": f"Bearer {token}"}
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read(limit), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        detail = error.read()[:300].decode(errors="replace")
        # 408, 429 and 5xx are the provider's trouble, and pass; other 4xx will not.
        permanent = 400 <= error.code < 500 and error.code not in (408, 429)
        raise DeliveryFailed(f"{method} {url}: HTTP {error.code} {detail}", permanent) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError, ValueError) as error:
        # ValueError: a URL urllib cannot use (the provider named a file by a bad link).
        raise DeliveryFailed(f"{method} {url}: {error}") from None
