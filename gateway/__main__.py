"""Runs the gateway: `aduan-gateway` or `python -m gateway`."""

import logging

import uvicorn

from gateway.app import create_app
from gateway.config import GatewaySettings


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s gateway %(levelname)s %(message)s")
    logging.getLogger("pika").setLevel(logging.WARNING)
    settings = GatewaySettings.from_env()
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="warning",
        timeout_graceful_shutdown=5,
    )


if __name__ == "__main__":
    main()
