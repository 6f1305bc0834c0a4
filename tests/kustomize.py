"""The part of kustomize that deploy/k8s uses, to render the base offline (no kubectl or
kustomize binary in Debian), and the check of custom resources against the operators' CRD
schemas kept in deploy/k8s/crds (see its README.md)."""

import copy
from pathlib import Path
from typing import Any

import jsonschema
import yaml

# Kinds without a namespace among those the base uses.
CLUSTER_SCOPED = {"Namespace"}
USED_KEYS = {"apiVersion", "kind", "namespace", "labels", "resources", "images"}


def render(folder: Path) -> list[dict[str, Any]]:
    """``kubectl kustomize folder`` for what kustomization.yaml uses: resources, namespace,
    labels (with includeTemplates), images. Anything else in it is refused, so that the
    rendering never silently differs from kustomize's."""
    spec = yaml.safe_load((folder / "kustomization.yaml").read_text())
    unknown = set(spec) - USED_KEYS
    assert not unknown, f"kustomization.yaml uses {unknown}: teach tests/kustomize.py first"
    docs = [
        doc
        for name in spec["resources"]
        for doc in yaml.safe_load_all((folder / name).read_text(encoding="utf-8"))
        if doc
    ]
    for doc in docs:
        meta = doc.setdefault("metadata", {})
        if spec.get("namespace") and doc["kind"] not in CLUSTER_SCOPED:
            meta["namespace"] = spec["namespace"]
        for entry in spec.get("labels", []):
            assert not entry.get("includeSelectors"), "selector labels are not rendered here"
            meta.setdefault("labels", {}).update(entry["pairs"])
            template = doc.get("spec", {}).get("template")
            if entry.get("includeTemplates") and template is not None:
                template.setdefault("metadata", {}).setdefault("labels", {}).update(entry["pairs"])
        for container in _containers(doc):
            for image in spec.get("images", []):
                if container["image"] == image["name"]:
                    container["image"] = f"{image['newName']}:{image['newTag']}"
    return docs


def _containers(doc: dict[str, Any]) -> list[dict[str, Any]]:
    pod = doc.get("spec", {}).get("template", {}).get("spec", {})
    return [*pod.get("initContainers", []), *pod.get("containers", [])]


def crd_schemas(folder: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """(apiVersion, kind) → JSON Schema, from the CRD schema files in ``folder``."""
    schemas = {}
    for path in sorted(folder.glob("*.yaml")):
        crd = yaml.safe_load(path.read_text())
        key = (f"{crd['group']}/{crd['version']}", crd["kind"])
        schemas[key] = to_json_schema(crd["openAPIV3Schema"])
    return schemas


def to_json_schema(node: Any) -> Any:
    """OpenAPI v3 (a CRD's structural schema) → JSON Schema as the API server applies it
    with strict field validation: an object that lists its ``properties`` accepts no other
    field unless it says ``x-kubernetes-preserve-unknown-fields``."""
    if isinstance(node, list):
        return [to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: to_json_schema(v) for k, v in node.items() if not k.startswith("x-kubernetes-")}
    if (
        "properties" in node
        and "additionalProperties" not in node
        and not node.get("x-kubernetes-preserve-unknown-fields")
    ):
        out["additionalProperties"] = False
    return out


def crd_errors(doc: dict[str, Any], schemas: dict[tuple[str, str], dict[str, Any]]) -> list[str]:
    schema = schemas[(doc["apiVersion"], doc["kind"])]
    validator = jsonschema.Draft7Validator(copy.deepcopy(schema))
    return [
        f"{doc['kind']}/{doc['metadata'].get('name')}: {'.'.join(map(str, e.absolute_path))}: "
        f"{e.message}"
        for e in validator.iter_errors(doc)
    ]
