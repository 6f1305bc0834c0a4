"""Inquiries per second through the portal webhook to a linked customer, in the multi-process
mode on the real PostgreSQL and RabbitMQ, beside a baseline measured in the same run: a bare
FastAPI endpoint doing one INSERT, under the same client load.

    .venv/bin/python bench/inquiry_throughput.py [--count 1000] [--concurrency 16] [--embedded]
        [--replicas] [--unbatched]

``--embedded`` also runs the same load on the embedded mode (one process, in-memory bus, its
own PostgreSQL) and prints it beside. ``--replicas`` also runs it with two processes of each
consuming service (competing consumers on the same queues and databases). ``--unbatched``
also runs it with ``CRM_CONSUMER_BATCH=1`` and a prefetch of 16 (each delivery in its own
transaction, sixteen at once: as before decision 110), so that the batching's effect is
measured in the same run.

Prints both figures and their ratio; writes bench/results/inquiry_throughput.json.

It also prints what one inquiry costs, counted over the load only (before/after snapshots):
- SQL statements per inquiry per service: the services' own OpenTelemetry spans, exported by
  OTLP to a small receiver in this process; only the traces that start at a portal webhook
  count (not the benchmark's polling). The outbox relay's polling is not traced
  (kit.relay suppresses it), so each service database's committed transactions
  (pg_stat_database.xact_commit, which includes the relay's) are printed beside.
  (pg_stat_statements is not preloaded on this server; RabbitMQ has no management plugin.)
- deliveries per inquiry: the consumers' receive spans (one per handled delivery) by event,
  and the relay's publish spans;
- CPU seconds per inquiry per process: psutil user+system of each service process.

``--profile DIR`` attaches py-spy (a dev dependency; needs ptrace rights) to each service
process for the load only and writes, per service, its collapsed stacks (``.folded``) and the
top functions by self and total share of its CPU samples (``.top.txt``) into DIR. Profiling
costs the services CPU: take the figures from a run without it.
"""

import argparse
import asyncio
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import psutil
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))

from host.embedded import running_postmasters  # noqa: E402
from host.processes import (  # noqa: E402
    free_port,
    service_env,
    start_services,
    stop_services,
    wait_ready,
    with_replicas,
)
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
EMBEDDED_PORT = 18290
BASELINE_PORT = 18299
OTLP_PORT = 18298
SPAN_KIND_SERVER, SPAN_KIND_PRODUCER, SPAN_KIND_CONSUMER = 2, 4, 5


class SpanSink:
    """An OTLP/HTTP trace receiver keeping, per span, what the counts need."""

    def __init__(self) -> None:
        self.spans: list[tuple[bytes, str, int, str, bool, str]] = []
        self._lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                request = trace_service_pb2.ExportTraceServiceRequest.FromString(body)
                sink._add(request)
                reply = trace_service_pb2.ExportTraceServiceResponse().SerializeToString()
                self.send_response(200)
                self.send_header("content-type", "application/x-protobuf")
                self.send_header("content-length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", OTLP_PORT), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def _add(self, request: "trace_service_pb2.ExportTraceServiceRequest") -> None:
        rows = []
        for resource_spans in request.resource_spans:
            service = next(
                (
                    a.value.string_value
                    for a in resource_spans.resource.attributes
                    if a.key == "service.name"
                ),
                "?",
            )
            for scope in resource_spans.scope_spans:
                for span in scope.spans:
                    attrs = {a.key: a.value.string_value for a in span.attributes}
                    rows.append(
                        (
                            span.trace_id,
                            service,
                            span.kind,
                            span.name,
                            "db.system" in attrs or "db.system.name" in attrs,
                            attrs.get("http.route", ""),
                        )
                    )
        with self._lock:
            self.spans.extend(rows)

    def mark(self) -> int:
        with self._lock:
            return len(self.spans)

    def settle(self, quiet_s: float = 2.0, timeout_s: float = 60.0) -> None:
        """Wait until no span has arrived for ``quiet_s`` (the exporters flush every 0.5 s)."""
        deadline = time.monotonic() + timeout_s
        last, since = self.mark(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.25)
            now = self.mark()
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet_s:
                return

    def counts(self, start: int, end: int) -> dict:
        """Spans between two marks, only of traces that start at a portal webhook."""
        window = self.spans[start:end]
        inquiry_traces = {
            t for t, _svc, _k, name, _db, route in window if "portal" in route or "portal" in name
        }
        sql: Counter[str] = Counter()
        deliveries: Counter[str] = Counter()
        publishes: Counter[str] = Counter()
        all_sql: Counter[str] = Counter()
        other_requests: Counter[str] = Counter()
        for trace_id, service, kind, name, is_db, _route in window:
            if is_db:
                all_sql[service] += 1
            if trace_id not in inquiry_traces:
                if kind == SPAN_KIND_SERVER:
                    other_requests[service] += 1
                continue
            if is_db:
                sql[service] += 1
            elif kind == SPAN_KIND_CONSUMER:
                deliveries[f"{name.removesuffix(' receive')} → {service}"] += 1
            elif kind == SPAN_KIND_PRODUCER:
                publishes[f"{service}: {name}"] += 1
        return {
            "inquiry_traces": len(inquiry_traces),
            "sql": dict(sql),
            "sql_all_traces": dict(all_sql),
            # The benchmark's own polling (customers listed?): in the CPU, not in the counts.
            "other_requests": dict(other_requests),
            "deliveries": dict(deliveries),
            "publishes": dict(publishes),
        }

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()  # the port is free for the next run in this process


def _xact_commits(databases: dict[str, str]) -> dict[str, int]:
    dsn = PG.replace("postgresql+asyncpg://", "postgresql://")
    names = ",".join(f"'{db}'" for db in databases.values())
    out = subprocess.run(
        [
            "psql",
            f"{dsn}/postgres",
            "-Atc",
            f"SELECT datname, xact_commit FROM pg_stat_database WHERE datname IN ({names})",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    by_db = dict(line.split("|") for line in out.split())
    return {svc: int(by_db.get(db, 0)) for svc, db in databases.items()}


def _cpu(procs: dict[str, subprocess.Popen]) -> dict[str, float]:
    seconds = {}
    for name, proc in procs.items():
        times = psutil.Process(proc.pid).cpu_times()
        seconds[name] = times.user + times.system
    return seconds


def _start_py_spy(procs: dict[str, subprocess.Popen], profile_dir: Path) -> dict:
    """py-spy attached to each service process (threads waiting in the event loop's poll are
    left out), until SIGINT; collapsed stacks in ``<dir>/<service>.folded``."""
    py_spy = Path(sys.executable).parent / "py-spy"
    return {
        name: subprocess.Popen(
            [
                str(py_spy),
                "record",
                "--pid",
                str(proc.pid),
                "--rate",
                "200",
                "--nonblocking",
                "--full-filenames",
                "--format",
                "raw",
                "--output",
                str(profile_dir / f"{name}.folded"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name, proc in procs.items()
    }


def _stop_py_spy(spies: dict[str, subprocess.Popen], profile_dir: Path, top: int = 15) -> None:
    """Stop the recorders; write ``<service>.top.txt``: functions by self share of the process's
    CPU samples, then the project's own functions by total share (once per stack)."""
    for spy in spies.values():
        spy.send_signal(signal.SIGINT)
    for name, spy in spies.items():
        spy.wait(timeout=60)
        own: Counter[str] = Counter()
        total: Counter[str] = Counter()
        samples = 0
        folded = profile_dir / f"{name}.folded"
        for line in folded.read_text().splitlines() if folded.exists() else []:
            stack, _, count = line.rpartition(" ")
            n = int(count)
            frames = [_frame(f) for f in stack.split(";")[1:]]  # the first is the thread
            if not frames:
                continue
            samples += n
            own[frames[-1][0]] += n
            for frame, ours in set(frames):
                if ours and not frame.startswith("<module>"):
                    total[frame] += n
        lines = [
            f"{name}: {samples} samples of non-idle threads at 200/s",
            "self %  function",
        ]
        lines += [f"{100 * n / samples:5.1f}  {f}" for f, n in own.most_common(top)]
        lines += [
            "total %  function of the project's own code (libs/, services/); samples inside "
            "SQLAlchemy's greenlets have no callers above the greenlet, so these are low"
        ]
        lines += [f"{100 * n / samples:5.1f}  {f}" for f, n in total.most_common(top)]
        (profile_dir / f"{name}.top.txt").write_text("\n".join(lines) + "\n")


def _frame(raw: str) -> tuple[str, bool]:
    """py-spy's ``function (/path/to/module.py:line)`` → (``function (package/module.py)``,
    whether it is the project's own code)."""
    function, _, where = raw.partition(" (")
    path = where.rstrip(")").rpartition(":")[0]
    marker = "site-packages/"
    ours = marker not in path and "/src/" in path
    if marker in path:
        path = path.split(marker, 1)[1]
    elif ours:
        path = path.rsplit("/src/", 1)[1]
    else:
        path = "/".join(path.split("/")[-2:])
    return f"{function} ({path})", ours


async def _load(
    url: str,
    bodies: list[bytes],
    *,
    concurrency: int,
    signed: bool,
    on_accepted: "asyncio.Queue[tuple[bytes, float] | None] | None" = None,
) -> dict:
    latencies: list[float] = []
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    failures: Counter[int] = Counter()  # by status

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            body = queue.get_nowait()
            headers = {"content-type": "application/json"}
            if signed:
                headers["x-portal-signature"] = sign(body)
            t = time.perf_counter()
            response = await client.post(url, content=body, headers=headers)
            latencies.append(time.perf_counter() - t)
            if response.status_code != 202:
                failures[response.status_code] += 1
            if on_accepted is not None and response.status_code == 202:
                on_accepted.put_nowait((body, time.perf_counter()))

    start = time.perf_counter()
    async with httpx.AsyncClient(timeout=60) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    elapsed = time.perf_counter() - start
    latencies.sort()
    if on_accepted is not None:
        on_accepted.put_nowait(None)  # the end of the accepted ones
    if failures:
        print(f"webhooks not accepted, by status: {dict(failures)}", file=sys.stderr)
    return {
        "requests": len(bodies),
        "failures": sum(failures.values()),
        "failures_by_status": {str(k): v for k, v in failures.items()},
        "seconds": round(elapsed, 3),
        "per_second": round(len(bodies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1),
    }


async def _link_lags(
    base: str,
    headers: dict[str, str],
    accepted: "asyncio.Queue[tuple[bytes, float] | None]",
    *,
    every: int,
) -> list[float]:
    """For every n-th accepted inquiry: seconds from its 202 until its customer is listed
    (the stated bound of the 名寄せ flow, measured under the benchmark's load)."""
    lags: list[float] = []
    errors: dict[int, int] = {}
    checks: list[asyncio.Task[None]] = []

    async def check(client: httpx.AsyncClient, email: str, accepted_at: float) -> None:
        while True:
            r = await client.get("/api/v1/customers", params={"email": email}, headers=headers)
            if r.status_code != 200:  # a refusal under load (say, a 503): asked again
                errors[r.status_code] = errors.get(r.status_code, 0) + 1
            elif r.json()["total"]:
                lags.append(time.perf_counter() - accepted_at)
                return
            await asyncio.sleep(0.02)

    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        n = 0
        while (item := await accepted.get()) is not None:  # None: the load is over
            body, accepted_at = item
            n += 1
            if (n - 1) % every == 0:
                email = json.loads(body)["customer"]["email"]
                checks.append(asyncio.create_task(check(client, email, accepted_at)))
        await asyncio.gather(*checks)
    if errors:
        print(f"customer list refused while polling, by status: {errors}", file=sys.stderr)
    return sorted(lags)


async def _linked(base: str, headers: dict[str, str], expected: list[int], tag: str) -> float:
    """Seconds until every accepted inquiry has its customer (polled through the public API);
    ``expected[0]``: how many, the posted ones until the load says how many were accepted."""
    start = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        while True:
            r = await client.get(
                "/api/v1/customers", params={"q": tag, "per_page": 1}, headers=headers
            )
            if r.status_code == 200 and r.json()["total"] >= expected[0]:
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


async def _measure(
    base: str, headers: dict[str, str], bodies: list[bytes], concurrency: int, tag: str
) -> dict:
    """The load and what it shows: webhooks accepted, customers linked, 202 → listed lags."""
    count = len(bodies)
    started = time.perf_counter()
    expected = [count]
    linked = asyncio.create_task(_linked(base, headers, expected, f"負荷{tag}"))
    queue: asyncio.Queue[tuple[bytes, float] | None] = asyncio.Queue()
    lags_task = asyncio.create_task(_link_lags(base, headers, queue, every=max(count // 50, 1)))
    accepted = await _load(
        f"{base}/api/v1/portal/demo/inquiries",
        bodies,
        concurrency=concurrency,
        signed=True,
        on_accepted=queue,
    )
    expected[0] = count - accepted["failures"]  # a refused webhook has no customer to wait for
    await linked
    total = time.perf_counter() - started
    lags = await lags_task
    return {
        **accepted,
        "end_to_end_seconds": round(total, 3),
        "linked_per_second": round(expected[0] / total, 1),
        "lag_after_last_accept_s": round(total - accepted["seconds"], 3),
        "link_lag_p50_ms": round(statistics.median(lags) * 1000, 1),
        "link_lag_p95_ms": round(lags[int(len(lags) * 0.95) - 1] * 1000, 1),
        "link_lag_samples": len(lags),
    }


def _admin_headers(base: str) -> dict[str, str]:
    token = httpx.post(
        f"{base}/api/v1/auth/token",
        data={"username": "admin@demo.example", "password": "demo-admin-pass"},
    )
    return {"authorization": f"Bearer {token.json()['access_token']}"}


def embedded_postgres(data: Path) -> list[psutil.Process]:
    """The embedded server runs in its own session (not the launcher's child): found by its
    data folder, with its backends and background workers."""
    found = []
    for pid in running_postmasters(data):
        postmaster = psutil.Process(pid)
        found += [postmaster, *postmaster.children(recursive=True)]
    return found


def run_embedded(count: int, concurrency: int) -> dict:
    """The same load on the embedded mode (``python -m host run``: every service in one
    process, in-memory bus, its own PostgreSQL in a temporary folder); CPU of the process and
    of its PostgreSQL."""
    data = Path(tempfile.mkdtemp(prefix="bench-embedded-")) / "postgres"
    env = {**os.environ, "CRM_LOG_LEVEL": "WARNING"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "host", "run", "--port", str(EMBEDDED_PORT), "--data-dir", str(data)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{EMBEDDED_PORT}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the embedded mode did not start")
            time.sleep(0.5)
        headers = _admin_headers(base)
        tag = uuid.uuid4().hex[:6]
        bodies = _bodies(count, tag)
        time.sleep(2.0)
        launcher = psutil.Process(proc.pid)

        def cpu() -> tuple[float, float]:
            mine = launcher.cpu_times()
            pg = 0.0
            for p in embedded_postgres(data):
                try:
                    t = p.cpu_times()
                    pg += t.user + t.system
                except psutil.NoSuchProcess:
                    pass
            return mine.user + mine.system, pg

        before, load_before = cpu(), os.getloadavg()
        figures = asyncio.run(_measure(base, headers, bodies, concurrency, tag))
        time.sleep(2.0)
        after, load_after = cpu(), os.getloadavg()
        per = 1000 / count
        figures["load_average_before_after"] = [round(load_before[0], 2), round(load_after[0], 2)]
        figures["cpu_ms_per_inquiry"] = {
            "python": round((after[0] - before[0]) * per, 2),
            "postgres (backends' CPU while they lived)": round((after[1] - before[1]) * per, 2),
        }
        return figures
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)


CONSUMERS = ("inquiry", "customer", "booking", "leads", "orders")  # the services that consume


def run_system(
    count: int,
    concurrency: int,
    profile_dir: Path | None = None,
    *,
    spans: bool = True,
    replicas: int = 1,
    batch: int | None = None,
) -> dict:
    """``replicas``: processes of each consuming service (competing consumers on its queue);
    ``batch``: the consumers' CRM_CONSUMER_BATCH (None: their default)."""
    ports = with_replicas(PORTS, {n: replicas for n in CONSUMERS}, free_port)
    namespace = f"bench_{uuid.uuid4().hex[:6]}"
    env = service_env(
        pg_base=PG,
        amqp_url=AMQP,
        ports=ports,
        db_prefix=namespace,
        extra={
            "CRM_BUS_NAMESPACE": namespace,
            "GATEWAY_SEED_DEMO": "true",
            "CRM_ENVIRONMENT": "test",
            "CRM_LOG_LEVEL": "WARNING",
        },
    )
    if batch is not None:  # 1: as before decision 110, sixteen deliveries at once, each alone
        env["CRM_CONSUMER_BATCH"] = str(batch)
        env["CRM_CONSUMER_PREFETCH"] = (
            "16" if batch == 1 else env.get("CRM_CONSUMER_PREFETCH", "64")
        )
    if spans:
        env["CRM_OTLP_ENDPOINT"] = f"http://127.0.0.1:{OTLP_PORT}"
        env["OTEL_BSP_SCHEDULE_DELAY"] = "500"
        env["OTEL_BSP_MAX_QUEUE_SIZE"] = "200000"
        env["OTEL_BSP_MAX_EXPORT_BATCH_SIZE"] = "2048"
    databases = {n: f"{namespace}_{n}" for n in PORTS}
    logs = tempfile.mkdtemp(prefix="bench-logs-")
    sink = SpanSink()
    procs = start_services(env, ports, log_dir=logs)
    spies: dict[str, subprocess.Popen] = {}
    try:
        wait_ready(ports, procs, timeout_s=90 * replicas)
        base = f"http://127.0.0.1:{PORTS['gateway']}"
        headers = _admin_headers(base)
        tag = uuid.uuid4().hex[:6]
        bodies = _bodies(count, tag)

        time.sleep(1.0)
        sink.settle(quiet_s=1.5)
        span_mark = sink.mark()
        xact_before = _xact_commits(databases)
        cpu_before = _cpu(procs)
        load_before = os.getloadavg()
        if profile_dir is not None:
            profile_dir.mkdir(parents=True, exist_ok=True)
            spies = _start_py_spy(procs, profile_dir)

        figures = asyncio.run(_measure(base, headers, bodies, concurrency, tag))
        # The InquiryLinked deliveries and the last spans come after the last customer is
        # listed: wait for the broker's queues to drain and the exporters to go quiet.
        if spans:
            sink.settle(quiet_s=2.0)
        else:
            time.sleep(3.0)
        cpu_after = _cpu(procs)
        xact_after = _xact_commits(databases)
        load_after = os.getloadavg()
        if spies:
            _stop_py_spy(spies, profile_dir)
            spies = {}
        per = 1 / count
        figures["load_average_before_after"] = [round(load_before[0], 2), round(load_after[0], 2)]
        figures["cpu_ms_per_inquiry"] = {
            n: round((cpu_after[n] - cpu_before[n]) * 1000 * per, 2) for n in ports
        }
        figures["cpu_ms_per_inquiry_total"] = round(sum(figures["cpu_ms_per_inquiry"].values()), 2)
        figures["transactions_committed_per_inquiry"] = {
            n: round((xact_after[n] - xact_before[n]) * per, 2) for n in PORTS
        }
        figures["spans_exported"] = spans
        if not spans:
            return figures
        counted = sink.counts(span_mark, sink.mark())
        figures["sql_statements_per_inquiry"] = {
            n: round(v * per, 2) for n, v in sorted(counted["sql"].items())
        }
        figures["sql_statements_per_inquiry_total"] = round(sum(counted["sql"].values()) * per, 2)
        figures["sql_statements_all_traces_per_inquiry"] = {
            n: round(v * per, 2) for n, v in sorted(counted["sql_all_traces"].items())
        }
        figures["deliveries_per_inquiry"] = {
            k: round(v * per, 2) for k, v in sorted(counted["deliveries"].items())
        }
        figures["deliveries_per_inquiry_total"] = round(
            sum(counted["deliveries"].values()) * per, 2
        )
        figures["publishes_per_inquiry"] = {
            k: round(v * per, 2) for k, v in sorted(counted["publishes"].items())
        }
        figures["inquiry_traces"] = counted["inquiry_traces"]
        figures["polling_requests_per_inquiry"] = {
            n: round(v * per, 2) for n, v in sorted(counted["other_requests"].items())
        }
        return figures
    finally:
        for spy in spies.values():
            spy.kill()
        stop_services(procs)
        sink.close()
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
    parser.add_argument("--profile", type=Path, default=None, help="directory for the profiles")
    parser.add_argument(
        "--no-spans",
        action="store_true",
        help="no OTLP export (its CPU is not in the figures; no SQL or delivery counts)",
    )
    parser.add_argument(
        "--embedded", action="store_true", help="also the embedded mode (python -m host run)"
    )
    parser.add_argument(
        "--replicas",
        action="store_true",
        help="also with two processes of each consuming service (competing consumers)",
    )
    parser.add_argument(
        "--unbatched",
        action="store_true",
        help="also with each delivery in its own transaction (CRM_CONSUMER_BATCH=1)",
    )
    args = parser.parse_args()
    baseline = run_baseline(args.count, args.concurrency)
    system = run_system(args.count, args.concurrency, args.profile, spans=not args.no_spans)
    embedded = run_embedded(args.count, args.concurrency) if args.embedded else None
    two = None
    if args.replicas:
        two = run_system(args.count, args.concurrency, spans=not args.no_spans, replicas=2)
    unbatched = None
    if args.unbatched:
        unbatched = run_system(args.count, args.concurrency, spans=not args.no_spans, batch=1)
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
    if two is not None:
        result["two_replicas_webhook_to_linked_customer"] = two
        result["ratio_two_replicas_linked_vs_baseline"] = round(
            two["linked_per_second"] / baseline["per_second"], 3
        )
    if unbatched is not None:
        result["unbatched_webhook_to_linked_customer"] = unbatched
        result["ratio_unbatched_linked_vs_baseline"] = round(
            unbatched["linked_per_second"] / baseline["per_second"], 3
        )
    if embedded is not None:
        result["embedded_webhook_to_linked_customer"] = embedded
        result["ratio_embedded_linked_vs_baseline"] = round(
            embedded["linked_per_second"] / baseline["per_second"], 3
        )
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
    print(f"load average (1 min) before/after the load: {system['load_average_before_after']}")
    if two is not None:
        print(
            f"two replicas of each consumer, → linked: {two['linked_per_second']:>8} inquiries/s "
            f" ratio {result['ratio_two_replicas_linked_vs_baseline']}; 202 → listed p50 "
            f"{two['link_lag_p50_ms']} ms p95 {two['link_lag_p95_ms']} ms; CPU ms per inquiry, "
            f"total {two['cpu_ms_per_inquiry_total']}"
        )
    if unbatched is not None:
        print(
            f"each delivery alone (batch 1), → linked: {unbatched['linked_per_second']:>8} "
            f"inquiries/s  ratio {result['ratio_unbatched_linked_vs_baseline']}; 202 → listed "
            f"p50 {unbatched['link_lag_p50_ms']} ms p95 {unbatched['link_lag_p95_ms']} ms; CPU "
            f"ms per inquiry, total {unbatched['cpu_ms_per_inquiry_total']}; SQL statements "
            f"{unbatched.get('sql_statements_per_inquiry_total')}; transactions "
            f"{unbatched['transactions_committed_per_inquiry']}"
        )
    if embedded is not None:
        print(
            f"embedded (one process) accepted:      {embedded['per_second']:>8} req/s  "
            f"p50 {embedded['p50_ms']} ms  p95 {embedded['p95_ms']} ms"
        )
        print(
            f"embedded webhook → linked customer:   {embedded['linked_per_second']:>8} inquiries/s"
            f"  ratio {result['ratio_embedded_linked_vs_baseline']}; 202 → listed p50 "
            f"{embedded['link_lag_p50_ms']} ms p95 {embedded['link_lag_p95_ms']} ms; CPU ms per "
            f"inquiry {embedded['cpu_ms_per_inquiry']}"
        )
    if args.profile:
        print(f"profiles: {args.profile}/<service>.top.txt and .folded")
    print(f"per inquiry ({'with' if system['spans_exported'] else 'without'} the OTLP export):")
    print(f"  CPU ms, total {system['cpu_ms_per_inquiry_total']}: {system['cpu_ms_per_inquiry']}")
    print(f"  transactions committed per database: {system['transactions_committed_per_inquiry']}")
    if not system["spans_exported"]:
        return
    print(f"  webhook traces seen: {system['inquiry_traces']}")
    print(
        f"  SQL statements (traced), total {system['sql_statements_per_inquiry_total']}: "
        f"{system['sql_statements_per_inquiry']}"
    )
    print(f"  deliveries, total {system['deliveries_per_inquiry_total']}:")
    for key, value in system["deliveries_per_inquiry"].items():
        print(f"    {key}: {value}")
    print(f"  publishes: {system['publishes_per_inquiry']}")
    print(
        "  the benchmark's polling (in the CPU figures, not in the counts), requests: "
        f"{system['polling_requests_per_inquiry']}"
    )


if __name__ == "__main__":
    main()
