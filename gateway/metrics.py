"""Request counts and latency by route and status, as a pure ASGI middleware."""

import time

from prometheus_client import Counter, Histogram

REQUESTS = Counter("aduan_gateway_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "aduan_gateway_request_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


# Any token is a valid HTTP method name; only these become label values, so a client
# inventing methods cannot create new time series.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def method_label(method: str) -> str:
    return method if method in KNOWN_METHODS else "other"


class RequestMetrics:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500}

        async def record_status(message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            route = scope.get("route")
            label = getattr(route, "path", "unmatched")
            method = method_label(scope["method"])
            REQUESTS.labels(method, label, str(status["code"])).inc()
            LATENCY.labels(method, label).observe(time.perf_counter() - started)
