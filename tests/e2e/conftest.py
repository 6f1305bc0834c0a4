"""Shared fixtures of the end-to-end tests: one embedded system per test module."""

import asyncio
import os
import signal

import httpx
import pytest
import uvicorn
from kit.settings import CommonSettings
from opentelemetry.sdk.trace import SpanProcessor
from opentelemetry.sdk.trace.export import SimpleSpanProcessor

from tests.e2e.flows import free_port
from tests.e2e.tracing import EXPORTER


@pytest.fixture(scope="session", autouse=True)
def no_embedded_postgres_left(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A run of the suite leaves no embedded PostgreSQL behind (they piled up on developers'
    machines): what is still running under the run's temp folder at the end is stopped, and
    the run fails."""
    from host.embedded import running_postmasters

    yield
    left = running_postmasters(tmp_path_factory.getbasetemp())
    for pid in left:
        os.kill(pid, signal.SIGTERM)
    assert left == [], "embedded PostgreSQL servers left running by the tests (now stopped)"


@pytest.fixture(scope="module")
async def system(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from host.embedded import EmbeddedSystem, start_embedded_postgres, stop_embedded_postgres
    from kit import telemetry

    processor: SpanProcessor = SimpleSpanProcessor(EXPORTER)
    telemetry.add_shared_span_processor(processor)
    folder = tmp_path_factory.mktemp("pg")
    url = start_embedded_postgres(folder)
    common = CommonSettings(bus="memory", retry_delays_ms=[50, 100], outbox_poll_interval_s=0.2)
    system = EmbeddedSystem(url_template=url, common=common)
    await system.start()
    await _demo_store_known_to_inquiry(system)
    yield system
    await system.stop()
    stop_embedded_postgres(folder)
    telemetry._shared_processors.remove(processor)


async def _demo_store_known_to_inquiry(system) -> None:  # type: ignore[no-untyped-def]
    """The demo store reaches the inquiry service by StoreChanged, a moment after the seed:
    a portal inquiry naming it before then is refused (unknown_store_code). The tests start
    once it has arrived, as a portal is given a store code only once the store exists."""
    import sqlalchemy as sa

    from tests.e2e.flows import STORE_CODE, eventually

    async def known() -> bool:
        async with system.runtimes["inquiry"].engine.connect() as conn:
            query = sa.text("SELECT count(*) FROM inquiry_stores WHERE code = :c")
            return bool(await conn.scalar(query, {"c": STORE_CODE}))

    await eventually(known)


@pytest.fixture
async def client(system):  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=system.gateway_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as c:
        yield c


@pytest.fixture(scope="module")
async def served(system):  # type: ignore[no-untyped-def]
    """The module's embedded system behind a real HTTP port, for browser tests."""
    port = free_port()
    config = uvicorn.Config(
        system.gateway_app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task
