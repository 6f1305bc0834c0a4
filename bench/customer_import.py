"""Bulk import speed (issue 5): a Shift_JIS CSV of synthetic customers (faker ja_JP) imported
through the customer service as a job (upload, worker, chunks, progress), beside baselines
measured in the same run on the same database:

- COPY of the same rows into a bare table (19 text columns): the issue's baseline;
- COPY of the rows the import wrote (customers, phones, emails, addresses, outbox) into
  copies of those tables with the same indexes: what the database alone needs to store
  them, whatever the program in front of it.

Also measured: the process's resident memory before the upload and at its peak while the
job runs (sampled at each progress poll; the service runs in this process), how long the outbox relay (running in the service throughout, on the
in-memory bus) takes to publish the import's events, and, with --rerun, the same file
again (must change nothing: every row a duplicate).

    .venv/bin/python bench/customer_import.py [--rows 100000] [--rerun]

Prints the figures and writes bench/results/customer_import.json.
"""

import argparse
import asyncio
import io
import json
import os
import platform
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import httpx
from faker import Faker

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))

from customer.bootstrap import build_runtime  # noqa: E402
from customer.domain.importing import COLUMNS  # noqa: E402
from customer.entrypoints.http import create_app  # noqa: E402
from customer.settings import CustomerSettings  # noqa: E402
from kit.auth import Principal, mint_service_token  # noqa: E402
from kit.db import asyncpg_dsn  # noqa: E402
from kit.settings import CommonSettings  # noqa: E402

PG = os.environ.get("CRM_BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432")
SERVICE_TABLES = ("customers", "customer_phones", "customer_emails", "customer_addresses", "outbox")


def _rows(count: int) -> list[list[str]]:
    rng = random.Random(4)
    fake = Faker("ja_JP")
    Faker.seed(4)
    families = [fake.last_name_pair()[:2] for _ in range(2000)]
    given = [fake.first_name_pair()[:2] for _ in range(2000)]
    rows = []
    for n in range(count):
        (fam, fam_kana), (giv, giv_kana) = rng.choice(families), rng.choice(given)
        phone = f"０９０－{n // 10000:04d}－{n % 10000:04d}".translate(
            str.maketrans("0123456789", "０１２３４５６７８９")
        )
        rows.append([
            "", fam, giv, fam_kana, giv_kana, phone, "", f"import{n}@example.com",
            f"19{rng.randint(50, 99)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            rng.choice(["男性", "女性", ""]), "", "東京都港区芝浦1-1-1", "ホームページ", "", "",
            "", "", "", "",
        ])  # fmt: skip
    return [tuple(r) for r in rows]  # untracked by the GC


def _csv(rows: list[list[str]]) -> bytes:
    header = ",".join(label for _, label in COLUMNS)
    lines = [header, *(",".join(r) for r in rows)]
    return ("\r\n".join(lines) + "\r\n").encode("cp932")


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


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def _import(client: httpx.AsyncClient, headers: dict, content: bytes) -> dict:
    machine = Machine()
    # The process's resident memory while the job runs, beside what it held before the upload
    # (the benchmark's own rows and file): what the import itself adds at its peak.
    rss_before, rss_peak = _rss_mb(), 0.0
    started = time.perf_counter()
    r = await client.post(
        "/imports", files={"file": ("bench.csv", content, "text/csv")}, headers=headers
    )
    assert r.status_code == 202, r.text
    accepted = time.perf_counter() - started
    job_id = r.json()["id"]
    progress: list[int] = []
    while True:
        job = (await client.get(f"/imports/{job_id}", headers=headers)).json()
        if not progress or progress[-1] != job["done"]:
            progress.append(job["done"])
        rss_peak = max(rss_peak, _rss_mb())
        if job["status"] in ("finished", "failed"):
            break
        await asyncio.sleep(0.1)
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
        "machine": machine.done(),
    }


async def _bare_copy(dsn: str, rows: list[list[str]], runs: int = 3) -> list[float]:
    """The issue's baseline: the same rows, as text, into a table with no index."""
    conn = await asyncpg.connect(dsn)
    columns = [key for key, _ in COLUMNS]
    records = [tuple(r) for r in rows]
    times = []
    try:
        for n in range(runs):
            table = f"import_baseline_{n}"
            await conn.execute(
                f"CREATE TABLE {table} (" + ", ".join(f"{c} text" for c in columns) + ")"
            )
            started = time.perf_counter()
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


async def main(count: int, rerun: bool) -> dict:
    database = f"bench_import_{uuid.uuid4().hex[:6]}"
    url = f"{PG}/{database}"
    runtime = build_runtime(
        CustomerSettings(database_url=url, db_pool_size=3),
        common=CommonSettings(bus="memory", outbox_poll_interval_s=1.0),
    )
    await runtime.start()
    rows = _rows(count)
    content = _csv(rows)
    result: dict = {
        "measured_at": datetime.now(UTC).isoformat(),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "rows": count,
        "file_bytes": len(content),
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
            first = await _import(client, headers, content)
            lag = await runtime.relay.lag()
            first["outbox_unpublished_at_end"] = lag
            first["relay_done_after_import_s"] = round(await _relay_drained(runtime), 2)
            result["import"] = first
            if rerun:
                result["rerun"] = await _import(client, headers, content)
        dsn = asyncpg_dsn(url)
        result["service_tables_copy_s"] = await _copy_into_service_tables(dsn)
        copies = await _bare_copy(dsn, rows)
    finally:
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
    args = parser.parse_args()
    result = asyncio.run(main(args.rows, args.rerun))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "customer_import.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    )
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(
        f"import {result['import_rows_per_s']:,} rows/s · bare COPY "
        f"{result['bare_copy_rows_per_s']:,} rows/s · ratio {result['ratio_to_bare_copy']} · "
        f"COPY into the service's indexed tables {result['service_tables_copy_rows_per_s']:,} rows/s"
    )
