"""Fixtures for the integration and end-to-end tiers (unit tests need none of them)."""

import tempfile
from pathlib import Path

import pytest

from tests.support.mail import MailServer
from tests.support.meta import APP_SECRET, VERIFY_TOKEN, GraphApi
from tests.support.processes import MongoServer, Stack, VirtualHost
from tests.support.providers import StandIn

PASSWORD = "correct horse battery staple"
SMS_SECRET = "sms-webhook-test-secret"
SOCIAL_SECRET = "social-webhook-test-secret"
WHATSAPP_NUMBER_ID = "106540352242922"


@pytest.fixture(scope="session")
def log_dir() -> Path:
    path = Path(tempfile.mkdtemp(prefix="aduan-test-logs-"))
    print(f"\nprocess logs: {path}")
    return path


@pytest.fixture(scope="session")
def mongo(log_dir):
    server = MongoServer(log_dir)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def vhost():
    host = VirtualHost()
    yield host
    host.delete()


@pytest.fixture
def fresh_vhost():
    """A virtual host of one test's own, where no service of the session stack consumes."""
    host = VirtualHost()
    yield host
    host.delete()


@pytest.fixture(scope="session")
def providers():
    """The SMS gateway, the social platform, SP4N-LAPOR! and the WhatsApp API, played
    locally, and a real SMTP server for the staff's e-mail."""
    played = {
        "sms": StandIn(),
        "social": StandIn(),
        "lapor": StandIn(),
        "whatsapp": GraphApi(),
        "mail": MailServer(),
    }
    yield played
    for stand_in in played.values():
        stand_in.stop()


def provider_env(providers) -> dict:
    return {
        "ADUAN_SMS_PROVIDER_URL": providers["sms"].url,
        "ADUAN_SMS_PROVIDER_TOKEN": providers["sms"].token,
        "ADUAN_SOCIAL_PROVIDER_URL": providers["social"].url,
        "ADUAN_SOCIAL_PROVIDER_TOKEN": providers["social"].token,
        "ADUAN_LAPOR_URL": providers["lapor"].url,
        "ADUAN_LAPOR_TOKEN": providers["lapor"].token,
        "ADUAN_LAPOR_POLL_SECONDS": "0.5",
        "ADUAN_SMTP_HOST": "127.0.0.1",
        "ADUAN_SMTP_PORT": str(providers["mail"].port),
        "ADUAN_SMTP_SECURITY": "none",
        "ADUAN_WHATSAPP_URL": providers["whatsapp"].url,
        "ADUAN_WHATSAPP_PHONE_NUMBER_ID": WHATSAPP_NUMBER_ID,
        "ADUAN_WHATSAPP_TOKEN": providers["whatsapp"].token,
        "ADUAN_WHATSAPP_APP_SECRET": APP_SECRET,
        "ADUAN_WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
        "ADUAN_WHATSAPP_TEMPLATE": "aduan_pemberitahuan",
        "ADUAN_WHATSAPP_GATHER_WAIT": "600",
        "ADUAN_SMS_WEBHOOK_SECRET": SMS_SECRET,
        "ADUAN_SOCIAL_WEBHOOK_SECRET": SOCIAL_SECRET,
        "ADUAN_DELIVERY_INTERVAL": "0.3",
        "ADUAN_DELIVERY_RETRY_BASE": "0.5",
        "ADUAN_DELIVERY_LEASE": "5",
        "ADUAN_SMS_PART_WAIT": "5",
        "ADUAN_THROTTLE_LIMIT": "6",
        # Agencies' webhooks: quick retries, parked after 30 s instead of a day.
        "ADUAN_HOOKS_INTERVAL": "0.3",
        "ADUAN_HOOKS_RETRY_BASE": "0.3",
        "ADUAN_HOOKS_RETRY_CAP": "1",
        "ADUAN_HOOKS_RETRY_FOR": "30",
        "ADUAN_HOOKS_LEASE": "4",
        "ADUAN_HOOKS_TIMEOUT": "2",
        # The open data carries reviewed public texts (tests/e2e/test_open_data.py).
        "ADUAN_OPEN_DATA_FREE_TEXT": "1",
    }


@pytest.fixture(scope="session")
def stack(mongo, vhost, log_dir, providers):
    """One running system for the end-to-end tests, with staff accounts."""
    running = Stack(mongo, vhost, log_dir, **provider_env(providers)).start_all()
    assert running.admin("seed").returncode == 0
    for username, role, agency in STAFF:
        extra = ["--agency", agency] if agency else []
        result = running.admin(
            "create-user", username, "--role", role, "--password-stdin", *extra, password=PASSWORD
        )
        assert result.returncode == 0, result.stderr
    yield running
    running.stop_all()


STAFF = (
    ("officer1", "officer", None),
    ("admin1", "admin", None),
    ("dpu-admin", "agency_admin", "dpu"),
    ("dlh-admin", "agency_admin", "dlh"),
    ("supervisor1", "supervisor", None),
)
