"""The leads service on the real PostgreSQL, driven through its HTTP API: staff routes with
service tokens as the gateway mints them, the public tracking routes as a mail client or a
property page reaches them through the gateway (X-Forwarded-For carries the reader)."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import sqlalchemy as sa
from kit.runtime import ServiceRuntime
from kit.settings import CommonSettings
from kit.testing import service_headers
from leads.bootstrap import build_runtime
from leads.entrypoints.http import create_app
from leads.settings import LeadsSettings

COMMON = CommonSettings(bus="memory", retry_delays_ms=[50, 100], outbox_poll_interval_s=0.2)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
)
HOME_IP = "203.0.113.7"  # documentation range: a reader at home
APPLE_IP = "172.224.224.9"  # in the shipped snapshot of Apple's egress ranges


@dataclass
class Tenant:
    id: uuid.UUID
    client: httpx.AsyncClient  # staff, with a service token
    public: httpx.AsyncClient  # no token: the pixel and the beacon
    runtime: ServiceRuntime

    async def send(
        self,
        customer_id: uuid.UUID,
        *,
        kind: str = "proposal",
        ago: timedelta = timedelta(hours=2),
        message_id: uuid.UUID | None = None,
    ) -> str:  # type: ignore[no-untyped-def]
        r = await self.client.post(
            "/sends",
            json={
                "message_id": str(message_id or uuid.uuid4()),
                "customer_id": str(customer_id),
                "message_kind": kind,
                "sent_at": (datetime.now(UTC) - ago).isoformat(),
            },
        )
        assert r.status_code == 201, r.text
        return r.json()["token"]

    async def open(
        self, token: str, *, agent: str = IPHONE, ip: str = HOME_IP, method: str = "GET"
    ) -> httpx.Response:  # type: ignore[no-untyped-def]
        r = await self.public.request(
            method, f"/track/open/{token}.gif",
            headers={"user-agent": agent, "x-forwarded-for": f"198.51.100.1, {ip}"},
        )  # fmt: skip
        assert r.status_code == 200 and r.headers["content-type"] == "image/gif"
        return r

    async def view(
        self, token: str, body: object, *, agent: str = IPHONE, ip: str = HOME_IP
    ) -> httpx.Response:  # type: ignore[no-untyped-def]
        content = body if isinstance(body, bytes) else httpx._content.json_dumps(body).encode()  # type: ignore[attr-defined]
        r = await self.public.post(
            f"/track/view/{token}", content=content,
            headers={"user-agent": agent, "x-forwarded-for": ip, "content-type": "text/plain"},
        )  # fmt: skip
        assert r.status_code == 204 and r.content == b""
        return r

    async def settle(self) -> None:
        """Until every event is published and consumed and no level is due: the levels are
        what the events make them (they are scored by leads' consumer and level worker)."""

        async def settled() -> bool:
            unpublished = await self.scalar(
                "SELECT count(*) FROM outbox WHERE published_at IS NULL"
            )
            due = await self.scalar("SELECT count(*) FROM lead_levels WHERE due_at <= now()")
            drained = await self.runtime.bus.drain(timeout_s=5)  # type: ignore[attr-defined]
            return unpublished == 0 and due == 0 and drained

        await until(settled)

    async def publish(self, event) -> None:  # type: ignore[no-untyped-def]
        """An event of another service, as the bus delivers it to leads."""
        from contracts import Envelope
        from kit.bus import Message

        envelope = Envelope(
            event_type=event.event_type, version=event.version, routing_key=event.routing_key(),
            tenant_id=self.id, producer=event.producer, payload=event.model_dump(mode="json"),
        )  # fmt: skip
        body = envelope.model_dump_json().encode()
        await self.runtime.bus.publish(Message(envelope.routing_key, body, str(envelope.event_id)))

    async def execute(self, sql: str, **params: object) -> None:
        assert self.runtime.engine is not None
        async with self.runtime.engine.begin() as conn:
            await conn.execute(sa.text(sql), params)

    async def scalar(self, sql: str, **params: object):  # type: ignore[no-untyped-def]
        assert self.runtime.engine is not None
        async with self.runtime.engine.connect() as conn:
            return await conn.scalar(sa.text(sql), params)

    async def rows(self, sql: str, **params: object) -> list:  # type: ignore[type-arg]
        assert self.runtime.engine is not None
        async with self.runtime.engine.connect() as conn:
            return list((await conn.execute(sa.text(sql), params)).mappings())


def page_view(
    code: str = "P-001",
    name: str = "物件A",
    *,
    dwell: int = 30,
    view_id: uuid.UUID | None = None,
    **extra: object,
) -> dict:  # type: ignore[type-arg]
    return {
        "view_id": str(view_id or uuid.uuid4()), "page": "property_detail",
        "property_code": code, "property_name": name, "dwell_s": dwell, **extra,
    }  # fmt: skip


@pytest.fixture
async def leads_runtime(database_factory):  # type: ignore[no-untyped-def]
    runtime = build_runtime(
        LeadsSettings(database_url=database_factory("leads"), db_pool_size=5,
                      tracking_hits_per_token=8, level_poll_s=0.3),
        common=COMMON,
    )  # fmt: skip
    await runtime.start()
    yield runtime
    await runtime.stop()


@pytest.fixture
async def tenant_factory(leads_runtime):  # type: ignore[no-untyped-def]
    app = create_app(leads_runtime, manage_lifecycle=False)
    clients: list[httpx.AsyncClient] = []

    def client(headers: dict[str, str]) -> httpx.AsyncClient:
        c = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://leads", headers=headers
        )
        clients.append(c)
        return c

    async def make(role: str = "admin", tenant_id: uuid.UUID | None = None) -> Tenant:
        tenant_id = tenant_id or uuid.uuid4()
        return Tenant(
            id=tenant_id,
            client=client(service_headers(COMMON, tenant_id=tenant_id, role=role)),
            public=client({}),
            runtime=leads_runtime,
        )

    yield make
    for c in clients:
        await c.aclose()


@pytest.fixture
async def tenant(tenant_factory) -> Tenant:  # type: ignore[no-untyped-def]
    return await tenant_factory()


async def until(check, timeout: float = 10.0):  # type: ignore[no-untyped-def]
    import asyncio

    async with asyncio.timeout(timeout):
        while not (result := await check()):
            await asyncio.sleep(0.05)
    return result
