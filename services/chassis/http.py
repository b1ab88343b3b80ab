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
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
    except urllib.error.HTTPError as error:
        detail = error.read()[:300].decode(errors="replace")
        # 408, 429 and 5xx are the provider's trouble, and pass; other 4xx will not.
        permanent = 400 <= error.code < 500 and error.code not in (408, 429)
        raise DeliveryFailed(f"{method} {url}: HTTP {error.code} {detail}", permanent) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
        raise DeliveryFailed(f"{method} {url}: {error}") from None
    try:
        return json.loads(raw) if raw else {}
    except json.JSONDecodeError:
        raise DeliveryFailed(f"{method} {url}: the answer is not JSON") from None
