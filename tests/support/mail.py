"""A real SMTP server for the staff notices' tests (aiosmtpd), on 127.0.0.1: it keeps
every message it accepts, as a mail system would hand it to its reader."""

import threading
import time
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller

from tests.support.processes import free_port


class MailServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.lock = threading.Lock()
        self.received: list[EmailMessage] = []
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

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
