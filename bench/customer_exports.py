"""Seed 003's search by menu / staff / last used menu, and the CUS-14 exports, at scale:
synthetic salon customers (COPY) with addresses and visits in a fresh database migrated
by the customer service; each search timed through the service beside the same SQL by
bare asyncpg (bench/customer_search.py's harness); the customer CSV and a DM list streamed
through the service beside the same statement read by a bare asyncpg cursor.

    .venv/bin/python bench/customer_exports.py [--count 100000] [--runs 100]

Writes bench/results/customer_exports.json.
"""

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx
import sqlalchemy as sa
import uvicorn

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from customer.bootstrap import build_runtime  # noqa: E402
from customer.entrypoints.http import create_app  # noqa: E402
from customer.settings import CustomerSettings  # noqa: E402
from customer_search import _bare, _service  # noqa: E402
from kit.auth import Principal, mint_service_token  # noqa: E402
from kit.db import asyncpg_dsn  # noqa: E402
from kit.settings import CommonSettings  # noqa: E402

PG = os.environ.get("CRM_BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432")
TENANT = uuid.UUID("00000000-0000-7000-8000-000000000001")
OTHER_TENANT = uuid.UUID("00000000-0000-7000-8000-000000000002")
MENUS = [uuid.UUID(int=(2 << 100) + n) for n in range(20)]
STAFF = [uuid.UUID(int=(3 << 100) + n) for n in range(8)]
PLACES = [  # postal code, prefecture, city, town
    ("1050023", "東京都", "港区", "芝浦"), ("1000001", "東京都", "千代田区", "千代田"),
    ("1600022", "東京都", "新宿区", "新宿"), ("2310023", "神奈川県", "横浜市中区", "山下町"),
    ("2200012", "神奈川県", "横浜市西区", "みなとみらい"), ("3300063", "埼玉県", "さいたま市浦和区", "高砂"),
    ("2600013", "千葉県", "千葉市中央区", "中央"), ("5300001", "大阪府", "大阪市北区", "梅田"),
    ("4600008", "愛知県", "名古屋市中区", "栄"), ("8100001", "福岡県", "福岡市中央区", "天神"),
    ("0600001", "北海道", "札幌市中央区", "北一条西"), ("8400801", "佐賀県", "佐賀市", "駅前中央"),
]  # fmt: skip


def _rows(count: int, *, seed: int = 20261201):  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    now = datetime.now(UTC)
    customers, phones, emails, addresses, visits = [], [], [], [], []
    for n in range(count):
        cid = uuid.UUID(int=(1 << 100) + n)
        tenant = TENANT if n % 10 else OTHER_TENANT
        created = now - timedelta(days=rng.randint(0, 1500))
        history = [
            (rng.choice(MENUS), rng.choice(STAFF), rng.choice(["visited"] * 6 + ["reserved", "cancelled"]),
             created + timedelta(days=rng.randint(0, 400)))
            for _ in range(rng.choice([0, 0, 1, 1, 2, 3, 5]))
        ]  # fmt: skip
        came = sorted((h for h in history if h[2] == "visited"), key=lambda h: h[3])
        last_menu = came[-1][0] if came else None
        customers.append((
            cid, tenant, f"顧客 {n}", f"コキャク {n}", f"顧客{n}", f"コキャク{n}", "", f"C{n:08d}",
            "following", created, created, len(came), len(history), came[-1][3] if came else None,
            last_menu, f"メニュー{MENUS.index(last_menu)}" if last_menu else None,
        ))  # fmt: skip
        digits = f"090{n:08d}"
        phones.append((cid, tenant, digits, f"{digits[:3]}-{digits[3:7]}-{digits[7:]}", "mobile"))
        emails.append((cid, tenant, f"c{n}@example.com", f"c{n}@example.com"))
        if n % 5:  # 80 % have a home address, most with a 番地
            code, pref, city, town = rng.choice(PLACES)
            street = f"{town}{rng.randint(1, 9)}-{rng.randint(1, 30)}" if n % 7 else town
            addresses.append((uuid.uuid4(), cid, tenant, "home", code, pref, city, street, 0))
        for menu, member, status, at in history:
            visits.append((uuid.uuid4(), tenant, cid, at, status, status == "cancelled", menu,
                           f"メニュー{MENUS.index(menu)}", member, f"スタッフ{STAFF.index(member)}"))  # fmt: skip
    return customers, phones, emails, addresses, visits


TABLES = {
    "customers": ["id", "tenant_id", "name", "name_kana", "name_search", "kana_search",
                  "line_search", "customer_number", "follow_up_status", "created_at",
                  "updated_at", "visit_count", "reservation_count", "last_visit_at",
                  "last_menu_id", "last_menu_name"],
    "customer_phones": ["customer_id", "tenant_id", "digits", "display", "kind"],
    "customer_emails": ["customer_id", "tenant_id", "email_key", "email"],
    "customer_addresses": ["id", "customer_id", "tenant_id", "kind", "postal_code", "prefecture",
                           "city", "street", "position"],
    "customer_visits": ["visit_id", "tenant_id", "customer_id", "starts_at", "status", "cancelled",
                        "menu_id", "menu_name", "staff_member_id", "staff_member_name"],
}  # fmt: skip


async def _fill(dsn: str, count: int) -> dict:
    rows = _rows(count)
    conn = await asyncpg.connect(dsn)
    try:
        started = time.perf_counter()
        for (table, columns), records in zip(TABLES.items(), rows, strict=True):
            await conn.copy_records_to_table(table, records=records, columns=columns)
        copied = time.perf_counter() - started
        await conn.execute("ANALYZE")
        mailable = await conn.fetchval("SELECT count(*) FROM customer_addresses WHERE mailable")
    finally:
        await conn.close()
    return {"customers": count, "addresses": len(rows[3]), "mailable_addresses": mailable,
            "visits": len(rows[4]), "copy_s": round(copied, 1)}  # fmt: skip


def _cases(runs: int) -> dict[str, list[dict]]:
    rng = random.Random(11)
    return {
        "menu": [{"menu_id": str(rng.choice(MENUS))} for _ in range(runs)],
        "staff_member": [{"staff_member_id": str(rng.choice(STAFF))} for _ in range(runs)],
        "last_menu": [{"last_menu_id": str(rng.choice(MENUS))} for _ in range(runs)],
        "menu_and_staff_by_last_visit": [
            {
                "menu_id": str(rng.choice(MENUS)),
                "staff_member_id": str(rng.choice(STAFF)),
                "sort": "last_visit_desc",
            }
            for _ in range(runs)
        ],
    }


async def _export(runtime, dsn: str, *, method: str, path: str, params: dict) -> dict:  # type: ignore[no-untyped-def]
    """Streams one export from the service served by uvicorn (real HTTP, so that the first
    bytes arrive while the rest is still read), then reads the same statement with a bare
    asyncpg cursor (rows only, no CSV): what the service adds is the ORM rows, the cell
    rules, the csv module and the HTTP stream."""
    principal = Principal(tenant_id=TENANT, role="admin", user_id=uuid.uuid4())
    token = mint_service_token(principal, secret=runtime.common.service_token_secret, ttl_s=3600)
    statements: list[tuple] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if "outbox" not in statement:
            statements.append((statement, tuple(parameters or ())))

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(runtime, manage_lifecycle=False)
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning", lifespan="off"))
    serving = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    sa.event.listen(runtime.engine.sync_engine, "before_cursor_execute", record)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=600) as c:
            headers = {"authorization": f"Bearer {token}"}
            started = time.perf_counter()
            first_byte, size = None, 0
            async with c.stream(method, path, params=params, headers=headers) as r:
                assert r.status_code == 200, (await r.aread()).decode()
                async for chunk in r.aiter_bytes():
                    first_byte = first_byte or time.perf_counter() - started
                    size += len(chunk)
            elapsed = time.perf_counter() - started
    finally:
        sa.event.remove(runtime.engine.sync_engine, "before_cursor_execute", record)
        server.should_exit = True
        await serving
    sql, args = statements[-1]  # the streamed SELECT (after the size check)
    conn = await asyncpg.connect(dsn)
    try:
        started = time.perf_counter()
        rows = 0
        async with conn.transaction():
            async for _ in conn.cursor(sql, *args, prefetch=500):
                rows += 1
        bare = time.perf_counter() - started
    finally:
        await conn.close()
    return {
        "rows": rows, "bytes": size, "service_s": round(elapsed, 2),
        "service_rows_per_s": round(rows / elapsed), "first_byte_ms": round(first_byte * 1000),
        "bare_cursor_s": round(bare, 2), "bare_rows_per_s": round(rows / bare),
        "ratio": round(bare / elapsed, 3),
    }  # fmt: skip


async def main(count: int, runs: int) -> dict:
    database = f"bench_exports_{uuid.uuid4().hex[:6]}"
    url = f"{PG}/{database}"
    runtime = build_runtime(
        CustomerSettings(database_url=url, db_pool_size=2, export_max_rows=count),
        common=CommonSettings(bus="memory", outbox_poll_interval_s=5.0),
    )
    await runtime.start()
    try:
        filled = await _fill(asyncpg_dsn(url), count)
        cases = _cases(runs)
        await _service(runtime, {k: v[:10] for k, v in cases.items()})  # warm caches
        service, captured = await _service(runtime, cases)
        bare = await _bare(asyncpg_dsn(url), captured)
        dsn = asyncpg_dsn(url)
        exports = {
            "customer_csv_all": await _export(
                runtime, dsn, method="POST", path="/customers/export.csv", params={}
            ),
            "dm_list_tokyo": await _export(
                runtime,
                dsn,
                method="GET",
                path="/customers/dm-list.csv",
                params={"prefecture": "東京都"},
            ),
        }
    finally:
        await runtime.stop()
        admin = await asyncpg.connect(asyncpg_dsn(f"{PG}/postgres"))
        await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await admin.close()
    return {
        "measured_at": datetime.now(UTC).isoformat(),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "data": filled,
        "search_service": service,
        "search_bare_asyncpg": bare,
        "exports": exports,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    result = asyncio.run(main(args.count, args.runs))
    out = ROOT / "bench" / "results" / "customer_exports.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))
