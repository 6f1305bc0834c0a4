"""The one transaction boundary (kit.transactions), on the real PostgreSQL: a deadlock or a
serialization failure retries the whole transaction a bounded number of times, any other
database error is raised at once; a unique index a concurrent write won is a 409 naming the
service's field; the consumer runs each handler with its inbox claim through the same
boundary, so a handler's deadlock is retried there and its effect commits once."""

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from contracts import Envelope
from contracts.gateway import StoreChangedV1
from kit.bus import InMemoryBus, Message
from kit.consumer import EventConsumer
from kit.errors import Conflict
from kit.runtime import ServiceRuntime
from kit.settings import CommonSettings, ServiceSettings
from kit.transactions import ATTEMPTS, Transactions
from kit.uow import UnitOfWork
from opentelemetry import trace
from sqlalchemy.exc import DBAPIError

pytestmark = pytest.mark.database

RAISE = "DO $$ BEGIN RAISE EXCEPTION 'x' USING ERRCODE = '{code}'; END $$"
THINGS = "CREATE TABLE IF NOT EXISTS tx_things (code text CONSTRAINT tx_things_code UNIQUE)"


@pytest.fixture
async def runtime(database_factory):  # type: ignore[no-untyped-def]
    runtime = ServiceRuntime(
        name="inquiry",
        settings=ServiceSettings(database_url=database_factory("transactions"), port=0),
        common=CommonSettings(bus="memory"),
        migrations_package="inquiry.migrations",  # any service's schema has the kit tables
        unique_fields={"tx_things_code": "code"},
        bus=InMemoryBus(namespace="t", retry_delays_ms=[10]),
    )
    await runtime.start()
    assert runtime.engine is not None
    async with runtime.engine.begin() as conn:
        await conn.execute(sa.text(THINGS))
        await conn.execute(sa.text("TRUNCATE tx_things"))
    yield runtime
    await runtime.stop()


async def _things(runtime: ServiceRuntime) -> list[str]:
    assert runtime.engine is not None
    async with runtime.engine.connect() as conn:
        return list((await conn.execute(sa.text("SELECT code FROM tx_things"))).scalars())


def _insert(code: str) -> sa.TextClause:
    return sa.text("INSERT INTO tx_things (code) VALUES (:code)").bindparams(code=code)


@pytest.mark.parametrize("code", ["40P01", "40001"])
async def test_retryable_failures_are_retried_then_commit_once(runtime, code: str) -> None:  # type: ignore[no-untyped-def]
    calls = []

    async def work(uow) -> str:  # type: ignore[no-untyped-def]
        calls.append(1)
        await uow.session.execute(_insert(f"try-{len(calls)}"))
        if len(calls) < 3:
            await uow.session.execute(sa.text(RAISE.format(code=code)))
        return "done"

    assert await Transactions(runtime, tenant_id=None).run(work) == "done"
    assert len(calls) == 3
    assert await _things(runtime) == ["try-3"]  # the failed attempts left nothing


async def test_retries_are_bounded_and_other_errors_are_not_retried(runtime) -> None:  # type: ignore[no-untyped-def]
    calls = []

    async def always(uow) -> None:  # type: ignore[no-untyped-def]
        calls.append(1)
        await uow.session.execute(sa.text(RAISE.format(code="40P01")))

    with pytest.raises(DBAPIError):
        await runtime.transactions(tenant_id=None).run(always)
    assert len(calls) == ATTEMPTS

    calls.clear()

    async def broken(uow) -> None:  # type: ignore[no-untyped-def]
        calls.append(1)
        await uow.session.execute(sa.text(RAISE.format(code="22012")))  # division_by_zero

    with pytest.raises(DBAPIError):
        await runtime.transactions(tenant_id=None).run(broken)
    assert len(calls) == 1


async def test_a_unique_index_won_by_another_write_is_a_409_naming_the_field(runtime) -> None:  # type: ignore[no-untyped-def]
    tx = runtime.transactions(tenant_id=None)

    async def add(uow) -> None:  # type: ignore[no-untyped-def]
        await uow.session.execute(_insert("A-1"))

    await tx.run(add)
    with pytest.raises(Conflict) as refused:
        await tx.run(add)
    assert (refused.value.code, refused.value.field) == ("concurrent_update", "code")
    assert refused.value.message.startswith("同時に同じ内容が登録されました")
    assert await _things(runtime) == ["A-1"]


async def test_the_consumer_retries_a_handlers_deadlock_and_commits_its_effect_once(
    runtime,  # type: ignore[no-untyped-def]
) -> None:
    calls = []

    async def remember_store(event: StoreChangedV1, *, envelope: Envelope, uow) -> None:  # type: ignore[no-untyped-def]
        calls.append(1)
        await uow.session.execute(_insert(event.code))
        if len(calls) == 1:  # a deadlock with another handler: the whole attempt is undone
            await uow.session.execute(sa.text(RAISE.format(code="40P01")))

    consumer = EventConsumer(
        service="inquiry",
        handlers={StoreChangedV1: [remember_store]},
        transactions=runtime.transactions,
        tracer=trace.get_tracer("test"),
    )
    event = StoreChangedV1(
        store_id=uuid.uuid4(), code="S-1", name="本店", changed_at=datetime.now(UTC)
    )
    envelope = Envelope(
        event_type=event.event_type,
        version=event.version,
        routing_key=event.routing_key(),
        tenant_id=uuid.uuid4(),
        producer="gateway",
        payload=event.model_dump(mode="json"),
    )
    message = Message(
        routing_key=envelope.routing_key,
        body=envelope.model_dump_json().encode(),
        message_id=str(envelope.event_id),
    )
    await consumer.handle(message)
    assert len(calls) == 2  # retried inside the boundary, not redelivered
    await consumer.handle(message)  # redelivered anyway: the inbox claim committed with it
    assert len(calls) == 2
    assert await _things(runtime) == ["S-1"]


async def test_a_copy_is_answered_like_a_statement(runtime) -> None:  # type: ignore[no-untyped-def]
    """kit.db.copy_rows (bulk writes) raises as SQLAlchemy would for a statement: a unique
    index lost is the same 409 naming the field, not a 500."""
    from kit.db import copy_rows

    await Transactions(runtime, tenant_id=None).run(
        lambda uow: uow.session.execute(_insert("taken"))
    )

    async def copy(uow) -> None:  # type: ignore[no-untyped-def]
        await copy_rows(uow.session, "tx_things", columns=("code",), records=[("new",), ("taken",)])

    with pytest.raises(Conflict) as refused:
        await Transactions(runtime, tenant_id=None).run(copy)
    assert refused.value.field == "code"
    assert await _things(runtime) == ["taken"]  # nothing of the COPY stayed


async def test_a_read_snapshot_sees_one_moment_and_writes_nothing(runtime) -> None:  # type: ignore[no-untyped-def]
    async with UnitOfWork(runtime.sessions, producer="inquiry", tenant_id=None) as reader:
        await reader.read_snapshot()
        before = await reader.session.scalar(sa.text("SELECT count(*) FROM tx_things"))
        async with runtime.engine.begin() as conn:  # committed while the reader reads
            await conn.execute(_insert("later"))
        after = await reader.session.scalar(sa.text("SELECT count(*) FROM tx_things"))
        assert (before, after) == (0, 0)
        with pytest.raises(DBAPIError, match="read-only transaction"):
            await reader.session.execute(_insert("refused"))
    assert await _things(runtime) == ["later"]
    # the pool's connection is back at READ COMMITTED for the next unit
    async with UnitOfWork(runtime.sessions, producer="inquiry", tenant_id=None) as next_unit:
        level = await next_unit.session.scalar(sa.text("SHOW transaction_isolation"))
        assert level == "read committed"
