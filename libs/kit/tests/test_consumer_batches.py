"""Deliveries handled together (decision 110), on the real PostgreSQL and RabbitMQ: the ready
events of one tenant commit in one transaction, each still claimed in the inbox; a poison
event undoes its batch, whose events are then handled one by one, so that it alone is retried
and dead-lettered; a lone event is never held back waiting for company."""

import asyncio
import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from contracts import Envelope
from contracts.gateway import StoreChangedV1
from kit.bus import InMemoryBus, Message, RabbitBus, Subscription
from kit.runtime import ServiceRuntime
from kit.settings import CommonSettings, ServiceSettings
from kit.testing import delete_bus_namespace, eventually, unique_name

THINGS = "CREATE TABLE IF NOT EXISTS batch_things (code text, tx bigint)"
QUEUE = "inquiry.events"


def _message(tenant_id: uuid.UUID, code: str) -> Message:
    event = StoreChangedV1(
        store_id=uuid.uuid4(), code=code, name="本店", changed_at=datetime.now(UTC)
    )
    envelope = Envelope(
        event_type=event.event_type,
        version=event.version,
        routing_key=event.routing_key(),
        tenant_id=tenant_id,
        producer="gateway",
        payload=event.model_dump(mode="json"),
    )
    return Message(
        envelope.routing_key, envelope.model_dump_json().encode(), str(envelope.event_id)
    )


@pytest.fixture
async def batching(database_factory):  # type: ignore[no-untyped-def]
    """A service whose one handler writes each store code with its transaction's id; the code
    "poison" always fails."""
    calls: list[str] = []

    async def remember_store(event: StoreChangedV1, *, envelope: Envelope, uow) -> None:  # type: ignore[no-untyped-def]
        calls.append(event.code)
        await uow.session.execute(
            sa.text("INSERT INTO batch_things VALUES (:code, txid_current())"),
            {"code": event.code},
        )
        if event.code == "poison":
            raise ValueError("never handled")

    bus = InMemoryBus(namespace="t", retry_delays_ms=[10])
    runtime = ServiceRuntime(
        name="inquiry",
        settings=ServiceSettings(database_url=database_factory("batches"), port=0),
        common=CommonSettings(bus="memory", consumer_prefetch=16, consumer_batch=8),
        migrations_package="inquiry.migrations",  # any service's schema has the kit tables
        handlers={StoreChangedV1: [remember_store]},
        bus=bus,
    )
    # the table exists before the consumer can take anything
    from kit import db

    await db.ensure_database(runtime.settings.database_url)
    engine = db.create_engine(runtime.settings.database_url)
    async with engine.begin() as conn:
        await conn.execute(sa.text(THINGS))
        await conn.execute(sa.text("TRUNCATE batch_things"))
    await engine.dispose()
    await bus.start()
    await runtime.start()
    yield runtime, bus, calls
    await runtime.stop()
    await bus.close()


async def _rows(runtime: ServiceRuntime) -> dict[str, int]:
    assert runtime.engine is not None
    async with runtime.engine.connect() as conn:
        rows = (await conn.execute(sa.text("SELECT code, tx FROM batch_things"))).all()
    found = {code: tx for code, tx in rows}
    assert len(found) == len(rows), f"a code written twice: {sorted(c for c, _ in rows)}"
    return found


async def _publish_at_once(bus: InMemoryBus, messages: list[Message]) -> None:
    # the in-memory bus queues without yielding: the consumer finds them all ready together
    for message in messages:
        await bus.publish(message)


@pytest.mark.database
async def test_the_ready_events_of_a_tenant_commit_in_one_transaction(batching) -> None:  # type: ignore[no-untyped-def]
    runtime, bus, calls = batching
    tenant_a, tenant_b = uuid.uuid4(), uuid.uuid4()
    codes = ["A-1", "B-1", "A-2", "B-2", "A-3"]
    tenants = [tenant_a, tenant_b, tenant_a, tenant_b, tenant_a]
    sent = [_message(t, c) for t, c in zip(tenants, codes, strict=True)]
    await _publish_at_once(bus, sent)
    await eventually(lambda: _has(runtime, codes))

    rows = await _rows(runtime)
    assert rows["A-1"] == rows["A-2"] == rows["A-3"]  # one transaction per tenant
    assert rows["B-1"] == rows["B-2"] != rows["A-1"]
    assert sorted(calls) == sorted(codes)  # each handled once

    # delivered again (at least once): every claim committed with its batch
    await _publish_at_once(bus, sent[:2])
    assert await bus.drain()
    assert sorted(calls) == sorted(codes)
    assert len(await _rows(runtime)) == 5


@pytest.mark.database
async def test_a_poison_event_is_retried_alone_and_its_neighbours_commit_once(batching) -> None:  # type: ignore[no-untyped-def]
    runtime, bus, calls = batching
    tenant = uuid.uuid4()
    codes = ["P-1", "P-2", "poison", "P-3"]
    await _publish_at_once(bus, [_message(tenant, c) for c in codes])

    async def dead() -> bool:
        return len(await bus.dead_letters(QUEUE)) == 1

    await eventually(dead)
    await eventually(lambda: _has(runtime, ["P-1", "P-2", "P-3"]))
    rows = await _rows(runtime)

    assert "poison" not in rows  # its rows were undone every time
    assert len({rows["P-1"], rows["P-2"], rows["P-3"]}) == 3  # one by one after the batch failed
    assert calls.count("P-1") == 2  # in the batch that was undone, then alone
    assert calls.count("poison") == 3  # in the batch, alone, and alone on its one retry
    letter = (await bus.dead_letters(QUEUE))[0]
    assert "never handled" in letter.headers["x-crm-error"]


@pytest.mark.database
async def test_an_event_that_comes_alone_is_handled_at_once(batching) -> None:  # type: ignore[no-untyped-def]
    runtime, bus, calls = batching
    await bus.publish(_message(uuid.uuid4(), "L-1"))
    # the worker does not wait for a batch to fill: a lone event is handled as it comes
    await eventually(lambda: _has(runtime, ["L-1"]), timeout=2.0)
    assert calls == ["L-1"]


async def _has(runtime: ServiceRuntime, codes: list[str]) -> bool:
    return set(codes) <= set(await _rows(runtime))


@pytest.mark.broker
async def test_rabbit_hands_what_is_ready_over_together_and_retries_only_the_failed(
    amqp_url: str,
) -> None:
    namespace = unique_name("t")
    delays = [50, 100]
    bus = RabbitBus(url=amqp_url, namespace=namespace, retry_delays_ms=delays)
    await bus.start()
    sizes: list[int] = []
    seen: list[str] = []
    attempts: dict[str, list[int]] = {}
    release = asyncio.Event()

    async def one(message: Message) -> None:
        (outcome,) = await many([message])
        if outcome is not None:
            raise outcome

    async def many(messages) -> list[Exception | None]:  # type: ignore[no-untyped-def]
        sizes.append(len(messages))
        if len(sizes) == 1:
            await release.wait()  # the others pile up meanwhile
        outcomes: list[Exception | None] = []
        for message in messages:
            attempts.setdefault(message.message_id, []).append(message.attempt)
            if message.body == b"poison":
                outcomes.append(ValueError("always fails"))
            else:
                seen.append(message.message_id)
                outcomes.append(None)
        return outcomes

    # one worker taking up to four: the prefetch window is one batch
    sub = Subscription("orders", ("orders.#",), one, prefetch=4, batch=4, handle_batch=many)
    try:
        await bus.subscribe(sub)
        await bus.publish(Message("orders.order_placed.v1", b"ok", "m0"))
        await eventually(lambda: _true(sizes == [1]))  # alone: handed over at once
        for n, body in enumerate([b"ok", b"poison", b"ok", b"ok"], start=1):
            await bus.publish(Message("orders.order_placed.v1", body, f"m{n}"))

        async def three_delivered_one_waiting() -> bool:
            depths = await bus.queue_depths("orders")
            return depths is not None and depths.ready == 1

        await eventually(three_delivered_one_waiting)
        await asyncio.sleep(0.2)  # the three deliveries reach the adapter's local queue
        release.set()

        async def dead() -> bool:
            return len(await bus.dead_letters("orders")) == 1

        await eventually(dead)
        await eventually(lambda: _true(len(seen) == 4))
    finally:
        await bus.close()
        await delete_bus_namespace(amqp_url, namespace, queues=("orders",), retry_delays_ms=delays)

    assert sizes[:2] == [1, 3]  # what was ready went together
    assert sorted(seen) == ["m0", "m1", "m3", "m4"]  # each once
    assert attempts["m2"] == [0, 1, 2]  # the poison alone went through the retries
    assert all(attempts[m] == [0] for m in ("m0", "m1", "m3", "m4"))


async def _true(value: bool) -> bool:
    return value
