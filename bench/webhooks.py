"""Signed webhook deliveries (issue 16) on the machine's PostgreSQL and RabbitMQ, the gateway
in this process with its real sender (kit worker, httpx, per-endpoint and global bounds),
to a local receiver (kit.webhook_sink, uvicorn in this process). Beside it, in the same
run and to the same receiver, a bare httpx POST loop with the same concurrency: the floor
of any delivery.

1. Deliveries per second: ``--deliveries`` rows queued at once over ``--endpoints``
   endpoints (feed events and delivery rows written in one transaction), drained by the
   sender: claim (SKIP LOCKED), sign, POST, record the attempt and the outcome.
2. Lag from an event's commit to its delivery: ``--lag-events`` events, one at a time at
   ``--rate`` per second, through the whole path: the gateway's outbox → relay → RabbitMQ
   → the gateway's consumer (feed log + delivery row) → sender → receiver. p50/p99 of
   (arrival at the receiver − return of the commit). Aim: the first attempt within 1 s p99.

    .venv/bin/python bench/webhooks.py [--deliveries 2000] [--endpoints 8] [--lag-events 200] [--rate 20] [--concurrency 8]

Writes bench/results/webhooks.json.
"""

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))

from contracts import Envelope  # noqa: E402
from contracts.gateway import StoreChangedV1  # noqa: E402
from gateway.adapters.webhook_delivery import body_of  # noqa: E402
from gateway.bootstrap import build_runtime  # noqa: E402
from gateway.domain import webhooks  # noqa: E402
from gateway.settings import GatewaySettings  # noqa: E402
from gateway.use_cases import webhooks as use_cases  # noqa: E402
from kit.settings import CommonSettings  # noqa: E402
from kit.testing import delete_bus_namespace  # noqa: E402
from kit.webhook_sink import WebhookSink  # noqa: E402

PG = os.environ.get("CRM_BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432")
AMQP = os.environ.get("CRM_BENCH_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
KIND = StoreChangedV1.routing_key()
DELAYS = [1000, 10000]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _event(tenant_id: uuid.UUID, i: int) -> Envelope:
    event = StoreChangedV1(store_id=uuid.uuid4(), code=f"{i:011d}", name=f"ベンチ店舗{i}",
                           changed_at=datetime.now(UTC), city="港区", street="芝浦1-1-1")  # fmt: skip
    return Envelope(event_type=event.event_type, version=event.version, routing_key=KIND,
                    tenant_id=tenant_id, producer="gateway", payload=event.model_dump(mode="json"))  # fmt: skip


async def bare_loop(sink: WebhookSink, *, count: int, paths: list[str], concurrency: int) -> float:
    """The floor: the same bodies POSTed by one httpx client, ``concurrency`` at a time."""
    body = body_of(_event(uuid.uuid4(), 0).model_dump(mode="json"))
    queue = list(range(count))
    async with httpx.AsyncClient(timeout=15, limits=httpx.Limits(max_connections=concurrency)) as c:

        async def worker() -> None:
            while queue:
                i = queue.pop()
                r = await c.post(sink.url(paths[i % len(paths)]), content=body,
                                 headers={"content-type": "application/json"})  # fmt: skip
                r.raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return count / (time.perf_counter() - started)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deliveries", type=int, default=2000)
    parser.add_argument("--endpoints", type=int, default=8)
    parser.add_argument("--lag-events", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20.0)
    # requests in flight, the sender's (GATEWAY_WEBHOOK_CONCURRENCY) and the loop's: on two
    # shared cores an in-process uvicorn receiver answers fewer at 32 than at 8
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()

    database = f"bench_webhooks_{uuid.uuid4().hex[:8]}"
    namespace = f"bw{uuid.uuid4().hex[:8]}"
    common = CommonSettings(bus="amqp", amqp_url=AMQP, bus_namespace=namespace,
                            retry_delays_ms=DELAYS)  # fmt: skip
    settings = GatewaySettings(database_url=f"{PG}/{database}", db_pool_size=5,
                               webhook_concurrency=args.concurrency)  # fmt: skip
    sink = WebhookSink()
    await sink.start()
    runtime = build_runtime(settings, common=common)
    await runtime.start()
    tenant_id = uuid.uuid4()
    result: dict = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load": os.getloadavg()[0],
        },
        "settings": {
            "concurrency": settings.webhook_concurrency,
            "per_endpoint": settings.webhook_per_endpoint,
            "endpoints": args.endpoints,
            "deliveries": args.deliveries,
        },
    }
    try:
        tx = runtime.transactions(tenant_id=tenant_id)
        paths = [f"/bench-{i}" for i in range(args.endpoints)]
        ids = []
        for path in paths:
            change = use_cases.EndpointChange(url=sink.url(path), event_types=[KIND])
            found, _ = await tx.run(lambda uow, change=change: use_cases.create_endpoint(
                change, allow_http=False, now=runtime.clock.now(), uow=uow))  # fmt: skip
            ids.append(found.id)

        # the floor, then the sender, to the same receiver
        bare = await bare_loop(sink, count=args.deliveries, paths=paths,
                               concurrency=settings.webhook_concurrency)  # fmt: skip
        result["bare_httpx_per_s"] = round(bare, 1)
        print(f"bare httpx loop: {bare:.0f} POST/s", flush=True)
        sink.received.clear()

        per_endpoint = args.deliveries // args.endpoints
        events = [_event(tenant_id, i) for i in range(per_endpoint)]
        now = runtime.clock.now()
        assert runtime.engine is not None
        async with runtime.engine.begin() as conn:
            await conn.execute(sa.text(
                "INSERT INTO feed_events VALUES (:e, :t, :k, :at, :at, CAST(:env AS jsonb))"),
                [{"e": e.event_id, "t": tenant_id, "k": KIND, "at": e.occurred_at,
                  "env": e.model_dump_json()} for e in events])  # fmt: skip
            await conn.execute(sa.text(
                "INSERT INTO webhook_deliveries (tenant_id, endpoint_id, event_id, routing_key, "
                "status, created_at, next_attempt_at) VALUES (:t, :ep, :e, :k, 'pending', :now, :now)"),
                [{"t": tenant_id, "ep": ep, "e": e.event_id, "k": KIND, "now": now}
                 for ep in ids for e in events])  # fmt: skip
        total = per_endpoint * len(ids)
        started = time.perf_counter()
        runtime.workers["webhooks"].wake()
        while len(sink.received) < total:
            await asyncio.sleep(0.01)
        elapsed = time.perf_counter() - started
        sender = total / elapsed
        async with runtime.engine.connect() as conn:
            delivered = await conn.scalar(sa.text(
                "SELECT count(*) FROM webhook_deliveries WHERE status = 'delivered'"))  # fmt: skip
            while delivered < total:
                await asyncio.sleep(0.05)
                delivered = await conn.scalar(sa.text(
                    "SELECT count(*) FROM webhook_deliveries WHERE status = 'delivered'"))  # fmt: skip
        recorded = total / (time.perf_counter() - started)
        result["sender_per_s"] = round(sender, 1)
        result["sender_recorded_per_s"] = round(recorded, 1)
        result["ratio_sender_to_bare"] = round(sender / bare, 3)
        print(
            f"sender: {sender:.0f} deliveries/s received, {recorded:.0f}/s recorded "
            f"(ratio to bare {sender / bare:.2f})",
            flush=True,
        )

        # lag: one endpoint, events one at a time through the outbox and the broker
        for ep in ids[1:]:
            await tx.run(lambda uow, ep=ep: use_cases.delete_endpoint(ep, admin=True, uow=uow))
        sink.received.clear()
        committed: dict[str, float] = {}
        for i in range(args.lag_events):
            event = StoreChangedV1(store_id=uuid.uuid4(), code=f"{i:011d}", name=f"遅延{i}",
                                   changed_at=datetime.now(UTC))  # fmt: skip

            async def work(uow, event=event):  # type: ignore[no-untyped-def]
                return await uow.outbox.add(event, tenant_id=tenant_id)

            envelope = await tx.run(work)
            committed[str(envelope.event_id)] = time.time()
            await asyncio.sleep(1 / args.rate)
        async with asyncio.timeout(60):
            while len({r.headers["webhook-id"] for r in sink.received}) < args.lag_events:
                await asyncio.sleep(0.05)
        first = {}
        for r in sink.received:
            first.setdefault(r.headers["webhook-id"], r.at)
        lags = [(first[k] - committed[k]) * 1000 for k in committed]
        result["lag_ms"] = {"p50": round(_percentile(lags, 0.5), 1),
                            "p99": round(_percentile(lags, 0.99), 1),
                            "max": round(max(lags), 1), "mean": round(statistics.mean(lags), 1),
                            "events": len(lags), "rate_per_s": args.rate}  # fmt: skip
        print(
            f"commit → delivery: p50 {result['lag_ms']['p50']} ms, "
            f"p99 {result['lag_ms']['p99']} ms ({len(lags)} events at {args.rate}/s)",
            flush=True,
        )
        assert webhooks.RETRY_SCHEDULE  # the module is the one measured
    finally:
        await runtime.stop()
        await sink.stop()
        await delete_bus_namespace(AMQP, namespace, queues=("gateway.events",),
                                   retry_delays_ms=DELAYS)  # fmt: skip
        admin = create_async_engine(f"{PG}/postgres", isolation_level="AUTOCOMMIT")
        async with admin.connect() as conn:
            await conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        await admin.dispose()
    print(json.dumps(result, indent=2, ensure_ascii=False))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "webhooks.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())
