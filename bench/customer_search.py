"""Customer search at scale (issue 5): synthetic customers (faker ja_JP, written with COPY)
in a fresh database migrated by the customer service; then exact phone, exact email,
partial kana name and an advanced multi-criterion search, each timed through the service
(its FastAPI app in process, with token check, validation, ORM and tenant scoping) beside
the same SQL sent through bare asyncpg in the same run.

    .venv/bin/python bench/customer_search.py [--count 1000000] [--runs 200]

Writes bench/results/customer_search.json.
"""

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx
import sqlalchemy as sa
from faker import Faker

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))

from customer.bootstrap import build_runtime  # noqa: E402
from customer.entrypoints.http import create_app  # noqa: E402
from customer.settings import CustomerSettings  # noqa: E402
from kit.auth import Principal, mint_service_token  # noqa: E402
from kit.db import asyncpg_dsn  # noqa: E402
from kit.settings import CommonSettings  # noqa: E402

PG = os.environ.get("CRM_BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432")
PER_PAGE = 20
TENANT = uuid.UUID("00000000-0000-7000-8000-000000000001")
OTHER_TENANT = uuid.UUID("00000000-0000-7000-8000-000000000002")


def _pool(fake: Faker, size: int) -> tuple[list, list, list]:
    families = list({fake.last_name_pair()[:2] for _ in range(size)})
    given = list({fake.first_name_pair()[:2] for _ in range(size)})
    domains = ["example.com", "example.jp", "mail.example.net", "example.co.jp"]
    return families, given, domains


def _rows(count: int, *, seed: int = 20261125):  # type: ignore[no-untyped-def]
    """Customers, phones and emails as tuples for COPY; 10 % belong to another tenant."""
    rng = random.Random(seed)
    fake = Faker("ja_JP")
    Faker.seed(seed)
    families, given, domains = _pool(fake, 3000)
    staff = [uuid.UUID(int=n + 1) for n in range(8)]
    now = datetime.now(UTC)
    customers, phones, emails = [], [], []
    for n in range(count):
        cid = uuid.UUID(int=(1 << 100) + n)
        tenant = TENANT if n % 10 else OTHER_TENANT
        (fam, fam_kana), (giv, giv_kana) = rng.choice(families), rng.choice(given)
        name, kana = f"{fam} {giv}", f"{fam_kana} {giv_kana}"
        created = now - timedelta(days=rng.randint(0, 1500), minutes=rng.randint(0, 1440))
        visits = rng.choice([0, 0, 0, 1, 1, 2, 3, 5, 8, 13])
        cancels = rng.choice([0, 0, 0, 0, 1, 2])
        last_visit = created + timedelta(days=rng.randint(0, 400)) if visits else None
        customers.append((
            cid, tenant, name, kana, name.replace(" ", ""), kana.replace(" ", ""), "",
            f"C{n:08d}", f"c{n}@{rng.choice(domains)}", "following",
            rng.choice([None, *staff]), created, created, created, visits + cancels, visits,
            cancels, cancels and rng.randint(0, cancels), last_visit, last_visit,
        ))  # fmt: skip
        mobile = _phone_for(n)
        phones.append((cid, tenant, mobile, mobile, "mobile"))
        if n % 3 == 0:
            landline = f"03{n:08d}"
            phones.append((cid, tenant, landline, landline, "landline"))
        emails.append((cid, tenant, f"c{n}@example.com", f"c{n}@example.com"))
    return customers, phones, emails


CUSTOMER_COLUMNS = [
    "id", "tenant_id", "name", "name_kana", "name_search", "kana_search", "line_search",
    "customer_number", "identity_email", "follow_up_status", "assignee_id", "first_inquiry_at",
    "created_at", "updated_at", "reservation_count", "visit_count", "cancel_count",
    "last_minute_cancel_count", "first_visit_at", "last_visit_at",
]  # fmt: skip


async def _fill(dsn: str, count: int) -> dict:
    started = time.perf_counter()
    customers, phones, emails = _rows(count)
    generated = time.perf_counter() - started
    conn = await asyncpg.connect(dsn)
    try:
        started = time.perf_counter()
        await conn.copy_records_to_table("customers", records=customers, columns=CUSTOMER_COLUMNS)
        await conn.copy_records_to_table(
            "customer_phones", records=phones,
            columns=["customer_id", "tenant_id", "digits", "display", "kind"],
        )  # fmt: skip
        await conn.copy_records_to_table(
            "customer_emails", records=emails,
            columns=["customer_id", "tenant_id", "email_key", "email"],
        )  # fmt: skip
        copied = time.perf_counter() - started
        await conn.execute("ANALYZE")
        trigram = await conn.fetchval(
            "SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'customers_%_trgm'"
        )
    finally:
        await conn.close()
    return {
        "customers": count,
        "phones": len(phones),
        "generate_s": round(generated, 1),
        "copy_s": round(copied, 1),
        "trigram_indexes": int(trigram),
    }


def _cases(count: int, runs: int, kana_pool: list[str]) -> dict[str, list[dict]]:
    rng = random.Random(7)
    ours = [n for n in range(count) if n % 10]
    return {
        "exact_phone": [{"phone": _hyphenated(_phone_for(n))} for n in rng.sample(ours, runs)],
        "exact_email": [{"email": f"C{n}@Example.com"} for n in rng.sample(ours, runs)],
        "partial_kana": [{"q": rng.choice(kana_pool)} for _ in range(runs)],
        "advanced": [
            {
                "visit_count_min": rng.choice([2, 3, 5]),
                "cancel_count_max": rng.choice([0, 1]),
                "assigned": "true",
                "last_visit_from": (datetime.now(UTC) - timedelta(days=rng.randint(200, 900)))
                .date()
                .isoformat(),
                "sort": "last_visit_desc",
            }
            for _ in range(runs)
        ],
    }


def _phone_for(n: int) -> str:
    return f"090{n:08d}"


def _hyphenated(digits: str) -> str:
    """As staff type it, so the service's normalisation is part of the measure."""
    return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"


async def _bare(dsn: str, captured: dict[str, list[list[tuple]]]) -> dict:
    """Replays, through bare asyncpg, exactly the statements the service sent per search."""
    conn = await asyncpg.connect(dsn)
    out = {}
    try:
        for name, searches in captured.items():
            latencies = []
            for statements in searches:
                t = time.perf_counter()
                for sql, params in statements:
                    await conn.fetch(sql, *params)
                latencies.append(time.perf_counter() - t)
            out[name] = _summary(latencies)
    finally:
        await conn.close()
    return out


async def _service(runtime, cases: dict[str, list[dict]]) -> dict:  # type: ignore[no-untyped-def]
    app = create_app(runtime, manage_lifecycle=False)
    principal = Principal(tenant_id=TENANT, role="admin", user_id=uuid.uuid4())
    token = mint_service_token(principal, secret=runtime.common.service_token_secret, ttl_s=3600)
    headers = {"authorization": f"Bearer {token}"}
    out, captured = {}, {}
    statements: list[tuple] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if "outbox" not in statement:  # the relay shares the engine; not part of a search
            statements.append((statement, tuple(parameters or ())))

    sa.event.listen(runtime.engine.sync_engine, "before_cursor_execute", record)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://customer") as client:
            for name, params_list in cases.items():
                latencies, totals, captured[name] = [], [], []
                for params in params_list:
                    statements.clear()
                    t = time.perf_counter()
                    r = await client.get(
                        "/customers", params={**params, "per_page": PER_PAGE}, headers=headers
                    )
                    latencies.append(time.perf_counter() - t)
                    assert r.status_code == 200, r.text
                    totals.append(r.json()["total"])
                    captured[name].append(list(statements))
                out[name] = {
                    **_summary(latencies),
                    "median_total": int(statistics.median(totals)),
                }
    finally:
        sa.event.remove(runtime.engine.sync_engine, "before_cursor_execute", record)
    return out, captured


def _summary(latencies: list[float]) -> dict:
    latencies = sorted(latencies)
    return {
        "runs": len(latencies),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p95_ms": round(latencies[max(0, int(len(latencies) * 0.95) - 1)] * 1000, 2),
    }


async def main(count: int, runs: int) -> dict:
    database = f"bench_customer_{uuid.uuid4().hex[:6]}"
    url = f"{PG}/{database}"
    runtime = build_runtime(
        CustomerSettings(database_url=url, db_pool_size=2),
        common=CommonSettings(bus="memory", outbox_poll_interval_s=5.0),
    )
    await runtime.start()  # creates the database and runs the migrations
    try:
        filled = await _fill(asyncpg_dsn(url), count)
        fake = Faker("ja_JP")
        Faker.seed(3)
        kana_pool = [fake.last_name_pair()[1][:3] for _ in range(200)]
        cases = _cases(count, runs, kana_pool)
        await _service(runtime, {k: v[:10] for k, v in cases.items()})  # warm caches
        service, captured = await _service(runtime, cases)
        bare = await _bare(asyncpg_dsn(url), captured)
    finally:
        await runtime.stop()
        admin = await asyncpg.connect(asyncpg_dsn(f"{PG}/postgres"))
        await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await admin.close()
    return {
        "measured_at": datetime.now(UTC).isoformat(),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "data": filled,
        "per_page": PER_PAGE,
        "service": service,
        "bare_asyncpg": bare,
        "aims_p95_ms": {"exact_phone": 5, "exact_email": 5, "partial_kana": 50, "advanced": 200},
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    result = asyncio.run(main(args.count, args.runs))
    out = ROOT / "bench" / "results" / "customer_search.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))
