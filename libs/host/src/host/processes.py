"""The multi-process mode: each service its own process (``python -m <service>``) against the
PostgreSQL and RabbitMQ given by URLs. Used by ``python -m host multi``, tests and bench.

A service may run as several replicas: a port named ``<service>-<n>`` (``customer-2``) starts
one more process of that service on its own port, sharing its database and its queues as a
competing consumer (decision 108 names the events whose order matters and how it is kept)."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping

import httpx

PORTS = {
    "gateway": 8000,
    "inquiry": 8001,
    "customer": 8002,
    "booking": 8003,
    "leads": 8004,
    "orders": 8005,
}


def service_env(
    *,
    pg_base: str,
    amqp_url: str,
    ports: Mapping[str, int],
    db_prefix: str = "crm",
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Environment for every service: ``pg_base`` like postgresql+asyncpg://postgres@127.0.0.1:5432"""
    env = {"CRM_BUS": "amqp", "CRM_AMQP_URL": amqp_url}
    for name, port in ports.items():
        if service_of(name) != name:  # a replica: its port is set as it starts
            continue
        prefix = name.upper()
        env[f"{prefix}_DATABASE_URL"] = f"{pg_base}/{db_prefix}_{name}"
        env[f"{prefix}_PORT"] = str(port)
        if name != "gateway":
            env[f"GATEWAY_{prefix}_URL"] = f"http://127.0.0.1:{port}"
    env.update(extra or {})
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def service_of(name: str) -> str:
    """``customer-2`` → ``customer``: the service a replica's name runs."""
    return name.split("-", 1)[0]


def with_replicas(
    ports: Mapping[str, int], replicas: Mapping[str, int], free_port: Callable[[], int]
) -> dict[str, int]:
    """``ports`` plus ``replicas[service] - 1`` more processes of each service, on free ports."""
    out = dict(ports)
    for service, count in replicas.items():
        for n in range(2, count + 1):
            out[f"{service}-{n}"] = free_port()
    return out


def start_services(
    env: Mapping[str, str], ports: Mapping[str, int], *, log_dir: str | None = None
) -> dict[str, subprocess.Popen]:
    procs: dict[str, subprocess.Popen] = {}
    full_env = {**os.environ, **env}
    # Services first, so that the gateway finds them; readiness is checked below.
    for name in sorted(ports, key=lambda n: n == "gateway"):
        out = open(os.path.join(log_dir, f"{name}.log"), "ab") if log_dir else subprocess.DEVNULL
        service = service_of(name)
        own_env = {**full_env, f"{service.upper()}_PORT": str(ports[name])}
        procs[name] = subprocess.Popen(
            [sys.executable, "-m", service], env=own_env, stdout=out, stderr=subprocess.STDOUT
        )
    return procs


def wait_ready(
    ports: Mapping[str, int], procs: Mapping[str, subprocess.Popen], *, timeout_s: float = 60.0
) -> None:
    deadline = time.monotonic() + timeout_s
    pending = dict(ports)
    while pending:
        for name, port in list(pending.items()):
            if procs[name].poll() is not None:
                raise RuntimeError(f"{name} exited with {procs[name].returncode}")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                    del pending[name]
            except httpx.HTTPError:
                pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"not ready: {sorted(pending)}")
        time.sleep(0.2)


def stop_services(procs: Mapping[str, subprocess.Popen]) -> None:
    for proc in procs.values():
        if proc.poll() is None:
            proc.terminate()
    for proc in procs.values():
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
