"""Resident memory of the running system, idle after start-up and after a burst of work,
beside a bare FastAPI process measured in the same run (issue 15: the embedded mode idle
under 400 MB, each service process of the multi-process mode under 150 MB).

    .venv/bin/python bench/memory.py [--inquiries 200]

- **Baseline:** ``bench/baseline_app.py`` (FastAPI, one asyncpg pool, one INSERT) under
  uvicorn, after one request.
- **Embedded:** ``python -m host run`` (every service in one process, in-memory bus, demo
  data) with its embedded PostgreSQL in a temporary folder; the Python process alone, and
  PostgreSQL's processes apart (shared buffers are counted once per process by RSS, so their
  sum overstates; PSS is printed beside where the kernel gives it).
- **Multi-process:** the six services against the machine's PostgreSQL and RabbitMQ.
Each is read 5 s after it answers, then after ``--inquiries`` portal inquiries have been
linked (the caches and pools a working day fills). Writes bench/results/memory.json.
"""

import argparse
import asyncio
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))

import inquiry_throughput as inquiry_bench  # noqa: E402  (bench/ is the script's folder)
from host.processes import service_env, start_services, stop_services, wait_ready  # noqa: E402
from kit.testing import SERVICE_QUEUES, delete_bus_namespace  # noqa: E402

from tests.e2e.flows import sign  # noqa: E402

PG, AMQP = inquiry_bench.PG, inquiry_bench.AMQP
PORTS = {name: port + 100 for name, port in inquiry_bench.PORTS.items()}  # 18300…18305
EMBEDDED_PORT = 18310
BASELINE_PORT = 18399
SETTLE_S = 5.0
MB = 1024 * 1024


def _mb(proc: psutil.Process) -> dict[str, float]:
    info = proc.memory_full_info()
    out = {"rss_mb": round(info.rss / MB, 1)}
    if getattr(info, "pss", None) is not None:
        out["pss_mb"] = round(info.pss / MB, 1)
    return out


def _wait_http(url: str, proc: subprocess.Popen, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: process exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(url)
        time.sleep(0.5)


def _inquiries(base: str, count: int, tag: str) -> None:
    """Portal inquiries through the signed webhook (the inquiry benchmark's bodies), then wait
    until every one has its customer."""
    token = httpx.post(
        f"{base}/api/v1/auth/token",
        data={"username": "admin@demo.example", "password": "demo-admin-pass"},
    ).json()["access_token"]
    headers = {"authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, timeout=30) as client:
        for body in inquiry_bench._bodies(count, tag):
            response = client.post(
                "/api/v1/portal/demo/inquiries",
                content=body,
                headers={"content-type": "application/json", "x-portal-signature": sign(body)},
            )
            response.raise_for_status()
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            listed = client.get(
                "/api/v1/customers", params={"q": tag, "per_page": 1}, headers=headers
            )
            if listed.status_code == 200 and listed.json()["total"] >= count:
                return
            time.sleep(0.5)
    raise TimeoutError(f"{count} inquiries not linked within 180 s")


def run_baseline() -> dict:
    db = f"bench_mem_base_{uuid.uuid4().hex[:6]}"
    dsn = PG.replace("postgresql+asyncpg://", "postgresql://")
    subprocess.run(["psql", f"{dsn}/postgres", "-qc", f'CREATE DATABASE "{db}"'], check=True)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "baseline_app:app",
            "--port",
            str(BASELINE_PORT),
            "--log-level",
            "warning",
        ],
        cwd=Path(__file__).parent,
        env={**os.environ, "BASELINE_DSN": f"{dsn}/{db}"},
    )
    try:
        _wait_http(f"http://127.0.0.1:{BASELINE_PORT}/docs", proc, 30)
        httpx.post(
            f"http://127.0.0.1:{BASELINE_PORT}/inquiries",
            content=inquiry_bench._bodies(1, "base")[0],
            headers={"content-type": "application/json"},
        )
        time.sleep(SETTLE_S)
        return _mb(psutil.Process(proc.pid))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        inquiry_bench._drop([db])


def _embedded_reading(launcher: psutil.Process, data: Path) -> dict:
    pg = inquiry_bench.embedded_postgres(data)
    pg_readings = [_mb(p) for p in pg]
    return {
        "python": _mb(launcher),
        "postgres_processes": len(pg),
        "postgres_rss_sum_mb": round(sum(r["rss_mb"] for r in pg_readings), 1),
        "postgres_pss_sum_mb": round(sum(r.get("pss_mb", 0.0) for r in pg_readings), 1),
    }


def run_embedded(inquiries: int) -> dict:
    data = Path(tempfile.mkdtemp(prefix="bench-mem-embedded-")) / "postgres"
    env = {**os.environ, "CRM_LOG_LEVEL": "WARNING"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "host",
            "run",
            "--port",
            str(EMBEDDED_PORT),
            "--data-dir",
            str(data),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{EMBEDDED_PORT}"
    try:
        _wait_http(f"{base}/login", proc, 180)
        launcher = psutil.Process(proc.pid)
        time.sleep(SETTLE_S)
        idle = _embedded_reading(launcher, data)
        _inquiries(base, inquiries, f"mem{uuid.uuid4().hex[:6]}")
        time.sleep(SETTLE_S)
        return {"idle": idle, "after_work": _embedded_reading(launcher, data)}
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)


def run_multi(inquiries: int) -> dict:
    namespace = f"bench_{uuid.uuid4().hex[:6]}"
    env = service_env(
        pg_base=PG,
        amqp_url=AMQP,
        ports=PORTS,
        db_prefix=namespace,
        extra={
            "CRM_BUS_NAMESPACE": namespace,
            "GATEWAY_SEED_DEMO": "true",
            "CRM_ENVIRONMENT": "test",
            "CRM_LOG_LEVEL": "WARNING",
        },
    )
    procs = start_services(env, PORTS, log_dir=tempfile.mkdtemp(prefix="bench-mem-logs-"))
    try:
        wait_ready(PORTS, procs, timeout_s=120)
        time.sleep(SETTLE_S)
        idle = {name: _mb(psutil.Process(p.pid)) for name, p in procs.items()}
        _inquiries(f"http://127.0.0.1:{PORTS['gateway']}", inquiries, f"mem{uuid.uuid4().hex[:6]}")
        time.sleep(SETTLE_S)
        after = {name: _mb(psutil.Process(p.pid)) for name, p in procs.items()}
        return {"idle": idle, "after_work": after}
    finally:
        stop_services(procs)
        inquiry_bench._drop([f"{namespace}_{n}" for n in PORTS])
        asyncio.run(
            delete_bus_namespace(
                AMQP, namespace, queues=SERVICE_QUEUES, retry_delays_ms=[1000, 10000, 60000]
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--inquiries", type=int, default=200)
    args = parser.parse_args()
    baseline = run_baseline()
    embedded = run_embedded(args.inquiries)
    multi = run_multi(args.inquiries)
    result = {
        "benchmark": "memory",
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "inquiries": args.inquiries,
        "baseline_bare_fastapi": baseline,
        "embedded": embedded,
        "multi_process": multi,
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "memory.json").write_text(json.dumps(result, indent=2))
    base = baseline["rss_mb"]
    print(f"baseline (bare FastAPI + asyncpg pool):   RSS {base} MB")
    for when in ("idle", "after_work"):
        e = embedded[when]
        print(
            f"embedded, {when:<10}: Python RSS {e['python']['rss_mb']} MB "
            f"(x{e['python']['rss_mb'] / base:.1f} of baseline; aim < 400 MB idle); "
            f"PostgreSQL {e['postgres_processes']} processes, RSS sum "
            f"{e['postgres_rss_sum_mb']} MB, PSS sum {e['postgres_pss_sum_mb']} MB"
        )
    for when in ("idle", "after_work"):
        parts = ", ".join(f"{n} {r['rss_mb']}" for n, r in multi[when].items())
        worst = max(r["rss_mb"] for r in multi[when].values())
        print(f"multi-process, {when:<10} RSS MB: {parts} (largest x{worst / base:.1f}; aim < 150)")


if __name__ == "__main__":
    main()
