"""ORD-2 order entry through the API on the real PostgreSQL: totals by the invoice rule,
campaigns with their reasons, OrderPlaced in the outbox of the same transaction, refusals
that write nothing, today's list in Japan's date, tenant scoping, merges."""

import json
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from contracts import CustomerMergedV1, CustomerProfileChangedV1, Envelope, OrderPlacedV1
from contracts.customer import CustomerDeletedV1
from kit.bus import Message
from kit.clock import japan_date

pytestmark = pytest.mark.database

GIFT_ADDRESS = {"kind": "gift", "name": "佐賀 次郎", "postal_code": "840-0000",
                "prefecture": "北海道", "address": "札幌市中央区北1条西1-1", "phone": "090-0000-0000"}  # fmt: skip
HOME = {**GIFT_ADDRESS, "kind": "home", "name": "佐賀 太郎", "prefecture": "佐賀県",
        "address": "佐賀市城内1-1"}  # fmt: skip


async def catalogue(tenant) -> dict:  # type: ignore[no-untyped-def]
    tonic = await tenant.product("健康トニック", 3000, rate=10)
    vinegar = await tenant.product("黒酢ドリンク", 1280, rate=8)
    mini = await tenant.product("ミニボトル", 300, rate=8, is_present=True)
    await tenant.add("shipping-fees", prefecture="北海道", fee_yen=800)
    await tenant.add("shipping-fees", prefecture="佐賀県", fee_yen=500)
    return {"tonic": tonic["id"], "vinegar": vinegar["id"], "mini": mini["id"]}


def this_month() -> tuple[str, str]:
    today = japan_date(datetime.now(UTC))
    return today.replace(day=1).isoformat(), date(today.year + 1, 1, 1).isoformat()


async def outbox(tenant) -> list[dict]:  # type: ignore[no-untyped-def]
    rows = await tenant.scalar(
        "SELECT coalesce(json_agg(envelope ORDER BY id), '[]') FROM outbox "
        "WHERE routing_key = 'orders.order_placed.v1'"
    )
    return json.loads(rows) if isinstance(rows, str) else rows


async def test_hand_checked_order_with_campaigns_gift_address_and_reduced_rate(tenant) -> None:  # type: ignore[no-untyped-def]
    p = await catalogue(tenant)
    starts, ends = this_month()
    await tenant.add("campaigns", name="新規500円引き", kind="new_customer_discount",
                     starts_on=starts, ends_on=ends, discount_yen=500)  # fmt: skip
    await tenant.add("campaigns", name="トニックにミニボトル", kind="gift_with_product",
                     starts_on=starts, ends_on=ends, trigger_product_id=p["tonic"],
                     gift_product_id=p["mini"])  # fmt: skip
    staff = await tenant.add("staff", name="佐賀 花子", role="operator")
    customer = await tenant.customer()
    r = await tenant.client.post("/orders", json={
        "customer_id": customer, "delivery": GIFT_ADDRESS, "staff_id": staff["id"],
        "lines": [{"product_id": p["tonic"], "quantity": 2}, {"product_id": p["vinegar"], "quantity": 3}],
    })  # fmt: skip
    assert r.status_code == 201, r.text
    order = r.json()
    # By hand (see the unit test): goods 6,000 @10 % + 3,840 @8 %, 500円 off shared 305/195,
    # shipping 800 to 北海道 @10 %; tax 切捨て 649 + 291; total 6,495 + 3,645 + 940 = 11,080.
    assert [(t["tax_rate"], t["taxable_yen"], t["tax_yen"]) for t in order["tax_by_rate"]] == [
        (10, 6495, 649), (8, 3645, 291)]  # fmt: skip
    assert (order["subtotal_yen"], order["discount_yen"], order["shipping_fee_yen"]) == (
        9840,
        500,
        800,
    )
    assert (order["tax_yen"], order["total_yen"], order["tax_rounding"]) == (940, 11080, "floor")
    assert [(ln["product_name"], ln["amount_yen"], ln["is_gift"]) for ln in order["lines"]] == [
        ("健康トニック", 6000, False), ("黒酢ドリンク", 3840, False), ("ミニボトル", 0, True)]  # fmt: skip
    assert sorted(c["reason"] for c in order["campaigns"]) == [
        "「健康トニック」ご購入のため「ミニボトル」を同梱", "初回のご注文のため 500円割引"]  # fmt: skip
    assert order["delivery"]["kind"] == "gift" and order["delivery"]["name"] == "佐賀 次郎"
    assert order["order_number"] == 1 and order["staff_id"] == staff["id"]

    [envelope] = await outbox(tenant)
    event = OrderPlacedV1.model_validate(Envelope.model_validate(envelope).payload)
    assert str(event.order_id) == order["id"] and str(event.customer_id) == customer
    assert event.order_number == 1 and event.total_yen == 11080 and event.channel == "phone"
    assert [(ln.quantity, ln.amount_yen) for ln in event.lines] == [(2, 6000), (3, 3840), (1, 0)]
    assert event.tax_by_rate is not None and sum(t.tax_yen for t in event.tax_by_rate) == 940

    # The second order of the same customer: no new-customer discount, the next number.
    r = await tenant.client.post("/orders", json={
        "customer_id": customer, "delivery": HOME, "lines": [{"product_id": p["vinegar"], "quantity": 1}]})  # fmt: skip
    again = r.json()
    assert again["order_number"] == 2 and again["discount_yen"] == 0 and again["campaigns"] == []
    assert (again["shipping_fee_yen"], again["tax_yen"], again["total_yen"]) == (500, 152, 1932)


async def test_rounding_is_the_tenants_setting(tenant) -> None:  # type: ignore[no-untyped-def]
    p = await catalogue(tenant)
    r = await tenant.client.put("/settings", json={"tax_rounding": "half_up"})
    assert r.status_code == 200 and r.json()["tax_rounding"] == "half_up"
    r = await tenant.client.put("/settings", json={"tax_rounding": "bankers"})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "tax_rounding"
    body = {"customer_id": await tenant.customer(), "delivery": HOME,
            "lines": [{"product_id": p["vinegar"], "quantity": 3}]}  # fmt: skip
    order = (await tenant.client.post("/orders", json=body)).json()
    # 3,840 @8 % = 307.2 → 307; 500 @10 % = 50.
    assert order["tax_rounding"] == "half_up" and order["tax_yen"] == 357


async def test_free_shipping_campaign_named_by_the_operator(tenant) -> None:  # type: ignore[no-untyped-def]
    p = await catalogue(tenant)
    starts, ends = this_month()
    free = await tenant.add("campaigns", name="送料無料月間", kind="free_shipping",
                            starts_on=starts, ends_on=ends)  # fmt: skip
    past = await tenant.add("campaigns", name="去年の送料無料", kind="free_shipping",
                            starts_on="2020-01-01", ends_on="2020-01-31")  # fmt: skip
    body = {"customer_id": await tenant.customer(), "delivery": HOME,
            "lines": [{"product_id": p["tonic"], "quantity": 1}], "campaign_ids": [free["id"]]}  # fmt: skip
    order = (await tenant.client.post("/orders", json=body)).json()
    assert order["shipping_fee_yen"] == 0 and order["campaigns"][0]["name"] == "送料無料月間"
    r = await tenant.client.post("/orders", json={**body, "campaign_ids": [free["id"], past["id"]]})
    assert r.status_code == 422
    assert (r.json()["detail"]["code"], r.json()["detail"]["field"]) == (
        "campaign_not_running", "campaign_ids[1]")  # fmt: skip


async def test_bad_orders_are_refused_in_japanese_and_write_nothing(tenant, tenant_factory) -> None:  # type: ignore[no-untyped-def]
    p = await catalogue(tenant)
    stopped = await tenant.product("旧トニック", 2000, discontinued=True)
    retired = await tenant.product("廃番テープ", 500)
    await tenant.client.post(f"/products/{retired['id']}/retire")
    other = await tenant_factory()
    foreign = await other.product("他社の商品", 100)
    good = {"product_id": p["tonic"], "quantity": 1}
    cases = [
        ({"lines": []}, "required", "lines"),
        ({"lines": [good, {"product_id": p["tonic"], "quantity": 0}]}, "invalid_quantity", "lines.1.quantity"),
        ({"lines": [{"product_id": p["tonic"], "quantity": -2}]}, "invalid_quantity", "lines.0.quantity"),
        ({"lines": [{"product_id": foreign["id"], "quantity": 1}]}, "unknown_product", "lines.0.product_id"),
        ({"lines": [{"product_id": str(uuid.uuid4()), "quantity": 1}]}, "unknown_product", "lines.0.product_id"),
        ({"lines": [good, {"product_id": stopped["id"], "quantity": 1}]}, "product_discontinued", "lines.1.product_id"),
        ({"lines": [{"product_id": retired["id"], "quantity": 1}]}, "product_discontinued", "lines.0.product_id"),
        ({"delivery": {**HOME, "prefecture": "東京"}}, "unknown_prefecture", "delivery.prefecture"),
        ({"delivery": {**HOME, "prefecture": "東京都"}}, "shipping_fee_missing", "delivery.prefecture"),
        ({"delivery": {**HOME, "kind": "friend"}}, "invalid_choice", "delivery.kind"),
        ({"delivery": {**HOME, "address": " "}}, "required", "delivery.address"),
        ({"staff_id": str(uuid.uuid4())}, "unknown_reference", "staff_id"),
        ({"campaign_ids": [str(uuid.uuid4())]}, "unknown_campaign", "campaign_ids[0]"),
    ]  # fmt: skip
    for change, code, field in cases:
        body = {"customer_id": await tenant.customer(), "delivery": HOME, "lines": [good], **change}
        r = await tenant.client.post("/orders", json=body)
        assert r.status_code == 422, (change, r.text)
        detail = r.json()["detail"]
        assert (detail["code"], detail["field"]) == (code, field), change
        assert any("\u3040" <= ch <= "\u9fff" for ch in detail["message"])
    for table in ("orders", "order_lines", "outbox", "order_counters"):
        assert await tenant.scalar(f"SELECT count(*) FROM {table}") == 0, table


async def test_todays_list_is_japans_today_and_tenants_see_only_their_orders(
    tenant, tenant_factory
) -> None:  # type: ignore[no-untyped-def]
    p = await catalogue(tenant)
    body = {"customer_id": await tenant.customer(), "delivery": HOME,
            "lines": [{"product_id": p["tonic"], "quantity": 1}]}  # fmt: skip
    today = (await tenant.client.post("/orders", json=body)).json()
    old = (await tenant.client.post("/orders", json=body)).json()
    # One of them moved to yesterday.
    await tenant.execute(
        "UPDATE orders SET ordered_on = ordered_on - 1, ordered_at = ordered_at - interval '1 day' "
        "WHERE id = :i", i=uuid.UUID(old["id"]))  # fmt: skip
    assert today["ordered_on"] == japan_date(datetime.now(UTC)).isoformat()
    listed = (await tenant.client.get("/orders", params={"today": True})).json()
    assert [o["id"] for o in listed["items"]] == [today["id"]] and listed["total"] == 1
    assert len((await tenant.client.get("/orders")).json()["items"]) == 2
    yesterday = (japan_date(datetime.now(UTC)) - timedelta(days=1)).isoformat()
    listed = (await tenant.client.get("/orders", params={"ordered_on": yesterday})).json()
    assert [o["id"] for o in listed["items"]] == [old["id"]]
    r = await tenant.client.get("/orders", params={"ordered_on": "2026-02-30"})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "ordered_on"

    other = await tenant_factory()
    assert (await other.client.get(f"/orders/{today['id']}")).status_code == 404
    assert (await other.client.get("/orders", params={"today": True})).json()["total"] == 0


async def test_customer_merged_moves_the_merged_customers_orders(tenant) -> None:  # type: ignore[no-untyped-def]
    p = await catalogue(tenant)
    source, target = uuid.UUID(await tenant.customer()), uuid.UUID(await tenant.customer())
    body = {"customer_id": str(source), "delivery": HOME,
            "lines": [{"product_id": p["tonic"], "quantity": 1}]}  # fmt: skip
    order = (await tenant.client.post("/orders", json=body)).json()
    event = CustomerMergedV1(source_customer_id=source, target_customer_id=target,
                             merged_at=datetime.now(UTC))  # fmt: skip
    envelope = Envelope(event_type=event.event_type, version=1, routing_key=event.routing_key(),
                        tenant_id=tenant.id, producer="customer", payload=event.model_dump(mode="json"))  # fmt: skip
    await tenant.runtime.bus.publish(
        Message(envelope.routing_key, envelope.model_dump_json().encode(), str(envelope.event_id))
    )

    async def moved():  # type: ignore[no-untyped-def]
        found = (await tenant.client.get("/orders", params={"customer_id": str(target)})).json()
        return found["total"] == 1 and found["items"][0]["id"] == order["id"]

    await tenant.until(moved)


async def test_malformed_bodies_answer_in_japanese_with_the_field(tenant) -> None:  # type: ignore[no-untyped-def]
    p = await catalogue(tenant)
    good = {"customer_id": await tenant.customer(), "delivery": HOME,
            "lines": [{"product_id": p["tonic"], "quantity": 1}]}  # fmt: skip
    cases = [
        ({**good, "customer_id": "taro"}, "invalid_uuid", "customer_id"),
        ({**good, "lines": [{"product_id": p["tonic"], "quantity": "たくさん"}]}, "invalid_integer",
         "lines.0.quantity"),
        ({k: v for k, v in good.items() if k != "delivery"}, "required", "delivery"),
    ]  # fmt: skip
    for body, code, field in cases:
        r = await tenant.client.post("/orders", json=body)
        assert r.status_code == 422, r.text
        detail = r.json()["detail"]
        assert (detail["code"], detail["field"]) == (code, field)
        assert any("\u3040" <= ch <= "\u9fff" for ch in detail["message"])
    assert await tenant.scalar("SELECT count(*) FROM orders") == 0


async def test_an_order_is_for_one_of_the_tenants_customers(tenant, tenant_factory) -> None:  # type: ignore[no-untyped-def]
    """Orders knows the tenant's customers from the customer service's events
    (CustomerProfileChanged on every new customer, CustomerDeleted): another tenant's customer,
    an id no customer has, or a deleted one answers 404 and writes nothing."""
    p = await catalogue(tenant)
    other = await tenant_factory()
    theirs, made_up = await other.customer(), str(uuid.uuid4())
    lines = [{"product_id": p["tonic"], "quantity": 1}]
    for customer in (theirs, made_up):
        r = await tenant.client.post(
            "/orders", json={"customer_id": customer, "delivery": HOME, "lines": lines}
        )
        assert r.status_code == 404 and r.json()["detail"]["code"] == "not_found", r.text
        assert not r.json()["detail"]["message"].isascii()
    assert await tenant.scalar("SELECT count(*) FROM orders WHERE tenant_id = :t", t=tenant.id) == 0

    newcomer = uuid.uuid4()
    now = datetime.now(UTC)
    await tenant.deliver(
        CustomerProfileChangedV1(customer_id=newcomer, name="佐賀 花子", changed_at=now)
    )

    async def placed():  # type: ignore[no-untyped-def]
        r = await tenant.client.post(
            "/orders", json={"customer_id": str(newcomer), "delivery": HOME, "lines": lines}
        )
        return r.status_code == 201

    await tenant.until(placed)
    await tenant.deliver(CustomerDeletedV1(customer_id=newcomer, deleted_at=now))

    async def forgotten():  # type: ignore[no-untyped-def]
        known = "SELECT count(*) FROM customers_known WHERE customer_id = :c"
        return await tenant.scalar(known, c=newcomer) == 0

    await tenant.until(forgotten)
    r = await tenant.client.post(
        "/orders", json={"customer_id": str(newcomer), "delivery": HOME, "lines": lines}
    )
    assert r.status_code == 404, r.text
    assert await tenant.scalar("SELECT count(*) FROM orders WHERE tenant_id = :t", t=tenant.id) == 1
