"""A customer service on a fresh real PostgreSQL database with the in-memory bus; tests
drive it over HTTP with a signed service token and feed it events through the bus."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

import httpx
import pytest
import sqlalchemy as sa
from contracts import Envelope, Event
from customer.bootstrap import build_runtime
from customer.entrypoints.http import create_app
from customer.settings import CustomerSettings
from kit.auth import Principal, mint_service_token
from kit.bus import Message
from kit.runtime import ServiceRuntime
from kit.settings import CommonSettings


@dataclass
class Service:
    runtime: ServiceRuntime
    client: httpx.AsyncClient
    tenant_id: uuid.UUID
    user_id: uuid.UUID

    def headers(
        self, *, role: str = "admin", tenant_id: uuid.UUID | None = None,
        user_id: uuid.UUID | None = None,
    ) -> dict:  # fmt: skip
        principal = Principal(
            tenant_id=tenant_id or self.tenant_id,
            role=role,
            user_id=user_id or self.user_id,  # type: ignore[arg-type]
        )
        secret = self.runtime.common.service_token_secret
        return {"authorization": f"Bearer {mint_service_token(principal, secret=secret)}"}

    async def get(self, path: str, **kwargs) -> httpx.Response:  # type: ignore[no-untyped-def]
        return await self.client.get(
            path, headers=kwargs.pop("headers", None) or self.headers(), **kwargs
        )

    async def post(self, path: str, json: object = None, **kwargs) -> httpx.Response:  # type: ignore[no-untyped-def]
        return await self.client.post(
            path, json=json, headers=kwargs.pop("headers", None) or self.headers(), **kwargs
        )

    async def put(self, path: str, json: object = None) -> httpx.Response:
        return await self.client.put(path, json=json, headers=self.headers())

    async def delete(self, path: str) -> httpx.Response:
        return await self.client.delete(path, headers=self.headers())

    async def publish(self, event: Event, *, occurred_at: datetime | None = None) -> Envelope:
        """``occurred_at``: when the producer made it (now when not given)."""
        envelope = Envelope(
            **({"occurred_at": occurred_at} if occurred_at is not None else {}),
            event_type=event.event_type,
            version=event.version,
            routing_key=event.routing_key(),
            tenant_id=self.tenant_id,
            producer=event.producer,
            payload=event.model_dump(mode="json"),
        )
        body = envelope.model_dump_json().encode()
        await self.runtime.bus.publish(Message(envelope.routing_key, body, str(envelope.event_id)))
        return envelope

    async def settle(self) -> None:
        """Wait until the bus has delivered everything published so far."""
        assert await self.runtime.bus.drain(timeout_s=20)  # type: ignore[attr-defined]

    async def scalar(self, sql: str, **params: object) -> object:
        assert self.runtime.engine is not None
        async with self.runtime.engine.connect() as conn:
            return await conn.scalar(sa.text(sql), params)

    async def events(self, routing_key: str) -> list[dict]:
        assert self.runtime.engine is not None
        async with self.runtime.engine.connect() as conn:
            rows = await conn.execute(
                sa.text("SELECT envelope FROM outbox WHERE routing_key = :k ORDER BY id"),
                {"k": routing_key},
            )
            return [r[0]["payload"] for r in rows]


@pytest.fixture
async def service(database_factory) -> AsyncIterator[Service]:  # type: ignore[no-untyped-def]
    common = CommonSettings(bus="memory", retry_delays_ms=[50], outbox_poll_interval_s=0.2)
    runtime = build_runtime(
        CustomerSettings(database_url=database_factory("customer"), db_pool_size=2), common=common
    )
    await runtime.start()
    app = create_app(runtime, manage_lifecycle=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://customer") as client:
        yield Service(runtime, client, uuid.uuid4(), uuid.uuid4())
    await runtime.stop()
    await asyncio.sleep(0)


def profile(**overrides: object) -> dict:
    body: dict = {
        "family_name": "山田",
        "given_name": "太郎",
        "family_kana": "ヤマダ",
        "given_kana": "タロウ",
        "phones": ["090-1234-5678"],
        "emails": ["taro@example.com"],
        "birth_date": "1980-04-01",
    }
    body.update(overrides)
    return body
