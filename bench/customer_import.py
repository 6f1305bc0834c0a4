"""Bulk import speed (issue 5): a Shift_JIS CSV of synthetic customers (faker ja_JP) imported
through the customer service as a job (upload, chunks, progress), beside COPY of the same
rows into a bare table in the same database, in the same run.

    .venv/bin/python bench/customer_import.py [--rows 100000]

Writes bench/results/customer_import.json.
"""

import argparse
import asyncio
import json
import os
import platform
import random
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
    return rows


def _csv(rows: list[list[str]]) -> bytes:
    header = ",".join(label for _, label in COLUMNS)
    lines = [header, *(",".join(r) for r in rows)]
    return ("\r\n".join(lines) + "\r\n").encode("cp932")


async def _copy(dsn: str, rows: list[list[str]]) -> float:
    conn = await asyncpg.connect(dsn)
    try:
        columns = [key for key, _ in COLUMNS]
        await conn.execute(
            "CREATE TABLE import_baseline (" + ", ".join(f"{c} text" for c in columns) + ")"
        )
        started = time.perf_counter()
        await conn.copy_records_to_table(
            "import_baseline", records=[tuple(r) for r in rows], columns=columns
        )
        return time.perf_counter() - started
    finally:
        await conn.close()


async def main(count: int) -> dict:
    database = f"bench_import_{uuid.uuid4().hex[:6]}"
    url = f"{PG}/{database}"
    runtime = build_runtime(
        CustomerSettings(database_url=url, db_pool_size=3),
        common=CommonSettings(bus="memory", outbox_poll_interval_s=5.0),
    )
    await runtime.start()
    rows = _rows(count)
    content = _csv(rows)
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
            started = time.perf_counter()
            r = await client.post(
                "/imports", files={"file": ("bench.csv", content, "text/csv")}, headers=headers
            )
            assert r.status_code == 202, r.text
            accepted = time.perf_counter() - started
            job_id = r.json()["id"]
            while True:
                job = (await client.get(f"/imports/{job_id}", headers=headers)).json()
                if job["status"] in ("finished", "failed"):
                    break
                await asyncio.sleep(0.5)
            imported_s = time.perf_counter() - started
        copy_s = await _copy(asyncpg_dsn(url), rows)
    finally:
        await runtime.stop()
        admin = await asyncpg.connect(asyncpg_dsn(f"{PG}/postgres"))
        await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await admin.close()
    return {
        "measured_at": datetime.now(UTC).isoformat(),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "rows": count,
        "file_bytes": len(content),
        "job": {k: job[k] for k in ("status", "imported", "failed", "duplicates")},
        "upload_accepted_s": round(accepted, 2),
        "import_s": round(imported_s, 1),
        "import_rows_per_s": round(count / imported_s, 1),
        "copy_s": round(copy_s, 2),
        "copy_rows_per_s": round(count / copy_s, 1),
        "ratio_to_copy": round(copy_s / imported_s, 4),
        "aim": "import at least half the speed of COPY",
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    result = asyncio.run(main(args.rows))
    out = ROOT / "bench" / "results" / "customer_import.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))
