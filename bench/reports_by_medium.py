"""広告月別売上 (ORD-6) over 1,000,000 order lines: the report through the orders service's
HTTP API (in process, ASGI, an admin's service token; range checked, the aggregate query, the
media names, the freshness line, the JSON answer) beside, in the same run and database, the
same aggregate SQL issued by bare asyncpg.

The lines are generated in SQL (36 months, 12 media and none, 8 staff and none, the 47
prefectures, 200 products, each drawn at random and independently, so that the aggregates
have nearly every cell a month can have; 1–3 lines an order) and loaded into the reporting model as its
event handlers would leave it: INSERT … SELECT … GROUP BY into the monthly aggregates
(report_order_months, report_product_months, report_customer_months). The per-order rows
(report_orders, read by 解約分析 only) are not loaded. Then the same lines are written to the
orders tables and the model is rebuilt from them (``orders.reports rebuild``, decision 91):
its time is printed beside the load's.

    .venv/bin/python bench/reports_by_medium.py [--lines 1000000] [--requests 60]

Prints both figures and their ratio; writes bench/results/reports_by_medium.json.
"""

import argparse
import asyncio
import json
import os
import platform
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).parents[1]
PG = os.environ.get("CRM_BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432")

from kit.auth import Principal, mint_service_token  # noqa: E402
from kit.db import asyncpg_dsn  # noqa: E402
from kit.settings import CommonSettings  # noqa: E402
from orders.adapters.report_rebuild import rebuild  # noqa: E402
from orders.bootstrap import build_runtime  # noqa: E402
from orders.domain.prefectures import PREFECTURES  # noqa: E402
from orders.entrypoints.http import create_app  # noqa: E402
from orders.settings import OrdersSettings  # noqa: E402

FIRST, LAST = date(2024, 1, 1), date(2026, 12, 1)  # 36 months

# One row per order line, as OrderPlaced would carry it (an order's keys shared by its lines).
CREATE_LINES = """
CREATE UNLOGGED TABLE bench_lines (month date, medium uuid, staff uuid, prefecture text,
  customer uuid, order_no int, line_no int, product uuid, quantity int, unit_price int)
"""
LINES = """
INSERT INTO bench_lines
WITH orders AS (
  SELECT o AS n, (o % 36) AS m, media[1 + floor(random() * 13)::int] AS medium,
         staff[1 + floor(random() * 9)::int] AS staff,
         prefs[1 + floor(random() * 47)::int] AS prefecture, gen_random_uuid() AS customer,
         1 + (o % 3) AS line_count
  FROM generate_series(1, $1::int) o, (SELECT $2::uuid[] AS media, $3::uuid[] AS staff,
                                        $4::text[] AS prefs) k
)
SELECT (date '2024-01-01' + make_interval(months => m))::date AS month, medium, staff,
       prefecture, customer, n AS order_no, l AS line_no,
       products[1 + floor(random() * 200)::int] AS product, 1 + (n + l) % 4 AS quantity,
       (500 + ((n * 13 + l) % 40) * 100) AS unit_price
FROM orders, generate_series(1, line_count) l, (SELECT $5::uuid[] AS products) p
LIMIT $6::int
"""
LOAD = [
    """INSERT INTO report_order_months (tenant_id, month, medium_key, staff_key, prefecture,
         orders, sales_yen, cost_yen, shipping_yen)
       SELECT $1, month, medium, staff, prefecture, count(DISTINCT order_no),
              sum(quantity * unit_price), sum(quantity * unit_price / 3),
              count(DISTINCT order_no) * 700
       FROM bench_lines GROUP BY month, medium, staff, prefecture""",
    """INSERT INTO report_product_months (tenant_id, month, product_id, medium_key, prefecture,
         product_name, quantity, returned_quantity, sales_yen, cost_yen)
       SELECT $1, month, product, medium, prefecture, 'bench', sum(quantity), 0,
              sum(quantity * unit_price), sum(quantity * unit_price / 3)
       FROM bench_lines GROUP BY month, product, medium, prefecture""",
    """INSERT INTO report_customer_months (tenant_id, month, customer_id, orders, sales_yen, cost_yen)
       SELECT $1, month, customer, count(DISTINCT order_no), sum(quantity * unit_price),
              sum(quantity * unit_price / 3)
       FROM bench_lines GROUP BY month, customer""",
]
# The same lines as the orders tables would hold them, for the rebuild (decision 91).
ORDER_TABLES = [
    """INSERT INTO orders (id, tenant_id, order_number, customer_id, channel, ordered_at,
         ordered_on, ships_on, staff_id, medium_id, delivery, subtotal_yen, discount_yen,
         shipping_fee_yen, tax_yen, total_yen, tax_rounding, tax_by_rate, campaigns, status,
         payer_kana)
       SELECT md5(order_no::text)::uuid, $1, order_no, min(customer::text)::uuid, 'phone',
              min(month) + time '12:00' - interval '9 hours', min(month), min(month),
              nullif(min(staff::text), '00000000-0000-0000-0000-000000000000')::uuid,
              nullif(min(medium::text), '00000000-0000-0000-0000-000000000000')::uuid,
              jsonb_build_object('prefecture', min(prefecture)), sum(quantity * unit_price), 0,
              700, 0, sum(quantity * unit_price) + 700, 'floor', '[]', '[]', 'placed', ''
       FROM bench_lines GROUP BY order_no""",
    """INSERT INTO order_lines (id, tenant_id, order_id, line_no, product_id, product_name,
         quantity, unit_price_yen, tax_rate, amount_yen, is_gift, kind)
       SELECT gen_random_uuid(), $1, md5(order_no::text)::uuid, line_no, product, 'bench',
              quantity, unit_price, 10, quantity * unit_price, false, 'product'
       FROM bench_lines""",
]
# What the report's query is (ReportQueries.by_order_keys with keys month, medium_key).
REPORT_SQL = """
SELECT month, medium_key, sum(orders)::bigint, sum(sales_yen)::bigint, sum(cost_yen)::bigint,
       sum(shipping_yen)::bigint
FROM report_order_months WHERE tenant_id = $1 AND month BETWEEN $2 AND $3
GROUP BY month, medium_key ORDER BY month, medium_key
"""


def _figures(latencies: list[float]) -> dict:
    latencies = sorted(latencies)
    return {"requests": len(latencies), "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
            "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1),
            "max_ms": round(latencies[-1] * 1000, 1)}  # fmt: skip


async def _timed(count: int, call) -> dict:  # type: ignore[no-untyped-def]
    for _ in range(3):  # warm-up
        await call()
    latencies = []
    for _ in range(count):
        started = time.perf_counter()
        await call()
        latencies.append(time.perf_counter() - started)
    return _figures(latencies)


async def main(lines: int, requests: int) -> dict:
    database = f"bench_reports_{uuid.uuid4().hex[:6]}"
    url = f"{PG}/{database}"
    runtime = build_runtime(
        OrdersSettings(database_url=url, db_pool_size=4, subscription_run_enabled=False),
        common=CommonSettings(bus="memory", outbox_poll_interval_s=1.0),
    )
    await runtime.start()
    tenant_id = uuid.uuid4()
    token = mint_service_token(Principal(tenant_id=tenant_id, role="admin", user_id=uuid.uuid4()),
                               secret=runtime.common.service_token_secret, ttl_s=7200)  # fmt: skip
    result: dict = {"measured_at": datetime.now(UTC).isoformat(), "order_lines": lines,
                    "months": 36, "machine": {"python": platform.python_version(),
                    "cpus": os.cpu_count(), "load_before": os.getloadavg()}}  # fmt: skip
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        transport = httpx.ASGITransport(app=create_app(runtime, manage_lifecycle=False))
        async with httpx.AsyncClient(transport=transport, base_url="http://orders", timeout=60,
                                     headers={"authorization": f"Bearer {token}"}) as client:  # fmt: skip
            media = []
            for i in range(12):
                r = await client.post("/media", json={"name": f"広告{i + 1}", "code": f"m{i}"})
                media.append(uuid.UUID(r.json()["id"]))
            none = uuid.UUID(int=0)
            staff = [uuid.uuid4() for _ in range(8)]
            products = [uuid.uuid4() for _ in range(200)]
            started = time.perf_counter()
            orders = lines // 2 + 1  # 1–3 lines an order: 2 on average
            await conn.execute(CREATE_LINES)
            await conn.execute(LINES, orders, [*media, none], [*staff, none], list(PREFECTURES),
                               products, lines)  # fmt: skip
            for statement in LOAD:
                await conn.execute(statement, tenant_id)
            await conn.execute("ANALYZE")
            result["load_s"] = round(time.perf_counter() - started, 1)
            result["loaded"] = {
                "lines": await conn.fetchval("SELECT count(*) FROM bench_lines"),
                "order_month_cells": await conn.fetchval("SELECT count(*) FROM report_order_months"),
                "product_month_cells": await conn.fetchval("SELECT count(*) FROM report_product_months"),
            }  # fmt: skip
            expected = await conn.fetchval("SELECT sum(quantity * unit_price) FROM bench_lines")
            params = {"from_month": "2024-01", "to_month": "2026-12"}

            async def through_service() -> None:
                r = await client.get("/reports/sales-by-medium", params=params)
                assert r.status_code == 200, r.text

            r = await client.get("/reports/sales-by-medium", params=params)
            assert r.json()["totals"]["sales_yen"] == expected, (
                "the report's total is the lines' sum"
            )
            result["report_rows"] = len(r.json()["rows"])
            result["service"] = await _timed(requests, through_service)

        async def bare() -> None:
            await conn.fetch(REPORT_SQL, tenant_id, FIRST, LAST)

        result["bare_asyncpg"] = await _timed(requests, bare)

        # the rebuild from the orders tables (no outbox events: costs from the master, none)
        for statement in ORDER_TABLES:
            await conn.execute(statement, tenant_id)
        await conn.execute("ANALYZE")
        started = time.perf_counter()
        rebuilt = await rebuild(runtime.engine, tenant_id)
        result["rebuild_s"] = round(time.perf_counter() - started, 1)
        result["rebuilt_orders"] = rebuilt.orders
        total = await conn.fetchval(
            "SELECT sum(sales_yen) FROM report_order_months WHERE tenant_id = $1", tenant_id
        )
        assert total == expected, "the rebuilt total is the lines' sum"
        result["machine"]["load_after"] = os.getloadavg()
    finally:
        await conn.close()
        await runtime.stop()
        admin = await asyncpg.connect(asyncpg_dsn(f"{PG}/postgres"))
        await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await admin.close()
    result["ratio_p95_service_to_bare"] = round(
        result["service"]["p95_ms"] / result["bare_asyncpg"]["p95_ms"], 2
    )
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    result = asyncio.run(main(args.lines, args.requests))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "reports_by_medium.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    )
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(
        f"広告月別売上 over {result['loaded']['lines']:,} lines: service p95 "
        f"{result['service']['p95_ms']} ms · bare asyncpg p95 {result['bare_asyncpg']['p95_ms']} ms"
    )
    print(f"load {result['load_s']} s · rebuild from the orders tables {result['rebuild_s']} s "
          f"({result['rebuilt_orders']:,} orders)")  # fmt: skip
