"""The gateway's app called in-process over ASGI (httpx), for unit tests of pages."""

import asyncio

import httpx


class Client:
    """One cookie jar per test; synchronous calls over the app's own event loop."""

    def __init__(self, app) -> None:
        self.loop = asyncio.new_event_loop()
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        self.http = httpx.AsyncClient(transport=transport, base_url="http://testserver")

    def get(self, url: str, **kwargs) -> httpx.Response:
        return self.loop.run_until_complete(self.http.get(url, **kwargs))

    def post(self, url: str, **kwargs) -> httpx.Response:
        return self.loop.run_until_complete(self.http.post(url, **kwargs))

    def close(self) -> None:
        self.loop.run_until_complete(self.http.aclose())
        self.loop.close()
