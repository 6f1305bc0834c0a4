"""POST /orders/quote on the real PostgreSQL: the same lines, campaigns (with why) and totals
per tax rate as the order then placed from the same body, by the same code, and nothing
written (no order, no number taken, no event); a refusal is placing's refusal."""

import uuid
from datetime import UTC, datetime

import pytest
from kit.clock import japan_date

pytestmark = pytest.mark.database

HOME = {"kind": "gift", "name": "佐賀 花子", "postal_code": "840-0801", "prefecture": "佐賀県",
        "address": "佐賀市駅前中央1-2-3", "phone": "090-0000-0002"}  # fmt: skip
COMPARED = ("subtotal_yen", "discount_yen", "shipping_fee_yen", "tax_yen", "total_yen",
            "tax_rounding", "tax_by_rate", "campaigns")  # fmt: skip


def _lines(answer: dict) -> list[tuple]:
    return [(ln["kind"], ln["product_name"], ln["quantity"], ln["unit_price_yen"], ln["tax_rate"],
             ln["amount_yen"], ln["is_gift"]) for ln in answer["lines"]]  # fmt: skip


async def test_a_quote_is_the_order_placing_makes_and_writes_nothing(tenant) -> None:  # type: ignore[no-untyped-def]
    today = japan_date(datetime.now(UTC)).isoformat()
    await tenant.add("shipping-fees", prefecture="佐賀県", fee_yen=700)
    vinegar = await tenant.product("黒酢ドリンク", 1_080, rate=8)
    honey = await tenant.product("はちみつ", 540, rate=8)
    tonic = await tenant.product("健康トニック", 3_333, rate=10)
    guide = await tenant.product("ご利用ガイド", 0, rate=10)
    bundle = await tenant.add("set-products", name="黒酢はちみつセット", kind="bundle", items=[
        {"product_id": vinegar["id"], "quantity": 1}, {"product_id": honey["id"], "quantity": 1}])  # fmt: skip
    await tenant.add("campaigns", name="初回500円引き", kind="new_customer_discount",
                     starts_on=today, ends_on=today, discount_yen=500)  # fmt: skip
    await tenant.add("campaigns", name="トニックにガイド", kind="gift_with_product", starts_on=today,
                     ends_on=today, trigger_product_id=tonic["id"], gift_product_id=guide["id"])  # fmt: skip
    body = {"customer_id": await tenant.customer(), "delivery": HOME,
            "lines": [{"product_id": tonic["id"], "quantity": 3}],
            "bundles": [{"set_id": bundle["id"], "quantity": 2}]}  # fmt: skip
    before = await tenant.scalar("SELECT count(*) FROM orders")
    events = await tenant.scalar("SELECT count(*) FROM outbox")

    r = await tenant.client.post("/orders/quote", json=body)
    assert r.status_code == 200, r.text
    quote = r.json()
    assert await tenant.scalar("SELECT count(*) FROM orders") == before
    assert await tenant.scalar("SELECT count(*) FROM outbox") == events
    assert {c["name"] for c in quote["campaigns"]} == {"初回500円引き", "トニックにガイド"}
    assert all(c["reason"] for c in quote["campaigns"])
    # By hand: 10 % goods 9,999, 8 % goods 3,240; the 500 discount shared 9,999 : 3,240
    # → 378 on 10 %, 122 on 8 %; shipping 700 at 10 %. Bases 10,321 and 3,118, floored once.
    by_rate = {t["tax_rate"]: t for t in quote["tax_by_rate"]}
    assert by_rate[10]["tax_yen"] == 1_032 and by_rate[8]["tax_yen"] == 249
    assert quote["total_yen"] == 9_999 + 3_240 - 500 + 700 + 1_032 + 249

    placed = (await tenant.client.post("/orders", json=body)).json()
    assert {k: placed[k] for k in COMPARED} == {k: quote[k] for k in COMPARED}
    assert _lines(placed) == _lines(quote)
    # The quote took no number: a second customer's quote then order follow on.
    again = await tenant.client.post(
        "/orders/quote", json={**body, "customer_id": await tenant.customer()}
    )
    assert again.status_code == 200
    second = (
        await tenant.client.post("/orders", json={**body, "customer_id": await tenant.customer()})
    ).json()
    assert second["order_number"] == placed["order_number"] + 1
    # The first customer is no longer new: the quote says so as placing would.
    repeat = (await tenant.client.post("/orders/quote", json=body)).json()
    assert "初回500円引き" not in {c["name"] for c in repeat["campaigns"]}


async def test_a_quote_refuses_as_placing_does(tenant) -> None:  # type: ignore[no-untyped-def]
    await tenant.add("shipping-fees", prefecture="佐賀県", fee_yen=700)
    tonic = await tenant.product("健康トニック", 3_000, rate=10)
    body = {"customer_id": await tenant.customer(), "delivery": {**HOME, "prefecture": "沖縄県"},
            "lines": [{"product_id": tonic["id"], "quantity": 1}]}  # fmt: skip
    quoted = await tenant.client.post("/orders/quote", json=body)
    placed = await tenant.client.post("/orders", json=body)
    assert quoted.status_code == placed.status_code == 422
    assert quoted.json()["detail"] == placed.json()["detail"]
    assert quoted.json()["detail"]["field"] == "delivery.prefecture"


async def test_without_a_delivery_the_fee_waits_and_placing_refuses(tenant) -> None:  # type: ignore[no-untyped-def]
    await tenant.add("shipping-fees", prefecture="佐賀県", fee_yen=700)
    tea = await tenant.product("青汁", 1_080, rate=8)
    body = {
        "customer_id": await tenant.customer(),
        "lines": [{"product_id": tea["id"], "quantity": 2}],
    }
    r = await tenant.client.post("/orders/quote", json=body)
    assert r.status_code == 200, r.text
    quote = r.json()
    assert quote["shipping_priced"] is False and quote["shipping_fee_yen"] == 0
    assert [(t["tax_rate"], t["tax_yen"]) for t in quote["tax_by_rate"]] == [
        (8, 172)
    ]  # 2,160 × 8 %
    with_home = (await tenant.client.post("/orders/quote", json={**body, "delivery": HOME})).json()
    assert with_home["shipping_priced"] is True and with_home["shipping_fee_yen"] == 700
    r = await tenant.client.post("/orders", json=body)
    assert r.status_code == 422 and r.json()["detail"]["field"] == "delivery"


async def test_a_quote_for_a_customer_not_of_the_tenant_is_404_as_placing(tenant) -> None:  # type: ignore[no-untyped-def]
    tea = await tenant.product("緑茶", 1_000, rate=8)
    body = {"customer_id": str(uuid.uuid4()), "delivery": HOME,
            "lines": [{"product_id": tea["id"], "quantity": 1}]}  # fmt: skip
    quote = await tenant.client.post("/orders/quote", json=body)
    placed = await tenant.client.post("/orders", json=body)
    assert quote.status_code == placed.status_code == 404, (quote.text, placed.text)
