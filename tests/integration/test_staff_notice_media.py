"""The two media of staff notices against real servers on 127.0.0.1: an SMTP server
(aiosmtpd) and a stand-in for the WhatsApp Cloud API. What goes out, and which failures
are retried and which are given up at once."""

import ssl
import subprocess

import pytest
from aiosmtpd.controller import Controller

from services.chassis.http import DeliveryFailed
from services.staff_notices.providers import ByMedium, Smtp
from tests.support.mail import MailServer
from tests.support.processes import free_port
from tests.support.providers import StandIn

pytestmark = pytest.mark.integration


def delivery(medium: str, address: str) -> dict:
    return {
        "_id": "e1:kadis-dpu:" + medium,
        "to": {"medium": medium, "address": address, "username": "kadis-dpu", "subject": "Hal"},
        "text": "Pengaduan SMG-2026-000001 melewati batas waktu penyelesaian.",
    }


def smtp_env(port: int) -> dict:
    return {
        "ADUAN_SMTP_HOST": "127.0.0.1",
        "ADUAN_SMTP_PORT": str(port),
        "ADUAN_SMTP_SECURITY": "none",
    }


def test_an_email_carries_the_subject_the_text_and_a_message_id_from_the_notice():
    mail = MailServer()
    try:
        ref = ByMedium(smtp_env(mail.port)).send(delivery("email", "kadis@dpu.go.id"))
        received = mail.wait_for("kadis@dpu.go.id", "Hal")
        assert received["From"] == "aduan@semarangkota.go.id"
        assert received["X-Aduan-Notice"] == "e1:kadis-dpu:email"
        assert received["Message-ID"].strip() == ref == "<e1.kadis.dpu.email@semarangkota.go.id>"
        assert "melewati batas waktu" in received.get_content()
    finally:
        mail.stop()


class Refusing:
    async def handle_RCPT(self, server, session, envelope, address, options) -> str:
        return "550 5.1.1 no such mailbox"


def test_a_refused_recipient_is_given_up_and_an_unreachable_server_retried():
    port = free_port()
    controller = Controller(Refusing(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with pytest.raises(DeliveryFailed) as refused:
            Smtp(smtp_env(port)).send(delivery("email", "siapa@dpu.go.id"))
        assert refused.value.permanent
    finally:
        controller.stop()
    with pytest.raises(DeliveryFailed) as down:
        Smtp(smtp_env(free_port())).send(delivery("email", "kadis@dpu.go.id"))
    assert not down.value.permanent
    with pytest.raises(DeliveryFailed, match="ADUAN_SMTP_HOST"):
        Smtp({}).send(delivery("email", "kadis@dpu.go.id"))


def test_a_whatsapp_message_is_posted_to_the_number_id_with_the_bearer_token():
    api = StandIn(token="wa-token")
    env = {
        "ADUAN_WHATSAPP_URL": api.url,
        "ADUAN_WHATSAPP_PHONE_NUMBER_ID": "1065",
        "ADUAN_WHATSAPP_TOKEN": "wa-token",
    }
    try:
        ref = ByMedium(env).send(delivery("whatsapp", "+6281234567001"))
        [sent] = api.messages("/1065/messages")
        assert ref == sent["_id"]
        assert (sent["to"], sent["type"]) == ("6281234567001", "text")
        assert sent["text"]["body"].startswith("Pengaduan SMG-2026-000001")
        api.fail_next(1)
        with pytest.raises(DeliveryFailed) as busy:
            ByMedium(env).send(delivery("whatsapp", "+6281234567001"))
        assert not busy.value.permanent  # 503: tried again later
        with pytest.raises(DeliveryFailed) as wrong_token:
            ByMedium(env | {"ADUAN_WHATSAPP_TOKEN": "old"}).send(delivery("whatsapp", "+62812"))
        assert wrong_token.value.permanent
    finally:
        api.stop()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1, which the test's CA file trusts."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = str(folder / "cert.pem"), str(folder / "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", key, "-out", cert, "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_mail_goes_over_verified_tls_with_credentials(certificate, security):
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    mail = MailServer(tls=context, implicit=security == "tls")
    env = smtp_env(mail.port) | {
        "ADUAN_SMTP_SECURITY": security,
        "ADUAN_SMTP_CA_FILE": cert,
        "ADUAN_SMTP_USERNAME": "aduan",
        "ADUAN_SMTP_PASSWORD": "rahasia",
    }
    try:
        Smtp(env).send(delivery("email", "kadis@dpu.go.id"))
        assert mail.wait_for("kadis@dpu.go.id", "Hal")
        assert mail.logins == [("aduan", "rahasia")]
        # A server this CA does not vouch for is not sent to (retried, it may be fixed).
        with pytest.raises(DeliveryFailed) as unverified:
            Smtp(env | {"ADUAN_SMTP_CA_FILE": ""}).send(delivery("email", "kadis@dpu.go.id"))
        assert not unverified.value.permanent
    finally:
        mail.stop()
