"""The deployments validate offline (no Docker engine, no cluster here): docker-compose with its
collector, Prometheus and Grafana files; the Kubernetes base rendered and checked against
Kubernetes' own schemas and the operators' CRD schemas (deploy/k8s/crds)."""

import copy
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from kit.bus.rabbit import DELIVERY_LIMIT
from kit.metrics import ServiceMetrics
from kit.testing import SERVICE_QUEUES

from tests.kustomize import crd_errors, crd_schemas, render

ROOT = Path(__file__).parents[1]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
KUBERNETES_VERSION = "1.31"
SERVICES = ["gateway", "inquiry", "customer", "booking", "leads", "orders"]
PORTS = dict(zip(SERVICES, range(8000, 8006), strict=True))
# The services' metric names as kit.metrics declares them (docs/runbook.md, "Metrics"): a
# dashboard panel naming any other is a panel that stays empty.
METRIC_NAMES = {m.name for m in ServiceMetrics("any").registry.collect()} | {
    # prometheus_client reports a counter's family without its _total
    f"{m.name}_total"
    for m in ServiceMetrics("any").registry.collect()
    if m.type == "counter"
}
HISTOGRAM_SERIES = ("_bucket", "_sum", "_count")


def _compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_docker_compose_config_is_valid() -> None:
    assert shutil.which("docker-compose"), "Debian's docker-compose is needed (make system-deps)"
    result = subprocess.run(
        ["docker-compose", "config", "-q"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_compose_has_every_service_and_the_infrastructure() -> None:
    services = _compose()["services"]
    assert {*SERVICES, "postgres", "rabbitmq", "otel-collector", "jaeger", "prometheus",
            "grafana"} <= set(services)  # fmt: skip


def test_every_file_compose_mounts_exists_and_parses() -> None:
    mounts = [
        volume.split(":")[0]
        for service in _compose()["services"].values()
        for volume in service.get("volumes", [])
        if volume.startswith("./")
    ]
    assert len(mounts) >= 7
    for mount in mounts:
        path = ROOT / mount
        assert path.exists(), mount
        for file in sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]:
            text = file.read_text(encoding="utf-8")
            if file.suffix in {".yaml", ".yml"}:
                assert yaml.safe_load(text), file
            elif file.suffix == ".json":
                assert json.loads(text), file


def test_collector_sends_traces_to_jaeger_and_metrics_to_prometheus() -> None:
    config = yaml.safe_load((DEPLOY / "otel" / "collector.yaml").read_text())
    pipelines = config["service"]["pipelines"]
    assert pipelines["traces"]["exporters"] == ["otlp/jaeger"]
    assert config["exporters"]["otlp/jaeger"]["endpoint"] == "jaeger:4317"
    assert pipelines["metrics"]["exporters"] == ["prometheus"]
    port = config["exporters"]["prometheus"]["endpoint"].rsplit(":", 1)[1]
    assert f"otel-collector:{port}" in _scrape_targets()


def _scrape_targets() -> set[str]:
    config = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
    return {
        target
        for job in config["scrape_configs"]
        for static in job["static_configs"]
        for target in static["targets"]
    }


def test_prometheus_scrapes_every_service_and_rabbitmqs_own_endpoint() -> None:
    targets = _scrape_targets()
    assert {f"{s}:{p}" for s, p in PORTS.items()} <= targets
    assert "rabbitmq:15692" in targets
    plugins = (DEPLOY / "rabbitmq" / "enabled_plugins").read_text()
    assert "rabbitmq_prometheus" in plugins and "rabbitmq_management" in plugins
    conf = (DEPLOY / "rabbitmq" / "rabbitmq.conf").read_text()
    assert "prometheus.tcp.port = 15692" in conf
    assert "prometheus.return_per_object_metrics = true" in conf  # per-queue depths


def _dashboards() -> list[dict[str, Any]]:
    files = sorted((DEPLOY / "grafana" / "dashboards").glob("*.json"))
    assert files
    return [json.loads(f.read_text(encoding="utf-8")) for f in files]


def _metric_names(expr: str) -> set[str]:
    names = set(re.findall(r"\b((?:crm|rabbitmq)_[a-z0-9_]+)", expr))
    return {
        next((n[: -len(s)] for s in HISTOGRAM_SERIES if n.endswith(s) and
              n[: -len(s)] in METRIC_NAMES), n)
        for n in names
    }  # fmt: skip


def test_every_dashboard_query_names_a_known_metric() -> None:
    exprs = [
        target["expr"]
        for dashboard in _dashboards()
        for panel in dashboard["panels"]
        for target in panel.get("targets", [])
        if target["datasource"]["type"] == "prometheus"
    ]
    assert len(exprs) >= 15
    seen: set[str] = set()
    for expr in exprs:
        names = _metric_names(expr)
        assert names, f"no metric in {expr!r}"
        unknown = {n for n in names if n not in METRIC_NAMES and not n.startswith("rabbitmq_")}
        assert not unknown, f"{expr!r} names {unknown}, not in the fixed list"
        seen |= names
    # request rates and latencies, outbox and consumer lag, dead letters, webhook failures,
    # queue depths from RabbitMQ itself
    assert {"crm_http_requests_total", "crm_http_request_duration_seconds",
            "crm_outbox_oldest_age_seconds", "crm_consumer_lag_messages",
            "crm_dead_letters_total", "crm_webhook_deliveries_total",
            "rabbitmq_queue_messages_ready"} <= seen  # fmt: skip


def test_a_slow_route_links_to_its_traces_in_jaeger() -> None:
    datasources = yaml.safe_load(
        (DEPLOY / "grafana" / "provisioning" / "datasources" / "datasources.yaml").read_text()
    )["datasources"]
    by_uid = {d["uid"]: d for d in datasources}
    assert by_uid["prometheus"]["url"] == "http://prometheus:9090"
    assert by_uid["jaeger"]["type"] == "jaeger" and by_uid["jaeger"]["url"] == "http://jaeger:16686"
    panels = [p for d in _dashboards() for p in d["panels"]]
    links = [
        link["url"] for p in panels for link in p.get("fieldConfig", {}).get("defaults", {})
        .get("links", [])
    ]  # fmt: skip
    assert any(
        "/search?service=${__field.labels.service}" in url and "minDuration=${slow}" in url
        for url in links
    )
    jaeger_targets = [t for p in panels for t in p.get("targets", [])
                      if t["datasource"]["uid"] == "jaeger"]  # fmt: skip
    assert jaeger_targets and all(t["queryType"] == "search" for t in jaeger_targets)
    uids = {p["datasource"]["uid"] for p in panels if "datasource" in p}
    assert uids <= set(by_uid)


# --- Kubernetes ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered() -> list[dict[str, Any]]:
    return render(K8S)


@pytest.fixture(scope="module")
def schemas() -> dict[tuple[str, str], dict[str, Any]]:
    return crd_schemas(K8S / "crds")


def _by_kind(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def test_the_base_renders_every_kind_it_needs(rendered) -> None:  # type: ignore[no-untyped-def]
    kinds = {d["kind"] for d in rendered}
    assert {"Namespace", "ConfigMap", "Deployment", "Service", "PodDisruptionBudget",
            "HorizontalPodAutoscaler", "RabbitmqCluster", "User", "Permission", "Policy",
            "Cluster", "Database"} <= kinds  # fmt: skip
    assert all(d["metadata"]["namespace"] == "crm" for d in rendered if d["kind"] != "Namespace")


def test_core_kinds_validate_against_kubernetes_schemas(rendered, schemas) -> None:  # type: ignore[no-untyped-def]
    core = [d for d in rendered if (d["apiVersion"], d["kind"]) not in schemas]
    assert len(core) >= 20
    for doc in core:
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_operator_kinds_validate_against_their_crd_schemas(rendered, schemas) -> None:  # type: ignore[no-untyped-def]
    custom = [d for d in rendered if (d["apiVersion"], d["kind"]) in schemas]
    assert {d["kind"] for d in custom} == {k for _, k in schemas}
    errors = [e for doc in custom for e in crd_errors(doc, schemas)]
    assert errors == []


@pytest.mark.parametrize(
    ("kind", "name", "mutate"),
    [
        ("Deployment", "customer",
         lambda d: d["spec"]["template"]["spec"]["containers"][0].update(readinesProbe={})),
        ("HorizontalPodAutoscaler", "gateway", lambda d: d["spec"].update(maxReplica=3)),
        ("RabbitmqCluster", "crm-rabbitmq", lambda d: d["spec"].update(replica=3)),
        ("RabbitmqCluster", "crm-rabbitmq", lambda d: d["spec"].update(replicas="three")),
        ("Policy", "crm-customer-events", lambda d: d["spec"].update(applyTo="streams")),
        ("Policy", "crm-customer-events", lambda d: d["spec"].pop("pattern")),
        ("User", "crm-app", lambda d: d["spec"].update(tags=["superuser"])),
        ("Permission", "crm-app", lambda d: d["spec"]["permissions"].update(delete=".*")),
        ("Cluster", "crm-postgres", lambda d: d["spec"].update(instance=3)),
        ("Database", "crm-orders", lambda d: d["spec"].update(databaseReclaimPolicy="drop")),
    ],
)  # fmt: skip
def test_a_manifest_with_a_wrong_field_fails(rendered, schemas, kind, name, mutate) -> None:  # type: ignore[no-untyped-def]
    original = _by_kind(rendered, kind)[name]
    doc = copy.deepcopy(original)
    mutate(doc)
    if (doc["apiVersion"], kind) in schemas:
        assert crd_errors(original, schemas) == []
        assert crd_errors(doc, schemas) != []
    else:
        kubernetes_validate.validate(original, KUBERNETES_VERSION, strict=True)
        with pytest.raises(kubernetes_validate.ValidationError):
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_every_service_runs_the_compose_image_with_probes_resources_and_an_autoscaler(
    rendered,  # type: ignore[no-untyped-def]
) -> None:
    deployments = _by_kind(rendered, "Deployment")
    autoscalers = _by_kind(rendered, "HorizontalPodAutoscaler")
    assert set(deployments) == set(SERVICES) == set(autoscalers)
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    [image] = [i for i in kustomization["images"] if i["name"] == _compose()["services"][
        "gateway"]["image"].split(":")[0]]  # fmt: skip
    for name, deployment in deployments.items():
        [container] = deployment["spec"]["template"]["spec"]["containers"]
        assert container["image"] == f"{image['newName']}:{image['newTag']}"
        assert container["command"] == ["python", "-m", name]
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert {"requests", "limits"} <= set(container["resources"])
        assert "replicas" not in deployment["spec"]  # the autoscaler owns it
        target = autoscalers[name]["spec"]["scaleTargetRef"]
        assert (target["kind"], target["name"]) == ("Deployment", name)
        assert autoscalers[name]["spec"]["minReplicas"] >= 2


def test_secrets_come_from_kubernetes_secrets_only(rendered) -> None:  # type: ignore[no-untyped-def]
    known = {"crm-secrets", "crm-rabbitmq-app", "crm-postgres-app", "crm-rabbitmq-default-user"}
    for deployment in _by_kind(rendered, "Deployment").values():
        [container] = deployment["spec"]["template"]["spec"]["containers"]
        for env in container["env"]:
            if "valueFrom" in env:
                assert env["valueFrom"]["secretKeyRef"]["name"] in known
            elif re.search(r"PASSWORD|SECRET|USERNAME", env["name"]):
                raise AssertionError(f"{env['name']} is a literal, not from a Secret")
            else:  # URLs carry credentials only through $(VAR) from the Secrets above
                assert "@" not in env["value"] or "$(RABBITMQ_PASSWORD)" in env["value"] or (
                    "$(POSTGRES_PASSWORD)" in env["value"])  # fmt: skip
    users = _by_kind(rendered, "User")
    assert users["crm-app"]["spec"]["importCredentialsSecret"]["name"] == "crm-rabbitmq-app"
    gateway = _by_kind(rendered, "Deployment")["gateway"]["spec"]["template"]["spec"]
    admin = {e["name"] for e in gateway["containers"][0]["env"]
             if e.get("valueFrom", {}).get("secretKeyRef", {}).get("name")
             == "crm-rabbitmq-default-user"}  # fmt: skip
    assert admin == {"CRM_AMQP_MANAGEMENT_USERNAME", "CRM_AMQP_MANAGEMENT_PASSWORD"}
    for name, deployment in _by_kind(rendered, "Deployment").items():
        if name != "gateway":
            assert "crm-rabbitmq-default-user" not in json.dumps(deployment), name


def test_queue_policies_match_the_queues_the_kit_declares(rendered) -> None:  # type: ignore[no-untyped-def]
    namespace = _by_kind(rendered, "ConfigMap")["crm-config"]["data"]["CRM_BUS_NAMESPACE"]
    policies = _by_kind(rendered, "Policy").values()
    queues = {f"{namespace}.{q}" for q in SERVICE_QUEUES}
    matched = set()
    for policy in policies:
        spec = policy["spec"]
        [queue] = [q for q in queues if re.fullmatch(spec["pattern"], q)]
        assert not re.fullmatch(spec["pattern"], f"{queue}.dlq")
        assert spec["applyTo"] == "quorum_queues"
        assert spec["definition"] == {
            "delivery-limit": DELIVERY_LIMIT,
            "dead-letter-exchange": "",
            "dead-letter-routing-key": f"{queue}.dlq",
        }
        matched.add(queue)
    assert matched == queues
    cluster = _by_kind(rendered, "RabbitmqCluster")["crm-rabbitmq"]["spec"]
    assert "default_queue_type = quorum" in cluster["rabbitmq"]["additionalConfig"]
