"""Bookings per second through the booking service's HTTP API (uvicorn workers on the real
PostgreSQL), on distinct slots and under contention, beside two baselines measured in the
same run at the same concurrency, one transaction per attempt by bare asyncpg: the very
statements the service issues for a booking (``SAME``, 8 of them since the booking path
went to Core statements, 13 before: the ratio is the framework's cost), and the guarded
UPDATE alone (``SET booked = booked + 1 WHERE booked < capacity``).

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
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).parents[1]
PG = os.environ.get("CRM_BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432")
SECRET = "bench-booking-secret-" + "x" * 20
PORT = 18303
CONTENDED_SLOTS, CONTENDED_CAPACITY = 10, 2
CUSTOMERS = 50  # attempt n books for customer n % 50 (a booking locks its customer's row)

from booking.domain.visits import HOLDING  # noqa: E402
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


def _slots(count: int, *, start: datetime = datetime(2027, 4, 1, tzinfo=JST)) -> list[datetime]:
    return [start + timedelta(hours=n) for n in range(count)]


# the contended slots, on a day after the distinct run's (a customer's visits must not
# overlap, or the service refuses them as the customer's double booking)
HOT_START = datetime(2028, 4, 3, 9, tzinfo=JST)


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
            # the same rows for the baseline that issues the service's statements itself
            spare = {}
            for name, groups in (("distinct", 1), ("contended", CONTENDED_CAPACITY)):
                r = await client.post("/properties", json={
                    "store_id": str(store), "name": f"基準{name}", "concurrent_groups": groups})  # fmt: skip
                spare[name] = uuid.UUID(r.json()["id"])
        conn = await asyncpg.connect(db.asyncpg_dsn(url))
        customers = [uuid.uuid4() for _ in range(CUSTOMERS)]
        await conn.executemany(
            "INSERT INTO booking_customers (tenant_id, customer_id, name) VALUES ($1, $2, 'ベンチ')",
            [(tenant, c) for c in customers],
        )  # fmt: skip
        await conn.close()

        def body(prop: str, slot: datetime, n: int) -> bytes:
            return json.dumps({"kind": "listed_property_tour", "store_id": str(store), "property_id": prop,
                               "customer_id": str(customers[n % CUSTOMERS]), "starts_at": slot.isoformat(),
                               "ends_at": (slot + timedelta(hours=1)).isoformat()}).encode()  # fmt: skip

        async def attempt(payload: bytes) -> str:
            return str(await _post(payload, token))

        hours = [s for s in _slots(count * 2) if s.hour < 23][:count]
        distinct_run = await _run(
            [body(distinct, s, n) for n, s in enumerate(hours)], concurrency, attempt
        )
        hot = _slots(CONTENDED_SLOTS, start=HOT_START)
        contended_run = await _run(
            [body(contended, hot[n % CONTENDED_SLOTS], n) for n in range(count)],
            concurrency,
            attempt,
        )
        rows = {"tenant": tenant, "store": store, "customers": customers, "properties": spare}
        return {"distinct": distinct_run, "contended": contended_run, "rows": rows}
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
    hot = _slots(CONTENDED_SLOTS, start=HOT_START)
    jobs = [(contended, hot[n % CONTENDED_SLOTS]) for n in range(count)]
    contended_run = await _run(jobs, concurrency, attempt_for(CONTENDED_CAPACITY))
    await pool.close()
    return {"distinct": distinct_run, "contended": contended_run}


# What POST /visits issues for a listed property's tour, in its order and as the engine
# renders it (captured from the service's engine; the relay's polling left out): the
# customer read and locked; the store, the property and the store's notice targets read
# together; the two slot counters ensured in one INSERT; the store's staff slot checked; the
# property's guarded UPDATE; the visit written unless the customer has an overlapping one;
# its outbox row and notify.
SAME = {
    "customer": "SELECT booking_customers.customer_id, booking_customers.name, "
                "booking_customers.caution, booking_customers.blacklisted, "
                "booking_customers.withdrawn, booking_customers.changed_at, "
                "booking_customers.tenant_id FROM booking_customers WHERE "
                "booking_customers.customer_id = $1::UUID AND booking_customers.tenant_id = "
                "$2::UUID FOR UPDATE",
    "store_property": "SELECT booking_stores.store_id, booking_stores.name, "
                      "booking_stores.staff_count, booking_stores.slot_minutes, "
                      "booking_stores.hours, booking_stores.closed_dates, "
                      "booking_stores.closed_on_holidays, "
                      "booking_stores.last_minute_cancel_hours, booking_stores.prepayment, "
                      "booking_stores.tenant_id, booking_properties.id AS p_id, "
                      "booking_properties.store_id AS p_store_id, booking_properties.code AS "
                      "p_code, booking_properties.name AS p_name, "
                      "booking_properties.concurrent_groups AS p_concurrent_groups, "
                      "booking_properties.portal_listed AS p_portal_listed, "
                      "booking_properties.kind AS p_kind, booking_properties.prefecture AS "
                      "p_prefecture, booking_properties.city AS p_city, "
                      "booking_properties.station AS p_station, booking_properties.price_yen "
                      "AS p_price_yen, booking_properties.layout AS p_layout, "
                      "booking_properties.size_m2 AS p_size_m2, booking_properties.retired_at"
                      " AS p_retired_at, booking_properties.tenant_id AS p_tenant_id, (SELECT"
                      " coalesce(json_agg(json_build_object($1::VARCHAR, "
                      "booking_notification_targets.id, $2::VARCHAR, "
                      "booking_notification_targets.name, $3::VARCHAR, "
                      "booking_notification_targets.email) ORDER BY "
                      "booking_notification_targets.name, booking_notification_targets.id), "
                      "'[]'::json) AS coalesce_1 FROM booking_notification_targets WHERE "
                      "booking_notification_targets.store_id = booking_stores.store_id AND "
                      "booking_notification_targets.tenant_id = $4::UUID) AS targets FROM "
                      "booking_stores LEFT OUTER JOIN booking_properties ON "
                      "booking_properties.id = $5::UUID AND booking_properties.tenant_id = "
                      "$4::UUID WHERE booking_stores.store_id = $6::UUID AND "
                      "booking_stores.tenant_id = $4::UUID",
    "ensure": "INSERT INTO booking_slot_capacity (tenant_id, resource, resource_id, "
              "slot_start, capacity, booked) SELECT CAST($1 AS uuid), r.resource, "
              "r.resource_id, r.slot_start, r.capacity, 0 FROM unnest(CAST($2 AS text[]), "
              "CAST($3 AS uuid[]), CAST($4 AS timestamptz[]), CAST($5 AS integer[])) AS "
              "r(resource, resource_id, slot_start, capacity) ON CONFLICT DO NOTHING",
    "open": "SELECT booking_slot_capacity.booked FROM booking_slot_capacity WHERE "
            "booking_slot_capacity.resource_id = $1::UUID AND "
            "booking_slot_capacity.slot_start = $2::TIMESTAMP WITH TIME ZONE AND "
            "booking_slot_capacity.booked < booking_slot_capacity.capacity AND "
            "booking_slot_capacity.tenant_id = $3::UUID FOR SHARE",
    "take": "UPDATE booking_slot_capacity SET booked=(booking_slot_capacity.booked + "
            "$1::INTEGER) WHERE booking_slot_capacity.resource_id = $2::UUID AND "
            "booking_slot_capacity.slot_start = $3::TIMESTAMP WITH TIME ZONE AND "
            "booking_slot_capacity.booked < booking_slot_capacity.capacity AND "
            "booking_slot_capacity.tenant_id = $4::UUID RETURNING "
            "booking_slot_capacity.booked",
    "visit": "WITH other AS (SELECT booking_visits.starts_at AS starts_at, "
             "booking_visits.ends_at AS ends_at FROM booking_visits WHERE "
             "booking_visits.customer_id = $5::UUID AND booking_visits.status = ANY "
             "($22::TEXT[]) AND booking_visits.starts_at < $7::TIMESTAMP WITH TIME ZONE AND "
             "booking_visits.ends_at > $6::TIMESTAMP WITH TIME ZONE AND "
             "booking_visits.tenant_id = $21::UUID ORDER BY booking_visits.starts_at, "
             "booking_visits.id LIMIT $23::INTEGER), written AS (INSERT INTO booking_visits "
             "(id, kind, store_id, property_id, customer_id, starts_at, ends_at, status, "
             "held_slots, conflict, conflict_reason, source_inquiry_id, menu_id, "
             "staff_member_id, memo, last_minute_cancel, no_show, created_at, updated_at, "
             "cancelled_at, tenant_id) SELECT $1::UUID AS anon_1, $2::VARCHAR AS anon_2, "
             "$3::UUID AS anon_3, $4::UUID AS anon_4, $5::UUID AS anon_5, $6::TIMESTAMP WITH "
             "TIME ZONE AS anon_6, $7::TIMESTAMP WITH TIME ZONE AS anon_7, $8::VARCHAR AS "
             "anon_8, $9::JSONB AS anon_9, $10::BOOLEAN AS anon_10, $11::VARCHAR AS anon_11, "
             "$12::UUID AS anon_12, $13::UUID AS anon_13, $14::UUID AS anon_14, $15::VARCHAR "
             "AS anon_15, $16::BOOLEAN AS anon_16, $17::BOOLEAN AS anon_17, $18::TIMESTAMP "
             "WITH TIME ZONE AS anon_18, $19::TIMESTAMP WITH TIME ZONE AS anon_19, "
             "$20::TIMESTAMP WITH TIME ZONE AS anon_20, $21::UUID AS anon_21 WHERE NOT "
             "(EXISTS (SELECT * FROM other))) SELECT other.starts_at, other.ends_at FROM "
             "other",
    "outbox": "INSERT INTO outbox (event_id, tenant_id, routing_key, envelope, headers) "
              "VALUES ($1::UUID, $2::UUID, $3::VARCHAR, $4::JSONB, $5::JSONB) RETURNING "
              "outbox.id",
    "notify": "SELECT pg_notify($1::VARCHAR, $2::VARCHAR) AS pg_notify_1",
}  # fmt: skip
LIVE = sorted(status.value for status in HOLDING)  # the statuses that hold a slot


class _Full(Exception):
    pass


async def same_statements_figures(url: str, count: int, concurrency: int, rows: dict) -> dict:
    """The service's own statements for each booking, in one transaction by bare asyncpg (its
    prepared-statement cache as the service's): what the framework costs beside them."""
    pool = await asyncpg.create_pool(
        db.asyncpg_dsn(url), min_size=concurrency, max_size=concurrency
    )
    tenant, store, customers = rows["tenant"], rows["store"], rows["customers"]

    def attempt_for(prop: uuid.UUID, capacity: int):  # type: ignore[no-untyped-def]
        async def attempt(job: tuple[int, datetime]) -> str:
            n, slot = job
            customer = customers[n % CUSTOMERS]
            ends = slot + timedelta(hours=1)
            try:
                async with pool.acquire() as conn, conn.transaction():
                    await conn.fetchrow(SAME["customer"], customer, tenant)
                    await conn.fetchrow(SAME["store_property"], "id", "name", "email", tenant,
                                        prop, store)  # fmt: skip
                    await conn.execute(SAME["ensure"], tenant, ["store", "property"],
                                       [store, prop], [slot, slot], [100, capacity])  # fmt: skip
                    if await conn.fetchval(SAME["open"], store, slot, tenant) is None:
                        raise _Full
                    if await conn.fetchval(SAME["take"], 1, prop, slot, tenant) is None:
                        raise _Full
                    visit = uuid.uuid4()
                    held = json.dumps([[str(prop), slot.isoformat()]])
                    now = datetime.now(UTC)
                    await conn.fetch(SAME["visit"], visit, "listed_property_tour", store, prop,
                                     customer, slot, ends, "reserved", held, False, None, None,
                                     None, None, None, False, False, now, now, None, tenant,
                                     LIVE, 1)  # fmt: skip
                    envelope = json.dumps({"event_id": str(uuid.uuid4()), "payload": {
                        "visit_id": str(visit), "customer_id": str(customer),
                        "store_id": str(store), "starts_at": slot.isoformat(),
                        "ends_at": ends.isoformat(), "kind": "listed_property_tour"}})  # fmt: skip
                    await conn.fetchval(SAME["outbox"], uuid.uuid4(), tenant,
                                        "booking.visit_scheduled.v1", envelope, "{}")  # fmt: skip
                    await conn.execute(SAME["notify"], "outbox_booking", "")
            except _Full:
                return "409"
            return "201"

        return attempt

    props = rows["properties"]
    hours = [s for s in _slots(count * 2) if s.hour < 23][:count]
    distinct_run = await _run(
        list(enumerate(hours)), concurrency, attempt_for(props["distinct"], 1)
    )
    hot = _slots(CONTENDED_SLOTS, start=HOT_START)
    jobs = [(n, hot[n % CONTENDED_SLOTS]) for n in range(count)]
    contended_run = await _run(
        jobs, concurrency, attempt_for(props["contended"], CONTENDED_CAPACITY)
    )
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
        same = await same_statements_figures(url, args.count, args.concurrency,
                                             service.pop("rows"))  # fmt: skip
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
        "baseline_same_statements": same,
        "baseline_one_update": baseline,
        # the ratio: the service beside its own statements without the framework
        "ratio_distinct": round(service["distinct"]["per_s"] / same["distinct"]["per_s"], 3),
        "ratio_contended": round(service["contended"]["per_s"] / same["contended"]["per_s"], 3),
        "ratio_distinct_to_one_update": round(
            service["distinct"]["per_s"] / baseline["distinct"]["per_s"], 3
        ),
        "overbooking": checks,
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "booking_throughput.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    expected = CONTENDED_SLOTS * CONTENDED_CAPACITY
    for name, run in (("service", service), ("same statements", same), ("baseline", baseline)):
        admitted = run["contended"]["outcomes"].get("201", 0)
        assert admitted == expected, f"{name}: {admitted} admitted under contention, not {expected}"
    assert checks == {"counters_over_capacity": 0, "slots_with_too_many_visits": 0}, checks


if __name__ == "__main__":
    asyncio.run(main())
