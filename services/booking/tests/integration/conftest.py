"""The booking service on the real PostgreSQL, driven through its HTTP API with service
tokens as the gateway would mint them; events arrive on the in-memory bus."""

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
import sqlalchemy as sa
from booking.bootstrap import build_runtime
from booking.entrypoints.http import create_app
from booking.settings import BookingSettings
from contracts import CustomerProfileChangedV1, Envelope, Event
from kit import clock
from kit.bus import Message
from kit.runtime import ServiceRuntime
from kit.settings import CommonSettings
from kit.testing import in_process_client, service_headers

COMMON = CommonSettings(bus="memory", retry_delays_ms=[50, 100], outbox_poll_interval_s=0.2)


def _wednesday_ahead(days: int) -> date:
    """A Wednesday at least ``days`` ahead: bookings are in the future whenever the tests run
    (a cancellation is judged last-minute and a late portal reservation flagged by the clock)."""
    day = clock.today() + timedelta(days=days)
    return day + timedelta(days=(2 - day.weekday()) % 7)


WEDNESDAY = _wednesday_ahead(90)
DAY = WEDNESDAY.isoformat()
JP_DAY = f"{WEDNESDAY:%Y/%m/%d}(水)"  # as notices and pages write it


def day_after(days: int) -> str:
    return (WEDNESDAY + timedelta(days=days)).isoformat()


EXPIRY = (clock.today() + timedelta(days=400)).isoformat()  # coupon tickets still valid
WEEKDAY_HOURS = {str(d): ["10:00", "18:00"] for d in range(6)}


@dataclass
class Tenant:
    """One tenant's view of the service: its client, a store and helpers."""

    id: uuid.UUID
    client: httpx.AsyncClient
    runtime: ServiceRuntime
    store_id: uuid.UUID

    async def setup_store(
        self, *, staff_count: int = 2, store_id: uuid.UUID | None = None, **extra
    ) -> dict:  # type: ignore[no-untyped-def]
        body = {
            "name": "田町支店",
            "staff_count": staff_count,
            "slot_minutes": 60,
            "hours": WEEKDAY_HOURS,
            **extra,
        }
        r = await self.client.put(f"/stores/{store_id or self.store_id}", json=body)
        assert r.status_code == 200, r.text
        return r.json()

    async def add_property(
        self, *, name: str, groups: int = 1, listed: bool = True, code: str | None = None
    ) -> str:
        r = await self.client.post(
            "/properties",
            json={
                "store_id": str(self.store_id),
                "name": name,
                "concurrent_groups": groups,
                "portal_listed": listed,
                "code": code,
            },
        )
        assert r.status_code == 201, r.text
        return r.json()["id"]

    async def customer(self, *, name: str = "住まい 花子", **flags: bool) -> uuid.UUID:
        customer_id = uuid.uuid4()
        await self.publish(
            CustomerProfileChangedV1(
                customer_id=customer_id, name=name, changed_at=datetime.now(UTC), **flags
            )
        )
        await self.until(
            lambda: self.scalar(
                "SELECT count(*) FROM booking_customers WHERE customer_id = :c", c=customer_id
            )
        )
        return customer_id

    async def publish(self, event: Event) -> None:
        envelope = Envelope(
            event_type=event.event_type,
            version=event.version,
            routing_key=event.routing_key(),
            tenant_id=self.id,
            producer=type(event).producer,
            payload=event.model_dump(mode="json"),
        )
        await self.runtime.bus.publish(
            Message(
                envelope.routing_key, envelope.model_dump_json().encode(), str(envelope.event_id)
            )
        )

    async def scalar(self, sql: str, **params: object):  # type: ignore[no-untyped-def]
        assert self.runtime.engine is not None
        async with self.runtime.engine.connect() as conn:
            return await conn.scalar(sa.text(sql), params)

    async def execute(self, sql: str, **params: object) -> None:
        assert self.runtime.engine is not None
        async with self.runtime.engine.begin() as conn:
            await conn.execute(sa.text(sql), params)

    async def until(self, check, timeout: float = 10.0):  # type: ignore[no-untyped-def]
        async with asyncio.timeout(timeout):
            while not (result := await check()):
                await asyncio.sleep(0.05)
        return result

    async def visit(self, **body: object) -> httpx.Response:
        return await self.client.post("/visits", json={"store_id": str(self.store_id), **body})


@pytest.fixture
def booking_common() -> CommonSettings:
    """The runtime's settings; a module overrides it (e.g. to send mail to a sink)."""
    return COMMON


@pytest.fixture
async def booking_runtime(database_factory, booking_common):  # type: ignore[no-untyped-def]
    runtime = build_runtime(
        BookingSettings(database_url=database_factory("booking"), db_pool_size=5),
        common=booking_common,
    )
    await runtime.start()
    yield runtime
    await runtime.stop()


@pytest.fixture
async def tenant_factory(booking_runtime):  # type: ignore[no-untyped-def]
    app = create_app(booking_runtime, manage_lifecycle=False)
    clients: list[httpx.AsyncClient] = []

    async def make(role: str = "admin") -> Tenant:
        tenant_id = uuid.uuid4()
        headers = service_headers(COMMON, tenant_id=tenant_id, role=role)
        client = in_process_client(app, base_url="http://booking", headers=headers)
        clients.append(client)
        return Tenant(id=tenant_id, client=client, runtime=booking_runtime, store_id=uuid.uuid4())

    yield make
    for client in clients:
        await client.aclose()


@pytest.fixture
async def tenant(tenant_factory) -> Tenant:  # type: ignore[no-untyped-def]
    return await tenant_factory()
