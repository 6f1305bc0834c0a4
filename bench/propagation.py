"""The stated bounds of two facts that travel by event, in the multi-process mode on the real
PostgreSQL and RabbitMQ, while portal inquiries keep flowing at a steady rate (the benchmark
load). Beside them, in the same run, the floor of any event-carried fact: a bare aio-pika
publish (with confirm) → consume round trip on the same broker under the same load.

1. Blacklist → booking (CUS-6 → BKG-6): from the return of staff's PUT /flags (the flag and
   its event committed) until booking's read model, which every booking is checked against,
   says blacklisted. Bound: p95 within 1 s.
2. Portal visit reservation → the follow-up list (INQ-5, BKG-7, seed 000): from the webhook's
   202 until the customer list shows the latest visit (「接客1回目」): webhook → inquiry →
   InquiryReceived → customer links → InquiryLinked → booking places the visit →
   VisitScheduled → customer's latest visit. Bound: p95 within 2 s.

    .venv/bin/python bench/propagation.py [--samples 40] [--load 15]

Writes bench/results/propagation.json.
"""

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

import aio_pika
import asyncpg
import httpx

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))

from host.processes import service_env, start_services, stop_services, wait_ready  # noqa: E402
from kit import clock  # noqa: E402
from kit.testing import SERVICE_QUEUES, delete_bus_namespace  # noqa: E402

from tests.e2e.flows import STORE_CODE, inquiry_body, sign  # noqa: E402

PG = os.environ.get("CRM_BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432")
AMQP = os.environ.get("CRM_BENCH_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
PORTS = {
    "gateway": 18300,
    "inquiry": 18301,
    "customer": 18302,
    "booking": 18303,
    "leads": 18304,
    "orders": 18305,
}
BOUNDS_MS = {"blacklist_to_booking": 1000, "reservation_to_list": 2000}
DSN = PG.replace("postgresql+asyncpg://", "postgresql://")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(int(len(ordered) * q) - 1, 0)]


def _figures(lags: list[float]) -> dict:
    return {
        "samples": len(lags),
        "p50_ms": round(statistics.median(lags) * 1000, 1),
        "p95_ms": round(_percentile(lags, 0.95) * 1000, 1),
        "max_ms": round(max(lags) * 1000, 1),
    }


async def _steady_inquiries(base: str, per_second: float, stop: asyncio.Event) -> int:
    """Portal inquiries at a fixed rate until stopped: every one feeds the customer and
    booking queues the blacklist event travels through."""
    sent = 0
    tag = uuid.uuid4().hex[:6]
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        pending: set[asyncio.Task] = set()
        while not stop.is_set():
            raw = json.dumps(
                inquiry_body(email=f"load-{tag}-{sent}@example.com", name=f"負荷 {sent}",
                             phone=f"090-8{sent // 10000:03d}-{sent % 10000:04d}"),
                ensure_ascii=False,
            ).encode()  # fmt: skip
            headers = {"content-type": "application/json", "x-portal-signature": sign(raw)}
            task = asyncio.create_task(
                client.post("/api/v1/portal/demo/inquiries", content=raw, headers=headers)
            )
            pending.add(task)
            task.add_done_callback(pending.discard)
            sent += 1
            await asyncio.sleep(1 / per_second)
        await asyncio.gather(*pending)
    return sent


async def _store(base: str, headers: dict, store_id: str) -> None:
    """Open every day with room to spare, and one listed property the reservations name."""
    async with httpx.AsyncClient(base_url=base, timeout=30, headers=headers) as client:
        every_day = {str(d): ["09:00", "21:00"] for d in range(7)}
        r = await client.put(
            f"/api/v1/booking/stores/{store_id}",
            json={"name": "田町支店", "staff_count": 50, "hours": every_day},
        )
        r.raise_for_status()
        prop = await client.post(
            "/api/v1/booking/properties",
            json={"store_id": store_id, "code": "P-1", "name": "スームマンション",
                  "concurrent_groups": 50, "portal_listed": True},
        )  # fmt: skip
        prop.raise_for_status()


async def _blacklist_lags(base: str, headers: dict, samples: int) -> list[float]:
    booking = await asyncpg.connect(f"{DSN}/{NAMESPACE}_booking")
    lags: list[float] = []
    async with httpx.AsyncClient(base_url=base, timeout=30, headers=headers) as client:
        for n in range(samples):
            registered = await client.post(
                "/api/v1/customer-phone-registrations",
                json={"family_name": "計測", "given_name": f"{n}", "phone": f"090-6{n:03d}-0000"},
            )
            registered.raise_for_status()
            customer_id = registered.json()["id"]
            flagged = await client.put(
                f"/api/v1/customers/{customer_id}/flags",
                json={"blacklisted": True, "blacklist_memo": "計測"},
            )
            flagged.raise_for_status()
            committed = time.perf_counter()
            while not await booking.fetchval(
                "SELECT blacklisted FROM booking_customers WHERE customer_id = $1",
                uuid.UUID(customer_id),
            ):
                await asyncio.sleep(0.002)
            lags.append(time.perf_counter() - committed)
            await asyncio.sleep(0.2)  # samples spread over the load, not back to back
    await booking.close()
    return lags


async def _reservation_lags(base: str, headers: dict, samples: int) -> list[float]:
    lags: list[float] = []
    day = (clock.today() + timedelta(days=2)).isoformat()
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        for n in range(samples):
            email = f"visit-{NAMESPACE}-{n}@example.com"
            body = inquiry_body(email=email, name=f"来場 {n}", phone="090-3333-4444",
                                kind="visit_reservation")  # fmt: skip
            body["requested_visit"] = {"starts_at": f"{day}T{10 + n % 10}:00:00+09:00",
                                       "ends_at": f"{day}T{11 + n % 10}:00:00+09:00"}  # fmt: skip
            raw = json.dumps(body, ensure_ascii=False).encode()
            r = await client.post(
                "/api/v1/portal/demo/inquiries",
                content=raw,
                headers={"content-type": "application/json", "x-portal-signature": sign(raw)},
            )
            r.raise_for_status()
            accepted = time.perf_counter()
            while True:
                found = await client.get(
                    "/api/v1/customers", params={"email": email}, headers=headers
                )
                items = found.json()["items"]
                if items and items[0]["latest_visit_number"] >= 1:
                    break
                await asyncio.sleep(0.005)
            lags.append(time.perf_counter() - accepted)
            await asyncio.sleep(0.2)
    return lags


async def _broker_round_trips(samples: int) -> list[float]:
    """Baseline: publish with confirm → consume of one message, the broker's own floor."""
    connection = await aio_pika.connect_robust(AMQP)
    lags: list[float] = []
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        queue = await channel.declare_queue(f"{NAMESPACE}.roundtrip", exclusive=True)
        arrived: asyncio.Queue[float] = asyncio.Queue()

        async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            await message.ack()
            arrived.put_nowait(time.perf_counter())

        await queue.consume(on_message)
        for _ in range(samples):
            sent = time.perf_counter()
            await channel.default_exchange.publish(
                aio_pika.Message(b'{"blacklisted": true}'), routing_key=queue.name
            )
            lags.append(await arrived.get() - sent)
            await asyncio.sleep(0.2)
    return lags


async def _store_id() -> str:
    gateway = await asyncpg.connect(f"{DSN}/{NAMESPACE}_gateway")
    try:
        return str(await gateway.fetchval("SELECT id FROM stores WHERE code = $1", STORE_CODE))
    finally:
        await gateway.close()


async def measure(samples: int, load: float) -> dict:
    base = f"http://127.0.0.1:{PORTS['gateway']}"
    async with httpx.AsyncClient(base_url=base) as client:
        token = await client.post(
            "/api/v1/auth/token",
            data={"username": "admin@demo.example", "password": "demo-admin-pass"},
        )
    headers = {"authorization": f"Bearer {token.json()['access_token']}"}
    await _store(base, headers, await _store_id())
    stop = asyncio.Event()
    loader = asyncio.create_task(_steady_inquiries(base, load, stop))
    await asyncio.sleep(3)  # the load settles first
    baseline = await _broker_round_trips(samples)
    blacklist = await _blacklist_lags(base, headers, samples)
    reservation = await _reservation_lags(base, headers, samples)
    stop.set()
    inquiries = await loader
    return {
        "baseline": baseline,
        "blacklist_to_booking": blacklist,
        "reservation_to_list": reservation,
        "inquiries_during_run": inquiries,
    }


NAMESPACE = f"bench_{uuid.uuid4().hex[:6]}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--load", type=float, default=15.0, help="portal inquiries per second")
    args = parser.parse_args()
    env = service_env(
        pg_base=PG, amqp_url=AMQP, ports=PORTS, db_prefix=NAMESPACE,
        extra={"CRM_BUS_NAMESPACE": NAMESPACE, "GATEWAY_SEED_DEMO": "true",
               "CRM_ENVIRONMENT": "test", "CRM_LOG_LEVEL": "WARNING"},
    )  # fmt: skip
    procs = start_services(env, PORTS, log_dir=tempfile.mkdtemp(prefix="bench-logs-"))
    try:
        wait_ready(PORTS, procs, timeout_s=90)
        raw = asyncio.run(measure(args.samples, args.load))
    finally:
        stop_services(procs)
        asyncio.run(
            delete_bus_namespace(
                AMQP, NAMESPACE, queues=SERVICE_QUEUES, retry_delays_ms=[1000, 10000, 60000]
            )
        )
        import subprocess

        for name in PORTS:
            subprocess.run(
                ["psql", f"{DSN}/postgres", "-qc",
                 f'DROP DATABASE IF EXISTS "{NAMESPACE}_{name}" WITH (FORCE)'],
                check=False, capture_output=True,
            )  # fmt: skip
    baseline = _figures(raw["baseline"])
    result: dict = {
        "benchmark": "propagation",
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_inquiries_per_second": args.load,
        "inquiries_during_run": raw["inquiries_during_run"],
        "baseline_broker_round_trip": baseline,
    }
    print(f"load: {args.load} portal inquiries/s ({raw['inquiries_during_run']} during the run)")
    print(
        f"baseline broker publish→consume:   p50 {baseline['p50_ms']:>7} ms  p95 {baseline['p95_ms']:>7} ms"
    )
    for name, label in (("blacklist_to_booking", "blacklist flag → booking knows"),
                        ("reservation_to_list", "portal reservation → list shows")):  # fmt: skip
        figures = _figures(raw[name])
        bound = BOUNDS_MS[name]
        result[name] = {
            **figures,
            "ratio_p95_to_baseline": round(figures["p95_ms"] / max(baseline["p95_ms"], 0.001), 1),
            "bound_ms": bound,
            "bound_met": figures["p95_ms"] <= bound,
        }
        print(
            f"{label}: p50 {figures['p50_ms']:>7} ms  p95 {figures['p95_ms']:>7} ms  "
            f"max {figures['max_ms']} ms  ×{result[name]['ratio_p95_to_baseline']} of the "
            f"baseline p95; bound {bound} ms {'met' if result[name]['bound_met'] else 'NOT met'}"
        )
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "propagation.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
