"""Hot-lead levels on the real PostgreSQL and RabbitMQ (LEAD-7): how fast EmailOpened and
PageViewed events are turned into levels, the lag from an event's commit to the changed
level under load, and a full rescore of 1,000,000 activity rows — each beside a baseline
measured in the same run.

1. Throughput. A backlog of ``--events`` EmailOpened/PageViewed envelopes (half each, their
   opens and views already in the tables, as the pixel and the beacon write them) waits in
   leads' queue and, bound to the same keys, in a queue declared with the kit's own
   topology (quorum, delivery limit, dead-letter queue). Baseline: a bare aio-pika loop
   that consumes and acks its copy (prefetch 16, the kit's). Then the leads service starts
   and its consumer scores each event into the customer's level. Aim: ≥ half the bare rate.
2. Lag. With the service running, opens and views are recorded through the tracking use
   cases (what the pixel and the beacon run) at ``--load-share`` shares (0.1, ¼, ½) of the
   measured throughput;
   meanwhile probes record one open of a fresh customer and time from its commit until its
   level reads 黄 (outbox relay → RabbitMQ → consumer → lead_levels). Aim: p99 < 250 ms.
3. Rescore. ``--rows`` views and opens (half each, 10 per customer) of one tenant, every
   customer due (as after a settings change): the level worker re-scores them all. Baseline:
   bare asyncpg reading the same rows. Aim: < 60 s.

    .venv/bin/python bench/leads_levels.py [--events 10000] [--rows 1000000]

Writes bench/results/leads_levels.json. The service runs in this process (one event loop,
as one replica: consumer, relay, level worker and the tracking use cases share it)."""

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

import aio_pika
import asyncpg

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))

from contracts import EmailOpenedV1, Envelope, PageViewedV1  # noqa: E402
from kit.bus import RabbitBus  # noqa: E402
from kit.settings import CommonSettings  # noqa: E402
from kit.testing import delete_bus_namespace  # noqa: E402
from leads.bootstrap import build_runtime  # noqa: E402
from leads.domain.machine import EgressRanges, Hit, parse_address  # noqa: E402
from leads.domain.tracking import TrackingClaims  # noqa: E402
from leads.settings import LeadsSettings  # noqa: E402
from leads.use_cases.tracking import Beacon, record_open, record_view  # noqa: E402

PG = os.environ.get("CRM_BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432")
AMQP = os.environ.get("CRM_BENCH_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
DSN = PG.replace("postgresql+asyncpg://", "postgresql://")
NAMESPACE = f"bench_{uuid.uuid4().hex[:6]}"
DB = f"{NAMESPACE}_leads"
DELAYS = [1000, 10000]
KEYS = ("leads.email_opened.v1", "leads.page_viewed.v1")
PREFETCH = 16  # kit.consumer's default
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15"
NO_RANGES = EgressRanges([])


def _runtime():  # type: ignore[no-untyped-def]
    common = CommonSettings(bus="amqp", amqp_url=AMQP, bus_namespace=NAMESPACE,
                            retry_delays_ms=DELAYS, outbox_poll_interval_s=0.5,
                            log_level="WARNING")  # fmt: skip
    return build_runtime(LeadsSettings(database_url=f"{PG}/{DB}", db_pool_size=8), common=common)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * q), len(ordered) - 1)]


def _envelope(tenant_id: uuid.UUID, event) -> aio_pika.Message:  # type: ignore[no-untyped-def]
    env = Envelope(event_type=event.event_type, version=1, routing_key=event.routing_key(),
                   tenant_id=tenant_id, producer="leads", payload=event.model_dump(mode="json"))  # fmt: skip
    return aio_pika.Message(env.model_dump_json().encode(), message_id=str(env.event_id),
                            content_type="application/json",
                            delivery_mode=aio_pika.DeliveryMode.PERSISTENT)  # fmt: skip


async def _copy_facts(conn: asyncpg.Connection, tenant_id: uuid.UUID, customers: list[uuid.UUID],
                      per_customer: int, now: datetime, spread_h: float) -> tuple[list, list]:  # fmt: skip
    """Views and opens (half each per customer) as the beacon and the pixel write them."""
    views, opens, sends = [], [], []
    for c in customers:
        message_id = uuid.uuid4()
        sends.append((uuid.uuid4(), tenant_id, message_id, c, "proposal", now - timedelta(days=5)))
        for n in range(per_customer):
            at = now - timedelta(hours=random.uniform(0.1, spread_h))
            if n % 2 == 0:
                views.append((uuid.uuid4(), tenant_id, uuid.uuid4(), message_id, c,
                              "property_detail", "P-1", "物件A", at, 30, False))  # fmt: skip
            else:
                opens.append((uuid.uuid4(), tenant_id, message_id, c, "proposal", at, False, None))
    await conn.copy_records_to_table(
        "lead_sends", records=sends,
        columns=["id", "tenant_id", "message_id", "customer_id", "message_kind", "sent_at"],
    )  # fmt: skip
    await conn.copy_records_to_table(
        "lead_page_views", records=views,
        columns=["id", "tenant_id", "view_id", "message_id", "customer_id", "page",
                 "property_code", "property_name", "viewed_at", "dwell_s", "liked"],
    )  # fmt: skip
    await conn.copy_records_to_table(
        "lead_opens", records=opens,
        columns=["id", "tenant_id", "message_id", "customer_id", "message_kind", "opened_at",
                 "machine", "machine_reason"],
    )  # fmt: skip
    return views, opens


async def throughput(conn: asyncpg.Connection, events: int) -> dict:
    tenant_id = uuid.uuid4()
    customers = [uuid.uuid4() for _ in range(events // 4)]
    views, opens = await _copy_facts(conn, tenant_id, customers, 4, datetime.now(UTC), 2)
    connection = await aio_pika.connect(AMQP)
    async with connection:
        channel = await connection.channel()
        topology = RabbitBus(url=AMQP, namespace=NAMESPACE, retry_delays_ms=DELAYS)
        exchange, bare = await topology._declare_topology(channel, f"{NAMESPACE}.bare")
        for key in KEYS:
            await bare.bind(exchange, key)
        publisher = await connection.channel(publisher_confirms=True)
        ex = await publisher.get_exchange(f"{NAMESPACE}.events")
        messages = [
            (_envelope(tenant_id, EmailOpenedV1(message_id=o[2], message_kind="proposal",
                       customer_id=o[3], opened_at=o[5], machine_open=False)), KEYS[0])
            for o in opens
        ] + [
            (_envelope(tenant_id, PageViewedV1(view_id=v[2], message_id=v[3], customer_id=v[4],
                       page="property_detail", property_code="P-1", viewed_at=v[8], dwell_s=30,
                       liked=False)), KEYS[1])
            for v in views
        ]  # fmt: skip
        random.shuffle(messages)
        for i in range(0, len(messages), 500):
            await asyncio.gather(*(ex.publish(m, key) for m, key in messages[i : i + 500]))
        total = len(messages)

        # Baseline: the bare loop on its copy.
        consumer = await connection.channel()
        await consumer.set_qos(prefetch_count=PREFETCH)
        queue = await consumer.get_queue(f"{NAMESPACE}.bare")
        done, count = asyncio.Event(), 0

        async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            nonlocal count
            await message.ack()
            count += 1
            if count == total:
                done.set()

        started = time.perf_counter()
        tag = await queue.consume(on_message)
        await done.wait()
        bare_s = time.perf_counter() - started
        await queue.cancel(tag)

    runtime = _runtime()
    started = time.perf_counter()
    await runtime.start()
    while (n := await conn.fetchval("SELECT count(*) FROM inbox")) < total:
        await asyncio.sleep(0.05)
    leads_s = time.perf_counter() - started
    first, last = await conn.fetchrow("SELECT min(processed_at), max(processed_at) FROM inbox")
    red = await conn.fetchval(
        "SELECT count(*) FROM lead_levels WHERE tenant_id = $1 AND level = 'red'", tenant_id
    )
    return {
        "runtime": runtime,
        "events": total,
        "bare_per_s": round(total / bare_s, 1),
        "leads_per_s": round(total / leads_s, 1),
        "leads_per_s_inbox_span": round((n - 1) / max((last - first).total_seconds(), 1e-6), 1),
        "customers": len(customers),
        "customers_red": red,  # every one: two 30 s views within the hour
    }


async def lag(runtime, conn: asyncpg.Connection, rate: float, seconds: float) -> dict:  # type: ignore[no-untyped-def]
    tenant_id = uuid.uuid4()
    now = datetime.now(UTC)
    load_customers = [uuid.uuid4() for _ in range(2000)]
    probes = [uuid.uuid4() for _ in range(int(seconds * 8) + 10)]
    sends = {c: uuid.uuid4() for c in load_customers + probes}
    await conn.copy_records_to_table(
        "lead_sends",
        records=[(uuid.uuid4(), tenant_id, m, c, "proposal", now - timedelta(hours=2))
                 for c, m in sends.items()],
        columns=["id", "tenant_id", "message_id", "customer_id", "message_kind", "sent_at"],
    )  # fmt: skip
    tx = runtime.transactions(tenant_id=tenant_id)
    address = parse_address("203.0.113.7")

    def claims(c: uuid.UUID) -> TrackingClaims:
        return TrackingClaims(tenant_id, sends[c], c, now + timedelta(days=1))

    async def one(c: uuid.UUID, view: bool) -> None:
        hit = Hit(at=datetime.now(UTC), method="GET" if not view else "POST",
                  user_agent=IPHONE, address=address)  # fmt: skip
        if view:
            beacon = Beacon(uuid.uuid4(), "property_detail", "P-1", "物件A", 20, False)
            await tx.run(lambda uow: record_view(claims(c), hit, beacon, uow=uow))
        else:
            await tx.run(lambda uow: record_open(claims(c), hit, apple=NO_RANGES, uow=uow))

    stop = asyncio.Event()
    sent = skipped = 0
    room = asyncio.Semaphore(8)  # in flight at most, as a server's worker pool would allow

    async def bounded(c: uuid.UUID, view: bool) -> None:
        try:
            await one(c, view)
        finally:
            room.release()

    async def load() -> None:
        nonlocal sent, skipped
        pending: set[asyncio.Task] = set()
        next_at = time.perf_counter()
        while not stop.is_set():
            if room.locked():
                skipped += 1  # behind: this tick's hit is not sent (the rate achieved is lower)
            else:
                await room.acquire()
                task = asyncio.create_task(bounded(random.choice(load_customers), sent % 2 == 1))
                pending.add(task)
                task.add_done_callback(pending.discard)
                sent += 1
            next_at += 1 / rate
            await asyncio.sleep(max(next_at - time.perf_counter(), 0))
        await asyncio.gather(*pending)

    loader = asyncio.create_task(load())
    await asyncio.sleep(2)  # the load settles first
    loaded_from = time.perf_counter()
    lags: list[float] = []
    deadline = time.perf_counter() + seconds
    for probe in probes:
        if time.perf_counter() > deadline:
            break
        await one(probe, False)
        committed = time.perf_counter()
        async with asyncio.timeout(60):
            while await conn.fetchval(
                "SELECT level FROM lead_levels WHERE tenant_id = $1 AND customer_id = $2",
                tenant_id, probe,
            ) != "yellow":  # fmt: skip
                await asyncio.sleep(0.002)
        lags.append(time.perf_counter() - committed)
        await asyncio.sleep(0.1)
    stop.set()
    loaded_s = time.perf_counter() - loaded_from
    await loader
    return {
        "load_events_per_s_asked": round(rate, 1),
        "load_events_per_s_sent": round(sent / (loaded_s + 2), 1),
        "ticks_skipped_behind": skipped,
        "events_during_run": sent,
        "samples": len(lags),
        "p50_ms": round(statistics.median(lags) * 1000, 1),
        "p99_ms": round(_pct(lags, 0.99) * 1000, 1),
        "max_ms": round(max(lags) * 1000, 1),
    }


async def rescore(runtime, conn: asyncpg.Connection, rows: int) -> dict:  # type: ignore[no-untyped-def]
    tenant_id = uuid.uuid4()
    customers = [uuid.uuid4() for _ in range(rows // 10)]
    loaded = time.perf_counter()
    await _copy_facts(conn, tenant_id, customers, 10, datetime.now(UTC), 24 * 4)
    load_s = time.perf_counter() - loaded
    await conn.execute("VACUUM ANALYZE lead_page_views")
    await conn.execute("VACUUM ANALYZE lead_opens")
    started = time.perf_counter()
    n = len(await conn.fetch(
        "SELECT customer_id, view_id, viewed_at, page, property_code, property_name, dwell_s, "
        "liked FROM lead_page_views WHERE tenant_id = $1", tenant_id,
    )) + len(await conn.fetch(
        "SELECT customer_id, id, opened_at, message_kind, machine, message_id FROM lead_opens "
        "WHERE tenant_id = $1", tenant_id,
    ))  # fmt: skip
    bare_s = time.perf_counter() - started
    await conn.execute(
        "INSERT INTO lead_levels (tenant_id, customer_id, due_at, scored_at) "
        "SELECT $1, c, now(), now() FROM unnest($2::uuid[]) AS c",
        tenant_id, customers,
    )  # fmt: skip
    started = time.perf_counter()
    runtime.workers["lead-levels"].wake()
    while await conn.fetchval(
        "SELECT count(*) FROM lead_levels WHERE tenant_id = $1 AND due_at <= now()", tenant_id
    ):
        await asyncio.sleep(0.2)
    rescore_s = time.perf_counter() - started
    levels = dict(await conn.fetch(
        "SELECT coalesce(level, '-'), count(*) FROM lead_levels WHERE tenant_id = $1 GROUP BY 1",
        tenant_id,
    ))  # fmt: skip
    return {
        "activity_rows": n,
        "customers": len(customers),
        "copy_s": round(load_s, 1),
        "bare_read_s": round(bare_s, 2),
        "rescore_s": round(rescore_s, 1),
        "rows_per_s": round(n / rescore_s),
        "levels": levels,
    }


async def measure(args: argparse.Namespace) -> dict:
    setup = _runtime()
    await setup.start()  # the database, its tables, leads' queue and its bindings
    await setup.stop()
    conn = await asyncpg.connect(f"{DSN}/{DB}")
    runtime = None
    try:
        first = await throughput(conn, args.events)
        runtime = first.pop("runtime")
        print("throughput", first, flush=True)
        second = [
            {
                "load_share": share,
                **await lag(runtime, conn, first["leads_per_s"] * share, args.seconds),
            }
            for share in args.load_share
        ]
        print("lag", second, flush=True)
        third = await rescore(runtime, conn, args.rows)
    finally:
        if runtime is not None:
            await runtime.stop()
        await conn.close()
    return {"throughput": first, "lag": second, "rescore": third}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=20.0, help="of the lag phase")
    parser.add_argument("--load-share", type=float, nargs="+", default=[0.1, 0.25, 0.5],
                        help="the lag phase's loads, as shares of the measured throughput")  # fmt: skip
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    try:
        raw = asyncio.run(measure(args))
    finally:
        asyncio.run(delete_bus_namespace(AMQP, NAMESPACE, queues=("leads.events", "bare"),
                                         retry_delays_ms=DELAYS))  # fmt: skip
        import subprocess

        subprocess.run(["psql", f"{DSN}/postgres", "-qc",
                        f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)'],
                       check=False, capture_output=True)  # fmt: skip
    t, lg, rs = raw["throughput"], raw["lag"], raw["rescore"]
    t["ratio_to_bare"] = round(t["leads_per_s"] / t["bare_per_s"], 3)
    result = {
        "benchmark": "leads_levels",
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_average_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        **raw,
        "aims": {
            "half_the_bare_rate": t["ratio_to_bare"] >= 0.5,
            "p99_lag_under_250_ms": {str(x["load_share"]): x["p99_ms"] < 250 for x in lg},
            "rescore_under_60_s": rs["rescore_s"] < 60,
        },
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "leads_levels.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
