"""The pilot's Compose file (deploy/compose/compose.yaml), checked without running it:
against the Compose Specification's JSON schema (vendored), with `docker compose config`
when the plugin is installed, and for what the pilot needs: a three-node RabbitMQ
cluster with one cookie, a three-member replica set initiated by a job, every Aduan
process with a replica count, secrets from files only, monitoring mounted from
deploy/prometheus and deploy/grafana."""

import copy
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from services.chassis.launch import SERVICES
from tests.support.deploy import compose_validator

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_DIR = ROOT / "deploy" / "compose"
COMPOSE = COMPOSE_DIR / "compose.yaml"
PROCESSES = [*SERVICES, "gateway"]
# Mounted from the other parts of deploy/ (written with the Prometheus and Grafana work).
MONITORING_MOUNTS = {
    "../prometheus/prometheus.yml",
    "../prometheus/rules/",
    "../grafana/provisioning/",
    "../grafana/dashboards/",
}
SECRET_NAMES = re.compile(r"(SECRET|TOKEN|PASSWORD|_URI)$")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def aduan_services(compose: dict) -> dict[str, dict]:
    """Compose service -> its definition, for the services running an Aduan process."""
    return {
        name: service
        for name, service in compose["services"].items()
        if service.get("image", "").startswith("aduan:") and service["command"][0] != "admin"
    }


def schema_errors(document: dict) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in compose_validator().iter_errors(document)
    ]


def test_the_file_is_valid_per_the_compose_specification(compose):
    assert schema_errors(compose) == []


@pytest.mark.parametrize(
    "path, value",
    [
        (("services", "intake", "deploy", "replicas"), "two"),
        (("services", "intake", "restart_policy"), "always"),
        (("services", "mongo-init", "depends_on", "mongo-1", "condition"), "healthy"),
        (("secrets", "amqp_uri", "value"), "amqp://guest:guest@rabbitmq"),
    ],
)
def test_the_schema_refuses_a_broken_file(compose, path, value):
    broken = copy.deepcopy(compose)
    node = broken
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value
    assert schema_errors(broken) != []


def test_docker_compose_config_accepts_it(tmp_path):
    docker = shutil.which("docker")
    if (
        docker is None
        or subprocess.run([docker, "compose", "version"], capture_output=True).returncode
    ):
        pytest.skip("the docker compose plugin is not installed here")
    result = subprocess.run(
        [docker, "compose", "-f", str(COMPOSE), "config", "--quiet", "--no-interpolate"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_every_aduan_process_runs_with_a_replica_count(compose):
    services = aduan_services(compose)
    assert sorted(service["command"][0] for service in services.values()) == sorted(PROCESSES)
    for name, service in services.items():
        assert isinstance(service["deploy"]["replicas"], int), name
        assert service["deploy"]["replicas"] >= 1, name
        assert service["read_only"] is True and service["cap_drop"] == ["ALL"], name
        depends = service["depends_on"]
        assert depends["rabbitmq"]["condition"] == "service_healthy", name
        assert depends["mongo-init"]["condition"] == "service_completed_successfully", name
        # Reached through RabbitMQ, the gateway through the edge proxy: nothing published.
        assert "ports" not in service, name
    assert compose["services"]["edge"]["ports"] == ["${ADUAN_HTTP_PORT:-8080}:8080"]
    edge = (COMPOSE_DIR / compose["configs"]["haproxy_edge"]["file"]).read_text("utf-8")
    assert "server-template gateway" in edge and "GET /readyz" in edge
    for core in ("intake", "triage", "dispatch", "sla", "reporting", "gateway"):
        assert services[core]["deploy"]["replicas"] >= 2, core


def test_a_three_node_rabbitmq_cluster_shares_one_cookie(compose):
    nodes = {n: s for n, s in compose["services"].items() if re.fullmatch(r"rabbitmq-\d", n)}
    assert sorted(nodes) == ["rabbitmq-1", "rabbitmq-2", "rabbitmq-3"]
    conf = (COMPOSE_DIR / compose["configs"]["rabbitmq_conf"]["file"]).read_text("utf-8")
    assert "cluster_formation.peer_discovery_backend = classic_config" in conf
    listed = re.findall(r"classic_config\.nodes\.\d+ = rabbit@(\S+)", conf)
    assert sorted(listed) == sorted(s["hostname"] for s in nodes.values())
    for name, node in nodes.items():
        assert "rabbitmq_erlang_cookie" in node["secrets"], name
        assert "/run/secrets/rabbitmq_erlang_cookie" in " ".join(node["entrypoint"]), name
        assert {"source": "rabbitmq_conf", "target": "/etc/rabbitmq/rabbitmq.conf"} in node[
            "configs"
        ]
        assert node["healthcheck"]["test"][0] == "CMD", name
        assert node["volumes"] == [f"{name}:/var/lib/rabbitmq"], name
    plugins = (COMPOSE_DIR / compose["configs"]["rabbitmq_plugins"]["file"]).read_text("utf-8")
    assert "rabbitmq_prometheus" in plugins
    # The services' AMQP address balances over the three nodes.
    balancer = (COMPOSE_DIR / compose["configs"]["haproxy_rabbitmq"]["file"]).read_text("utf-8")
    assert sorted(re.findall(r"server (rabbitmq-\d) \1:5672", balancer)) == sorted(nodes)


def test_a_three_member_replica_set_is_initiated_by_a_job(compose):
    members = {n: s for n, s in compose["services"].items() if re.fullmatch(r"mongo-\d", n)}
    assert sorted(members) == ["mongo-1", "mongo-2", "mongo-3"]
    for name, member in members.items():
        command = " ".join(member["command"])
        assert "--replSet rs0" in command and "--keyFile" in command, name
        assert "mongo_keyfile" in member["secrets"], name
    job = compose["services"]["mongo-init"]
    assert job["restart"] == "on-failure"
    assert {m: {"condition": "service_healthy"} for m in members} == job["depends_on"]
    script = (COMPOSE_DIR / compose["configs"]["mongo_init"]["file"]).read_text("utf-8")
    hosts = re.search(r"MEMBERS = \[([^\]]*)\]", script).group(1)
    assert sorted(re.findall(r'"(mongo-\d):27017"', hosts)) == sorted(members)
    owners = re.findall(r'"(\w+)"', re.search(r"OWNERS = \[([^\]]*)\]", script).group(1))
    assert sorted(owners) == sorted(PROCESSES)
    assert 'rs.initiate({\n    _id: "rs0"' in script


def test_secrets_come_from_files_only(compose):
    for name, secret in compose["secrets"].items():
        assert set(secret) == {"file"}, name
        assert secret["file"] == f"secrets/{name}" or secret["file"].startswith("secrets/")
    ignore = (COMPOSE_DIR / "secrets" / ".gitignore").read_text("utf-8").split()
    assert ignore[ignore.index("*") :] == ["*", "!.gitignore"]
    written = (COMPOSE_DIR / "make-secrets.sh").read_text("utf-8")
    for name, secret in compose["secrets"].items():
        assert Path(secret["file"]).name in written, f"make-secrets.sh does not write {name}"
    used = set()
    for name, service in compose["services"].items():
        environment = service.get("environment", {})
        for variable, value in environment.items():
            if variable.endswith("_FILE"):
                target = value.removeprefix("/run/secrets/")
                refs = [s if isinstance(s, str) else s["source"] for s in service["secrets"]]
                assert target in refs, f"{name}: {variable} names a secret it does not mount"
                used.add(target)
            else:
                assert not SECRET_NAMES.search(variable) or not value, f"{name}: {variable}"
    env_file = (COMPOSE_DIR / "aduan.env").read_text("utf-8")
    for line in env_file.splitlines():
        variable, _, value = line.partition("=")
        if line and not line.startswith("#"):
            assert not SECRET_NAMES.search(variable) or not value, variable


def test_each_process_gets_the_secrets_its_code_reads(compose):
    from deploy.k8s.generate import SECRET_ENV

    services = {s["command"][0]: s for s in aduan_services(compose).values()}
    for process, entries in SECRET_ENV.items():
        environment = services[process]["environment"]
        for variable, *_ in entries:
            assert f"{variable}_FILE" in environment, f"{process} lacks {variable}"


def test_monitoring_is_provisioned_from_the_deploy_tree(compose):
    mounted = set()
    for name in ("prometheus", "grafana"):
        for volume in compose["services"][name]["volumes"]:
            source = volume.split(":")[0]
            if source.startswith("../"):
                mounted.add(source)
    assert mounted == MONITORING_MOUNTS
    command = compose["services"]["prometheus"]["command"]
    assert "--config.file=/etc/prometheus/prometheus.yml" in command
    assert compose["services"]["alertmanager"]["configs"][0]["source"] == "alertmanager_conf"
    grafana = compose["services"]["grafana"]
    assert grafana["environment"]["GF_SECURITY_ADMIN_PASSWORD__FILE"].startswith("/run/secrets/")


def test_the_monitoring_files_exist_where_they_are_mounted():
    missing = sorted(m for m in MONITORING_MOUNTS if not (COMPOSE_DIR / m).exists())
    if missing:
        pytest.skip(
            "not written yet (deploy/prometheus and deploy/grafana come with the "
            f"monitoring work): {', '.join(missing)}"
        )
    prometheus = yaml.safe_load((COMPOSE_DIR / "../prometheus/prometheus.yml").read_text("utf-8"))
    assert prometheus.get("scrape_configs"), "prometheus.yml scrapes nothing"


def test_every_config_file_exists(compose):
    for name, config in compose["configs"].items():
        assert (COMPOSE_DIR / config["file"]).is_file(), name
