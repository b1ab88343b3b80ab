"""A real SMTP server for the staff notices' tests (aiosmtpd), on 127.0.0.1: it keeps
every message it accepts, as a mail system would hand it to its reader."""

import ssl
import threading
import time
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from tests.support.processes import free_port


class MailServer:
    """Plain by default; with `tls`, STARTTLS required before AUTH and mail (or TLS from
    the first byte, `implicit`), taking any credentials and keeping them in `logins`."""

    def __init__(self, tls: ssl.SSLContext | None = None, implicit: bool = False) -> None:
        self.port = free_port()
        self.lock = threading.Lock()
        self.received: list[EmailMessage] = []
        self.logins: list[tuple[str, str]] = []
        options: dict = {}
        if tls is not None and implicit:
            # aiosmtpd's AUTH-needs-TLS check sees STARTTLS only; here all of it is TLS.
            options = {"ssl_context": tls, "authenticator": self._login, "auth_require_tls": False}
        elif tls is not None:
            options = {"tls_context": tls, "require_starttls": True, "authenticator": self._login}
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, **options)
        self.controller.start()

    def _login(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        with self.lock:
            self.logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=True)

    async def handle_DATA(self, server, session, envelope) -> str:
        message = message_from_bytes(envelope.original_content or envelope.content, policy=default)
        with self.lock:
            self.received.append(message)
        return "250 OK"

    def messages(self, to: str | None = None, subject: str = "") -> list[EmailMessage]:
        with self.lock:
            return [
                m
                for m in self.received
                if (to is None or m["To"] == to) and subject in (m["Subject"] or "")
            ]

    def wait_for(self, to: str, subject: str, timeout: float = 30) -> EmailMessage:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.messages(to, subject)
            if found:
                return found[0]
            time.sleep(0.1)
        raise AssertionError(f"no mail to {to} about {subject!r}; got {self.messages()}")

    def stop(self) -> None:
        self.controller.stop()
