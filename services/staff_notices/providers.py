"""The two media a staff notice goes by: e-mail over SMTP, and a WhatsApp Cloud-API
style HTTP endpoint. Both run under the services' eventlet, which patches the sockets
smtplib and urllib use, so a slow server holds up one green thread only.
"""

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate

from services.chassis.cloud_api import CloudApi
from services.chassis.http import DeliveryFailed

SECURITY = ("starttls", "tls", "none")


class Smtp:
    """| variable | default | meaning |
    |---|---|---|
    | ADUAN_SMTP_HOST | (none) | the mail server; e-mail notices wait until it is set |
    | ADUAN_SMTP_PORT | 587 | its port (465 for `tls`, 25 or 587 otherwise) |
    | ADUAN_SMTP_SECURITY | starttls | starttls, tls (implicit TLS) or none |
    | ADUAN_SMTP_USERNAME, ADUAN_SMTP_PASSWORD | (none) | credentials, when it wants them |
    | ADUAN_SMTP_FROM | aduan@semarangkota.go.id | the sender address |
    | ADUAN_SMTP_CA_FILE | (none) | a CA bundle to verify the server by (the city's own
      CA); without it, the system's CAs |
    """

    def __init__(self, env: dict) -> None:
        self.host = env.get("ADUAN_SMTP_HOST", "")
        self.port = int(env.get("ADUAN_SMTP_PORT", "587"))
        self.security = env.get("ADUAN_SMTP_SECURITY", "starttls")
        if self.security not in SECURITY:
            raise ValueError(f"ADUAN_SMTP_SECURITY must be one of {', '.join(SECURITY)}")
        self.username = env.get("ADUAN_SMTP_USERNAME", "")
        self.password = env.get("ADUAN_SMTP_PASSWORD", "")
        self.sender = env.get("ADUAN_SMTP_FROM", "aduan@semarangkota.go.id")
        self.ca_file = env.get("ADUAN_SMTP_CA_FILE") or None

    def send(self, delivery: dict) -> str:
        if not self.host:
            raise DeliveryFailed("ADUAN_SMTP_HOST is not set")
        message = self.message(delivery)
        try:
            with self._connect() as server:
                if self.username:
                    server.login(self.username, self.password)
                server.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            raise DeliveryFailed(f"SMTP refused the recipient: {error}", permanent=True) from None
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryFailed(f"SMTP {self.host}:{self.port}: {error!r}") from None
        return message["Message-ID"]

    def message(self, delivery: dict) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = delivery["to"]["address"]
        message["Subject"] = delivery["to"]["subject"]
        message["Date"] = formatdate(localtime=False)
        # From the notice id: a retry after a lost answer carries the same Message-ID,
        # which mail systems use to drop a copy.
        domain = self.sender.rpartition("@")[2] or "aduan.local"
        message["Message-ID"] = f"<{_safe(delivery['_id'])}@{domain}>"
        message["X-Aduan-Notice"] = delivery["_id"]
        message.set_content(delivery["text"])
        return message

    def _connect(self) -> smtplib.SMTP:
        # Always verified: credentials and staff addresses must not go to an impostor.
        context = ssl.create_default_context(cafile=self.ca_file)
        if self.security == "tls":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=20, context=context)
        server = smtplib.SMTP(self.host, self.port, timeout=20)
        if self.security == "starttls":
            server.starttls(context=context)
        return server


class WhatsApp:
    """A text message through the WhatsApp Cloud API (services/chassis/cloud_api.py, which
    names its settings); the answer's message id is kept."""

    def __init__(self, env: dict) -> None:
        self.api = CloudApi.from_env(env)

    def send(self, delivery: dict) -> str:
        text = {"preview_url": False, "body": delivery["text"][:4096]}
        to = delivery["to"]["address"].lstrip("+")
        return self.api.send({"to": to, "type": "text", "text": text})


class ByMedium:
    """The deliveries' one provider: each delivery to the medium it names."""

    def __init__(self, env: dict) -> None:
        self.media = {"email": Smtp(env), "whatsapp": WhatsApp(env)}

    def send(self, delivery: dict) -> str:
        return self.media[delivery["to"]["medium"]].send(delivery)


def _safe(notice_id: str) -> str:
    return "".join(c if c.isalnum() else "." for c in notice_id)
