"""Helpers of the deploy tests: a minimal Kustomize renderer and the vendored schemas.

`render()` understands what deploy/k8s uses of Kustomize, and refuses anything else:
`resources` (files and directories with a kustomization.yaml), `namespace`, `images`
(newName, newTag) and `patches` given by `path`, applied as a strategic merge patch
(for the built-in kinds: maps merged, the lists Kubernetes merges by key — containers,
env, ports, volumes, volumeMounts — merged by name; other lists replaced) or, for
custom resources, as a JSON merge patch (lists replaced), as Kustomize does. When
`kubectl` is installed the tests also compare its rendering with this one.
"""

import copy
import functools
import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import kubernetes_validate.utils
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = Path(__file__).resolve().parent / "schemas"
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition"}
MERGE_BY_NAME = {"containers", "initContainers", "env", "ports", "volumes", "volumeMounts"}
BUILT_IN_GROUPS = {"v1", "apps/v1", "policy/v1", "autoscaling/v2", "networking.k8s.io/v1"}
KNOWN_FIELDS = {"apiVersion", "kind", "namespace", "resources", "images", "patches"}


# kubernetes-validate reads its schema files (one of them 4 MB) at every call: read once.
if not hasattr(kubernetes_validate.utils.schema_contents, "cache_info"):
    kubernetes_validate.utils.schema_contents = functools.lru_cache(maxsize=None)(
        kubernetes_validate.utils.schema_contents
    )


class Unsupported(Exception):
    """The kustomization uses something this renderer does not implement."""


def load_documents(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as stream:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return [doc for doc in yaml.load_all(stream, Loader=loader) if doc is not None]


def key_of(resource: dict) -> tuple[str, str, str]:
    return resource["apiVersion"], resource["kind"], resource["metadata"]["name"]


def _merge_named(base: list, patch: list, strategic: bool) -> list:
    merged = [copy.deepcopy(item) for item in base]
    by_name = {item.get("name"): index for index, item in enumerate(merged)}
    for item in patch:
        index = by_name.get(item.get("name"))
        if index is None:
            merged.append(copy.deepcopy(item))
        else:
            merged[index] = merge(merged[index], item, strategic)
    return merged


def merge(base, patch, strategic: bool):
    """A strategic merge patch (strategic=True) or a JSON merge patch of base."""
    if not isinstance(base, dict) or not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(base)
    for field, value in patch.items():
        if value is None:
            result.pop(field, None)
        elif (
            strategic
            and field in MERGE_BY_NAME
            and isinstance(value, list)
            and isinstance(result.get(field), list)
        ):
            result[field] = _merge_named(result[field], value, strategic)
        elif isinstance(value, dict) and isinstance(result.get(field), dict):
            result[field] = merge(result[field], value, strategic)
        else:
            result[field] = copy.deepcopy(value)
    return result


def _set_images(resource: dict, images: list[dict]) -> None:
    spec = resource.get("spec", {}).get("template", {}).get("spec", {})
    for container in spec.get("containers", []) + spec.get("initContainers", []):
        name = container["image"].split("@")[0].rsplit(":", 1)[0]
        for image in images:
            if image["name"] == name:
                new_name = image.get("newName", name)
                tag = image.get("newTag")
                container["image"] = f"{new_name}:{tag}" if tag else new_name


def render(directory: Path) -> list[dict]:
    """The resources `kustomize build directory` would print (for the features above)."""
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text("utf-8"))
    unknown = set(kustomization) - KNOWN_FIELDS
    if unknown:
        raise Unsupported(f"{directory}: kustomization fields {sorted(unknown)}")
    resources: list[dict] = []
    for entry in kustomization.get("resources", []):
        path = (directory / entry).resolve()
        resources += render(path) if path.is_dir() else load_documents(path)
    for patch in kustomization.get("patches", []):
        if set(patch) != {"path"}:
            raise Unsupported(f"{directory}: patch {patch} (only `path` is supported)")
        for document in load_documents(directory / patch["path"]):
            matches = [i for i, r in enumerate(resources) if key_of(r) == key_of(document)]
            if len(matches) != 1:
                raise Unsupported(f"{directory}: patch {key_of(document)} matches {len(matches)}")
            strategic = document["apiVersion"] in BUILT_IN_GROUPS
            resources[matches[0]] = merge(resources[matches[0]], document, strategic)
    if kustomization.get("images"):
        for resource in resources:
            _set_images(resource, kustomization["images"])
    if kustomization.get("namespace"):
        for resource in resources:
            if resource["kind"] not in CLUSTER_SCOPED:
                resource["metadata"]["namespace"] = kustomization["namespace"]
    return resources


def kubectl_render(directory: Path) -> list[dict] | None:
    """`kubectl kustomize directory`, or None without kubectl."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        return None
    output = subprocess.run(
        [kubectl, "kustomize", str(directory)], check=True, capture_output=True, text=True
    ).stdout
    return [doc for doc in yaml.safe_load_all(output) if doc is not None]


def _strict(schema):
    """The CRD schema as JSON Schema that refuses properties it does not list (the
    API server would prune them silently; here they are mistakes)."""
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {key: _strict(value) for key, value in schema.items()}
    if result.pop("x-kubernetes-preserve-unknown-fields", False):
        result.pop("properties", None)
        return result
    if "properties" in result and "additionalProperties" not in result:
        result["additionalProperties"] = False
    return result


def crd_validators() -> dict[tuple[str, str], jsonschema.Draft7Validator]:
    validators = {}
    for path in sorted((SCHEMAS / "crds").glob("*.yaml")):
        document = yaml.safe_load(path.read_text("utf-8"))
        schema = _strict(document["schema"])
        jsonschema.Draft7Validator.check_schema(schema)
        validators[document["apiVersion"], document["kind"]] = jsonschema.Draft7Validator(schema)
    return validators


def compose_validator() -> jsonschema.Draft7Validator:
    schema = json.loads((SCHEMAS / "compose-spec.json").read_text("utf-8"))
    # The vendored file declares draft 2019-09 but uses only draft-7 keywords (and the
    # draft-4 style "id"); draft 7 is what docker-compose validated it with.
    schema.pop("$schema", None)
    return jsonschema.Draft7Validator(schema)
