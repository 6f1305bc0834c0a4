"""ORD-6's rebuild of the reporting model from the service's own tables (decision 91), on the
real PostgreSQL: orders placed before the model existed (placed as the service does, then the
model and its handlers' inbox claims wiped, as before the reports were deployed) → rebuild →
the figures computed by hand and the same as the events had made them; the same events
delivered again count nothing; an event applied while a rebuild waits and runs counts once;
another tenant is left as it was."""

import asyncio
import uuid

import pytest
import sqlalchemy as sa
from contracts import Envelope
from kit import clock
from kit.bus import Message
from kit.consumer import EventConsumer
from orders.adapters.report_rebuild import rebuild, report_lock
from orders.handlers import HANDLERS
from orders.reports import app, rebuild_in
from orders.settings import OrdersSettings
from typer.testing import CliRunner

pytestmark = pytest.mark.database

SAGA = {"kind": "home", "name": "佐賀 太郎", "postal_code": "840-0801", "prefecture": "佐賀県",
        "address": "佐賀市駅前中央1-2-3", "phone": "090-0000-0001"}  # fmt: skip
TOKYO = SAGA | {"prefecture": "東京都", "address": "港区芝浦1-1-1", "postal_code": "108-0023"}
KINDS = ("sales-by-medium", "sales-by-product", "sales-by-region", "sales-by-customer",
         "sales-by-staff", "churn", "survey", "shipments-by-medium", "shipments-by-product",
         "shipments-by-region")  # fmt: skip
WIPE = (
    "DELETE FROM inbox WHERE consumer LIKE 'orders.report_%'"
    " AND event_id IN (SELECT event_id FROM outbox WHERE tenant_id = :t)",
    *(f"DELETE FROM {t} WHERE tenant_id = :t" for t in ("report_orders", "report_order_months",
      "report_product_months", "report_customer_months", "report_survey_months",
      "report_freshness")),
)  # fmt: skip


async def _order(tenant, delivery: dict, lines: list, **extra) -> dict:  # type: ignore[no-untyped-def]
    body = {"customer_id": await tenant.customer(), "delivery": delivery, "campaign_ids": [],
            "lines": [{"product_id": p, "quantity": q} for p, q in lines], **extra}  # fmt: skip
    r = await tenant.client.post("/orders", json=body)
    assert r.status_code == 201, r.text
    return r.json()


async def _report(tenant, kind: str) -> dict:  # type: ignore[no-untyped-def]
    r = await tenant.client.get(f"/reports/{kind}")
    assert r.status_code == 200, r.text
    return r.json()


async def _figures(tenant) -> dict:  # type: ignore[no-untyped-def]
    """Every report's rows and totals (not the freshness line)."""
    return {k: {f: (await _report(tenant, k))[f] for f in ("rows", "totals")} for k in KINDS}


async def _applied(tenant, count: int) -> None:  # type: ignore[no-untyped-def]
    async def check():  # type: ignore[no-untyped-def]
        fresh = (await _report(tenant, "sales-by-medium"))["freshness"]
        return fresh and fresh["events_applied"] >= count

    await tenant.until(check)


async def _wipe(tenant) -> None:  # type: ignore[no-untyped-def]
    """The tenant as before the reports were deployed: orders, no reporting model."""
    for sql in WIPE:
        await tenant.execute(sql, t=tenant.id)


def _pick(report: dict, *keys: str) -> list[tuple]:
    return [tuple(row[k] for k in keys) for row in report["rows"]]


async def _waiting(tenant) -> bool:  # type: ignore[no-untyped-def]
    """Someone of this database waits for an advisory lock (only the reporting lock here)."""
    n = await tenant.scalar(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    )
    return n > 0


async def _redeliver(tenant) -> None:  # type: ignore[no-untyped-def]
    """Every event of the tenant's outbox handed to the reporting consumer again."""
    runtime = tenant.runtime
    consumer = EventConsumer(service="orders", handlers=HANDLERS,
                             transactions=runtime.transactions, tracer=runtime.telemetry.tracer)  # fmt: skip
    async with runtime.engine.connect() as conn:
        rows = (await conn.execute(sa.text(
            "SELECT envelope::text FROM outbox WHERE tenant_id = :t ORDER BY id"),
            {"t": tenant.id})).all()  # fmt: skip
    for (body,) in rows:
        envelope = Envelope.model_validate_json(body)
        await consumer.handle(Message(routing_key=envelope.routing_key, body=body.encode(),
                                      message_id=str(envelope.event_id)))  # fmt: skip


async def test_a_rebuild_from_the_tables_equals_the_events_and_counts_nothing_twice(
    tenant, tenant_factory
) -> None:  # type: ignore[no-untyped-def]
    await tenant.add("shipping-fees", prefecture="佐賀県", fee_yen=500)
    await tenant.add("shipping-fees", prefecture="東京都", fee_yen=700)
    tonic = (await tenant.product("健康トニック", 3000, rate=10))["id"]  # cost 1,000
    vinegar = (await tenant.product("黒酢ドリンク", 1280, rate=8))["id"]  # cost 426
    tv = (await tenant.add("media", name="テレビ通販", code="tv"))["id"]
    paper = (await tenant.add("media", name="新聞広告", code="paper"))["id"]
    question = (await tenant.add("survey-questions", text="ご購入のきっかけ",
                                 answer_kind="choice", choices=["テレビ", "新聞"]))["id"]  # fmt: skip
    # A: テレビ, 佐賀: 2 × 3,000 + 3 × 1,280 = 9,840 (cost 2,000 + 1,278), 送料 500
    a = await _order(tenant, SAGA, [(tonic, 2), (vinegar, 3)], medium_id=tv)
    # B: 新聞, 東京: 3,000 (cost 1,000), 送料 700, a survey answer
    await _order(tenant, TOKYO, [(tonic, 1)], medium_id=paper,
                 survey_answers=[{"question_id": question, "answer": "新聞"}])  # fmt: skip
    # C: テレビ, 東京: 1,280, cancelled
    c = await _order(tenant, TOKYO, [(vinegar, 1)], medium_id=tv)
    cancel = await tenant.add("reasons", kind="cancel", text="気が変わった")
    r = await tenant.client.post(f"/orders/{c['id']}/cancel", json={"reason_id": cancel["id"]})
    assert r.status_code == 200, r.text
    # A returns one tonic: −3,000 sales, −1,000 cost
    back = await tenant.add("reasons", kind="return", text="破損")
    r = await tenant.client.post(f"/orders/{a['id']}/returns", json={
        "reason_id": back["id"], "lines": [{"line_no": 1, "quantity": 1}]})  # fmt: skip
    assert r.status_code == 201, r.text
    await _applied(tenant, 6)  # 3 placed, 1 survey, 1 cancel, 1 return
    by_events = await _figures(tenant)

    other = await tenant_factory()
    await other.add("shipping-fees", prefecture="東京都", fee_yen=700)
    await _order(other, TOKYO, [((await other.product("緑茶", 900))["id"], 4)])
    await _applied(other, 1)
    other_before = await _report(other, "sales-by-medium")

    await _wipe(tenant)
    assert (await _report(tenant, "sales-by-medium"))["rows"] == []

    settings = OrdersSettings(database_url=tenant.runtime.settings.database_url)
    (done,) = await rebuild_in(settings, tenant_id=tenant.id)
    assert (done.orders, done.events) == (3, 6)

    month = clock.today().strftime("%Y-%m")
    medium = await _report(tenant, "sales-by-medium")
    # テレビ: 9,840 − 3,000 = 6,840, gross 6,840 − (3,278 − 1,000) = 4,562; 新聞 3,000 / 2,000
    assert sorted(_pick(medium, "month", "medium", "orders", "sales_yen", "gross_yen")) == [
        (month, "テレビ通販", 1, 6840, 4562), (month, "新聞広告", 1, 3000, 2000)]  # fmt: skip
    product = await _report(tenant, "sales-by-product")
    assert _pick(product, "product_name", "quantity", "returned_quantity", "sales_yen",
                 "cost_yen") == [("健康トニック", 3, 1, 6000, 2000),
                                 ("黒酢ドリンク", 3, 0, 3840, 1278)]  # fmt: skip
    region = await _report(tenant, "sales-by-region")
    assert _pick(region, "prefecture", "orders", "sales_yen", "shipping_yen") == [
        ("東京都", 1, 3000, 700), ("佐賀県", 1, 6840, 500)]  # fmt: skip
    survey = await _report(tenant, "survey")
    assert _pick(survey, "answer", "product_name", "answers") == [("新聞", "健康トニック", 1)]
    fresh = medium["freshness"]
    assert fresh["rebuilt_at"] is not None and fresh["events_applied"] == 6
    assert fresh["last_event_type"] == "orders.order_returned"
    assert await _figures(tenant) == by_events  # the same as the events made them

    # every event of those orders delivered again (the bus, a replay): skipped, all of them
    await _redeliver(tenant)
    assert await _figures(tenant) == by_events
    # a later cancel of a rebuilt order is applied as usual, from the rebuilt row
    r = await tenant.client.post(f"/orders/{a['id']}/cancel", json={"reason_id": cancel["id"]})
    assert r.status_code == 200, r.text
    await _applied(tenant, 7)
    medium = await _report(tenant, "sales-by-medium")
    assert medium["totals"]["orders"] == 1 and medium["totals"]["sales_yen"] == 3000

    # events from before they carried cost: a line's cost is the product master's as of now
    await tenant.execute(
        "UPDATE outbox SET envelope = jsonb_set(envelope, '{payload,lines}', (SELECT jsonb_agg("
        "l - 'cost_yen') FROM jsonb_array_elements(envelope->'payload'->'lines') l))"
        " WHERE tenant_id = :t AND routing_key = 'orders.order_placed.v1'", t=tenant.id)  # fmt: skip
    await tenant.execute("UPDATE products SET cost_yen = 1100 WHERE id = :p", p=uuid.UUID(tonic))
    await rebuild(tenant.runtime.engine, tenant.id)
    product = await _report(tenant, "sales-by-product")  # B's one tonic is what is left
    assert _pick(product, "product_name", "quantity", "sales_yen", "cost_yen")[0] == (
        "健康トニック", 1, 3000, 1100)  # fmt: skip

    other_after = await _report(other, "sales-by-medium")
    assert other_after == other_before and other_after["freshness"]["rebuilt_at"] is None


async def test_an_event_applied_while_a_rebuild_waits_and_runs_counts_once(tenant) -> None:  # type: ignore[no-untyped-def]
    await tenant.add("shipping-fees", prefecture="東京都", fee_yen=700)
    tea = (await tenant.product("緑茶", 900))["id"]  # cost 300
    await _order(tenant, TOKYO, [(tea, 1)])
    await _applied(tenant, 1)
    await _wipe(tenant)
    engine = tenant.runtime.engine

    async with engine.connect() as held:  # a handler in flight holds the lock shared
        await held.execute(sa.text("SELECT pg_advisory_xact_lock_shared(:k)"),
                           {"k": report_lock(tenant.id)})  # fmt: skip
        rebuilding = asyncio.create_task(rebuild(engine, tenant.id))

        async def waiting() -> bool:
            return await _waiting(tenant)

        await tenant.until(waiting)  # the rebuild waits for the handler in flight
        # meanwhile an order is placed: its event reaches the consumer, which waits in turn
        await _order(tenant, TOKYO, [(tea, 2)])
        redelivered = asyncio.create_task(_redeliver(tenant))
        await held.rollback()
    done = await rebuilding
    await redelivered
    assert (done.orders, done.events) == (2, 2)
    await _redeliver(tenant)
    product = await _report(tenant, "sales-by-product")
    assert _pick(product, "product_name", "quantity", "sales_yen", "cost_yen") == [
        ("緑茶", 3, 2700, 900)]  # two orders, each once  # fmt: skip
    assert (await _report(tenant, "sales-by-medium"))["freshness"]["events_applied"] == 2

    # and both at once, as the scheduler runs them: still once
    await _wipe(tenant)
    await asyncio.gather(rebuild(engine, tenant.id), _redeliver(tenant), _redeliver(tenant))
    product = await _report(tenant, "sales-by-product")
    assert _pick(product, "product_name", "quantity", "sales_yen") == [("緑茶", 3, 2700)]

    # while a rebuild holds the lock, the consumer's handler of a new order waits, then applies
    async with engine.connect() as rebuilder:
        await rebuilder.execute(sa.text("SELECT pg_advisory_lock(:k)"),
                                {"k": report_lock(tenant.id)})  # fmt: skip
        await _order(tenant, TOKYO, [(tea, 3)])

        async def handler_waits() -> bool:
            return await _waiting(tenant)

        await tenant.until(handler_waits)
        product = await _report(tenant, "sales-by-product")
        assert _pick(product, "quantity") == [(3,)]  # not applied beside the rebuild
        await rebuilder.execute(sa.text("SELECT pg_advisory_unlock(:k)"),
                                {"k": report_lock(tenant.id)})  # fmt: skip
        await rebuilder.commit()
    await _applied(tenant, 3)
    assert _pick(await _report(tenant, "sales-by-product"), "quantity") == [(6,)]


async def test_the_command_rebuilds_every_tenant_with_orders(tenant_factory) -> None:  # type: ignore[no-untyped-def]
    first, second = await tenant_factory(), await tenant_factory()
    for t in (first, second):
        await t.add("shipping-fees", prefecture="東京都", fee_yen=700)
        await _order(t, TOKYO, [((await t.product("緑茶", 900))["id"], 1)])
        await _applied(t, 1)
        await _wipe(t)
    env = {"ORDERS_DATABASE_URL": first.runtime.settings.database_url}
    done = await asyncio.to_thread(CliRunner().invoke, app, ["rebuild"], env=env)
    assert done.exit_code == 0, done.output
    assert str(first.id) in done.output and str(second.id) in done.output
    for t in (first, second):
        assert (await _report(t, "sales-by-medium"))["totals"]["sales_yen"] == 900


async def test_a_bundle_counts_as_its_items_by_events_and_by_a_rebuild(tenant) -> None:  # type: ignore[no-untyped-def]
    await tenant.add("shipping-fees", prefecture="佐賀県", fee_yen=500)
    tonic = (await tenant.product("健康トニック", 3000))["id"]  # cost 1,000
    aojiru = (await tenant.product("青汁", 1280))["id"]  # cost 426
    trial = await tenant.add("set-products", name="お試しセット", kind="bundle", items=[
        {"product_id": tonic, "quantity": 1}, {"product_id": aojiru, "quantity": 2}])  # fmt: skip
    # 1 tonic alone (3,000) and 2 sets at 3,000 + 2 × 1,280 = 5,560 each (11,120)
    order = await _order(tenant, SAGA, [(tonic, 1)],
                         bundles=[{"set_id": trial["id"], "quantity": 2}])  # fmt: skip
    (bundle,) = [ln for ln in order["lines"] if ln["kind"] == "bundle"]
    assert bundle["amount_yen"] == 11120
    # one set comes back at its price: 3,000 of tonic, 2,560 of 青汁 (2 bottles)
    back = await tenant.add("reasons", kind="return", text="破損")
    r = await tenant.client.post(f"/orders/{order['id']}/returns", json={
        "reason_id": back["id"], "lines": [{"line_no": bundle["line_no"], "quantity": 1}]})  # fmt: skip
    assert r.status_code == 201, r.text
    await _applied(tenant, 2)

    product = await _report(tenant, "sales-by-product")
    # トニック: 1 + 2 × 1 shipped, 1 back: 6,000 (cost 2 × 1,000); 青汁: 2 × 2 shipped, 2 back:
    # 2,560 (cost 2 × 426)
    assert _pick(product, "product_name", "quantity", "returned_quantity", "sales_yen",
                 "cost_yen") == [("健康トニック", 3, 1, 6000, 2000), ("青汁", 4, 2, 2560, 852)]  # fmt: skip
    shipped = await _report(tenant, "shipments-by-product")
    assert _pick(shipped, "product_name", "quantity") == [("青汁", 4), ("健康トニック", 3)]
    medium = await _report(tenant, "sales-by-medium")
    # the order's figures are kept whole: 14,120 − 5,560 = 8,560, cost 2,852
    assert medium["totals"] == {"orders": 1, "sales_yen": 8560, "gross_yen": 8560 - 2852}
    by_events = await _figures(tenant)

    await _wipe(tenant)
    await rebuild(tenant.runtime.engine, tenant.id)
    assert await _figures(tenant) == by_events

    # an order from before its items' prices were kept: shared out by the master's as of now
    await tenant.execute(
        "UPDATE order_lines SET components = (SELECT jsonb_agg(c - 'unit_price_yen'"
        " - 'unit_cost_yen') FROM jsonb_array_elements(components) c)"
        " WHERE tenant_id = :t AND kind = 'bundle'", t=tenant.id)  # fmt: skip
    await tenant.execute("UPDATE products SET price_yen = 2280, cost_yen = 600 WHERE id = :p",
                         p=uuid.UUID(tonic))  # fmt: skip
    await rebuild(tenant.runtime.engine, tenant.id)
    product = await _report(tenant, "sales-by-product")
    # per set 5,560 by 2,280 : 2 × 1,280 → 2,619.17 + 2,940.83 → 2,619 + 2,941; one set back.
    # トニック: 3,000 alone + 2,619 (cost 1,000 as its event said + 600 now); 青汁: 2,941
    assert _pick(product, "product_name", "returned_quantity", "sales_yen", "cost_yen") == [
        ("健康トニック", 1, 5619, 1600), ("青汁", 2, 2941, 852)]  # fmt: skip

    # a later return of the other set, from the rebuilt row: each item's share again
    r = await tenant.client.post(f"/orders/{order['id']}/returns", json={
        "reason_id": back["id"], "lines": [{"line_no": bundle["line_no"], "quantity": 1}]})  # fmt: skip
    assert r.status_code == 201, r.text
    await _applied(tenant, 3)
    product = await _report(tenant, "sales-by-product")
    assert _pick(product, "product_name", "returned_quantity", "sales_yen") == [
        ("健康トニック", 2, 3000), ("青汁", 4, 0)]  # fmt: skip
