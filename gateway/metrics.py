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
            REQUESTS.labels(scope["method"], label, str(status["code"])).inc()
            LATENCY.labels(scope["method"], label).observe(time.perf_counter() - started)
