"""Gateway settings, read from the environment when the app is created.

| variable | default | meaning |
|---|---|---|
| ADUAN_AMQP_URI | amqp://guest:guest@127.0.0.1:5672/ | RabbitMQ (services answer RPC there) |
| ADUAN_MONGO_URI | mongodb://127.0.0.1:27017/ | MongoDB for the gateway's own identity database |
| ADUAN_DB_PREFIX | aduan | the gateway owns the database PREFIX_gateway |
| ADUAN_GATEWAY_HOST / _PORT | 127.0.0.1 / 8080 | where it listens |
| ADUAN_PUBLIC_URL | http://HOST:PORT | the base of tracking URLs given to reporters |
| ADUAN_TOKEN_TTL | 28800 | seconds a staff bearer token lives (8 hours) |
| ADUAN_RPC_TIMEOUT | 10 | seconds to wait for a service before answering 503 |
| ADUAN_MAX_BODY | 1048576 | largest request body in bytes (413 above it) |
"""

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class GatewaySettings:
    amqp_uri: str
    mongo_uri: str
    database: str
    host: str
    port: int
    public_url: str
    token_ttl: int
    rpc_timeout: float
    max_body: int

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "GatewaySettings":
        env = os.environ if env is None else env
        host = env.get("ADUAN_GATEWAY_HOST", "127.0.0.1")
        port = int(env.get("ADUAN_GATEWAY_PORT", "8080"))
        return cls(
            amqp_uri=env.get("ADUAN_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/"),
            mongo_uri=env.get("ADUAN_MONGO_URI", "mongodb://127.0.0.1:27017/"),
            database=env.get("ADUAN_DB_PREFIX", "aduan") + "_gateway",
            host=host,
            port=port,
            public_url=env.get("ADUAN_PUBLIC_URL", f"http://{host}:{port}").rstrip("/"),
            token_ttl=int(env.get("ADUAN_TOKEN_TTL", "28800")),
            rpc_timeout=float(env.get("ADUAN_RPC_TIMEOUT", "10")),
            max_body=int(env.get("ADUAN_MAX_BODY", str(1024 * 1024))),
        )
