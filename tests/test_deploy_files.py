"""The single-host deployment validates offline (no Docker engine here)."""

import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).parents[1]


def test_docker_compose_config_is_valid() -> None:
    assert shutil.which("docker-compose"), "Debian's docker-compose is needed (make system-deps)"
    result = subprocess.run(
        ["docker-compose", "config", "-q"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_compose_has_every_service_and_the_infrastructure() -> None:
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert {
        "gateway",
        "inquiry",
        "customer",
        "booking",
        "leads",
        "orders",
        "postgres",
        "rabbitmq",
        "otel-collector",
        "jaeger",
    } <= set(services)


def test_kubernetes_manifests_parse() -> None:
    docs = [
        d
        for f in sorted((ROOT / "deploy" / "k8s").glob("*.yaml"))
        for d in yaml.safe_load_all(f.read_text())
        if d
    ]
    kinds = {d["kind"] for d in docs}
    assert {"Deployment", "Service", "RabbitmqCluster", "Cluster"} <= kinds
