"""The orders service on the real PostgreSQL, driven through its HTTP API with service tokens
as the gateway would mint them; events go out on the in-memory bus unless a test says so."""

import asyncio
import uuid
from dataclasses import dataclass

import httpx
import pytest
import sqlalchemy as sa
from contracts import Envelope, Event
from kit.bus import Message
from kit.runtime import ServiceRuntime
from kit.settings import CommonSettings
from kit.testing import in_process_client, service_headers
from orders.bootstrap import build_runtime
from orders.entrypoints.http import create_app
from orders.settings import OrdersSettings

COMMON = CommonSettings(bus="memory", retry_delays_ms=[50, 100], outbox_poll_interval_s=0.2)


@dataclass
class Tenant:
    id: uuid.UUID
    client: httpx.AsyncClient
    runtime: ServiceRuntime

    async def add(self, master: str, /, **body: object) -> dict:
        r = await self.client.post(f"/{master}", json=body)
        assert r.status_code == 201, r.text
        return r.json()

    async def product(self, name: str, price: int, *, rate: int = 10, **extra: object) -> dict:
        code = extra.pop("code", f"P-{uuid.uuid4().hex[:6]}")
        return await self.add(
            "products", code=code, name=name, price_yen=price, cost_yen=price // 3,
            tax_rate=rate, **extra,
        )  # fmt: skip

    async def customer(self) -> str:
        """A new customer of this tenant, known here as the customer service's
        CustomerProfileChanged makes it (kit.customer_refs' customers_known)."""
        customer_id = uuid.uuid4()
        await self.execute("INSERT INTO customers_known (tenant_id, customer_id) VALUES (:t, :c)",
                           t=self.id, c=customer_id)  # fmt: skip
        return str(customer_id)

    async def deliver(self, event: Event, *, producer: str = "customer") -> Envelope:
        """``event`` of this tenant on the service's bus, as another service would send it."""
        envelope = Envelope(event_type=event.event_type, version=event.version,
                            routing_key=event.routing_key(), tenant_id=self.id, producer=producer,
                            payload=event.model_dump(mode="json"))  # fmt: skip
        await self.runtime.bus.publish(
            Message(
                envelope.routing_key, envelope.model_dump_json().encode(), str(envelope.event_id)
            )
        )
        return envelope

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


@pytest.fixture
def orders_common() -> CommonSettings:
    return COMMON


@pytest.fixture
async def orders_runtime(database_factory, orders_common):  # type: ignore[no-untyped-def]
    runtime = build_runtime(
        OrdersSettings(
            database_url=database_factory("orders"),
            db_pool_size=5,
            # The daily run is driven by the tests themselves, on dates they choose.
            subscription_run_enabled=False,
        ),
        common=orders_common,
    )
    await runtime.start()
    yield runtime
    await runtime.stop()


@pytest.fixture
async def tenant_factory(orders_runtime, orders_common):  # type: ignore[no-untyped-def]
    app = create_app(orders_runtime, manage_lifecycle=False)
    clients: list[httpx.AsyncClient] = []

    async def make(role: str = "admin", tenant_id: uuid.UUID | None = None) -> Tenant:
        tenant_id = tenant_id or uuid.uuid4()
        headers = service_headers(orders_common, tenant_id=tenant_id, role=role)
        client = in_process_client(app, base_url="http://orders", headers=headers)
        clients.append(client)
        return Tenant(id=tenant_id, client=client, runtime=orders_runtime)

    yield make
    for client in clients:
        await client.aclose()


@pytest.fixture
async def tenant(tenant_factory) -> Tenant:  # type: ignore[no-untyped-def]
    return await tenant_factory()
