"""Ranks and 長期放置 at scale (issue 14): synthetic customers with orders (SQL
generate_series) in a fresh database migrated by the customer service; a rank master saved
through the use case (every customer ranked again in one transaction) beside its floor, the
same per-customer aggregate over the purchases read model alone (the save ranks the first
batch, the rank worker's batches the rest, each its own transaction); one customer's recompute
(what each order event adds to its transaction); the 長期放置 page query.

    .venv/bin/python bench/customer_ranks.py [--count 200000] [--runs 200]

Writes bench/results/customer_ranks.json.
"""

import argparse
import asyncio
import json
import os
import platform
import statistics
import time
import uuid
from pathlib import Path

import sqlalchemy as sa
from customer.bootstrap import build_runtime
from customer.settings import CustomerSettings
from customer.use_cases import neglected, ranks
from kit.settings import CommonSettings

PG = os.environ.get("CRM_BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432")
TENANT = uuid.UUID("00000000-0000-7000-8000-000000000001")
MASTER = [{"name": "プラチナ", "min_orders": 5}, {"name": "ゴールド", "min_orders": 2, "max_orders": 4},
          {"name": "シルバー", "min_orders": 1, "max_orders": 1, "max_days_since": 365}]  # fmt: skip
CUSTOMERS = """
INSERT INTO customers (id, tenant_id, name, name_search, kana_search, follow_up_status, origin,
                       attributes, inflow_sources, line_search)
SELECT gen_random_uuid(), :tenant, '顧客' || n, 'コキャク' || n, 'コキャク' || n, 'following',
       'import', '[]', '[]', '' FROM generate_series(1, :count) n
"""
PURCHASES = """
INSERT INTO customer_purchases (tenant_id, order_id, customer_id, channel, ordered_at, total_yen,
                                lines, status)
SELECT :tenant, gen_random_uuid(), c.id, 'phone',
       now() - make_interval(secs => random() * 900 * 86400), 3000 + (random() * 20000)::int, '[]',
       CASE WHEN random() < 0.05 THEN 'cancelled' ELSE 'placed' END
FROM customers c, generate_series(1, (abs(hashtext(c.id::text)) % 7)) k
"""
LAST_ACTIVITY = """
UPDATE customers c SET last_activity_at = p.at, last_activity_kind = 'purchase'
FROM (SELECT customer_id, max(ordered_at) AS at FROM customer_purchases GROUP BY 1) p
WHERE p.customer_id = c.id
"""
FLOOR = """
SELECT count(*) FROM (
  SELECT c.id, count(p.order_id) FILTER (WHERE p.status = 'placed'),
         max(p.ordered_at) FILTER (WHERE p.status = 'placed')
  FROM customers c LEFT JOIN customer_purchases p
    ON p.tenant_id = c.tenant_id AND p.customer_id = c.id
  WHERE c.tenant_id = :tenant GROUP BY c.id) s
"""


async def main(count: int, runs: int) -> dict:
    db = f"bench_ranks_{uuid.uuid4().hex[:8]}"
    runtime = build_runtime(CustomerSettings(database_url=f"{PG}/{db}", db_pool_size=2),
                            common=CommonSettings(bus="memory"))  # fmt: skip
    await runtime.start()
    try:
        assert runtime.engine is not None
        async with runtime.engine.begin() as conn:
            await conn.execute(sa.text(CUSTOMERS), {"tenant": TENANT, "count": count})
            await conn.execute(sa.text(PURCHASES), {"tenant": TENANT})
            await conn.execute(sa.text(LAST_ACTIVITY))
            await conn.execute(sa.text("ANALYZE"))
            orders = await conn.scalar(sa.text("SELECT count(*) FROM customer_purchases"))
            some = list(await conn.scalars(sa.text("SELECT id FROM customers LIMIT :n"),
                                           {"n": runs}))  # fmt: skip
        tx = runtime.transactions(tenant_id=TENANT)
        started = time.perf_counter()
        async with runtime.engine.connect() as conn:
            await conn.execute(sa.text(FLOOR), {"tenant": TENANT})
        floor_s = time.perf_counter() - started
        started = time.perf_counter()
        saved = await tx.run(lambda uow: ranks.replace_master(
            period_days=365, ranks=MASTER, by=None, uow=uow))  # fmt: skip
        save_s = time.perf_counter() - started
        batches, finished = [], saved.complete
        while not finished:  # what the rank worker does after the save, batch by batch
            started = time.perf_counter()
            _, finished = await tx.run(lambda uow: ranks.continue_run(uow=uow))
            batches.append(time.perf_counter() - started)
        all_s = save_s + sum(batches)
        one = []
        for customer_id in some:
            started = time.perf_counter()
            await tx.run(lambda uow, c=customer_id: ranks.recompute(uow=uow, customer_id=c))
            one.append((time.perf_counter() - started) * 1000)
        pages = []
        for _ in range(20):
            started = time.perf_counter()
            await tx.run(lambda uow: neglected.neglected(min_days=180, rank_id=None, no_rank=False,
                                                         page=1, per_page=50, uow=uow))  # fmt: skip
            pages.append((time.perf_counter() - started) * 1000)
    finally:
        await runtime.stop()
        admin = sa.ext.asyncio.create_async_engine(f"{PG}/postgres", isolation_level="AUTOCOMMIT")
        async with admin.connect() as conn:
            await conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        await admin.dispose()
    one.sort()
    return {
        "customers": count, "orders": orders, "changed_by_save": saved.recomputed,
        "batch": ranks.BATCH, "floor_aggregate_s": round(floor_s, 2),
        "master_save_s": round(save_s, 2), "every_customer_ranked_s": round(all_s, 2),
        "worker_batch_s_max": round(max(batches), 2) if batches else None,
        "ratio_all_to_floor": round(all_s / floor_s, 2),
        "one_customer_ms_p50": round(statistics.median(one), 2),
        "one_customer_ms_p95": round(one[int(len(one) * 0.95) - 1], 2),
        "neglected_page_ms_p50": round(statistics.median(pages), 1),
        "machine": f"{platform.machine()} {os.cpu_count()} cores",
    }  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    figures = asyncio.run(main(args.count, args.runs))
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    out = Path(__file__).parent / "results" / "customer_ranks.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, ensure_ascii=False, indent=2))
