"""Inquiries per second through the portal webhook to a linked customer, in the multi-process
mode on the real PostgreSQL and RabbitMQ, beside a baseline measured in the same run: a bare
FastAPI endpoint doing one INSERT, under the same client load.

    .venv/bin/python bench/inquiry_throughput.py [--count 1000] [--concurrency 16]

Prints both figures and their ratio; writes bench/results/inquiry_throughput.json.
"""

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))

from host.processes import service_env, start_services, stop_services, wait_ready  # noqa: E402
from kit.testing import SERVICE_QUEUES, delete_bus_namespace  # noqa: E402

from tests.e2e.flows import inquiry_body, sign  # noqa: E402

PG = os.environ.get("CRM_BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432")
AMQP = os.environ.get("CRM_BENCH_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
PORTS = {
    "gateway": 18200,
    "inquiry": 18201,
    "customer": 18202,
    "booking": 18203,
    "leads": 18204,
    "orders": 18205,
}
BASELINE_PORT = 18299


async def _load(
    url: str,
    bodies: list[bytes],
    *,
    concurrency: int,
    signed: bool,
    on_accepted: "asyncio.Queue[tuple[bytes, float]] | None" = None,
) -> dict:
    latencies: list[float] = []
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    failures = 0

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal failures
        while not queue.empty():
            body = queue.get_nowait()
            headers = {"content-type": "application/json"}
            if signed:
                headers["x-portal-signature"] = sign(body)
            t = time.perf_counter()
            response = await client.post(url, content=body, headers=headers)
            latencies.append(time.perf_counter() - t)
            failures += response.status_code != 202
            if on_accepted is not None and response.status_code == 202:
                on_accepted.put_nowait((body, time.perf_counter()))

    start = time.perf_counter()
    async with httpx.AsyncClient(timeout=60) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "requests": len(bodies),
        "failures": failures,
        "seconds": round(elapsed, 3),
        "per_second": round(len(bodies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1),
    }


async def _link_lags(
    base: str,
    headers: dict[str, str],
    accepted: "asyncio.Queue[tuple[bytes, float]]",
    *,
    every: int,
    total: int,
) -> list[float]:
    """For every n-th accepted inquiry: seconds from its 202 until its customer is listed
    (the stated bound of the 名寄せ flow, measured under the benchmark's load)."""
    lags: list[float] = []
    checks: list[asyncio.Task[None]] = []

    async def check(client: httpx.AsyncClient, email: str, accepted_at: float) -> None:
        while True:
            r = await client.get("/api/v1/customers", params={"email": email}, headers=headers)
            if r.json()["total"]:
                lags.append(time.perf_counter() - accepted_at)
                return
            await asyncio.sleep(0.02)

    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        for n in range(total):
            body, accepted_at = await accepted.get()
            if n % every == 0:
                email = json.loads(body)["customer"]["email"]
                checks.append(asyncio.create_task(check(client, email, accepted_at)))
        await asyncio.gather(*checks)
    return sorted(lags)


async def _linked(base: str, headers: dict[str, str], expected: int, tag: str) -> float:
    """Seconds until every posted inquiry has its customer (polled through the public API)."""
    start = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        while True:
            r = await client.get(
                "/api/v1/customers", params={"q": tag, "per_page": 1}, headers=headers
            )
            if r.json()["total"] >= expected:
                return time.perf_counter() - start
            await asyncio.sleep(0.05)


def _bodies(count: int, tag: str) -> list[bytes]:
    return [
        json.dumps(
            inquiry_body(
                email=f"bench-{tag}-{n}@example.com",
                name=f"負荷{tag} {n}",
                phone=f"090-{n // 10000:04d}-{n % 10000:04d}",
            ),
            ensure_ascii=False,
        ).encode()
        for n in range(count)
    ]


def run_system(count: int, concurrency: int) -> dict:
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
    logs = tempfile.mkdtemp(prefix="bench-logs-")
    procs = start_services(env, PORTS, log_dir=logs)
    try:
        wait_ready(PORTS, procs, timeout_s=90)
        base = f"http://127.0.0.1:{PORTS['gateway']}"
        token = httpx.post(
            f"{base}/api/v1/auth/token",
            data={"username": "admin@demo.example", "password": "demo-admin-pass"},
        )
        headers = {"authorization": f"Bearer {token.json()['access_token']}"}
        tag = uuid.uuid4().hex[:6]
        bodies = _bodies(count, tag)

        async def measure() -> dict:
            started = time.perf_counter()
            linked = asyncio.create_task(_linked(base, headers, count, f"負荷{tag}"))
            queue: asyncio.Queue[tuple[bytes, float]] = asyncio.Queue()
            lags_task = asyncio.create_task(
                _link_lags(base, headers, queue, every=max(count // 50, 1), total=count)
            )
            accepted = await _load(
                f"{base}/api/v1/portal/demo/inquiries",
                bodies,
                concurrency=concurrency,
                signed=True,
                on_accepted=queue,
            )
            await linked
            total = time.perf_counter() - started
            lags = await lags_task
            return {
                **accepted,
                "end_to_end_seconds": round(total, 3),
                "linked_per_second": round(count / total, 1),
                "lag_after_last_accept_s": round(total - accepted["seconds"], 3),
                "link_lag_p50_ms": round(statistics.median(lags) * 1000, 1),
                "link_lag_p95_ms": round(lags[int(len(lags) * 0.95) - 1] * 1000, 1),
                "link_lag_samples": len(lags),
            }

        return asyncio.run(measure())
    finally:
        stop_services(procs)
        asyncio.run(
            delete_bus_namespace(
                AMQP, namespace, queues=SERVICE_QUEUES, retry_delays_ms=[1000, 10000, 60000]
            )
        )
        _drop([f"{namespace}_{n}" for n in PORTS])


def run_baseline(count: int, concurrency: int) -> dict:
    db = f"bench_baseline_{uuid.uuid4().hex[:6]}"
    dsn = PG.replace("postgresql+asyncpg://", "postgresql://")
    subprocess.run(["psql", f"{dsn}/postgres", "-qc", f'CREATE DATABASE "{db}"'], check=True)
    env = {**os.environ, "BASELINE_DSN": f"{dsn}/{db}"}
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
        env=env,
    )
    try:
        for _ in range(100):
            try:
                httpx.get(f"http://127.0.0.1:{BASELINE_PORT}/docs", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        return asyncio.run(
            _load(
                f"http://127.0.0.1:{BASELINE_PORT}/inquiries",
                _bodies(count, "base"),
                concurrency=concurrency,
                signed=False,
            )
        )
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        _drop([db])


def _drop(databases: list[str]) -> None:
    dsn = PG.replace("postgresql+asyncpg://", "postgresql://")
    for db in databases:
        subprocess.run(
            ["psql", f"{dsn}/postgres", "-qc", f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'],
            check=False,
            capture_output=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    baseline = run_baseline(args.count, args.concurrency)
    system = run_system(args.count, args.concurrency)
    result = {
        "benchmark": "inquiry_throughput",
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "count": args.count,
        "concurrency": args.concurrency,
        "baseline_bare_insert": baseline,
        "system_webhook_to_linked_customer": system,
        "ratio_linked_vs_baseline": round(system["linked_per_second"] / baseline["per_second"], 3),
        "ratio_accepted_vs_baseline": round(system["per_second"] / baseline["per_second"], 3),
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "inquiry_throughput.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(
        f"baseline (bare FastAPI + one INSERT): {baseline['per_second']:>8} req/s  "
        f"p50 {baseline['p50_ms']} ms  p95 {baseline['p95_ms']} ms"
    )
    print(
        f"system webhook accepted:              {system['per_second']:>8} req/s  "
        f"p50 {system['p50_ms']} ms  p95 {system['p95_ms']} ms"
    )
    print(
        f"system webhook → linked customer:     {system['linked_per_second']:>8} inquiries/s "
        f"(last customer linked {system['lag_after_last_accept_s']} s after the last 202)"
    )
    print(
        f"202 → customer listed (名寄せ lag, {system['link_lag_samples']} samples): "
        f"p50 {system['link_lag_p50_ms']} ms  p95 {system['link_lag_p95_ms']} ms"
    )
    print(
        f"ratio linked/baseline: {result['ratio_linked_vs_baseline']}   "
        f"accepted/baseline: {result['ratio_accepted_vs_baseline']}"
    )


if __name__ == "__main__":
    main()
