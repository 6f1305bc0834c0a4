"""The daily subscription run (定期の受注作成, issue 12) for N active subscriptions all due on
one day, through the orders service's own code path (``run_tenant``: chunks of the kit's
transaction boundary, each order through the phone order's placement with OrderPlaced in the
outbox, the outbox relay publishing alongside on the in-memory bus), then the same run again
(it must create nothing), beside, in the same run and database, one ``INSERT … SELECT`` of
the same rows into a bare copy of the orders table (the issue's baseline).

    .venv/bin/python bench/orders_daily_run.py [--subscriptions 100000] [--chunk 500]

Prints both figures, their ratio and the duplicates (must be 0); writes
bench/results/orders_daily_run.json. Aim: under 5 minutes for 100,000 with 0 duplicates.
"""

import argparse
import asyncio
import json
import os
import platform
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import asyncpg

ROOT = Path(__file__).parents[1]
PG = os.environ.get("CRM_BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432")
DAY = date(2027, 6, 4)  # the run's "today"; the deliveries are three days later

from kit.db import asyncpg_dsn  # noqa: E402
from kit.settings import CommonSettings  # noqa: E402
from orders.bootstrap import build_runtime  # noqa: E402
from orders.entrypoints.subscription_worker import run_tenant  # noqa: E402
from orders.settings import OrdersSettings  # noqa: E402
from orders.use_cases.daily_run import CHUNK  # noqa: E402

SUBSCRIPTIONS_SQL = """
INSERT INTO subscriptions (id, tenant_id, customer_id, status, lines, delivery, cycle,
    next_cycle_no, next_on, next_delivers_on, next_order_on)
SELECT gen_random_uuid(), $1, gen_random_uuid(), 'active',
    jsonb_build_array(jsonb_build_object('product_id', $2::text, 'quantity', 1 + n % 3)),
    jsonb_build_object('kind', 'home', 'name', '佐賀 太郎' || n, 'postal_code', '840-0801',
        'prefecture', '佐賀県', 'address', '佐賀市駅前中央1-' || n, 'phone', '090-0000-0000'),
    '{"unit": "weeks", "every": 4, "day_of_month": null, "last_day": false,
      "nth_week": null, "weekday": null}'::jsonb,
    1, $3::date, $3::date, $4::date
FROM generate_series(1, $5) AS n
"""

# The baseline: the same due rows turned into order rows by the database alone.
BASELINE_SQL = """
INSERT INTO bare_orders (id, tenant_id, order_number, customer_id, channel, ordered_at,
    ordered_on, ships_on, delivery, subtotal_yen, discount_yen, shipping_fee_yen, tax_yen,
    total_yen, tax_rounding, tax_by_rate, campaigns, status, payer_kana)
SELECT gen_random_uuid(), s.tenant_id, row_number() OVER (ORDER BY s.id), s.customer_id,
    'subscription', now(), $2::date, s.next_delivers_on, s.delivery,
    3000 * (s.lines->0->>'quantity')::int, 0, 500,
    floor((3000 * (s.lines->0->>'quantity')::int + 500) * 0.1)::bigint,
    floor((3000 * (s.lines->0->>'quantity')::int + 500) * 1.1)::bigint,
    'floor', '[]'::jsonb, '[]'::jsonb, 'placed', ''
FROM subscriptions s
WHERE s.tenant_id = $1 AND s.status = 'active' AND s.next_order_on <= $2::date
"""


async def _setup(runtime, tenant_id: uuid.UUID, count: int) -> None:  # type: ignore[no-untyped-def]
    from orders.adapters import orm
    from orders.use_cases.subscription_calendar import defaults

    product_id = uuid.uuid4()

    async def masters(uow) -> None:  # type: ignore[no-untyped-def]
        uow.masters.add(orm.Product(id=product_id, code="TONIC", name="健康トニック",
                                    price_yen=3000, cost_yen=1000, tax_rate=10,
                                    subscription_eligible=True, is_present=False,
                                    discontinued=False))  # fmt: skip
        uow.masters.add(orm.ShippingFee(id=uuid.uuid4(), prefecture="佐賀県", fee_yen=500))
        uow.subscriptions.add(defaults(tenant_id))

    await runtime.transactions(tenant_id=tenant_id).run(masters)
    conn = await asyncpg.connect(asyncpg_dsn(runtime.settings.database_url))
    try:
        delivers = DAY + timedelta(days=3)
        await conn.execute(SUBSCRIPTIONS_SQL, tenant_id, str(product_id), delivers, DAY, count)
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


async def _baseline(dsn: str, tenant_id: uuid.UUID) -> dict:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(
            "CREATE TABLE bare_orders (LIKE orders INCLUDING DEFAULTS INCLUDING INDEXES)"
        )
        started = time.perf_counter()
        async with conn.transaction():
            status = await conn.execute(BASELINE_SQL, tenant_id, DAY)
        seconds = time.perf_counter() - started
        return {"rows": int(status.split()[-1]), "seconds": round(seconds, 3)}
    finally:
        await conn.close()


async def _counts(dsn: str, tenant_id: uuid.UUID) -> dict:
    conn = await asyncpg.connect(dsn)
    try:
        return {
            "orders": await conn.fetchval(
                "SELECT count(*) FROM orders WHERE tenant_id = $1 AND channel = 'subscription'",
                tenant_id),
            "order_placed_events": await conn.fetchval(
                "SELECT count(*) FROM outbox WHERE tenant_id = $1 "
                "AND routing_key = 'orders.order_placed.v1'", tenant_id),
            "ordered_cycles": await conn.fetchval(
                "SELECT count(*) FROM subscription_deliveries WHERE status = 'ordered'"),
            # a subscription with more than one order for its first cycle (must be 0)
            "duplicates": await conn.fetchval(
                "SELECT count(*) FROM (SELECT customer_id FROM orders WHERE tenant_id = $1 "
                "GROUP BY customer_id HAVING count(*) > 1) AS x", tenant_id),
            "outbox_unpublished": await conn.fetchval(
                "SELECT count(*) FROM outbox WHERE published_at IS NULL"),
        }  # fmt: skip
    finally:
        await conn.close()


async def main(count: int, chunk: int) -> dict:
    database = f"bench_daily_{uuid.uuid4().hex[:6]}"
    url = f"{PG}/{database}"
    runtime = build_runtime(
        OrdersSettings(database_url=url, db_pool_size=3, subscription_run_enabled=False),
        common=CommonSettings(bus="memory", outbox_poll_interval_s=1.0),
    )
    await runtime.start()
    tenant_id = uuid.uuid4()
    dsn = asyncpg_dsn(url)
    result: dict = {
        "measured_at": datetime.now(UTC).isoformat(),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_before": os.getloadavg(),
        },
        "subscriptions": count,
        "chunk": chunk,
    }
    try:
        await _setup(runtime, tenant_id, count)
        result["baseline_insert_select"] = await _baseline(dsn, tenant_id)
        tx = runtime.transactions(tenant_id=tenant_id)
        started = time.perf_counter()
        first = await run_tenant(tx, today=DAY, chunk=chunk)
        seconds = time.perf_counter() - started
        result["run"] = {"seconds": round(seconds, 1), "created": first.created,
                         "orders_per_s": round(first.created / seconds, 1)}  # fmt: skip
        result["after_run"] = await _counts(dsn, tenant_id)
        started = time.perf_counter()
        again = await run_tenant(tx, today=DAY, chunk=chunk)
        result["rerun"] = {"seconds": round(time.perf_counter() - started, 3),
                           "created": again.created}  # fmt: skip
        result["after_rerun"] = await _counts(dsn, tenant_id)
        result["machine"]["load_after"] = os.getloadavg()
    finally:
        await runtime.stop()
        admin = await asyncpg.connect(asyncpg_dsn(f"{PG}/postgres"))
        await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await admin.close()
    base = result["baseline_insert_select"]["seconds"]
    result["ratio_baseline_to_run"] = round(base / result["run"]["seconds"], 5)
    result["aim"] = "under 300 s for 100,000 subscriptions, 0 duplicates after a re-run"
    result["aim_met"] = (
        result["run"]["seconds"] * 100_000 / count < 300
        and result["after_rerun"]["duplicates"] == 0
        and result["after_rerun"]["orders"] == count
    )
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=CHUNK)
    args = parser.parse_args()
    result = asyncio.run(main(args.subscriptions, args.chunk))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "orders_daily_run.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    )
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(
        f"daily run {result['run']['seconds']} s for {args.subscriptions:,} "
        f"({result['run']['orders_per_s']} orders/s) · INSERT … SELECT "
        f"{result['baseline_insert_select']['seconds']} s · re-run created "
        f"{result['rerun']['created']} · duplicates {result['after_rerun']['duplicates']} · "
        f"load {result['machine']['load_before'][0]:.1f} → {result['machine']['load_after'][0]:.1f} "
        f"on {result['machine']['cpus']} cores (shared: say so beside the figure)"
    )
