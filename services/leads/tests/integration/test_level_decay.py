"""LEAD-7 on the real PostgreSQL: the materialized level follows new events (scored by
leads' consumer) and leaves its window with no event, by the level worker, at the due-at
it stored; the worker's clock is moved by the test. The level at a past moment is still
recomputed from the event log, and equals what was materialized then."""

import uuid
from datetime import datetime, timedelta

import pytest
from leads.entrypoints.workers import LevelWorker

from .conftest import page_view, until

pytestmark = pytest.mark.database


async def _row(tenant, customer: uuid.UUID) -> dict:  # type: ignore[no-untyped-def,type-arg]
    [row] = await tenant.rows(
        "SELECT level, reason, due_at, scored_at FROM lead_levels WHERE customer_id = :c",
        c=customer,
    )
    return dict(row)


async def test_red_leaves_at_its_due_moment_without_any_event(tenant) -> None:  # type: ignore[no-untyped-def]
    worker: LevelWorker = tenant.runtime.workers["lead-levels"]  # type: ignore[assignment]
    customer = uuid.uuid4()
    token = await tenant.send(customer)
    await tenant.view(token, page_view(dwell=30))
    await tenant.view(token, page_view(dwell=22))
    await tenant.settle()
    red = await _row(tenant, customer)
    assert red["level"] == "red" and red["reason"] == "物件A 詳細を2回・52秒閲覧（5日以内）→ 赤"
    first_view = await tenant.scalar(
        "SELECT min(viewed_at) FROM lead_page_views WHERE customer_id = :c", c=customer
    )
    assert red["due_at"] == first_view + timedelta(days=5)

    # The past, recomputed from the log, is what was materialized then.
    r = await tenant.client.get("/hot-leads", params={"at": red["scored_at"].isoformat()})
    [then] = r.json()["items"]
    assert (then["level"], then["reason"]) == (red["level"], red["reason"])

    worker.now = lambda: red["due_at"] - timedelta(seconds=1)
    await worker.drain_once()
    assert (await _row(tenant, customer))["level"] == "red"  # not due yet: untouched

    last_view = await tenant.scalar(
        "SELECT max(viewed_at) FROM lead_page_views WHERE customer_id = :c", c=customer
    )
    # Red's 5 days have passed for both views (however far apart the beacons came).
    worker.now = lambda: last_view + timedelta(days=5, seconds=1)
    listed = await until(lambda: _listed_level(tenant, customer, "orange"))  # no wake, no event
    assert listed["reason"] == "物件A 詳細を2回・52秒閲覧（14日以内）→ 橙"
    orange = await _row(tenant, customer)
    assert orange["due_at"] == first_view + timedelta(days=14)  # next: the first leaves 14 days

    worker.now = lambda: last_view + timedelta(days=14, seconds=1)
    await until(lambda: _gone(tenant, customer))
    assert (await _row(tenant, customer))["due_at"] is None  # nothing left to leave
    engagement = (await tenant.client.get(f"/customers/{customer}/engagement")).json()
    assert engagement["level"] is None and len(engagement["history"]) == 2


async def _listed_level(tenant, customer: uuid.UUID, level: str) -> dict | None:  # type: ignore[no-untyped-def,type-arg]
    items = (await tenant.client.get("/hot-leads")).json()["items"]
    return next((i for i in items if i["customer_id"] == str(customer) and i["level"] == level), None)  # fmt: skip


async def _gone(tenant, customer: uuid.UUID) -> bool:  # type: ignore[no-untyped-def]
    items = (await tenant.client.get("/hot-leads")).json()["items"]
    return all(i["customer_id"] != str(customer) for i in items)


async def test_a_settings_change_rescores_the_whole_tenant_and_no_other(
    tenant, tenant_factory
) -> None:  # type: ignore[no-untyped-def]
    other = await tenant_factory()
    mine, theirs = uuid.uuid4(), uuid.uuid4()
    await tenant.open(await tenant.send(mine, kind="step"))
    await other.open(await other.send(theirs, kind="step"))
    await tenant.settle()
    before = await _row(other, theirs)
    assert (await _row(tenant, mine))["level"] == "yellow"

    r = await tenant.client.put("/hot-leads/settings", json={"preset": "no_proposals"})
    assert r.status_code == 200
    await tenant.settle()
    assert (await _row(tenant, mine))["reason"] == "提案・ステップメールを1回開封（1日以内）→ 赤"
    assert await _row(other, theirs) == before  # another tenant's levels are not touched


async def test_the_materialized_level_is_the_log_recomputed_at_its_moment(tenant) -> None:  # type: ignore[no-untyped-def]
    """Replayed or reordered events change nothing: a beacon repeated with a lower dwell and
    an open seen twice leave the level what the log says it is."""
    customer = uuid.uuid4()
    token = await tenant.send(customer)
    view_id = uuid.uuid4()
    await tenant.view(token, page_view(dwell=45, view_id=view_id))
    await tenant.view(token, page_view(dwell=10, view_id=view_id))  # a late, shorter beacon
    await tenant.open(token)
    await tenant.settle()
    row = await _row(tenant, customer)
    recomputed = (await tenant.client.get(
        f"/customers/{customer}/engagement", params={"at": row["scored_at"].isoformat()}
    )).json()  # fmt: skip
    assert (row["level"], row["reason"]) == (recomputed["level"], recomputed["reason"])
    assert row["reason"] == "物件A 詳細を1回・45秒閲覧（14日以内）→ 橙"
    assert isinstance(row["scored_at"], datetime)


async def test_levels_scored_during_a_settings_change_end_with_the_new_settings(tenant) -> None:  # type: ignore[no-untyped-def]
    """Opens keep arriving (and being scored) while an admin switches presets: afterwards
    every level is the one the new settings give, none left with the old."""
    import asyncio

    customers = [uuid.uuid4() for _ in range(12)]
    tokens = [await tenant.send(c, kind="step") for c in customers]

    async def opens() -> None:
        for token in tokens:
            await tenant.open(token)

    change = tenant.client.put("/hot-leads/settings", json={"preset": "no_proposals"})
    _, r = await asyncio.gather(opens(), change)
    assert r.status_code == 200
    await tenant.settle()
    rows = await tenant.rows("SELECT customer_id, level, reason FROM lead_levels")
    assert len(rows) == len(customers)
    assert {(row["level"], row["reason"]) for row in rows} == {
        ("red", "提案・ステップメールを1回開封（1日以内）→ 赤")
    }


async def test_a_settings_change_waits_for_a_scoring_in_progress(tenant) -> None:  # type: ignore[no-untyped-def]
    """Decision 41: a scoring holds the tenant's settings guard shared; the change takes it
    exclusive, so it waits until the scoring commits (and then marks that level due)."""
    import asyncio

    waiting = (
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
        "AND pid <> pg_backend_pid()"
    )
    async with tenant.runtime.uow(tenant_id=tenant.id) as uow:
        await uow.level_settings.guard(change=False)  # a scoring, not committed yet
        change = asyncio.create_task(
            tenant.client.put("/hot-leads/settings", json={"preset": "no_proposals"})
        )
        await until(lambda: _count(tenant, waiting))
        assert not change.done()
        await uow.commit()
    assert (await change).status_code == 200


async def _count(tenant, sql: str) -> int:  # type: ignore[no-untyped-def]
    return int(await tenant.scalar(sql))
