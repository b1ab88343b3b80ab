"""Fixtures for the integration and end-to-end tiers (unit tests need none of them)."""

import tempfile
from pathlib import Path

import pytest

from tests.support.processes import MongoServer, Stack, VirtualHost

PASSWORD = "correct horse battery staple"


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
def stack(mongo, vhost, log_dir):
    """One running system for the end-to-end tests, with staff accounts."""
    running = Stack(mongo, vhost, log_dir).start_all()
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
