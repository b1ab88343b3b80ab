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
| ADUAN_MAX_BODY | 1048576 | largest JSON request body in bytes (413 above it) |
| ADUAN_MAX_UPLOAD | 10485760 | largest multipart request (complaint with attachments) |
| ADUAN_MAX_FILE | 5242880 | largest single attachment |
| ADUAN_SMS_WEBHOOK_SECRET | (none) | HMAC secret shared with the SMS gateway; unset: webhook off |
| ADUAN_SOCIAL_WEBHOOK_SECRET | (none) | HMAC secret shared with the social-media relay |
| ADUAN_THROTTLE_LIMIT | 20 | messages one SMS number or social account may send per window |
| ADUAN_THROTTLE_APP_LIMIT | 60 | app submissions one client address may make per window |
| ADUAN_THROTTLE_LOGIN_LIMIT | 10 | failed sign-ins per username per window |
| ADUAN_THROTTLE_WINDOW | 600 | the throttling window in seconds |
| ADUAN_PAGE_SECRET | (random) | signs the pages' CSRF tokens and receipt cookies (scripts/run |
|   |   | generates one); random per process if unset: forms then fail after a restart |
| ADUAN_WHATSAPP_APP_SECRET | (none) | the Meta app's secret: signs the WhatsApp webhook |
|   |   | (X-Hub-Signature-256); unset: that webhook answers 503 |
| ADUAN_WHATSAPP_VERIFY_TOKEN | (none) | the token Meta's verification handshake must give |
|   |   | (scripts/run generates one) |
| ADUAN_OPEN_DATA_LICENSE | CC-BY-4.0 | the SPDX identifier of the open data's licence |
|   |   | (gateway/licences.py knows five; another needs ADUAN_OPEN_DATA_LICENSE_URL) |
| ADUAN_OPEN_DATA_LICENSE_URL | (the known licence's) | where the licence's terms are |
| ADUAN_OPEN_DATA_FREE_TEXT | 0 | 1: the open data carries the title and description of |
|   |   | reviewed complaints that are not confidential (docs/open-data.md) |
| ADUAN_SESSION_IDLE | 1800 | seconds without a request after which a staff page session ends |
|   |   | (sign in again); the token's own ADUAN_TOKEN_TTL still applies |
"""

import os
import secrets
from dataclasses import dataclass, field

from gateway.licences import Licence, licence


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
    max_upload: int
    max_file: int
    sms_secret: str
    social_secret: str
    throttle_limit: int
    throttle_app_limit: int
    throttle_login_limit: int
    throttle_window: float
    page_secret: str
    session_idle: int = 1800
    whatsapp_app_secret: str = ""
    whatsapp_verify_token: str = ""
    open_data_licence: Licence = field(default_factory=lambda: licence(""))
    open_data_free_text: bool = False

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
            max_upload=int(env.get("ADUAN_MAX_UPLOAD", str(10 * 1024 * 1024))),
            max_file=int(env.get("ADUAN_MAX_FILE", str(5 * 1024 * 1024))),
            sms_secret=env.get("ADUAN_SMS_WEBHOOK_SECRET", ""),
            social_secret=env.get("ADUAN_SOCIAL_WEBHOOK_SECRET", ""),
            throttle_limit=int(env.get("ADUAN_THROTTLE_LIMIT", "20")),
            throttle_app_limit=int(env.get("ADUAN_THROTTLE_APP_LIMIT", "60")),
            throttle_login_limit=int(env.get("ADUAN_THROTTLE_LOGIN_LIMIT", "10")),
            throttle_window=float(env.get("ADUAN_THROTTLE_WINDOW", "600")),
            # Without a configured secret the pages still work, for this process's life.
            page_secret=env.get("ADUAN_PAGE_SECRET") or secrets.token_hex(32),
            session_idle=int(env.get("ADUAN_SESSION_IDLE", "1800")),
            whatsapp_app_secret=env.get("ADUAN_WHATSAPP_APP_SECRET", ""),
            whatsapp_verify_token=env.get("ADUAN_WHATSAPP_VERIFY_TOKEN", ""),
            open_data_licence=licence(
                env.get("ADUAN_OPEN_DATA_LICENSE", ""), env.get("ADUAN_OPEN_DATA_LICENSE_URL", "")
            ),
            open_data_free_text=_flag(env.get("ADUAN_OPEN_DATA_FREE_TEXT", "0")),
        )


def _flag(value: str) -> bool:
    if value not in ("0", "1"):
        raise ValueError(f"ADUAN_OPEN_DATA_FREE_TEXT must be 0 or 1, not {value!r}")
    return value == "1"
