"""Bulk import speed (issue 5): a Shift_JIS CSV of synthetic customers (faker ja_JP) imported
through the customer service as a job (upload, worker, chunks, progress), beside baselines
measured in the same run on the same database:

- COPY of the same rows into a bare table (19 text columns): the issue's baseline;
- COPY of the rows the import wrote (customers, phones, emails, addresses, outbox) into
  copies of those tables with the same indexes: what the database alone needs to store
  them, whatever the program in front of it.

Also measured: the process's resident memory before the upload and at its peak from the
upload to the job's end (sampled every 0.1 s; the service runs in this process, and the file
is written to disk and uploaded from there, so the figure is the import's own), how long the
outbox relay (running in the service throughout, on the in-memory bus) takes to publish the
import's events, and, with --rerun, the same file again (must change nothing: every row a
duplicate). The job's progress is drawn as a bar on stderr. ``--rows 1000000`` is the
issue's million-row file (about 100 MB of CP932).

``--parsers N`` sets the service's CUSTOMER_IMPORT_PARSERS (parser processes; 0 parses on the
event loop; default the service's own, cores − 1); the pool's processes' resident memory and
CPU time are sampled beside the service's. ``--compare`` runs the whole benchmark (import and
baselines, each in its own database) with parsers 0 and then with ``--parsers``, in one run.

    .venv/bin/python bench/customer_import.py [--rows 100000] [--rerun] [--parsers N] [--compare]

Prints the figures and writes bench/results/customer_import.json.
"""

import argparse
import asyncio
import io
import json
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))

if __name__ == "__main__":
    # Not when the service's parser processes ("spawn") import this script as their
    # __main__: they would hold the whole service and faker, and their memory would not be
    # a parser's (run as ``python -m customer``, the service's own main is not imported).
    import asyncpg
    import httpx
    from customer.bootstrap import build_runtime
    from customer.domain.importing import COLUMNS
    from customer.entrypoints.http import create_app
    from customer.settings import CustomerSettings
    from faker import Faker
    from kit.auth import Principal, mint_service_token
    from kit.db import asyncpg_dsn
    from kit.settings import CommonSettings

PG = os.environ.get("CRM_BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432")
SERVICE_TABLES = ("customers", "customer_phones", "customer_emails", "customer_addresses", "outbox")


def _rows(count: int) -> Iterator[tuple[str, ...]]:
    """The same synthetic rows each time, made as they are read (a million rows never sit in
    this process: its memory is the service's, measured below)."""
    rng = random.Random(4)
    fake = Faker("ja_JP")
    Faker.seed(4)
    families = [fake.last_name_pair()[:2] for _ in range(2000)]
    given = [fake.first_name_pair()[:2] for _ in range(2000)]
    wide = str.maketrans("0123456789", "０１２３４５６７８９")
    for n in range(count):
        (fam, fam_kana), (giv, giv_kana) = rng.choice(families), rng.choice(given)
        phone = f"０９０－{n // 10000 % 10000:04d}－{n % 10000:04d}".translate(wide)
        yield (
            "", fam, giv, fam_kana, giv_kana, phone, "", f"import{n}@example.com",
            f"19{rng.randint(50, 99)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            rng.choice(["男性", "女性", ""]), "", "東京都港区芝浦1-1-1", "ホームページ", "", "",
            "", "", "", "",
        )  # fmt: skip


def _write_csv(count: int, path: Path) -> int:
    """The rows as Japanese Excel saves them (CP932, CRLF), written as they are made."""
    with path.open("w", encoding="cp932", newline="") as out:
        out.write(",".join(label for _, label in COLUMNS) + "\r\n")
        for row in _rows(count):
            out.write(",".join(row) + "\r\n")
    return path.stat().st_size


class Machine:
    """Load of the whole machine (shared with other work) over a measured stretch."""

    def __init__(self) -> None:
        self.load_before = os.getloadavg()
        self._busy, self._total = _cpu_ticks()
        self._cpu = time.process_time()

    def done(self) -> dict:
        busy, total = _cpu_ticks()
        return {
            "loadavg_1m_before": round(self.load_before[0], 2),
            "loadavg_1m_after": round(os.getloadavg()[0], 2),
            "machine_cpu_busy_pct": round(100 * (busy - self._busy) / max(total - self._total, 1)),
            "bench_process_cpu_s": round(time.process_time() - self._cpu, 1),
        }


def _cpu_ticks() -> tuple[int, int]:
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def _rss_mb(pid: int | str = "self") -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:  # a parser process that has just exited
        pass
    return 0.0


def _cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


async def _import(client: "httpx.AsyncClient", headers: dict, path: Path, parsers) -> dict:  # type: ignore[no-untyped-def]
    machine = Machine()
    # The process's resident memory while the job runs, beside what it held before the upload:
    # what the import itself adds at its peak (the upload's own reading included: sampled
    # through it by a task beside the request). The parser processes apart: each one's peak,
    # the peak of their sum, and their CPU time.
    rss_before, rss_peak = _rss_mb(), 0.0
    pool_peak: dict[int, float] = {}
    pool_cpu: dict[int, float] = {}
    pool_sum_peak = 0.0
    sampling = True

    async def sample() -> None:
        nonlocal rss_peak, pool_sum_peak
        while sampling:
            rss_peak = max(rss_peak, _rss_mb())
            pids = parsers.pids()
            sizes = {pid: _rss_mb(pid) for pid in pids}
            for pid, size in sizes.items():
                pool_peak[pid] = max(pool_peak.get(pid, 0.0), size)
                pool_cpu[pid] = max(pool_cpu.get(pid, 0.0), _cpu_s(pid))
            pool_sum_peak = max(pool_sum_peak, sum(sizes.values()))
            await asyncio.sleep(0.1)

    sampler = asyncio.create_task(sample())
    started = time.perf_counter()
    with path.open("rb") as file:
        r = await client.post(
            "/imports", files={"file": ("bench.csv", file, "text/csv")}, headers=headers
        )
    assert r.status_code == 202, r.text
    accepted = time.perf_counter() - started
    job_id = r.json()["id"]
    progress: list[int] = []
    while True:
        job = (await client.get(f"/imports/{job_id}", headers=headers)).json()
        if not progress or progress[-1] != job["done"]:
            progress.append(job["done"])
            _bar(job["done"], job["total"], time.perf_counter() - started)
        if job["status"] in ("finished", "failed"):
            break
        await asyncio.sleep(0.2)
    sampling = False
    await sampler
    print(file=sys.stderr)
    elapsed = time.perf_counter() - started
    return {
        "job_id": job_id,
        "job": {k: job[k] for k in ("status", "total", "imported", "failed", "duplicates")},
        "upload_accepted_s": round(accepted, 2),
        "import_s": round(elapsed, 2),
        "rows_per_s": round(job["total"] / elapsed),
        "progress_values_seen": len(progress),
        "rss_before_upload_mb": round(rss_before, 1),
        "rss_peak_during_import_mb": round(rss_peak, 1),
        "rss_added_at_peak_mb": round(rss_peak - rss_before, 1),
        "parsers": {
            "size": parsers.size,
            **parsers.stats,
            "processes_seen": len(pool_peak),
            "rss_peak_per_process_mb": sorted(round(v, 1) for v in pool_peak.values()),
            "rss_peak_all_processes_mb": round(pool_sum_peak, 1),
            "cpu_s_all_processes": round(sum(pool_cpu.values()), 1),
        },
        "machine": machine.done(),
    }


def _bar(done: int, total: int, elapsed: float) -> None:
    """The job's progress as the web client's bar shows it, on one line of stderr."""
    width = 40
    filled = width * done // max(total, 1)
    sys.stderr.write(
        f"\r[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} rows  {elapsed:6.1f} s"
    )
    sys.stderr.flush()


async def _bare_copy(dsn: str, count: int, runs: int = 3) -> list[float]:
    """The issue's baseline: the same rows, as text, into a table with no index."""
    conn = await asyncpg.connect(dsn)
    columns = [key for key, _ in COLUMNS]
    times = []
    try:
        for n in range(runs):
            table = f"import_baseline_{n}"
            await conn.execute(
                f"CREATE TABLE {table} (" + ", ".join(f"{c} text" for c in columns) + ")"
            )
            records = _rows(count)
            started = time.perf_counter()  # making the rows is in the time: a handicap
            await conn.copy_records_to_table(table, records=records, columns=columns)
            times.append(time.perf_counter() - started)
    finally:
        await conn.close()
    return times


async def _copy_into_service_tables(dsn: str) -> dict[str, float]:
    """The rows the import wrote, COPY'd (binary) into copies of the service's tables with
    the same indexes (LIKE ... INCLUDING ALL; foreign keys are not copied): the database's
    own share of any import of these rows."""
    conn = await asyncpg.connect(dsn)
    times: dict[str, float] = {}
    try:
        for table in SERVICE_TABLES:
            await conn.execute(f"CREATE TABLE floor_{table} (LIKE {table} INCLUDING ALL)")
            buffer = io.BytesIO()
            await conn.copy_from_table(table, output=buffer, format="binary")
            buffer.seek(0)
            started = time.perf_counter()
            await conn.copy_to_table(f"floor_{table}", source=buffer, format="binary")
            times[table] = round(time.perf_counter() - started, 2)
    finally:
        await conn.close()
    times["total"] = round(sum(times.values()), 2)
    return times


async def _relay_drained(runtime) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    while True:
        if not await runtime.relay.lag():
            break
        await asyncio.sleep(0.1)
    return time.perf_counter() - started


async def main(count: int, rerun: bool, parsers: int | None = None) -> dict:
    database = f"bench_import_{uuid.uuid4().hex[:6]}"
    url = f"{PG}/{database}"
    chosen = {} if parsers is None else {"import_parsers": parsers}
    runtime = build_runtime(
        CustomerSettings(database_url=url, db_pool_size=3, **chosen),  # type: ignore[arg-type]
        common=CommonSettings(bus="memory", outbox_poll_interval_s=1.0),
    )
    await runtime.start()
    pool = runtime.workers["imports"].parsers  # type: ignore[attr-defined]
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    path = folder / "bench.csv"
    result: dict = {
        "measured_at": datetime.now(UTC).isoformat(),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "rows": count,
        "file_bytes": _write_csv(count, path),
    }
    try:
        token = mint_service_token(
            Principal(tenant_id=uuid.uuid4(), role="admin", user_id=uuid.uuid4()),
            secret=runtime.common.service_token_secret,
            ttl_s=7200,
        )
        headers = {"authorization": f"Bearer {token}"}
        transport = httpx.ASGITransport(app=create_app(runtime, manage_lifecycle=False))
        async with httpx.AsyncClient(
            transport=transport, base_url="http://customer", timeout=600
        ) as client:
            first = await _import(client, headers, path, pool)
            lag = await runtime.relay.lag()
            first["outbox_unpublished_at_end"] = lag
            first["relay_done_after_import_s"] = round(await _relay_drained(runtime), 2)
            result["import"] = first
            if rerun:
                result["rerun"] = await _import(client, headers, path, pool)
        dsn = asyncpg_dsn(url)
        result["service_tables_copy_s"] = await _copy_into_service_tables(dsn)
        copies = await _bare_copy(dsn, count)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        await runtime.stop()
        admin = await asyncpg.connect(asyncpg_dsn(f"{PG}/postgres"))
        await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await admin.close()
    copy_s = statistics.median(copies)
    floor_s = result["service_tables_copy_s"]["total"]
    import_s = result["import"]["import_s"]
    result["bare_copy_s"] = [round(c, 3) for c in copies]
    result["bare_copy_rows_per_s"] = round(count / copy_s)
    result["service_tables_copy_rows_per_s"] = round(count / floor_s)
    result["import_rows_per_s"] = result["import"]["rows_per_s"]
    result["ratio_to_bare_copy"] = round(copy_s / import_s, 4)
    result["ratio_to_service_tables_copy"] = round(floor_s / import_s, 3)
    result["aim"] = "import at least half the speed of COPY"
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rerun", action="store_true", help="import the same file again")
    parser.add_argument(
        "--parsers", type=int, default=None, help="CUSTOMER_IMPORT_PARSERS (default: the service's)"
    )
    parser.add_argument(
        "--compare", action="store_true", help="the same run with parsers 0 first, then --parsers"
    )
    args = parser.parse_args()

    async def runs() -> dict:
        if not args.compare:
            return await main(args.rows, args.rerun, args.parsers)
        return {
            "inline": await main(args.rows, args.rerun, 0),
            "pool": await main(args.rows, args.rerun, args.parsers),
        }

    results = asyncio.run(runs())
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "customer_import.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=2) + "\n"
    )
    print(json.dumps(results, ensure_ascii=False, indent=2))
    for label, result in results.items() if args.compare else [("", results)]:
        pool = result["import"]["parsers"]
        print(
            f"{label + ': ' if label else ''}parsers {pool['size']} · import "
            f"{result['import_rows_per_s']:,} rows/s · COPY into the service's indexed tables "
            f"{result['service_tables_copy_rows_per_s']:,} rows/s (ratio "
            f"{result['ratio_to_service_tables_copy']}) · bare COPY "
            f"{result['bare_copy_rows_per_s']:,} rows/s · service RSS peak "
            f"{result['import']['rss_peak_during_import_mb']} MB · parser RSS peak "
            f"{pool['rss_peak_per_process_mb']} MB each, {pool['cpu_s_all_processes']} CPU s · "
            f"load {result['import']['machine']['loadavg_1m_before']} → "
            f"{result['import']['machine']['loadavg_1m_after']}"
        )
