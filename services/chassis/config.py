"""Service settings, read from the environment at start-up (never at import time).

| variable | default | meaning |
|---|---|---|
| ADUAN_AMQP_URI | amqp://guest:guest@127.0.0.1:5672/ | RabbitMQ, with its virtual host |
| ADUAN_MONGO_URI | mongodb://127.0.0.1:27017/ | any MongoDB; production: a replica set |
| ADUAN_DB_PREFIX | aduan | each service owns the database PREFIX_SERVICE |
| ADUAN_MONGO_WRITE_CONCERN | majority | "majority" or a number of nodes; journaled always |
| ADUAN_METRICS_PORT_<SERVICE> | 9101..9112 | Prometheus port of that service; 0 turns it off |
| ADUAN_METRICS_ADDR | 127.0.0.1 | address the metrics port listens on |
| ADUAN_RELAY_INTERVAL | 1.0 | seconds between sweeps for events left in an outbox |
| ADUAN_RETRY_DELAY_MS | 2000 | wait before a failed event is tried again |
| ADUAN_MAX_ATTEMPTS | 8 | tries before a failing event is parked in its .dead queue |
| ADUAN_MAX_WORKERS | 10 | concurrent workers per service process |
| ADUAN_TIMER_INTERVAL | 5.0 | seconds between sweeps for due SLA timers |
| ADUAN_MONGO_SLOW_MS | 0 | log MongoDB commands slower than this; 0 turns it off |
| ADUAN_PUBLIC_URL | http://127.0.0.1:8080 | the gateway as reporters reach it (links in replies) |

Channel adapters read their providers' settings themselves (docs/channels.md).
"""

import os
from dataclasses import dataclass

DEFAULT_METRICS_PORTS = {
    "intake": 9101,
    "triage": 9102,
    "dispatch": 9103,
    "sla": 9104,
    "reporting": 9105,
    "sms": 9106,
    "social": 9107,
    "lapor": 9108,
    "desk": 9109,
    "agency_hooks": 9110,
    "staff_notices": 9111,
    "whatsapp": 9112,
}


@dataclass(frozen=True)
class Settings:
    service: str
    amqp_uri: str
    mongo_uri: str
    database: str
    write_concern: str | int
    metrics_port: int
    metrics_addr: str
    relay_interval: float
    retry_delay_ms: int
    max_attempts: int
    max_workers: int
    mongo_slow_ms: int
    timer_interval: float
    public_url: str

    @classmethod
    def from_env(cls, service: str, env: dict[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        prefix = env.get("ADUAN_DB_PREFIX", "aduan")
        concern = env.get("ADUAN_MONGO_WRITE_CONCERN", "majority")
        return cls(
            service=service,
            amqp_uri=env.get("ADUAN_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/"),
            mongo_uri=env.get("ADUAN_MONGO_URI", "mongodb://127.0.0.1:27017/"),
            database=f"{prefix}_{service}",
            write_concern=int(concern) if concern.isdigit() else concern,
            metrics_port=int(
                env.get(
                    f"ADUAN_METRICS_PORT_{service.upper()}",
                    DEFAULT_METRICS_PORTS.get(service, 0),
                )
            ),
            metrics_addr=env.get("ADUAN_METRICS_ADDR", "127.0.0.1"),
            relay_interval=float(env.get("ADUAN_RELAY_INTERVAL", "1.0")),
            retry_delay_ms=int(env.get("ADUAN_RETRY_DELAY_MS", "2000")),
            max_attempts=int(env.get("ADUAN_MAX_ATTEMPTS", "8")),
            max_workers=int(env.get("ADUAN_MAX_WORKERS", "10")),
            mongo_slow_ms=int(env.get("ADUAN_MONGO_SLOW_MS", "0")),
            timer_interval=float(env.get("ADUAN_TIMER_INTERVAL", "5.0")),
            public_url=env.get("ADUAN_PUBLIC_URL", "http://127.0.0.1:8080").rstrip("/"),
        )
