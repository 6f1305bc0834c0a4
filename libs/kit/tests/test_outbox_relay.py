"""Outbox + relay on the real PostgreSQL: events commit with the state change, the relay
publishes each exactly once even with competing relays, and keeps rows while the bus fails."""

import asyncio
import uuid

import pytest
import sqlalchemy as sa
from contracts import CustomerMergedV1, Envelope
from kit import db, migrations
from kit.bus import Bus, BusUnavailable, InMemoryBus, Message, Subscription
from kit.outbox import FEW, Outbox, outbox_table
from kit.relay import OutboxRelay
from opentelemetry import trace

pytestmark = pytest.mark.database


def _event() -> CustomerMergedV1:
    from datetime import UTC, datetime

    return CustomerMergedV1(
        source_customer_id=uuid.uuid4(),
        target_customer_id=uuid.uuid4(),
        merged_at=datetime.now(UTC),
    )


async def _prepared(url: str):  # type: ignore[no-untyped-def]
    await db.ensure_database(url)
    engine = db.create_engine(url)
    await migrations.upgrade(
        engine, "inquiry.migrations"
    )  # any service's schema has the kit tables
    return engine


async def _add_events(engine, n: int, *, commit: bool = True) -> None:  # type: ignore[no-untyped-def]
    sessions = db.session_factory(engine)
    async with sessions() as session:
        outbox = Outbox(session, producer="test")
        for _ in range(n):
            await outbox.add(_event(), tenant_id=uuid.uuid4())
        if commit:
            await session.commit()


@pytest.mark.parametrize("count", [5, FEW + 3], ids=["insert", "copy"])
async def test_add_many_writes_what_add_writes_and_commits_or_rolls_back_as_one(
    database_factory, count: int
) -> None:  # type: ignore[no-untyped-def]
    engine = await _prepared(database_factory("relay"))
    sessions = db.session_factory(engine)
    tenant = uuid.uuid4()
    events = [_event() for _ in range(count)]
    async with sessions() as session:
        await Outbox(session, producer="test").add_many(events[:2], tenant_id=tenant)
        await session.rollback()
    async with sessions() as session:
        outbox = Outbox(session, producer="test")
        single = await outbox.add(events[0], tenant_id=tenant)
        many = await outbox.add_many(events[1:], tenant_id=tenant)
        await session.commit()
    t = outbox_table
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                sa.select(t.c.event_id, t.c.tenant_id, t.c.routing_key, t.c.envelope).order_by(
                    t.c.id
                )
            )
        ).all()
    assert [r.event_id for r in rows] == [e.event_id for e in [single, *many]]  # in order
    assert {r.tenant_id for r in rows} == {tenant}
    for row, event in zip(rows, events, strict=True):
        stored = Envelope.model_validate(row.envelope)
        assert row.routing_key == stored.routing_key == "customer.merged.v1"
        assert stored.payload == event.model_dump(mode="json")
        assert stored.producer == "test" and stored.tenant_id == tenant
    await engine.dispose()


async def test_events_added_in_bulk_wake_the_relay_and_are_each_published_once(
    database_factory,
) -> None:  # type: ignore[no-untyped-def]
    url = database_factory("relay")
    engine = await _prepared(url)
    bus = InMemoryBus(retry_delays_ms=[10])
    await bus.start()
    seen = await _collect(bus)
    relay = OutboxRelay(
        engine=engine, database_url=url, bus=bus, producer="test",
        tracer=trace.get_tracer("test"), poll_interval_s=30,
    )  # fmt: skip
    await relay.start()
    await asyncio.sleep(0.2)  # let it LISTEN and go idle
    async with db.session_factory(engine)() as session:
        added = await Outbox(session, producer="test").add_many(
            [_event() for _ in range(250)], tenant_id=uuid.uuid4()
        )
        await session.commit()
    for _ in range(200):
        if len(seen) == 250:
            break
        await asyncio.sleep(0.05)
    await relay.stop()
    assert seen == [e.event_id.hex for e in added]  # all of them, once each, in order
    await bus.close()
    await engine.dispose()


class FlakyBus(InMemoryBus):
    def __init__(self) -> None:
        super().__init__(retry_delays_ms=[10])
        self.down = False

    async def publish(self, message: Message) -> None:
        if self.down:
            raise BusUnavailable("down")
        await super().publish(message)


async def _collect(bus: Bus) -> list[str]:
    seen: list[str] = []

    async def handler(message: Message) -> None:
        seen.append(Envelope.model_validate_json(message.body).event_id.hex)

    await bus.subscribe(Subscription("q", ("#",), handler))
    return seen


async def test_rolled_back_transaction_publishes_nothing(database_factory) -> None:
    engine = await _prepared(database_factory("relay"))
    await _add_events(engine, 3, commit=False)
    async with engine.connect() as conn:
        assert await conn.scalar(sa.select(sa.func.count()).select_from(outbox_table)) == 0
    await engine.dispose()


async def test_competing_relays_publish_every_event_exactly_once(database_factory) -> None:
    url = database_factory("relay")
    engine = await _prepared(url)
    bus = InMemoryBus(retry_delays_ms=[10])
    await bus.start()
    seen = await _collect(bus)
    tracer = trace.get_tracer("test")
    relays = [
        OutboxRelay(
            engine=engine, database_url=url, bus=bus, producer="test", tracer=tracer, batch_size=7
        )
        for _ in range(3)
    ]
    await _add_events(engine, 200)
    await asyncio.gather(*(r.drain_once() for r in relays for _ in range(15)))
    while sum(await asyncio.gather(*(r.drain_once() for r in relays))):
        pass
    await asyncio.sleep(0.05)
    assert len(seen) == 200
    assert len(set(seen)) == 200
    assert await relays[0].lag() == 0
    await bus.close()
    await engine.dispose()


async def test_relay_keeps_rows_while_broker_is_down_and_sends_them_after(database_factory) -> None:
    url = database_factory("relay")
    engine = await _prepared(url)
    bus = FlakyBus()
    await bus.start()
    seen = await _collect(bus)
    relay = OutboxRelay(
        engine=engine,
        database_url=url,
        bus=bus,
        producer="test",
        tracer=trace.get_tracer("test"),
        poll_interval_s=0.05,
    )
    bus.down = True
    await relay.start()
    await _add_events(engine, 20)
    await asyncio.sleep(0.3)
    assert seen == []
    assert await relay.lag() == 20
    bus.down = False
    relay.wake()
    for _ in range(100):
        if len(seen) == 20:
            break
        await asyncio.sleep(0.05)
    await relay.stop()
    assert len(set(seen)) == 20
    await bus.close()
    await engine.dispose()


class FussyBus(InMemoryBus):
    """Refuses the first publish of every third message, confirms the rest."""

    def __init__(self) -> None:
        super().__init__(retry_delays_ms=[10])
        self.tried: set[str] = set()
        self.in_flight = self.most_in_flight = 0

    async def publish(self, message: Message) -> None:
        first = message.message_id not in self.tried
        self.tried.add(message.message_id)
        if first and len(self.tried) % 3 == 0:
            raise BusUnavailable("nack")
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await asyncio.sleep(0.01)  # a confirm's round trip
        self.in_flight -= 1
        await super().publish(message)


async def test_a_batch_is_confirmed_together_and_its_refused_rows_are_sent_later(
    database_factory,
) -> None:  # type: ignore[no-untyped-def]
    url = database_factory("relay")
    engine = await _prepared(url)
    bus = FussyBus()
    await bus.start()
    seen = await _collect(bus)
    relay = OutboxRelay(
        engine=engine, database_url=url, bus=bus, producer="test",
        tracer=trace.get_tracer("test"), poll_interval_s=30,
    )  # fmt: skip
    await _add_events(engine, 30)
    with pytest.raises(BusUnavailable):
        await relay.drain_once()
    assert len(seen) == 20 and await relay.lag() == 10  # the confirmed are marked sent
    assert bus.most_in_flight == 20  # their confirms were awaited together, not in turn
    assert await relay.drain_once() == 10
    assert await relay.lag() == 0 and len(seen) == len(set(seen)) == 30  # each once
    await bus.close()
    await engine.dispose()


async def test_notify_wakes_the_relay_without_waiting_for_the_poll(database_factory) -> None:
    url = database_factory("relay")
    engine = await _prepared(url)
    bus = InMemoryBus(retry_delays_ms=[10])
    await bus.start()
    seen = await _collect(bus)
    relay = OutboxRelay(
        engine=engine,
        database_url=url,
        bus=bus,
        producer="test",
        tracer=trace.get_tracer("test"),
        poll_interval_s=30,
    )
    await relay.start()
    await asyncio.sleep(0.2)  # let it LISTEN and go idle
    await _add_events(engine, 1)
    for _ in range(50):
        if seen:
            break
        await asyncio.sleep(0.02)
    await relay.stop()
    assert len(seen) == 1  # well before the 30 s poll
    await bus.close()
    await engine.dispose()


async def test_replicas_creating_the_same_database_at_once_all_succeed(pg_server_url) -> None:  # type: ignore[no-untyped-def]
    from kit.testing import unique_name

    url = f"{pg_server_url}/{unique_name('t_race')}"
    try:
        await asyncio.gather(*(db.ensure_database(url) for _ in range(6)))
    finally:
        admin = db.create_engine(f"{pg_server_url}/postgres")
        async with admin.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            name = url.rsplit("/", 1)[1]
            await conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        await admin.dispose()
