"""kit.customer_refs on the real PostgreSQL: holders follow merges (chains too), a row
written late for a merged-away customer lands on the target, a repeated merge changes
nothing, another tenant's rows stay, and a row racing its merge is never left behind."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from uuid import UUID

import pytest
import sqlalchemy as sa
from kit import db
from kit.customer_refs import CustomerRefs, Holder, _metadata
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

pytestmark = pytest.mark.database


class _Base(DeclarativeBase):
    pass


class Visit(db.TenantOwned, _Base):
    __tablename__ = "visits"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid)


class Send(db.TenantOwned, _Base):
    __tablename__ = "sends"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid)
    message_id: Mapped[int] = mapped_column(sa.Integer)


class Switch(db.TenantOwned, _Base):
    __tablename__ = "switches"
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)


HOLDERS = (
    Holder(Visit.customer_id, keep_rows=True),
    Holder(Send.customer_id, unique_by=Send.message_id),
    Holder(Switch.customer_id, drop=True),
)

TENANT = uuid.uuid4()


@pytest.fixture
async def engine(database_factory) -> AsyncIterator[AsyncEngine]:  # type: ignore[no-untyped-def]
    url = database_factory("refs")
    await db.ensure_database(url)
    engine = db.create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(_metadata.create_all)
        await conn.run_sync(_Base.metadata.create_all)
    yield engine
    await engine.dispose()


Work = Callable[[CustomerRefs, AsyncSession], Awaitable[object]]


async def _in_tx(engine: AsyncEngine, work: Work, *, tenant: UUID = TENANT) -> object:
    async with db.session_factory(engine)() as session:
        session.info[db.TENANT_KEY] = tenant
        result = await work(CustomerRefs(session, tenant_id=tenant, holders=HOLDERS), session)
        await session.commit()
        return result


async def _visit_for(
    refs: CustomerRefs, session: AsyncSession, visit_id: int, customer: UUID
) -> UUID:
    """What a consumer does with an event naming a customer: hold it, write the row for it."""
    held = await refs.hold(customer_id=customer)
    session.add(Visit(id=visit_id, tenant_id=TENANT, customer_id=held))
    await session.flush()
    return held


async def _rows(engine: AsyncEngine, sql: str) -> list[tuple]:
    async with engine.connect() as conn:
        return [tuple(r) for r in await conn.execute(sa.text(sql))]


async def test_a_merge_moves_holders_and_is_idempotent(engine) -> None:  # type: ignore[no-untyped-def]
    source, target, other = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()

    async def seed(refs: CustomerRefs, session: AsyncSession) -> None:
        session.add_all([
            Visit(id=1, tenant_id=TENANT, customer_id=source),
            Visit(id=2, tenant_id=TENANT, customer_id=other),
            Send(id=1, tenant_id=TENANT, customer_id=source, message_id=7),
            Send(id=2, tenant_id=TENANT, customer_id=target, message_id=7),
            Send(id=3, tenant_id=TENANT, customer_id=source, message_id=8),
            Switch(tenant_id=TENANT, customer_id=source),
            Switch(tenant_id=TENANT, customer_id=target),
        ])  # fmt: skip

    await _in_tx(engine, seed)

    async def merge(refs: CustomerRefs, session: AsyncSession) -> object:
        return await refs.repoint(source_id=source, target_id=target)

    merged = await _in_tx(engine, merge)
    assert merged.target_id == target  # type: ignore[attr-defined]
    assert [(v.id, v.customer_id) for v in merged.rows(Visit)] == [(1, target)]  # type: ignore[attr-defined]
    state = {
        "visits": await _rows(engine, "SELECT id, customer_id FROM visits ORDER BY id"),
        "sends": await _rows(engine, "SELECT id, customer_id FROM sends ORDER BY id"),
        "switches": await _rows(engine, "SELECT customer_id FROM switches"),
        "merges": await _rows(engine, "SELECT source_id, target_id FROM customer_merges"),
    }
    assert state == {
        "visits": [(1, target), (2, other)],
        "sends": [(2, target), (3, target)],  # the target's own copy of message 7 stays
        "switches": [(target,)],
        "merges": [(source, target)],
    }
    again = await _in_tx(engine, merge)
    assert again.rows(Visit) == []  # type: ignore[attr-defined]
    assert {k: await _rows(engine, q) for k, q in (
        ("visits", "SELECT id, customer_id FROM visits ORDER BY id"),
        ("sends", "SELECT id, customer_id FROM sends ORDER BY id"),
        ("switches", "SELECT customer_id FROM switches"),
        ("merges", "SELECT source_id, target_id FROM customer_merges"),
    )} == state  # fmt: skip


async def test_late_rows_and_chains_land_on_the_final_target(engine) -> None:  # type: ignore[no-untyped-def]
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()

    async def steps(refs: CustomerRefs, session: AsyncSession) -> None:
        await _visit_for(refs, session, 1, a)
        await refs.repoint(source_id=a, target_id=b)
        await refs.repoint(source_id=b, target_id=c)
        # An event naming A consumed after both merges: its row is for the customer A became.
        assert await _visit_for(refs, session, 2, a) == c
        assert await refs.current(customer_id=a) == c
        assert await refs.current(customer_id=b) == c
        # The merge B→C delivered again after C's, or a merge back into A: nothing moves.
        assert await refs.repoint(source_id=c, target_id=a) is None

    await _in_tx(engine, steps)
    assert await _rows(engine, "SELECT id, customer_id FROM visits ORDER BY id") == [(1, c), (2, c)]
    assert sorted(await _rows(engine, "SELECT source_id, target_id FROM customer_merges")) == (
        sorted([(a, c), (b, c)])
    )


async def test_another_tenants_rows_do_not_follow(engine) -> None:  # type: ignore[no-untyped-def]
    source, target = uuid.uuid4(), uuid.uuid4()
    stranger = uuid.uuid4()

    async def seed(refs: CustomerRefs, session: AsyncSession) -> None:
        session.add(Visit(id=1, tenant_id=stranger, customer_id=source))

    await _in_tx(engine, seed, tenant=stranger)

    async def merge(refs: CustomerRefs, session: AsyncSession) -> None:
        await refs.repoint(source_id=source, target_id=target)

    await _in_tx(engine, merge)
    assert await _rows(engine, "SELECT customer_id FROM visits") == [(source,)]


async def _until_someone_waits_on_an_advisory_lock(engine: AsyncEngine) -> None:
    while not (
        await _rows(engine, "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
    ):
        await asyncio.sleep(0.01)


@pytest.mark.parametrize("first", ["merge", "row"])
async def test_a_row_racing_its_merge_ends_on_the_target(engine, first: str) -> None:  # type: ignore[no-untyped-def]
    """One transaction holds its locks uncommitted while the other is seen waiting for them;
    either way round the row ends on the target."""
    source, target = uuid.uuid4(), uuid.uuid4()
    sessions = db.session_factory(engine)
    holding = sessions()
    holding.info[db.TENANT_KEY] = TENANT
    refs = CustomerRefs(holding, tenant_id=TENANT, holders=HOLDERS)
    if first == "merge":
        await refs.repoint(source_id=source, target_id=target)

        async def second(r: CustomerRefs, s: AsyncSession) -> object:
            return await _visit_for(r, s, 1, source)
    else:
        await _visit_for(refs, holding, 1, source)

        async def second(r: CustomerRefs, s: AsyncSession) -> object:
            return await r.repoint(source_id=source, target_id=target)

    waiting = asyncio.create_task(_in_tx(engine, second))
    await _until_someone_waits_on_an_advisory_lock(engine)
    await holding.commit()
    await holding.close()
    await waiting
    assert await _rows(engine, "SELECT customer_id FROM visits") == [(target,)]


async def test_many_rows_racing_a_merge_leave_nothing_on_the_source(engine) -> None:  # type: ignore[no-untyped-def]
    source, target = uuid.uuid4(), uuid.uuid4()

    def writing(visit_id: int) -> Work:
        async def work(refs: CustomerRefs, session: AsyncSession) -> object:
            return await _visit_for(refs, session, visit_id, source)

        return work

    async def merge(refs: CustomerRefs, session: AsyncSession) -> object:
        return await refs.repoint(source_id=source, target_id=target)

    jobs = [writing(i) for i in range(10)] + [merge] + [writing(i) for i in range(10, 20)]
    await asyncio.gather(*(_in_tx(engine, job) for job in jobs))
    assert await _rows(engine, "SELECT DISTINCT customer_id FROM visits") == [(target,)]
    assert len(await _rows(engine, "SELECT 1 FROM visits")) == 20
