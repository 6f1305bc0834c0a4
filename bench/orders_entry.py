"""Phone order entry throughput (受注入力, issue 12): orders placed through the orders
service's HTTP API (in process, ASGI, service token as the gateway mints it; lines checked,
campaigns evaluated, tax by the invoice rule, an order number, OrderPlaced in the outbox, the
relay publishing alongside) beside, in the same run and database, the same SQL issued by bare
asyncpg (the look-ups the placement makes, the counter upsert, the order, its lines and the
outbox row, one transaction per order), at the same concurrency.

    .venv/bin/python bench/orders_entry.py [--orders 2000] [--concurrency 8]

Prints both figures and their ratio; writes bench/results/orders_entry.json.
"""

import argparse
import asyncio
import json
import os
import platform
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).parents[1]
PG = os.environ.get("CRM_BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432")

from kit.auth import Principal, mint_service_token  # noqa: E402
from kit.db import asyncpg_dsn  # noqa: E402
from kit.settings import CommonSettings  # noqa: E402
from orders.bootstrap import build_runtime  # noqa: E402
from orders.entrypoints.http import create_app  # noqa: E402
from orders.settings import OrdersSettings  # noqa: E402

DELIVERY = {"kind": "home", "name": "佐賀 太郎", "postal_code": "840-0801", "prefecture": "佐賀県",
            "address": "佐賀市駅前中央1-2-3", "phone": "090-0000-0001"}  # fmt: skip


async def _pool_run(count: int, concurrency: int, attempt) -> dict:  # type: ignore[no-untyped-def]
    queue: asyncio.Queue = asyncio.Queue()
    for n in range(count):
        queue.put_nowait(n)
    latencies: list[float] = []

    async def worker() -> None:
        while not queue.empty():
            n = queue.get_nowait()
            started = time.perf_counter()
            await attempt(n)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    seconds = time.perf_counter() - started
    latencies.sort()
    return {"orders": count, "seconds": round(seconds, 2), "per_s": round(count / seconds, 1),
            "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
            "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 1)}  # fmt: skip


async def _know_customers(dsn: str, tenant_id: uuid.UUID, count: int) -> list[uuid.UUID]:
    """``count`` customers of the tenant, known to orders as CustomerProfileChanged makes them
    (an order for any other id is 404)."""
    customers = [uuid.uuid4() for _ in range(count)]
    conn = await asyncpg.connect(dsn)
    try:
        await conn.copy_records_to_table("customers_known", records=[(tenant_id, c) for c in customers],
                                         columns=["tenant_id", "customer_id"])  # fmt: skip
    finally:
        await conn.close()
    return customers


async def _service(
    client: httpx.AsyncClient, products: list[str], customers: list[uuid.UUID], conc: int
) -> dict:
    async def attempt(n: int) -> None:
        body = {"customer_id": str(customers[n]), "delivery": DELIVERY, "lines": [
            {"product_id": products[0], "quantity": 1 + n % 3},
            {"product_id": products[1], "quantity": 1}]}  # fmt: skip
        r = await client.post("/orders", json=body)
        assert r.status_code == 201, r.text

    return await _pool_run(len(customers), conc, attempt)


BARE_TABLES = """
CREATE TABLE bare_counter (tenant_id uuid PRIMARY KEY, last_number bigint NOT NULL);
CREATE TABLE bare_orders (LIKE orders INCLUDING DEFAULTS INCLUDING INDEXES);
CREATE TABLE bare_lines (LIKE order_lines INCLUDING DEFAULTS INCLUDING INDEXES);
CREATE TABLE bare_outbox (LIKE outbox INCLUDING ALL);
"""


async def _bare(dsn: str, tenant_id: uuid.UUID, products: list[str], count: int, conc: int) -> dict:
    """The placement's statements by hand: the customer (merges, known), products, campaigns, first order?, fee, rounding,
    counter, order, lines, outbox."""
    pool = await asyncpg.create_pool(dsn, min_size=conc, max_size=conc)
    async with pool.acquire() as conn:
        await conn.execute(BARE_TABLES)
    pids = [uuid.UUID(p) for p in products]

    async def attempt(n: int) -> None:
        customer = uuid.uuid4()
        async with pool.acquire() as conn, conn.transaction():
            await conn.fetchval("SELECT coalesce((SELECT target_id FROM customer_merges WHERE "
                                "tenant_id = $1 AND source_id = $2), $2)", tenant_id, customer)  # fmt: skip
            await conn.fetchval("SELECT 1 FROM customers_known WHERE tenant_id = $1 AND "
                                "customer_id = $2", tenant_id, customer)  # fmt: skip
            found = await conn.fetch("SELECT id, name, price_yen, tax_rate FROM products "
                                     "WHERE tenant_id = $1 AND id = ANY($2)", tenant_id, pids)  # fmt: skip
            await conn.fetch("SELECT id FROM campaigns WHERE tenant_id = $1 AND retired_at IS NULL "
                             "AND starts_on <= current_date AND ends_on >= current_date", tenant_id)  # fmt: skip
            await conn.fetchval("SELECT id FROM orders WHERE tenant_id = $1 AND customer_id = $2 "
                                "LIMIT 1", tenant_id, customer)  # fmt: skip
            fee = await conn.fetchval("SELECT fee_yen FROM shipping_fees WHERE tenant_id = $1 AND "
                                      "prefecture = $2 AND retired_at IS NULL", tenant_id, "佐賀県")  # fmt: skip
            await conn.fetchval("SELECT tax_rounding FROM orders_settings WHERE tenant_id = $1",
                                tenant_id)  # fmt: skip
            number = await conn.fetchval(
                "INSERT INTO bare_counter VALUES ($1, 1) ON CONFLICT (tenant_id) DO UPDATE "
                "SET last_number = bare_counter.last_number + 1 RETURNING last_number", tenant_id)  # fmt: skip
            order_id = uuid.uuid4()
            subtotal = sum(r["price_yen"] for r in found)
            await conn.execute(
                "INSERT INTO bare_orders (id, tenant_id, order_number, customer_id, channel, "
                "ordered_at, ordered_on, ships_on, delivery, subtotal_yen, discount_yen, "
                "shipping_fee_yen, tax_yen, total_yen, tax_rounding, tax_by_rate, campaigns) "
                "VALUES ($1,$2,$3,$4,'phone',now(),current_date,current_date,$5,$6,0,$7,0,$6,"
                "'floor','[]','[]')", order_id, tenant_id, number, customer, json.dumps(DELIVERY),
                subtotal, fee)  # fmt: skip
            await conn.executemany(
                "INSERT INTO bare_lines (id, tenant_id, order_id, line_no, product_id, "
                "product_name, quantity, unit_price_yen, tax_rate, amount_yen, is_gift) "
                "VALUES ($1,$2,$3,$4,$5,$6,1,$7::int,$8,$7::bigint,false)",
                [(uuid.uuid4(), tenant_id, order_id, i + 1, r["id"], r["name"], r["price_yen"],
                  r["tax_rate"]) for i, r in enumerate(found)])  # fmt: skip
            await conn.execute(
                "INSERT INTO bare_outbox (event_id, tenant_id, routing_key, envelope, headers) "
                "VALUES ($1, $2, 'orders.order_placed.v1', $3, '{}')", uuid.uuid4(), tenant_id,
                json.dumps({"order_id": str(order_id), "lines": len(found)}))  # fmt: skip

    try:
        return await _pool_run(count, conc, attempt)
    finally:
        await pool.close()


async def main(count: int, concurrency: int) -> dict:
    database = f"bench_entry_{uuid.uuid4().hex[:6]}"
    url = f"{PG}/{database}"
    runtime = build_runtime(
        OrdersSettings(database_url=url, db_pool_size=concurrency, subscription_run_enabled=False),
        common=CommonSettings(bus="memory", outbox_poll_interval_s=1.0),
    )
    await runtime.start()
    tenant_id = uuid.uuid4()
    token = mint_service_token(Principal(tenant_id=tenant_id, role="admin", user_id=uuid.uuid4()),
                               secret=runtime.common.service_token_secret, ttl_s=7200)  # fmt: skip
    result: dict = {"measured_at": datetime.now(UTC).isoformat(), "concurrency": concurrency,
                    "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                "load_before": os.getloadavg()}}  # fmt: skip
    try:
        transport = httpx.ASGITransport(app=create_app(runtime, manage_lifecycle=False))
        async with httpx.AsyncClient(transport=transport, base_url="http://orders", timeout=60,
                                     headers={"authorization": f"Bearer {token}"}) as client:  # fmt: skip
            products = []
            for code, price, rate in (("TONIC", 3000, 10), ("VINEGAR", 1280, 8)):
                r = await client.post("/products", json={"code": code, "name": code, "price_yen": price,
                                                         "cost_yen": 0, "tax_rate": rate})  # fmt: skip
                products.append(r.json()["id"])
            await client.post("/shipping-fees", json={"prefecture": "佐賀県", "fee_yen": 500})
            dsn = asyncpg_dsn(url)
            warm_up = await _know_customers(dsn, tenant_id, 50)
            await _service(client, products, warm_up, concurrency)
            customers = await _know_customers(dsn, tenant_id, count)
            result["service"] = await _service(client, products, customers, concurrency)
        result["bare_asyncpg"] = await _bare(
            asyncpg_dsn(url), tenant_id, products, count, concurrency
        )
        result["machine"]["load_after"] = os.getloadavg()
    finally:
        await runtime.stop()
        admin = await asyncpg.connect(asyncpg_dsn(f"{PG}/postgres"))
        await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await admin.close()
    result["ratio_service_to_bare"] = round(
        result["service"]["per_s"] / result["bare_asyncpg"]["per_s"], 3
    )
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    result = asyncio.run(main(args.orders, args.concurrency))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "orders_entry.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(
        f"order entry {result['service']['per_s']} orders/s (p95 {result['service']['p95_ms']} ms)"
        f" · bare asyncpg {result['bare_asyncpg']['per_s']} /s · ratio {result['ratio_service_to_bare']}"
    )
