"""/metrics of a service on the real database: requests by route template (health, readiness
and metrics not counted), the outbox's unpublished rows and the age of the oldest, the
consumer's events by outcome, retries and dead letters, the DLQ's depth, the workers' last
round; and several runtimes of one process (the embedded mode) in one valid exposition."""

import uuid

import httpx
import pytest
from contracts import Event
from fastapi import APIRouter
from kit.bus import InMemoryBus, Message
from kit.http import create_service_app
from kit.metrics import exposition
from kit.runtime import ServiceRuntime
from kit.settings import CommonSettings, ServiceSettings
from kit.testing import eventually
from kit.uow import UnitOfWork
from prometheus_client.parser import text_string_to_metric_families

pytestmark = pytest.mark.database


class ProbedV1(Event):
    event_type = "probe.probed"
    version = 1
    producer = "probe"
    n: int


async def probed(event: ProbedV1, *, envelope, uow: UnitOfWork) -> None:  # type: ignore[no-untyped-def]
    if event.n == 13:
        raise ValueError("unlucky")


router = APIRouter()


@router.get("/things/{thing_id}")
async def thing(thing_id: str) -> dict[str, str]:
    return {"id": thing_id}


def _runtime(url: str, bus: InMemoryBus, name: str = "probe") -> ServiceRuntime:
    return ServiceRuntime(
        name=name,
        settings=ServiceSettings(database_url=url, port=0),
        common=CommonSettings(bus="memory", outbox_poll_interval_s=0.1),
        migrations_package="inquiry.migrations",  # any service's schema has the kit tables
        handlers={ProbedV1: [probed]},
        bus=bus,
    )


def _samples(text: str) -> dict[tuple[str, frozenset], float]:
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}  # fmt: skip


def _value(samples: dict, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


@pytest.fixture
async def probe(database_factory):  # type: ignore[no-untyped-def]
    bus = InMemoryBus(namespace="m", retry_delays_ms=[10, 20])
    await bus.start()
    runtime = _runtime(database_factory("metrics"), bus)
    app = create_service_app(runtime, routers=[router], title="probe", manage_lifecycle=False)
    await runtime.start()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://probe") as client:
        yield runtime, client
    await runtime.stop()
    await bus.close()


async def _scrape(client: httpx.AsyncClient) -> dict:
    r = await client.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain; version=")
    return _samples(r.text)


async def test_requests_are_counted_and_timed_by_route_template(probe) -> None:  # type: ignore[no-untyped-def]
    _, client = probe
    for thing_id in ("a", "b"):
        assert (await client.get(f"/things/{thing_id}")).status_code == 200
    assert (await client.get("/no/such/page")).status_code == 404
    assert (await client.request("BREW", "/things/c")).status_code == 405
    for path in ("/healthz", "/readyz", "/metrics"):
        await client.get(path)
    m = await _scrape(client)
    route = "/things/{thing_id}"
    assert _value(m, "crm_http_requests_total", service="probe", method="GET", route=route,
                  status="200") == 2  # fmt: skip
    assert _value(m, "crm_http_request_duration_seconds_count", service="probe", method="GET",
                  route=route) == 2  # fmt: skip
    assert _value(m, "crm_http_request_duration_seconds_bucket", service="probe", method="GET",
                  route=route, le="10.0") == 2  # fmt: skip
    assert _value(m, "crm_http_requests_total", service="probe", method="GET", route="unmatched",
                  status="404") == 1  # fmt: skip
    # a method is the client's token: an unknown one is "other", not a series of its own
    assert _value(m, "crm_http_requests_total", service="probe", method="other", route=route,
                  status="405") == 1  # fmt: skip
    routes = {dict(labels)["route"] for name, labels in m if name == "crm_http_requests_total"}
    assert routes == {route, "unmatched"}  # no raw path, no health, readiness or metrics


async def test_outbox_lag_and_worker_age_are_read_at_scrape_time(probe) -> None:  # type: ignore[no-untyped-def]
    runtime, client = probe
    m = await eventually(lambda: _with_worker_age(client))
    assert 0 <= _value(m, "crm_worker_last_run_age_seconds", service="probe", worker="outbox") < 60
    assert _value(m, "crm_outbox_pending_rows", service="probe") == 0
    assert _value(m, "crm_outbox_oldest_age_seconds", service="probe") == 0
    await runtime.relay.stop()  # the relay paused: the rows wait
    tenant = uuid.uuid4()
    for n in (1, 2):
        await runtime.transactions(tenant_id=tenant).run(
            lambda uow, n=n: uow.outbox.add(ProbedV1(n=n), tenant_id=tenant)
        )
    m = await _scrape(client)
    assert _value(m, "crm_outbox_pending_rows", service="probe") == 2
    assert 0 < _value(m, "crm_outbox_oldest_age_seconds", service="probe") < 60
    await runtime.relay.start()

    async def published() -> bool:
        return _value(await _scrape(client), "crm_outbox_pending_rows", service="probe") == 0

    await eventually(published)
    assert _value(await _scrape(client), "crm_outbox_oldest_age_seconds", service="probe") == 0


async def _with_worker_age(client: httpx.AsyncClient) -> dict | None:
    m = await _scrape(client)
    has = _value(m, "crm_worker_last_run_age_seconds", service="probe", worker="outbox")
    return m if has is not None else None


async def test_events_by_outcome_retries_dead_letters_and_queue_depths(probe) -> None:  # type: ignore[no-untyped-def]
    runtime, client = probe
    tenant = uuid.uuid4()
    for n in (1, 13):
        await runtime.transactions(tenant_id=tenant).run(
            lambda uow, n=n: uow.outbox.add(ProbedV1(n=n), tenant_id=tenant)
        )
    key = ProbedV1.routing_key()

    async def settled() -> dict | None:
        m = await _scrape(client)
        done = _value(m, "crm_events_handled_total", service="probe", routing_key=key,
                      outcome="dead_lettered")  # fmt: skip
        return m if done == 1 else None

    m = await eventually(settled)
    assert _value(m, "crm_events_handled_total", service="probe", routing_key=key,
                  outcome="ok") == 1  # fmt: skip
    assert _value(m, "crm_events_handled_total", service="probe", routing_key=key,
                  outcome="retried") == 2  # fmt: skip
    assert _value(m, "crm_consumer_retries_total", service="probe") == 2
    assert _value(m, "crm_dead_letters_total", service="probe") == 1
    assert (
        _value(m, "crm_dead_letter_queue_messages", service="probe", queue="m.probe.events.dlq")
        == 1
    )
    assert _value(m, "crm_consumer_lag_messages", service="probe", queue="m.probe.events") == 0

    # the good event once more (a redelivery): every handler had it already
    good = next(d for d in await _sent(runtime) if b'"n":1' in d.body.replace(b" ", b""))
    await runtime.bus.publish(good)

    async def duplicate() -> bool:
        return _value(await _scrape(client), "crm_events_handled_total", service="probe",
                      routing_key=key, outcome="duplicate") == 1  # fmt: skip

    await eventually(duplicate)


async def _sent(runtime: ServiceRuntime) -> list[Message]:
    import sqlalchemy as sa
    from kit.outbox import outbox_table as t

    async with runtime.engine.connect() as conn:
        rows = (await conn.execute(sa.select(t.c.event_id, t.c.routing_key,
                                             sa.cast(t.c.envelope, sa.Text)))).all()  # fmt: skip
    return [Message(r[1], r[2].encode(), str(r[0])) for r in rows]


async def test_runtimes_of_one_process_give_one_exposition_labelled_by_service(
    database_factory,
) -> None:  # type: ignore[no-untyped-def]
    bus = InMemoryBus(namespace="m2", retry_delays_ms=[10])
    await bus.start()
    first = _runtime(database_factory("metrics_a"), bus, "alpha")
    second = _runtime(database_factory("metrics_b"), bus, "beta")
    apps = [create_service_app(r, routers=[router], title=r.name, manage_lifecycle=False)
            for r in (first, second)]  # fmt: skip
    for runtime in (first, second):
        await runtime.start()
    try:
        for app in apps:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://x") as client:
                await client.get("/things/1")
        text = (await exposition([first, second])).decode()
    finally:
        for runtime in (first, second):
            await runtime.stop()
        await bus.close()
    assert text.count("# TYPE crm_http_requests_total counter") == 1
    assert text.count("# TYPE crm_outbox_pending_rows gauge") == 1
    m = _samples(text)
    for service in ("alpha", "beta"):
        assert _value(m, "crm_http_requests_total", service=service, method="GET",
                      route="/things/{thing_id}", status="200") == 1  # fmt: skip
        assert _value(m, "crm_outbox_pending_rows", service=service) == 0
        assert _value(m, "crm_consumer_lag_messages", service=service,
                      queue=f"m2.{service}.events") == 0  # fmt: skip
