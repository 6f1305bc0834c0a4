"""The embedded mode loses nothing across a crash: events the outbox had handed to the
in-memory bus but no consumer had handled are published again at the next start."""

import json
import subprocess
import uuid
from datetime import UTC, datetime

import httpx
import pytest
import sqlalchemy as sa
from contracts import Envelope, InquiryReceivedV1
from contracts.inquiry import Contact
from host.embedded import (
    RUNNING_FILE,
    EmbeddedSystem,
    running_postmasters,
    start_embedded_postgres,
    stop_embedded_postgres,
)
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
    assert (tmp_path / RUNNING_FILE).exists()  # no clean stop removed it

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
        assert second.replayed >= 1
    finally:
        await second.stop()
        stop_embedded_postgres(tmp_path / "postgres")
    assert not (tmp_path / RUNNING_FILE).exists()  # a clean stop removes the marker


async def test_a_new_data_folder_and_a_clean_stop_replay_nothing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Replaying after a clean stop, or at a data folder's first start, only re-sends what
    was delivered: hundreds of duplicate skips that buried the login banner."""
    url = start_embedded_postgres(tmp_path / "postgres")
    common = CommonSettings(bus="memory", retry_delays_ms=[50], outbox_poll_interval_s=0.2)
    try:
        for _ in range(2):  # the folder's first start, then the start after a clean stop
            system = EmbeddedSystem(url_template=url, common=common, state_dir=tmp_path)
            await system.start()
            try:
                async with httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=system.gateway_app), base_url="http://gw"
                ) as client:
                    await login(client)  # the demo tenant was seeded: events were sent
                assert system.replayed == 0
            finally:
                await system.stop()
            assert not (tmp_path / RUNNING_FILE).exists()
    finally:
        stop_embedded_postgres(tmp_path / "postgres")
    assert running_postmasters(tmp_path) == []


def test_the_server_stops_even_after_a_run_that_died_without_its_exit_handlers(
    tmp_path,
) -> None:  # type: ignore[no-untyped-def]
    """pgserver stops the server only when the stopping process is the last of its users;
    a run killed before its exit handlers stays listed, and kept every later server up."""
    import pgserver

    start_embedded_postgres(tmp_path / "postgres")
    server = pgserver.PostgresServer._instances[(tmp_path / "postgres").resolve()]
    killed_run = subprocess.Popen(["true"])
    killed_run.wait()
    server.global_process_id_list.get_and_add(killed_run.pid)
    assert running_postmasters(tmp_path) != []
    stop_embedded_postgres(tmp_path / "postgres")
    assert running_postmasters(tmp_path) == []
