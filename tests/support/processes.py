"""Real processes for integration and end-to-end tests: SecantusDB, services, gateway."""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pika
import pymongo

from services.chassis.topology import queue_name
from services.contracts.events import SUBSCRIPTIONS

ROOT = Path(__file__).resolve().parents[2]
CORE_SERVICES = ("intake", "triage", "dispatch", "sla", "reporting")
ADAPTERS = ("sms", "social", "lapor", "desk", "staff_notices", "whatsapp")
# Services whose package is not services/NAME (the channel adapters' group).
MODULES = {
    name: f"services.channels.{name}" for name in ("sms", "social", "lapor", "desk", "whatsapp")
}
# Services beside the core that agencies integrate through.
INTEGRATIONS = ("agency_hooks",)
SERVICES = CORE_SERVICES + ADAPTERS + INTEGRATIONS
RPC_SERVICES = (
    "intake",
    "triage",
    "dispatch",
    "reporting",
    "desk",
    "agency_hooks",
    "staff_notices",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except AssertionError:
            raise
        except Exception as error:  # still starting
            last = error
        time.sleep(interval)
    raise TimeoutError(f"{what} not ready after {timeout}s (last error: {last!r})")


class MongoServer:
    """SecantusDB on a free port: in memory, or on `storage_path`, where a server started
    again (stop(), then start()) finds its data on the same port."""

    def __init__(self, log_dir: Path, storage_path: str | Path = ":memory:") -> None:
        self.port = free_port()
        self.log_dir, self.storage_path = log_dir, str(storage_path)
        # As scripts/run starts it: a single node, so no retryable writes (SecantusDB's
        # record of them grows and is scanned on every write).
        self.uri = f"mongodb://127.0.0.1:{self.port}/?retryWrites=false"
        self.start()

    def start(self) -> None:
        with open(self.log_dir / "secantus.log", "ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "secantus",
                    "--port",
                    str(self.port),
                    "--storage-path",
                    self.storage_path,
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        client = pymongo.MongoClient(self.uri, serverSelectionTimeoutMS=500)
        wait_for(lambda: client.admin.command("ping"), 30, "SecantusDB")
        client.close()

    def stop(self, grace: float = 60) -> None:
        """SIGTERM, then SIGKILL after `grace` seconds, as a service manager stops it: a
        busy server can take more than a few seconds to finish its commands and close."""
        self.process.terminate()
        try:
            self.process.wait(grace)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


class VirtualHost:
    """A RabbitMQ virtual host of its own, so tests never meet other runs' messages."""

    def __init__(self) -> None:
        self.name = f"aduan-test-{uuid.uuid4().hex[:8]}"
        subprocess.run(
            ["rabbitmqctl", "-q", "add_vhost", self.name], check=True, capture_output=True
        )
        subprocess.run(
            ["rabbitmqctl", "-q", "set_permissions", "-p", self.name, "guest", ".*", ".*", ".*"],
            check=True,
            capture_output=True,
        )
        self.uri = f"amqp://guest:guest@127.0.0.1:5672/{self.name}"

    def consumers(self, queue: str) -> int:
        return self._declare_passive(queue).consumer_count

    def messages(self, queue: str) -> int:
        return self._declare_passive(queue).message_count

    def has_queue(self, queue: str) -> bool:
        try:
            self.messages(queue)
        except pika.exceptions.ChannelClosedByBroker as error:
            assert error.reply_code == 404
            return False
        return True

    def _declare_passive(self, queue: str):
        connection = pika.BlockingConnection(pika.URLParameters(self.uri))
        try:
            return connection.channel().queue_declare(queue, passive=True).method
        finally:
            connection.close()

    def delete(self) -> None:
        subprocess.run(["rabbitmqctl", "-q", "delete_vhost", self.name], capture_output=True)


class Stack:
    """The five services and the gateway, each its own process, on one Mongo and vhost."""

    def __init__(self, mongo: MongoServer, vhost: VirtualHost, log_dir: Path, **env) -> None:
        self.mongo, self.vhost, self.log_dir = mongo, vhost, log_dir
        self.prefix = f"t{uuid.uuid4().hex[:8]}"
        self.gateway_port = free_port()
        self.metrics_ports = {service: free_port() for service in SERVICES}
        self.env = {
            **os.environ,
            "ADUAN_AMQP_URI": vhost.uri,
            "ADUAN_MONGO_URI": mongo.uri,
            "ADUAN_DB_PREFIX": self.prefix,
            "ADUAN_GATEWAY_PORT": str(self.gateway_port),
            "ADUAN_RELAY_INTERVAL": "0.5",
            "ADUAN_TIMER_INTERVAL": "0.5",
            "ADUAN_RETRY_DELAY_MS": "300",
            "ADUAN_MAX_ATTEMPTS": "3",
            "PYTHONWARNINGS": "ignore",
            # Load tests submit from one address; throttling has tests of its own.
            "ADUAN_THROTTLE_APP_LIMIT": "100000",
            **{
                f"ADUAN_METRICS_PORT_{s.upper()}": str(port)
                for s, port in self.metrics_ports.items()
            },
            **env,
        }
        self.processes: dict[str, subprocess.Popen] = {}
        self.url = f"http://127.0.0.1:{self.gateway_port}"
        self._client: pymongo.MongoClient | None = None

    # processes
    def start(self, name: str, **env) -> subprocess.Popen:
        service = name.split("#")[0]
        module = "gateway" if name == "gateway" else MODULES.get(service, f"services.{service}")
        log_path = self.log_dir / f"{self.prefix}-{name.replace('#', '-')}.log"
        with open(log_path, "ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", module],
                cwd=ROOT,
                env={**self.env, **env},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.processes[name] = process
        return process

    def start_all(self) -> "Stack":
        for name in (*SERVICES, "gateway"):
            self.start(name)
        self.wait_ready()
        return self

    def kill(self, name: str) -> None:
        process = self.processes.pop(name)
        process.send_signal(signal.SIGKILL)
        process.wait(10)

    def stop_all(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()

    # readiness
    def wait_ready(self, timeout: float = 60) -> None:
        for service in SERVICES:
            self.wait_service(service, timeout)
        self.wait_gateway(timeout)

    def wait_service(self, service: str, timeout: float = 60) -> None:
        queues = [queue_name(service, event) for event in SUBSCRIPTIONS[service]]
        if service in RPC_SERVICES:
            queues.append(f"rpc-{service}")
        wait_for(lambda: all(self.vhost.consumers(q) for q in queues), timeout, service, 0.3)

    def wait_gateway(self, timeout: float = 60) -> None:
        wait_for(
            lambda: httpx.get(self.url + "/readyz", timeout=2).status_code == 200,
            timeout,
            "gateway",
            0.2,
        )

    # data
    def admin(self, *args: str, password: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "gateway.cli", *args],
            cwd=ROOT,
            env=self.env,
            input=password + "\n" if password else None,
            capture_output=True,
            text=True,
        )

    def database(self, owner: str):
        """One of the stack's databases, through a client kept for the stack: a client per
        call stays connected with its monitor threads, and hundreds of them (a benchmark
        filling the databases, a test polling) load SecantusDB more than the services."""
        if self._client is None:
            self._client = pymongo.MongoClient(self.mongo.uri, tz_aware=True)
        return self._client[f"{self.prefix}_{owner}"]
