"""The gateway on a fresh real PostgreSQL database (the services behind it are not needed
for its own accounts), driven over HTTP; mails are read from its mail queue."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
import sqlalchemy as sa
from gateway.bootstrap import GatewayRuntime, build_runtime
from gateway.entrypoints.http import create_app
from gateway.settings import GatewaySettings
from kit.settings import CommonSettings


@dataclass
class Gateway:
    runtime: GatewayRuntime
    client: httpx.AsyncClient
    settings: GatewaySettings

    async def mails(self, recipient: str) -> list[dict]:
        assert self.runtime.engine is not None
        async with self.runtime.engine.connect() as conn:
            rows = await conn.execute(
                sa.text("SELECT subject, body FROM mail_outbox WHERE recipient = :r "
                        "ORDER BY created_at"), {"r": recipient})  # fmt: skip
            return [dict(r._mapping) for r in rows]

    async def link(self, recipient: str, kind: str = "invitations") -> str:
        """The token of the latest link of that kind mailed to ``recipient``."""
        body = (await self.mails(recipient))[-1]["body"]
        marker = f"/{kind}/" if kind == "invitations" else "/password-reset/"
        return body.split(marker, 1)[1].split()[0]

    async def scalar(self, sql: str, **params: object) -> object:
        assert self.runtime.engine is not None
        async with self.runtime.engine.connect() as conn:
            return await conn.scalar(sa.text(sql), params)


@pytest.fixture
async def gateway(database_factory) -> AsyncIterator[Gateway]:  # type: ignore[no-untyped-def]
    common = CommonSettings(bus="memory", retry_delays_ms=[50], outbox_poll_interval_s=0.2)
    settings = GatewaySettings(database_url=database_factory("gateway"), db_pool_size=2,
                               login_attempts_per_account=5, login_attempts_per_address=12)  # fmt: skip
    runtime = build_runtime(settings, common=common)
    await runtime.start()
    app = create_app(runtime, manage_lifecycle=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        yield Gateway(runtime, client, settings)
    await runtime.stop()


def unique_slug() -> str:
    return f"co-{uuid.uuid4().hex[:8]}"
