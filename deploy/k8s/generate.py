"""Writes the Kustomize base in deploy/k8s/base/ from the code's own tables.

    .venv/bin/python deploy/k8s/generate.py          # rewrite the base
    .venv/bin/python deploy/k8s/generate.py --check  # exit 1 if a file is not up to date

One file per service and adapter (Deployment, metrics Service, PodDisruptionBudget,
ServiceMonitor and, for a consumer, a KEDA ScaledObject on its inbox queues), the
gateway (Deployment, Service, Ingress, HorizontalPodAutoscaler on CPU, PDB,
ServiceMonitor), RabbitMQ (RabbitmqCluster) and MongoDB (MongoDBCommunity, a user per
service with readWrite on its own database only), and the NetworkPolicies. The names of
the processes come from services/chassis/launch.py, their metrics ports from
services/chassis/config.py, the queues KEDA watches from services/chassis/topology.py.
Secrets are referenced by name and key, never written here (docs/deploy.md says which
to create). Tests: tests/unit/test_deploy_k8s.py.
"""

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from services.chassis.config import DEFAULT_METRICS_PORTS  # noqa: E402
from services.chassis.launch import SERVICES  # noqa: E402
from services.chassis.topology import queue_name  # noqa: E402
from services.contracts.events import SUBSCRIPTIONS  # noqa: E402

BASE = Path(__file__).resolve().parent / "base"
IMAGE = "aduan:0.1.0"
GATEWAY_PORT = 8080
PART_OF = {"app.kubernetes.io/part-of": "aduan"}
RABBITMQ = "rabbitmq"  # the RabbitmqCluster: its pods, client Service and default user
MONGODB = "mongodb"  # the MongoDBCommunity: its pods are labelled app=mongodb-svc
MONGODB_PODS = {"app": f"{MONGODB}-svc"}
RABBITMQ_PODS = {"app.kubernetes.io/name": RABBITMQ}
# Namespaces of the cluster's shared parts (the overlay may patch the policies).
MONITORING_NS = "monitoring"
INGRESS_NS = "ingress-nginx"
KEDA_NS = "keda"
# Processes that talk to the outside: providers, the mail server, agencies' webhooks.
OUTSIDE = {"sms", "social", "lapor", "whatsapp", "staff_notices", "agency_hooks"}
ADAPTERS = {"sms", "social", "lapor", "desk", "whatsapp"}

# Replicas (and the most KEDA may run), requests and limits per process.
PROFILES = {
    "intake": (2, 8, "250m", "256Mi", "1", "512Mi"),
    "triage": (2, 6, "250m", "384Mi", "1", "768Mi"),
    "dispatch": (2, 6, "100m", "256Mi", "1", "512Mi"),
    "sla": (2, 6, "100m", "256Mi", "1", "512Mi"),
    "reporting": (2, 8, "250m", "384Mi", "1", "768Mi"),
    "sms": (1, 4, "100m", "192Mi", "500m", "384Mi"),
    "social": (1, 4, "100m", "192Mi", "500m", "384Mi"),
    "lapor": (1, 3, "100m", "192Mi", "500m", "384Mi"),
    "desk": (1, 3, "100m", "384Mi", "1", "768Mi"),
    "whatsapp": (1, 4, "100m", "192Mi", "500m", "384Mi"),
    "staff_notices": (1, 3, "100m", "192Mi", "500m", "384Mi"),
    "agency_hooks": (1, 4, "100m", "192Mi", "500m", "384Mi"),
    "gateway": (2, 10, "250m", "384Mi", "1", "768Mi"),
}
# Ready messages in one inbox queue per replica before KEDA adds one.
QUEUE_LENGTH_PER_REPLICA = "50"

# Secrets each process reads, as (variable, Secret, key, optional). Provider tokens are
# optional: a channel without one waits, as its docs say, and the pod still starts.
SECRET_ENV = {
    "gateway": [
        ("ADUAN_SMS_WEBHOOK_SECRET", "aduan-webhooks", "sms", False),
        ("ADUAN_SOCIAL_WEBHOOK_SECRET", "aduan-webhooks", "social", False),
        ("ADUAN_WHATSAPP_APP_SECRET", "aduan-webhooks", "whatsapp-app-secret", True),
        ("ADUAN_WHATSAPP_VERIFY_TOKEN", "aduan-webhooks", "whatsapp-verify-token", False),
        ("ADUAN_PAGE_SECRET", "aduan-webhooks", "page-secret", False),
    ],
    "sms": [("ADUAN_SMS_PROVIDER_TOKEN", "aduan-providers", "sms-token", True)],
    "social": [("ADUAN_SOCIAL_PROVIDER_TOKEN", "aduan-providers", "social-token", True)],
    "lapor": [("ADUAN_LAPOR_TOKEN", "aduan-providers", "lapor-token", True)],
    "whatsapp": [("ADUAN_WHATSAPP_TOKEN", "aduan-providers", "whatsapp-token", True)],
    "staff_notices": [
        ("ADUAN_SMTP_PASSWORD", "aduan-providers", "smtp-password", True),
        ("ADUAN_WHATSAPP_TOKEN", "aduan-providers", "whatsapp-token", True),
    ],
}
AMQP_SECRET = ("aduan-amqp", "uri")

# Settings every process gets from the ConfigMap aduan-config (not secrets).
CONFIG = {
    "ADUAN_DB_PREFIX": "aduan",
    "ADUAN_MONGO_WRITE_CONCERN": "majority",
    "ADUAN_METRICS_ADDR": "0.0.0.0",
    "ADUAN_GATEWAY_HOST": "0.0.0.0",
    "ADUAN_GATEWAY_PORT": str(GATEWAY_PORT),
    "ADUAN_PUBLIC_URL": "https://aduan.example.invalid",
    "ADUAN_SMS_PROVIDER_URL": "",
    "ADUAN_SOCIAL_PROVIDER_URL": "",
    "ADUAN_LAPOR_URL": "",
    "ADUAN_WHATSAPP_URL": "",
    "ADUAN_WHATSAPP_PHONE_NUMBER_ID": "",
    "ADUAN_SMTP_HOST": "",
    "ADUAN_SMTP_PORT": "587",
    "ADUAN_SMTP_SECURITY": "starttls",
    "ADUAN_SMTP_USERNAME": "",
    "ADUAN_SMTP_FROM": "",
    # The gateway is reached only through the ingress controller (NetworkPolicy), whose
    # X-Forwarded-For carries the client address that throttling counts.
    "FORWARDED_ALLOW_IPS": "*",
}


def components() -> list[str]:
    """Every process the image runs: the services and adapters, then the gateway."""
    return [*SERVICES, "gateway"]


def k8s_name(component: str) -> str:
    return "aduan-" + component.replace("_", "-")


def mongo_user(component: str) -> str:
    return k8s_name(component)


def mongo_connection_secret(component: str) -> str:
    """The Secret the MongoDB Community Operator writes for a user:
    <resource>-<auth database>-<user>, with the key connectionString.standard."""
    return f"{MONGODB}-admin-{mongo_user(component)}"


def inbox_queues(component: str) -> list[str]:
    return [queue_name(component, event_type) for event_type in SUBSCRIPTIONS.get(component, ())]


def labels(component: str) -> dict:
    kind = "gateway" if component == "gateway" else "adapter" if component in ADAPTERS else None
    kind = kind or "service"
    return {
        "app.kubernetes.io/name": k8s_name(component),
        "app.kubernetes.io/component": kind,
        **PART_OF,
    }


def selector(component: str) -> dict:
    return {"app.kubernetes.io/name": k8s_name(component), **PART_OF}


def port_of(component: str) -> tuple[str, int]:
    if component == "gateway":
        return "http", GATEWAY_PORT
    return "metrics", DEFAULT_METRICS_PORTS[component]


def env_of(component: str) -> list[dict]:
    def secret(name: str, secret_name: str, key: str, optional: bool = False) -> dict:
        ref = {"name": secret_name, "key": key}
        if optional:
            ref["optional"] = True
        return {"name": name, "valueFrom": {"secretKeyRef": ref}}

    env = [
        secret("ADUAN_AMQP_URI", *AMQP_SECRET),
        secret("ADUAN_MONGO_URI", mongo_connection_secret(component), "connectionString.standard"),
    ]
    env += [secret(*entry) for entry in SECRET_ENV.get(component, [])]
    return env


def compute(cpu: str, memory: str, cpu_limit: str, memory_limit: str) -> dict:
    return {
        "requests": {"cpu": cpu, "memory": memory},
        "limits": {"cpu": cpu_limit, "memory": memory_limit},
    }


def probe(path: str, port: str, period: int, failures: int) -> dict:
    return {
        "httpGet": {"path": path, "port": port},
        "periodSeconds": period,
        "timeoutSeconds": 5,
        "failureThreshold": failures,
    }


def deployment(component: str) -> dict:
    replicas, _, cpu, memory, cpu_limit, memory_limit = PROFILES[component]
    port_name, port = port_of(component)
    live, ready = ("/healthz", "/readyz") if component == "gateway" else ("/metrics", "/metrics")
    container = {
        "name": component.replace("_", "-"),
        "image": IMAGE,
        "args": [component],
        "ports": [{"name": port_name, "containerPort": port, "protocol": "TCP"}],
        "envFrom": [{"configMapRef": {"name": "aduan-config"}}],
        "env": env_of(component),
        "resources": compute(cpu, memory, cpu_limit, memory_limit),
        # Up to three minutes to connect to RabbitMQ and MongoDB and load the model.
        "startupProbe": probe(live, port_name, 5, 36),
        "livenessProbe": probe(live, port_name, 20, 3),
        "readinessProbe": probe(ready, port_name, 10, 3),
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "capabilities": {"drop": ["ALL"]},
        },
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": k8s_name(component), "labels": labels(component)},
        "spec": {
            "replicas": replicas,
            "revisionHistoryLimit": 5,
            "selector": {"matchLabels": selector(component)},
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1},
            },
            "template": {
                "metadata": {"labels": labels(component)},
                "spec": {
                    "automountServiceAccountToken": False,
                    "enableServiceLinks": False,
                    # SIGTERM: Nameko finishes running workers; unacked messages go back.
                    "terminationGracePeriodSeconds": 30,
                    "securityContext": {
                        "runAsNonRoot": True,
                        "runAsUser": 10001,
                        "runAsGroup": 10001,
                        "fsGroup": 10001,
                        "seccompProfile": {"type": "RuntimeDefault"},
                    },
                    "topologySpreadConstraints": [
                        {
                            "maxSkew": 1,
                            "topologyKey": "kubernetes.io/hostname",
                            "whenUnsatisfiable": "ScheduleAnyway",
                            "labelSelector": {"matchLabels": selector(component)},
                        }
                    ],
                    "containers": [container],
                    "volumes": [{"name": "tmp", "emptyDir": {"sizeLimit": "64Mi"}}],
                },
            },
        },
    }


def service(component: str) -> dict:
    port_name, port = port_of(component)
    exposed = 80 if component == "gateway" else port
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": k8s_name(component), "labels": labels(component)},
        "spec": {
            "type": "ClusterIP",
            "selector": selector(component),
            "ports": [
                {"name": port_name, "port": exposed, "targetPort": port_name, "protocol": "TCP"}
            ],
        },
    }


def disruption_budget(component: str) -> dict:
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": {"name": k8s_name(component), "labels": labels(component)},
        "spec": {"maxUnavailable": 1, "selector": {"matchLabels": selector(component)}},
    }


def service_monitor(component: str) -> dict:
    port_name, _ = port_of(component)
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "ServiceMonitor",
        "metadata": {"name": k8s_name(component), "labels": labels(component)},
        "spec": {
            "selector": {"matchLabels": selector(component)},
            "endpoints": [{"port": port_name, "path": "/metrics", "interval": "15s"}],
        },
    }


def scaled_object(component: str) -> dict:
    replicas, most, *_ = PROFILES[component]
    triggers = [
        {
            "type": "rabbitmq",
            "metadata": {
                "protocol": "amqp",
                "mode": "QueueLength",
                "value": QUEUE_LENGTH_PER_REPLICA,
                "queueName": queue,
            },
            "authenticationRef": {"name": "aduan-rabbitmq"},
        }
        for queue in inbox_queues(component)
    ]
    return {
        "apiVersion": "keda.sh/v1alpha1",
        "kind": "ScaledObject",
        "metadata": {"name": k8s_name(component), "labels": labels(component)},
        "spec": {
            "scaleTargetRef": {"name": k8s_name(component)},
            "minReplicaCount": replicas,
            "maxReplicaCount": most,
            "pollingInterval": 15,
            "cooldownPeriod": 300,
            "triggers": triggers,
        },
    }


def gateway_extras() -> list[dict]:
    replicas, most, *_ = PROFILES["gateway"]
    name = k8s_name("gateway")
    return [
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": {
                "name": name,
                "labels": labels("gateway"),
                "annotations": {
                    # Attachments: 10 MiB (ADUAN_MAX_UPLOAD).
                    "nginx.ingress.kubernetes.io/proxy-body-size": "11m",
                },
            },
            "spec": {
                "ingressClassName": "nginx",
                "rules": [
                    {
                        "host": "aduan.example.invalid",
                        "http": {
                            "paths": [
                                {
                                    "path": "/",
                                    "pathType": "Prefix",
                                    "backend": {
                                        "service": {"name": name, "port": {"name": "http"}}
                                    },
                                }
                            ]
                        },
                    }
                ],
            },
        },
        {
            "apiVersion": "autoscaling/v2",
            "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": name, "labels": labels("gateway")},
            "spec": {
                "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
                "minReplicas": replicas,
                "maxReplicas": most,
                "metrics": [
                    {
                        "type": "Resource",
                        "resource": {
                            "name": "cpu",
                            "target": {"type": "Utilization", "averageUtilization": 70},
                        },
                    }
                ],
            },
        },
    ]


def component_resources(component: str) -> list[dict]:
    resources = [deployment(component), service(component)]
    if component == "gateway":
        resources += gateway_extras()
    elif inbox_queues(component):
        resources.append(scaled_object(component))
    return resources + [disruption_budget(component), service_monitor(component)]


def rabbitmq() -> list[dict]:
    return [
        {
            "apiVersion": "rabbitmq.com/v1beta1",
            "kind": "RabbitmqCluster",
            # No part-of label: the operators copy the labels onto their pods, which the
            # NetworkPolicies for Aduan's own pods must not select.
            "metadata": {"name": RABBITMQ},
            "spec": {
                "replicas": 3,
                "resources": compute("500m", "1Gi", "1", "1Gi"),
                "persistence": {"storage": "20Gi"},
                "rabbitmq": {
                    # Shovels move parked messages back (docs/operations.md).
                    "additionalPlugins": ["rabbitmq_shovel", "rabbitmq_shovel_management"],
                    "additionalConfig": "cluster_partition_handling = pause_minority\n"
                    "prometheus.return_per_object_metrics = true\n",
                },
                "service": {"type": "ClusterIP"},
            },
        },
        {
            # The operator labels the client Service with the cluster's name; its
            # rabbitmq_prometheus port is named "prometheus" (15692).
            "apiVersion": "monitoring.coreos.com/v1",
            "kind": "ServiceMonitor",
            "metadata": {"name": RABBITMQ, "labels": dict(PART_OF)},
            "spec": {
                "selector": {"matchLabels": {"app.kubernetes.io/name": RABBITMQ}},
                "endpoints": [{"port": "prometheus", "path": "/metrics", "interval": "15s"}],
            },
        },
        {
            # KEDA reads the queue lengths with the URI in this Secret (never here).
            "apiVersion": "keda.sh/v1alpha1",
            "kind": "TriggerAuthentication",
            "metadata": {"name": "aduan-rabbitmq", "labels": dict(PART_OF)},
            "spec": {
                "secretTargetRef": [
                    {"parameter": "host", "name": AMQP_SECRET[0], "key": AMQP_SECRET[1]}
                ]
            },
        },
    ]


def mongodb() -> list[dict]:
    users = [
        {
            "name": mongo_user(component),
            "db": "admin",
            "passwordSecretRef": {"name": f"{mongo_user(component)}-mongodb", "key": "password"},
            # Each process may read and write its own database only.
            "roles": [{"name": "readWrite", "db": f"aduan_{component}"}],
            "scramCredentialsSecretName": f"{mongo_user(component)}-scram",
        }
        for component in components()
    ]
    return [
        {
            "apiVersion": "mongodbcommunity.mongodb.com/v1",
            "kind": "MongoDBCommunity",
            "metadata": {"name": MONGODB},
            "spec": {
                "members": 3,
                "type": "ReplicaSet",
                "version": "7.0.14",
                "security": {"authentication": {"modes": ["SCRAM"]}},
                "users": users,
                "statefulSet": {
                    "spec": {
                        "template": {
                            "spec": {
                                "containers": [
                                    {
                                        "name": "mongod",
                                        "resources": compute("500m", "2Gi", "2", "2Gi"),
                                    }
                                ]
                            }
                        },
                        "volumeClaimTemplates": [
                            {
                                "metadata": {"name": "data-volume"},
                                "spec": {
                                    "accessModes": ["ReadWriteOnce"],
                                    "resources": {"requests": {"storage": "50Gi"}},
                                },
                            }
                        ],
                    }
                },
            },
        }
    ]


def network_policies() -> list[dict]:
    def policy(name: str, pods: dict, spec: dict) -> dict:
        return {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": name, "labels": dict(PART_OF)},
            "spec": {"podSelector": {"matchLabels": dict(pods)} if pods else {}, **spec},
        }

    def namespace(name: str) -> dict:
        return {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": name}}}

    def tcp(*ports) -> list[dict]:
        return [{"protocol": "TCP", "port": port} for port in ports]

    outside = sorted(k8s_name(c) for c in OUTSIDE)
    return [
        # Nothing in the namespace talks to anything unless a policy below allows it.
        policy("default-deny", {}, {"policyTypes": ["Ingress", "Egress"]}),
        policy(
            "allow-dns",
            {},
            {
                "policyTypes": ["Egress"],
                "egress": [
                    {
                        "to": [
                            {
                                **namespace("kube-system"),
                                "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
                            }
                        ],
                        "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}],
                    }
                ],
            },
        ),
        # Every Aduan process reaches RabbitMQ and MongoDB, nothing else of the cluster
        # (the gateway reaches the services through RabbitMQ's RPC); which database it
        # may use is its MongoDB user's role.
        policy(
            "aduan-to-backends",
            PART_OF,
            {
                "policyTypes": ["Egress"],
                "egress": [
                    {
                        "to": [{"podSelector": {"matchLabels": dict(RABBITMQ_PODS)}}],
                        "ports": tcp(5672),
                    },
                    {
                        "to": [{"podSelector": {"matchLabels": dict(MONGODB_PODS)}}],
                        "ports": tcp(27017),
                    },
                ],
            },
        ),
        policy(
            "aduan-metrics-from-prometheus",
            PART_OF,
            {
                "policyTypes": ["Ingress"],
                "ingress": [{"from": [namespace(MONITORING_NS)], "ports": tcp("metrics", "http")}],
            },
        ),
        policy(
            "gateway-from-ingress",
            selector("gateway"),
            {
                "policyTypes": ["Ingress"],
                "ingress": [{"from": [namespace(INGRESS_NS)], "ports": tcp("http")}],
            },
        ),
        # Providers, the mail server and the agencies' webhooks are outside the cluster.
        policy(
            "outside-from-adapters",
            {},
            {
                "podSelector": {
                    "matchExpressions": [
                        {"key": "app.kubernetes.io/name", "operator": "In", "values": outside}
                    ]
                },
                "policyTypes": ["Egress"],
                "egress": [{"ports": tcp(443, 465, 587)}],
            },
        ),
        policy(
            "rabbitmq",
            RABBITMQ_PODS,
            {
                "policyTypes": ["Ingress", "Egress"],
                "ingress": [
                    {"from": [{"podSelector": {"matchLabels": dict(PART_OF)}}], "ports": tcp(5672)},
                    # The nodes among themselves: epmd, clustering, CLI tools.
                    {"from": [{"podSelector": {"matchLabels": dict(RABBITMQ_PODS)}}]},
                    {"from": [namespace(KEDA_NS)], "ports": tcp(5672)},
                    {"from": [namespace(MONITORING_NS)], "ports": tcp(15692)},
                ],
                "egress": [
                    {"to": [{"podSelector": {"matchLabels": dict(RABBITMQ_PODS)}}]},
                    # Peer discovery asks the Kubernetes API for the other nodes.
                    {"ports": tcp(443, 6443)},
                ],
            },
        ),
        policy(
            "mongodb",
            MONGODB_PODS,
            {
                "policyTypes": ["Ingress", "Egress"],
                "ingress": [
                    {
                        "from": [{"podSelector": {"matchLabels": dict(PART_OF)}}],
                        "ports": tcp(27017),
                    },
                    {"from": [{"podSelector": {"matchLabels": dict(MONGODB_PODS)}}]},
                ],
                "egress": [{"to": [{"podSelector": {"matchLabels": dict(MONGODB_PODS)}}]}],
            },
        ),
    ]


def config_map() -> dict:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "aduan-config", "labels": dict(PART_OF)},
        "data": dict(CONFIG),
    }


def namespace_resource() -> dict:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "aduan"}}


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:
        return True


HEADER = "# Generated by deploy/k8s/generate.py from the code's tables: do not edit, run it.\n"


def dump(resources: list[dict]) -> str:
    return HEADER + "---\n".join(
        yaml.dump(r, Dumper=_Dumper, sort_keys=False, default_flow_style=False, width=100)
        for r in resources
    )


def render() -> dict[str, str]:
    """File name -> content of every file of the base."""
    files = {
        "namespace.yaml": dump([namespace_resource()]),
        "config.yaml": dump([config_map()]),
        "rabbitmq.yaml": dump(rabbitmq()),
        "mongodb.yaml": dump(mongodb()),
        "networkpolicies.yaml": dump(network_policies()),
    }
    for component in components():
        files[f"{k8s_name(component)}.yaml"] = dump(component_resources(component))
    kustomization = {
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "namespace": "aduan",
        "resources": list(files),
    }
    files["kustomization.yaml"] = dump([kustomization])
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a file differs")
    args = parser.parse_args(argv)
    files = render()
    stale = sorted(
        name
        for name, text in files.items()
        if not (BASE / name).exists() or (BASE / name).read_text(encoding="utf-8") != text
    )
    extra = sorted(p.name for p in BASE.glob("*.yaml") if p.name not in files)
    if args.check:
        for name in stale:
            print(f"{BASE / name} is not what generate.py writes")
        for name in extra:
            print(f"{BASE / name} is not written by generate.py")
        return 1 if stale or extra else 0
    BASE.mkdir(parents=True, exist_ok=True)
    for name in stale:
        (BASE / name).write_text(files[name], encoding="utf-8")
        print(f"wrote {BASE / name}")
    for name in extra:
        (BASE / name).unlink()
        print(f"removed {BASE / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
