"""/readyz of every service answers 503 while its database or its broker cannot be reached,
and 200 again once the database is back: each service runs on the real servers through a
TCP relay that the test cuts (the shared servers themselves are never stopped)."""

import importlib
import json
from urllib.parse import urlsplit

import httpx
import pytest
from kit.settings import CommonSettings
from kit.testing import TcpProxy, delete_bus_namespace, unique_name

from tests.e2e.flows import eventually

pytestmark = [pytest.mark.e2e, pytest.mark.database, pytest.mark.broker]
SERVICES = ("inquiry", "customer", "booking", "leads", "orders", "gateway")
DELAYS = [100]


@pytest.fixture(scope="module")
async def relays(pg_server_url: str, amqp_url: str):  # type: ignore[no-untyped-def]
    pg, mq = urlsplit(pg_server_url), urlsplit(amqp_url)
    database, broker = (
        TcpProxy(pg.hostname, pg.port or 5432),
        TcpProxy(mq.hostname, mq.port or 5672),
    )
    for relay in (database, broker):
        await relay.start()
    namespace = unique_name("ready")
    yield database, broker, namespace
    for relay in (database, broker):
        await relay.cut()
    queues = tuple(f"{s}.events" for s in SERVICES)
    await delete_bus_namespace(amqp_url, namespace, queues=queues, retry_delays_ms=DELAYS)


async def _ready(client: httpx.AsyncClient) -> tuple[int, dict]:
    r = await client.get("/readyz")
    return r.status_code, r.json()


@pytest.mark.parametrize("service", SERVICES)
async def test_readiness_fails_without_database_or_broker(
    service: str, relays, database_factory, amqp_url: str
) -> None:  # type: ignore[no-untyped-def]
    database, broker, namespace = relays
    boot = importlib.import_module(f"{service}.bootstrap")
    http = importlib.import_module(f"{service}.entrypoints.http")
    settings_cls = next(v for k, v in vars(importlib.import_module(f"{service}.settings")).items()
                        if k.endswith("Settings") and k.lower().startswith(service))  # fmt: skip
    url = database.url(database_factory(f"ready_{service}"))
    common = CommonSettings(bus="amqp", amqp_url=broker.url(amqp_url), bus_namespace=namespace,
                            retry_delays_ms=DELAYS)  # fmt: skip
    runtime = boot.build_runtime(settings_cls(database_url=url, db_pool_size=2), common=common)
    app = http.create_app(runtime, manage_lifecycle=False)
    await runtime.start()
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://s") as client:
            status, body = await _ready(client)
            assert (status, body["database"], body["bus"]) == (200, "ok", "ok")

            await database.cut()
            status, body = await _ready(client)
            assert status == 503 and body["status"] == "unavailable", json.dumps(body)
            assert body["database"].startswith("error") and body["bus"] == "ok"
            await database.start()  # the same port again

            async def ready_again() -> bool:
                return (await _ready(client))[0] == 200

            await eventually(ready_again)

            await broker.cut()

            async def broker_missed() -> dict | None:
                status, body = await _ready(client)
                return body if status == 503 else None

            body = await eventually(broker_missed)
            assert body["bus"].startswith("error") and body["database"] == "ok"
            await broker.start()
    finally:
        await runtime.stop()
