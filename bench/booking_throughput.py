"""Bookings per second through the booking service's HTTP API (uvicorn workers on the real
PostgreSQL), on distinct slots and under contention, beside a baseline measured in the same
run: the same guarded UPDATE (``SET booked = booked + 1 WHERE booked < capacity``) issued by
bare asyncpg, one transaction per attempt, at the same concurrency.

    .venv/bin/python bench/booking_throughput.py [--count 2000] [--concurrency 32] [--workers 2]

Prints both figures, their ratio and the overbooking count (must be 0); writes
bench/results/booking_throughput.json.
"""

import argparse
import asyncio
import json
import os
import platform
import sys
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).parents[1]
PG = os.environ.get("CRM_BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432")
SECRET = "bench-booking-secret-" + "x" * 20
PORT = 18303
CONTENDED_SLOTS, CONTENDED_CAPACITY = 10, 2

from kit import db, migrations  # noqa: E402
from kit.auth import Principal, mint_service_token  # noqa: E402
from kit.clock import JST  # noqa: E402


async def _post(body: bytes, token: str) -> int:
    """Hand-written HTTP/1.1 on its own connection: keeps the client's CPU out of the figure."""
    reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    writer.write(
        (
            f"POST /visits HTTP/1.1\r\nhost: bench\r\nconnection: close\r\n"
            f"content-type: application/json\r\nauthorization: Bearer {token}\r\n"
            f"content-length: {len(body)}\r\n\r\n"
        ).encode()
        + body
    )
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    await reader.read()
    writer.close()
    return status


async def _run(jobs: list, concurrency: int, attempt) -> dict:  # type: ignore[no-untyped-def]
    queue: asyncio.Queue = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)
    outcomes: dict[str, int] = {}

    async def worker() -> None:
        while not queue.empty():
            result = await attempt(queue.get_nowait())
            outcomes[result] = outcomes.get(result, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return {"attempts": len(jobs), "seconds": round(elapsed, 3),
            "per_s": round(len(jobs) / elapsed, 1), "outcomes": outcomes}  # fmt: skip


def _slots(count: int) -> list[datetime]:
    start = datetime(2027, 4, 1, tzinfo=JST)
    return [start + timedelta(hours=n) for n in range(count)]


async def service_figures(url: str, count: int, concurrency: int, workers: int) -> dict:
    env = {**os.environ, "BOOKING_DATABASE_URL": url, "BOOKING_DB_POOL_SIZE": "8",
           "CRM_BUS": "memory", "CRM_SERVICE_TOKEN_SECRET": SECRET, "CRM_LOG_LEVEL": "WARNING"}  # fmt: skip
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "uvicorn", "booking.entrypoints.asgi:app_factory", "--factory",
        "--workers", str(workers), "--port", str(PORT), "--log-level", "warning", env=env,
    )  # fmt: skip
    tenant = uuid.uuid4()
    token = mint_service_token(Principal(tenant_id=tenant, role="admin"), secret=SECRET, ttl_s=3600)
    try:
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{PORT}", headers={"authorization": f"Bearer {token}"}
        ) as client:
            for _ in range(300):
                try:
                    if (await client.get("/readyz")).status_code == 200:
                        break
                except httpx.TransportError:
                    await asyncio.sleep(0.2)
            store = uuid.uuid4()
            every_hour = {str(d): ["00:00", "23:00"] for d in range(7)}
            await client.put(
                f"/stores/{store}",
                json={"name": "ベンチ店", "staff_count": 100, "hours": every_hour},
            )
            distinct = (
                await client.post(
                    "/properties",
                    json={"store_id": str(store), "name": "分散", "concurrent_groups": 1},
                )
            ).json()["id"]
            contended = (
                await client.post(
                    "/properties",
                    json={
                        "store_id": str(store),
                        "name": "集中",
                        "concurrent_groups": CONTENDED_CAPACITY,
                    },
                )
            ).json()["id"]
        conn = await asyncpg.connect(db.asyncpg_dsn(url))
        customer = uuid.uuid4()
        await conn.execute(
            "INSERT INTO booking_customers (tenant_id, customer_id, name) VALUES ($1, $2, 'ベンチ')",
            tenant, customer,
        )  # fmt: skip
        await conn.close()

        def body(prop: str, slot: datetime) -> bytes:
            return json.dumps({"kind": "listed_property_tour", "store_id": str(store), "property_id": prop,
                               "customer_id": str(customer), "starts_at": slot.isoformat(),
                               "ends_at": (slot + timedelta(hours=1)).isoformat()}).encode()  # fmt: skip

        async def attempt(payload: bytes) -> str:
            return str(await _post(payload, token))

        hours = [s for s in _slots(count * 2) if s.hour < 23][:count]
        distinct_run = await _run([body(distinct, s) for s in hours], concurrency, attempt)
        hot = _slots(CONTENDED_SLOTS)
        contended_run = await _run(
            [body(contended, hot[n % CONTENDED_SLOTS]) for n in range(count)], concurrency, attempt
        )
        return {"distinct": distinct_run, "contended": contended_run}
    finally:
        proc.terminate()
        await proc.wait()


async def baseline_figures(url: str, count: int, concurrency: int) -> dict:
    """The same counters, the same guarded UPDATE, no service around it."""
    pool = await asyncpg.create_pool(
        db.asyncpg_dsn(url), min_size=concurrency, max_size=concurrency
    )
    tenant = uuid.uuid4()

    def attempt_for(capacity: int):  # type: ignore[no-untyped-def]
        async def attempt(job: tuple[uuid.UUID, datetime]) -> str:
            resource, slot = job
            async with pool.acquire() as conn, conn.transaction():
                await conn.execute(
                    "INSERT INTO booking_slot_capacity (tenant_id, resource, resource_id, slot_start,"
                    " capacity, booked) VALUES ($1, 'property', $2, $3, $4, 0) ON CONFLICT DO NOTHING",
                    tenant, resource, slot, capacity,
                )  # fmt: skip
                row = await conn.fetchrow(
                    "UPDATE booking_slot_capacity SET booked = booked + 1 WHERE resource_id = $1"
                    " AND slot_start = $2 AND booked < capacity RETURNING booked",
                    resource, slot,
                )  # fmt: skip
            return "201" if row else "409"

        return attempt

    distinct, contended = uuid.uuid4(), uuid.uuid4()
    hours = _slots(count)
    distinct_run = await _run([(distinct, s) for s in hours], concurrency, attempt_for(1))
    hot = _slots(CONTENDED_SLOTS)
    jobs = [(contended, hot[n % CONTENDED_SLOTS]) for n in range(count)]
    contended_run = await _run(jobs, concurrency, attempt_for(CONTENDED_CAPACITY))
    await pool.close()
    return {"distinct": distinct_run, "contended": contended_run}


async def overbooking(url: str) -> dict:
    conn = await asyncpg.connect(db.asyncpg_dsn(url))
    try:
        over = await conn.fetchval(
            "SELECT count(*) FROM booking_slot_capacity WHERE booked > capacity"
        )
        # Visits holding a slot beyond its capacity (the visits table against the counters).
        beyond = await conn.fetchval(
            "SELECT count(*) FROM (SELECT property_id, starts_at, count(*) AS n FROM booking_visits"
            " GROUP BY 1, 2) v JOIN booking_properties p ON p.id = v.property_id"
            " WHERE v.n > p.concurrent_groups"
        )
        return {"counters_over_capacity": over, "slots_with_too_many_visits": beyond}
    finally:
        await conn.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    url = f"{PG}/bench_booking_{uuid.uuid4().hex[:8]}"
    await db.ensure_database(url)
    engine = db.create_engine(url, pool_size=1)
    await migrations.upgrade(engine, "booking.migrations")
    await engine.dispose()
    try:
        service = await service_figures(url, args.count, args.concurrency, args.workers)
        baseline = await baseline_figures(url, args.count, args.concurrency)
        checks = await overbooking(url)
    finally:
        admin = await asyncpg.connect(db.asyncpg_dsn(f"{PG}/postgres"))
        await admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
        await admin.close()
    result = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "params": vars(args),
        "service": service,
        "baseline_asyncpg": baseline,
        "ratio_distinct": round(service["distinct"]["per_s"] / baseline["distinct"]["per_s"], 3),
        "ratio_contended": round(service["contended"]["per_s"] / baseline["contended"]["per_s"], 3),
        "overbooking": checks,
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "booking_throughput.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    expected = CONTENDED_SLOTS * CONTENDED_CAPACITY
    for name, run in (("service", service), ("baseline", baseline)):
        admitted = run["contended"]["outcomes"].get("201", 0)
        assert admitted == expected, f"{name}: {admitted} admitted under contention, not {expected}"
    assert checks == {"counters_over_capacity": 0, "slots_with_too_many_visits": 0}, checks


if __name__ == "__main__":
    asyncio.run(main())
