"""The embedded mode loses nothing across a crash: events the outbox had handed to the
in-memory bus but no consumer had handled are published again at the next start."""

import json
import uuid
from datetime import UTC, datetime

import httpx
import pytest
import sqlalchemy as sa
from contracts import Envelope, InquiryReceivedV1
from contracts.inquiry import Contact
from host.embedded import CLEAN_STOP_FILE, EmbeddedSystem, start_embedded_postgres
from kit.outbox import outbox_table
from kit.settings import CommonSettings

from tests.e2e.flows import eventually, login

pytestmark = [pytest.mark.e2e, pytest.mark.database]


async def _lost_event(system: EmbeddedSystem, *, tenant_id: uuid.UUID, email: str) -> None:
    """An event the relay had marked sent, but that no consumer ever saw (the crash)."""
    event = InquiryReceivedV1(
        inquiry_id=uuid.uuid4(),
        medium="phone",
        kind="question",
        received_at=datetime.now(UTC),
        contact=Contact(name="復旧 太郎", email=email),
    )
    env = Envelope(
        event_type=event.event_type,
        version=1,
        routing_key=event.routing_key(),
        tenant_id=tenant_id,
        producer="inquiry",
        payload=event.model_dump(mode="json"),
    )
    async with system.runtimes["inquiry"].engine.begin() as conn:
        await conn.execute(
            sa.insert(outbox_table).values(
                event_id=env.event_id,
                tenant_id=tenant_id,
                routing_key=env.routing_key,
                envelope=json.loads(env.model_dump_json()),
                headers={},
                published_at=sa.func.now(),
            )
        )


async def test_events_in_flight_at_a_crash_are_delivered_after_restart(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = start_embedded_postgres(tmp_path / "postgres")
    common = CommonSettings(bus="memory", retry_delays_ms=[50], outbox_poll_interval_s=0.2)
    first = EmbeddedSystem(url_template=url, common=common, state_dir=tmp_path)
    await first.start()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=first.gateway_app), base_url="http://gw"
    ) as client:
        me = (await client.get("/api/v1/me", headers=await login(client))).json()
    email = f"crash-{uuid.uuid4().hex[:6]}@example.com"
    await _lost_event(first, tenant_id=uuid.UUID(me["tenant_id"]), email=email)
    # The crash: nothing is drained and no clean-stop marker is written.
    for runtime in first.runtimes.values():
        await runtime.stop()
    await first.bus.close()
    assert not (tmp_path / CLEAN_STOP_FILE).exists()

    second = EmbeddedSystem(url_template=url, common=common, state_dir=tmp_path)
    await second.start()
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=second.gateway_app), base_url="http://gw"
        ) as client:
            headers = await login(client)

            async def linked() -> list:
                r = await client.get("/api/v1/customers", params={"email": email}, headers=headers)
                return r.json()["items"]

            assert len(await eventually(linked)) == 1
    finally:
        await second.stop()
    assert (tmp_path / CLEAN_STOP_FILE).exists()  # a clean stop leaves the marker
