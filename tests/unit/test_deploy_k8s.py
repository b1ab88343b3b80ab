"""The Kubernetes manifests (deploy/k8s): the base is what generate.py writes; the base
and the production overlay render (with kubectl's Kustomize when installed, and always
with tests/support/deploy.py's renderer, which must agree with it); every built-in
resource is valid per Kubernetes' schemas (kubernetes-validate, strict: an unknown field
fails); every custom resource per the vendored CRD schemas; and the manifests hold what
the issue asks: per process a Deployment with probes and resources, a PDB and a
ServiceMonitor; KEDA on each consumer's inbox queues (from topology.py); the gateway
behind a Service, an Ingress and an HPA; the operators' RabbitMQ and MongoDB; the
NetworkPolicies; secrets by reference only."""

import copy
import functools
from pathlib import Path

import kubernetes_validate
import pytest

from deploy.k8s import generate
from services.chassis.launch import SERVICES
from services.chassis.topology import queue_name
from services.contracts.events import SUBSCRIPTIONS
from tests.support.deploy import (
    BUILT_IN_GROUPS,
    crd_validators,
    key_of,
    kubectl_render,
    render,
)

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
BASE = K8S / "base"
PRODUCTION = K8S / "overlays" / "production"
KUBERNETES_VERSION = "1.32.0"
PROCESSES = [*SERVICES, "gateway"]


@pytest.fixture(scope="module")
def validators():
    return crd_validators()


@functools.cache
def rendered_base() -> tuple[dict, ...]:
    return tuple(render(BASE))


@pytest.fixture(scope="module", params=["base", "production"])
def rendered(request) -> list[dict]:
    return render(BASE if request.param == "base" else PRODUCTION)


def by_kind(resources: list[dict], kind: str) -> dict[str, dict]:
    return {r["metadata"]["name"]: r for r in resources if r["kind"] == kind}


def problems(resource: dict, validators) -> list[str]:
    """Why the resource is invalid: per the vendored CRD schema for a custom resource,
    per Kubernetes' own schema (strict) for the rest."""
    validator = validators.get((resource["apiVersion"], resource["kind"]))
    if validator is not None:
        return [
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(resource)
        ]
    try:
        kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.ValidationError as error:
        return [f"{'/'.join(map(str, error.path))}: {error.message}"]
    return []


def test_the_base_is_what_the_generator_writes():
    assert generate.main(["--check"]) == 0, "run: .venv/bin/python deploy/k8s/generate.py"


@pytest.mark.parametrize("directory", [BASE, PRODUCTION], ids=["base", "production"])
def test_kubectl_kustomize_renders_the_same(directory):
    theirs = kubectl_render(directory)
    if theirs is None:
        pytest.skip("kubectl is not installed: the tests' own renderer alone is used")
    assert sorted(render(directory), key=key_of) == sorted(theirs, key=key_of)


def test_every_resource_is_valid(rendered, validators):
    kinds = {(r["apiVersion"], r["kind"]) for r in rendered}
    # Every custom resource has a vendored schema (kubernetes-validate knows none).
    custom = {(version, kind) for version, kind in kinds if version not in BUILT_IN_GROUPS}
    assert custom == set(validators), custom ^ set(validators)
    found = {f"{r['kind']}/{r['metadata']['name']}": problems(r, validators) for r in rendered}
    assert {name: errors for name, errors in found.items() if errors} == {}


@pytest.mark.parametrize(
    "kind, name, path, value",
    [
        ("Deployment", "aduan-intake", ("spec", "template", "spec", "containerz"), []),
        ("Deployment", "aduan-intake", ("spec", "replicas"), "two"),
        ("Service", "aduan-gateway", ("spec", "ports", 0, "port"), "http"),
        ("PodDisruptionBudget", "aduan-sla", ("spec", "maxUnavailable"), [1]),
        ("NetworkPolicy", "default-deny", ("spec", "policyTypes"), "Ingress"),
        ("ScaledObject", "aduan-intake", ("spec", "maxReplicas"), 3),
        ("ScaledObject", "aduan-intake", ("spec", "triggers", 0, "metadata", "value"), 50),
        ("RabbitmqCluster", "rabbitmq", ("spec", "rabbitmq", "additionalPlugins"), ["a-b"]),
        ("MongoDBCommunity", "mongodb", ("spec", "type"), "Sharded"),
        ("MongoDBCommunity", "mongodb", ("spec", "users", 0, "passwordSecret"), "x"),
        ("ServiceMonitor", "aduan-triage", ("spec", "endpoints", 0, "interval"), "15 s"),
        ("TriggerAuthentication", "aduan-rabbitmq", ("spec", "secretTargetRef", 0, "key"), 1),
    ],
)
def test_validation_fails_on_a_broken_resource(validators, kind, name, path, value):
    resource = copy.deepcopy(by_kind(list(rendered_base()), kind)[name])
    assert problems(resource, validators) == []
    node = resource
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    assert problems(resource, validators) != []


def test_each_process_has_a_deployment_with_probes_resources_and_a_pdb(rendered):
    deployments = by_kind(rendered, "Deployment")
    budgets = by_kind(rendered, "PodDisruptionBudget")
    monitors = by_kind(rendered, "ServiceMonitor")
    services = by_kind(rendered, "Service")
    assert sorted(deployments) == sorted(generate.k8s_name(p) for p in PROCESSES)
    for process in PROCESSES:
        name = generate.k8s_name(process)
        pod = deployments[name]["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        assert container["args"] == [process]
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            assert container[probe]["httpGet"]["port"] == container["ports"][0]["name"], name
        assert set(container["resources"]) == {"requests", "limits"}, name
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
        assert pod["securityContext"]["runAsNonRoot"] is True
        selector = deployments[name]["spec"]["selector"]["matchLabels"]
        assert budgets[name]["spec"]["selector"]["matchLabels"] == selector
        assert services[name]["spec"]["selector"] == selector
        assert monitors[name]["spec"]["selector"]["matchLabels"] == selector
        assert monitors[name]["spec"]["endpoints"][0]["port"] == container["ports"][0]["name"]
    gateway = deployments["aduan-gateway"]["spec"]["template"]["spec"]["containers"][0]
    assert gateway["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert gateway["readinessProbe"]["httpGet"]["path"] == "/readyz"


def test_consumers_scale_on_their_own_inbox_queues(rendered):
    scaled = by_kind(rendered, "ScaledObject")
    consumers = [p for p in SERVICES if SUBSCRIPTIONS.get(p)]
    assert sorted(scaled) == sorted(generate.k8s_name(p) for p in consumers)
    for process in consumers:
        spec = scaled[generate.k8s_name(process)]["spec"]
        assert spec["scaleTargetRef"]["name"] == generate.k8s_name(process)
        assert spec["minReplicaCount"] <= spec["maxReplicaCount"]
        queues = [t["metadata"]["queueName"] for t in spec["triggers"]]
        assert queues == [queue_name(process, event) for event in SUBSCRIPTIONS[process]]
        for trigger in spec["triggers"]:
            assert trigger["type"] == "rabbitmq"
            assert trigger["metadata"]["mode"] == "QueueLength"
            assert trigger["authenticationRef"]["name"] == "aduan-rabbitmq"
    (auth,) = by_kind(rendered, "TriggerAuthentication").values()
    assert auth["spec"]["secretTargetRef"] == [
        {"parameter": "host", "name": "aduan-amqp", "key": "uri"}
    ]


def test_the_gateway_is_behind_a_service_an_ingress_and_a_cpu_autoscaler(rendered):
    (ingress,) = by_kind(rendered, "Ingress").values()
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend == {"name": "aduan-gateway", "port": {"name": "http"}}
    service = by_kind(rendered, "Service")["aduan-gateway"]
    assert service["spec"]["ports"][0]["name"] == "http"
    (hpa,) = by_kind(rendered, "HorizontalPodAutoscaler").values()
    assert hpa["spec"]["scaleTargetRef"]["name"] == "aduan-gateway"
    assert hpa["spec"]["metrics"][0]["resource"]["name"] == "cpu"


def test_rabbitmq_and_mongodb_come_from_their_operators(rendered):
    (cluster,) = by_kind(rendered, "RabbitmqCluster").values()
    assert cluster["spec"]["replicas"] == 3
    (replica_set,) = by_kind(rendered, "MongoDBCommunity").values()
    assert replica_set["spec"]["members"] == 3
    assert replica_set["spec"]["type"] == "ReplicaSet"
    # One MongoDB user per process, allowed its own database only; its connection string
    # is the Secret the operator writes for that user.
    users = {u["name"]: u for u in replica_set["spec"]["users"]}
    deployments = by_kind(rendered, "Deployment")
    for process in PROCESSES:
        user = users[generate.mongo_user(process)]
        assert user["roles"] == [{"name": "readWrite", "db": f"aduan_{process}"}]
        env = deployments[generate.k8s_name(process)]["spec"]["template"]["spec"]
        env = {e["name"]: e for e in env["containers"][0]["env"]}
        ref = env["ADUAN_MONGO_URI"]["valueFrom"]["secretKeyRef"]
        assert ref["name"] == f"mongodb-admin-{user['name']}"


def test_secrets_are_referenced_never_written(rendered):
    assert by_kind(rendered, "Secret") == {}
    for deployment in by_kind(rendered, "Deployment").values():
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            for entry in container["env"]:
                assert "value" not in entry, entry
                assert "secretKeyRef" in entry["valueFrom"], entry
    config = by_kind(rendered, "ConfigMap")["aduan-config"]["data"]
    for variable in config:
        assert not variable.endswith(("SECRET", "TOKEN", "PASSWORD", "_URI")), variable


def test_network_policies_confine_the_processes(rendered):
    policies = by_kind(rendered, "NetworkPolicy")
    deny = policies["default-deny"]["spec"]
    assert deny == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
    backends = policies["aduan-to-backends"]["spec"]
    assert backends["podSelector"]["matchLabels"] == generate.PART_OF
    reached = sorted(
        (
            tuple(sorted(rule["to"][0]["podSelector"]["matchLabels"].items())),
            rule["ports"][0]["port"],
        )
        for rule in backends["egress"]
    )
    assert reached == sorted(
        [
            (tuple(generate.RABBITMQ_PODS.items()), 5672),
            (tuple(generate.MONGODB_PODS.items()), 27017),
        ]
    )
    # Only the processes that talk to providers, mail or agencies leave the cluster.
    outside = policies["outside-from-adapters"]["spec"]["podSelector"]["matchExpressions"][0]
    assert set(outside["values"]) == {generate.k8s_name(p) for p in generate.OUTSIDE}
    assert "gateway" not in generate.OUTSIDE and "intake" not in generate.OUTSIDE
    ingress = policies["gateway-from-ingress"]["spec"]
    assert ingress["podSelector"]["matchLabels"] == generate.selector("gateway")
    # The operators' pods carry no Aduan label, so Aduan's policies do not select them.
    for kind in ("RabbitmqCluster", "MongoDBCommunity"):
        for resource in by_kind(rendered, kind).values():
            assert "labels" not in resource["metadata"]


def test_the_overlay_sets_the_image_and_the_public_host():
    production = render(PRODUCTION)
    for deployment in by_kind(production, "Deployment").values():
        image = deployment["spec"]["template"]["spec"]["containers"][0]["image"]
        assert image.startswith("registry.semarangkota.go.id/aduan/aduan:")
    (ingress,) = by_kind(production, "Ingress").values()
    assert ingress["spec"]["tls"][0]["secretName"] == "aduan-tls"
    assert ingress["spec"]["rules"][0]["host"] == "lapor.semarangkota.go.id"
    gateway = by_kind(production, "Deployment")["aduan-gateway"]["spec"]["template"]["spec"]
    # The patch merged into the container, keeping its probes and environment.
    (container,) = gateway["containers"]
    assert container["resources"]["limits"]["cpu"] == "2" and "livenessProbe" in container
    assert all(
        r["metadata"].get("namespace") == "aduan" for r in production if r["kind"] != "Namespace"
    )


def test_every_secret_the_code_reads_is_given_to_a_process():
    import re

    read = set()
    for folder in ("services", "gateway"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            read |= set(re.findall(r"\bADUAN_[A-Z0-9_]*(?:SECRET|TOKEN|PASSWORD)\b", text))
    given = {variable for entries in generate.SECRET_ENV.values() for variable, *_ in entries}
    assert read, "no secret found in the code: the pattern is wrong"
    assert read == given
