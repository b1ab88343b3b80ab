"""With its backends unreachable the gateway says 503, never a 500 or a hang."""

import subprocess
import sys

import httpx
import pytest

from tests.support.processes import ROOT, free_port, wait_for

pytestmark = pytest.mark.e2e


@pytest.fixture
def stranded_gateway(stack):
    port = free_port()
    env = {
        **stack.env,
        "ADUAN_GATEWAY_PORT": str(port),
        "ADUAN_AMQP_URI": f"amqp://guest:guest@127.0.0.1:{free_port()}/",
        "ADUAN_MONGO_URI": f"mongodb://127.0.0.1:{free_port()}/",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gateway"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    wait_for(lambda: httpx.get(url + "/healthz", timeout=1).status_code == 200, 30, "gateway")
    yield url
    process.terminate()
    process.wait(10)


def test_backends_down_is_503(stranded_gateway):
    ready = httpx.get(stranded_gateway + "/readyz", timeout=10)
    assert ready.status_code == 503
    assert ready.json()["checks"] == {"rabbitmq": False, "mongodb": False}
    response = httpx.post(stranded_gateway + "/api/v1/complaints", json={"title": "x"}, timeout=10)
    assert response.status_code == 503
    assert response.json()["error"] == "backend_unavailable"
    assert response.headers["retry-after"] == "5"
    staff = httpx.get(
        stranded_gateway + "/api/v1/worklist", timeout=10, headers={"Authorization": "Bearer abc"}
    )
    assert staff.status_code == 503


def test_a_stopped_service_is_503_after_the_rpc_timeout(stack):
    stack.kill("reporting")
    try:
        response = httpx.get(
            stack.url + "/api/v1/reports/monthly", params={"month": "2026-01"}, timeout=30
        )
        assert response.status_code == 503
        assert "reporting" in response.json()["message"]
    finally:
        stack.start("reporting")
        stack.wait_service("reporting")
