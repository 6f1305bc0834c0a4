"""ORD-3 the daily run on the real PostgreSQL: one set of orders per subscription and cycle
whatever happens (run twice, crashed midway then run again, two runs at once, a subscription
put back to a cycle already ordered), orders through the placement with OrderPlaced in the
outbox (channel "subscription"), missed and refused cycles recorded, the last-run record,
the worker across tenants, the day's shipping list as JSON and as CSV for Excel."""

import asyncio
import csv
import io
from datetime import date, timedelta

import pytest
from kit import clock
from orders.entrypoints.subscription_worker import SubscriptionRunner, run_tenant
from orders.use_cases import daily_run

pytestmark = pytest.mark.database

HOME = {"kind": "home", "name": "佐賀 太郎", "postal_code": "840-0000", "prefecture": "佐賀県",
        "address": "佐賀市城内1-1", "phone": "090-0000-0000"}  # fmt: skip
FIRST = date(2027, 6, 7)  # a Monday; with a lead of 3 calendar days its order is made 6/4
ORDER_DAY = date(2027, 6, 4)


async def catalogue(tenant) -> dict:  # type: ignore[no-untyped-def]
    r = await tenant.client.put("/subscription-settings", json={"order_lead_days": 3})
    assert r.status_code == 200, r.text
    await tenant.add("shipping-fees", prefecture="佐賀県", fee_yen=500)
    return await tenant.product("健康トニック", 3000, subscription_eligible=True)


async def subscribers(tenant, product: dict, n: int, *, starts_on: date = FIRST) -> list[dict]:  # type: ignore[no-untyped-def]
    made = []
    for i in range(n):
        r = await tenant.client.post("/subscriptions", json={
            "customer_id": await tenant.customer(), "delivery": {**HOME, "name": f"佐賀 {i}号"},
            "cycle": {"unit": "weeks", "every": 1}, "starts_on": starts_on.isoformat(),
            "lines": [{"product_id": product["id"], "quantity": 1 + i % 3}]})  # fmt: skip
        assert r.status_code == 201, r.text
        made.append(r.json())
    return made


async def counts(tenant) -> tuple[int, int, int, int]:  # type: ignore[no-untyped-def]
    """The tenant's orders, OrderPlaced events, ordered cycles, and customers (one
    subscription each, one cycle due) with more than one order."""
    t = {"t": tenant.id}
    return (
        await tenant.scalar(
            "SELECT count(*) FROM orders WHERE channel = 'subscription' AND tenant_id = :t", **t
        ),
        await tenant.scalar(
            "SELECT count(*) FROM outbox WHERE routing_key = 'orders.order_placed.v1' "
            "AND envelope->'payload'->>'channel' = 'subscription' AND tenant_id = :t",
            **t,
        ),
        await tenant.scalar(
            "SELECT count(*) FROM subscription_deliveries WHERE status = 'ordered' "
            "AND tenant_id = :t",
            **t,
        ),
        await tenant.scalar(
            "SELECT count(*) FROM (SELECT customer_id FROM orders WHERE channel = "
            "'subscription' AND tenant_id = :t GROUP BY customer_id HAVING count(*) > 1) AS x",
            **t,
        ),
    )


def tx(tenant):  # type: ignore[no-untyped-def]
    return tenant.runtime.transactions(tenant_id=tenant.id)


async def test_run_twice_makes_one_set(tenant) -> None:  # type: ignore[no-untyped-def]
    tonic = await catalogue(tenant)
    subs = await subscribers(tenant, tonic, 3)
    before = await run_tenant(tx(tenant), today=ORDER_DAY - timedelta(days=1))
    assert (before.created, await counts(tenant)) == (0, (0, 0, 0, 0))
    first = await run_tenant(tx(tenant), today=ORDER_DAY)
    second = await run_tenant(tx(tenant), today=ORDER_DAY)
    assert (first.created, first.skipped, first.failed) == (3, 0, 0)
    assert first.finished_at is not None and second.created == 0
    assert await counts(tenant) == (3, 3, 3, 0)
    r = await tenant.client.get("/subscription-runs/last")
    assert r.status_code == 200 and r.json()["id"] == str(second.id)
    assert r.json()["finished_at"].endswith("+09:00")
    got = (await tenant.client.get(f"/subscriptions/{subs[0]['id']}")).json()
    assert (got["next_cycle_no"], got["next_on"]) == (2, "2027-06-14")
    assert [(d["cycle_no"], d["status"], d["delivers_on"]) for d in got["deliveries"]] == [
        (1, "ordered", "2027-06-07")]  # fmt: skip
    # the order is the placement's: lines, shipping, tax and the channel
    order = (await tenant.client.get(f"/orders/{got['deliveries'][0]['order_id']}")).json()
    assert (order["channel"], order["customer_id"]) == ("subscription", subs[0]["customer_id"])
    assert (order["subtotal_yen"], order["shipping_fee_yen"], order["tax_yen"]) == (3000, 500, 350)
    assert order["ships_on"] == "2027-06-07"  # its delivery day: on that day's label file
    placed_for = await tenant.scalar(
        "SELECT envelope->'payload'->>'subscription_id' FROM outbox "
        "WHERE envelope->'payload'->>'order_id' = :o", o=order["id"],
    )  # fmt: skip
    assert placed_for == subs[0]["id"]


async def test_killed_midway_then_run_again_makes_one_set(tenant, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    tonic = await catalogue(tenant)
    await subscribers(tenant, tonic, 5)
    built = 0
    real = daily_run.build_order

    async def dies_on_the_fourth(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal built
        built += 1
        if built == 4:  # inside the second chunk, after one of its orders was built
            raise RuntimeError("killed")
        return await real(*args, **kwargs)

    monkeypatch.setattr(daily_run, "build_order", dies_on_the_fourth)
    with pytest.raises(RuntimeError):
        await run_tenant(tx(tenant), today=ORDER_DAY, chunk=2)
    assert await counts(tenant) == (2, 2, 2, 0)  # the first chunk only; the second undone
    monkeypatch.setattr(daily_run, "build_order", real)
    again = await run_tenant(tx(tenant), today=ORDER_DAY, chunk=2)
    assert again.created == 3
    assert await counts(tenant) == (5, 5, 5, 0)
    crashed = await tenant.scalar(
        "SELECT count(*) FROM subscription_runs WHERE error = 'RuntimeError'"
    )
    assert crashed == 1


async def test_two_runs_at_once_make_one_set(tenant) -> None:  # type: ignore[no-untyped-def]
    tonic = await catalogue(tenant)
    await subscribers(tenant, tonic, 24)
    a, b = await asyncio.gather(
        run_tenant(tx(tenant), today=ORDER_DAY, chunk=4),
        run_tenant(tx(tenant), today=ORDER_DAY, chunk=4),
    )
    assert a.created + b.created == 24
    assert await counts(tenant) == (24, 24, 24, 0)


async def test_the_unique_key_holds_when_a_subscription_is_put_back(tenant) -> None:  # type: ignore[no-untyped-def]
    tonic = await catalogue(tenant)
    [sub] = await subscribers(tenant, tonic, 1)
    await run_tenant(tx(tenant), today=ORDER_DAY)
    # As if the move to the next cycle had been lost: the cycle already ordered is due again.
    await tenant.execute(
        "UPDATE subscriptions SET next_cycle_no = 1, next_on = :d, next_delivers_on = :d, "
        "next_order_on = :o WHERE id = :id", d=FIRST, o=ORDER_DAY, id=sub["id"],
    )  # fmt: skip
    again = await run_tenant(tx(tenant), today=ORDER_DAY)
    assert again.created == 0
    assert await counts(tenant) == (1, 1, 1, 0)


async def test_missed_and_refused_cycles_are_recorded_not_ordered(tenant) -> None:  # type: ignore[no-untyped-def]
    tonic = await catalogue(tenant)
    other = await tenant.product("黒酢", 1000, rate=8, subscription_eligible=True)
    [late] = await subscribers(tenant, tonic, 1)
    [fine] = await subscribers(tenant, tonic, 1, starts_on=FIRST + timedelta(days=7))
    [refused] = await subscribers(tenant, other, 1, starts_on=FIRST + timedelta(days=7))
    await tenant.client.put(f"/products/{other['id']}", json={
        "code": other["code"], "name": "黒酢", "price_yen": 1000, "tax_rate": 8,
        "subscription_eligible": True, "discontinued": True})  # fmt: skip
    # The run comes only on 6/11: the first one's 6/7 delivery has passed (missed, never
    # ordered late) and its next, 6/14, is due like the other two's.
    run = await run_tenant(tx(tenant), today=date(2027, 6, 11))
    assert (run.created, run.skipped, run.failed) == (2, 1, 1)
    statuses = {}
    for sub in (late, fine, refused):
        found = (await tenant.client.get(f"/subscriptions/{sub['id']}")).json()
        statuses[sub["id"]] = [(d["status"], d["note"]) for d in found["deliveries"]]
    assert statuses[late["id"]] == [
        ("missed", "受注日を過ぎていたため作成しませんでした"), ("ordered", None)]  # fmt: skip
    assert statuses[refused["id"]] == [("failed", "「黒酢」は販売を終了しています。")]
    assert [s for s, _ in statuses[fine["id"]]] == ["ordered"]


async def test_the_days_shipping_list_as_json_and_csv(tenant) -> None:  # type: ignore[no-untyped-def]
    tonic = await catalogue(tenant)
    await subscribers(tenant, tonic, 2)
    await subscribers(tenant, tonic, 1, starts_on=FIRST + timedelta(days=1))
    await run_tenant(tx(tenant), today=ORDER_DAY + timedelta(days=1))
    r = await tenant.client.get("/subscription-shipments", params={"day": "2027-06-07"})
    assert r.status_code == 200, r.text
    items = r.json()
    # in order number order, which the run hands out in its own order
    assert [s["order_number"] for s in items] == sorted(s["order_number"] for s in items)
    assert sorted((s["delivery"]["name"], s["items"], s["cycle_no"]) for s in items) == [
        ("佐賀 0号", "健康トニック×1", 1), ("佐賀 1号", "健康トニック×2", 1)]  # fmt: skip
    r = await tenant.client.get("/subscription-shipments.csv", params={"day": "2027-06-07"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf") and b"\r\n" in r.content
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["受注番号", "お届け日", "定期回数", "お届け先氏名"]
    assert sorted((row[1], row[3], row[7], row[8]) for row in rows[1:]) == [
        ("2027/06/07", "佐賀 0号", "090-0000-0000", "健康トニック×1"),
        ("2027/06/07", "佐賀 1号", "090-0000-0000", "健康トニック×2")]  # fmt: skip
    r = await tenant.client.get("/subscription-shipments", params={"day": "2027-13-01"})
    assert r.status_code == 422


async def test_the_worker_runs_every_tenant_due(tenant, tenant_factory) -> None:  # type: ignore[no-untyped-def]
    other = await tenant_factory()
    for t in (tenant, other):
        await subscribers(t, await catalogue(t), 2)
    runner = SubscriptionRunner(tenant.runtime, interval_s=3600)
    runs = await runner.run_once(today=ORDER_DAY)
    assert sorted(r.created for r in runs if r.tenant_id in (tenant.id, other.id)) == [2, 2]
    assert await counts(tenant) == (2, 2, 2, 0) and await counts(other) == (2, 2, 2, 0)
    assert all(r.started_by is None and r.replica for r in runs)  # the worker's own passes


async def test_run_now_and_last_run_through_the_api(tenant, tenant_factory) -> None:  # type: ignore[no-untyped-def]
    r = await tenant.client.get("/subscription-runs/last")
    assert r.status_code == 404 and "まだ実行されていません" in r.json()["detail"]["message"]
    tonic = await catalogue(tenant)
    [sub] = await subscribers(tenant, tonic, 1)
    today = clock.today()
    await tenant.execute(
        "UPDATE subscriptions SET next_on = :d, next_delivers_on = :d, next_order_on = :t "
        "WHERE id = :id", d=today + timedelta(days=3), t=today, id=sub["id"],
    )  # fmt: skip
    staff = await tenant_factory(role="general", tenant_id=tenant.id)
    assert (await staff.client.post("/subscription-runs")).status_code == 403
    r = await tenant.client.post("/subscription-runs")
    assert r.status_code == 200, r.text
    assert (r.json()["run_on"], r.json()["created"]) == (today.isoformat(), 1)
    assert r.json()["started_by"] is not None and ":" in r.json()["replica"]  # who and where
    assert (await tenant.client.get("/subscription-runs/last")).json()["id"] == r.json()["id"]


async def test_one_tenants_failing_run_does_not_stop_the_others(tenant, tenant_factory) -> None:  # type: ignore[no-untyped-def]
    broken = await tenant_factory()
    for t in (tenant, broken):
        await subscribers(t, await catalogue(t), 1)
    await broken.execute(
        "UPDATE subscriptions SET delivery = '{}' WHERE tenant_id = :t", t=broken.id
    )
    runner = SubscriptionRunner(tenant.runtime, interval_s=3600)
    runs = await runner.run_once(today=ORDER_DAY)
    assert [r.tenant_id for r in runs if r.tenant_id in (tenant.id, broken.id)] == [tenant.id]
    assert await counts(tenant) == (1, 1, 1, 0) and await counts(broken) == (0, 0, 0, 0)
    failed = await broken.scalar(
        "SELECT error FROM subscription_runs WHERE tenant_id = :t", t=broken.id
    )
    assert failed == "TypeError"
