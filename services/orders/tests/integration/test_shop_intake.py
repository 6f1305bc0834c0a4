"""Web-shop orders: signed with the tenant's shop secret, idempotent on the shop's order
number, the same checks and campaigns as phone orders, refusals that write nothing."""

import asyncio
import json
import uuid
from datetime import UTC, datetime

import pytest
from kit.clock import japan_date
from kit.signing import body_signature

pytestmark = pytest.mark.database

DELIVERY = {"kind": "home", "name": "佐賀 太郎", "prefecture": "佐賀県", "address": "佐賀市城内1-1"}


@pytest.fixture
async def shop(tenant, tenant_factory):  # type: ignore[no-untyped-def]
    await tenant.product("健康トニック", 3000, code="TONIC")
    await tenant.product("黒酢ドリンク", 1280, rate=8, code="VINEGAR")
    await tenant.add("shipping-fees", prefecture="佐賀県", fee_yen=500)
    secret = (await tenant.client.post("/settings/shop-secret")).json()["shop_secret"]
    # What the gateway would send: a ``shop`` token naming the tenant.
    client = (await tenant_factory(role="shop", tenant_id=tenant.id)).client
    return client, secret


def signed(payload: dict, secret: str) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload, ensure_ascii=False).encode()
    return body, {
        "x-shop-signature": body_signature(body, secret),
        "content-type": "application/json",
    }


def order(number: str = "W-1001", **extra: object) -> dict:
    return {"shop_order_number": number, "customer_id": str(uuid.uuid4()), "delivery": DELIVERY,
            "lines": [{"product_code": "TONIC", "quantity": 1},
                      {"product_code": "VINEGAR", "quantity": 2}], **extra}  # fmt: skip


async def test_signed_shop_order_becomes_a_web_order_once(tenant, shop) -> None:  # type: ignore[no-untyped-def]
    client, secret = shop
    starts = japan_date(datetime.now(UTC)).isoformat()
    await tenant.add("campaigns", name="Web限定 初回300円引き", kind="new_customer_discount",
                     starts_on=starts, ends_on=starts, discount_yen=300)  # fmt: skip
    body, headers = signed(order(), secret)
    r = await client.post("/shop-orders", content=body, headers=headers)
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["channel"] == "web" and made["shop_order_number"] == "W-1001"
    # 3,000 @10 % + 2,560 @8 %, 300円 off shared ⌊300·3000/5560⌋=161 (+1) / 138, shipping 500:
    # taxable 3,338 and 2,422 → tax 333 + 193 (切捨て); total 6,286.
    assert made["campaigns"][0]["reason"] == "初回のご注文のため 300円割引"
    assert (made["tax_yen"], made["total_yen"]) == (526, 6286)

    again = await client.post("/shop-orders", content=body, headers=headers)
    assert again.status_code == 200 and again.json()["id"] == made["id"]
    assert await tenant.scalar("SELECT count(*) FROM orders") == 1
    assert await tenant.scalar("SELECT count(*) FROM outbox") == 1


async def test_concurrent_posts_of_one_shop_order_make_one_order(tenant, shop) -> None:  # type: ignore[no-untyped-def]
    client, secret = shop
    body, headers = signed(order("W-2002"), secret)
    answers = await asyncio.gather(
        *(client.post("/shop-orders", content=body, headers=headers) for _ in range(4))
    )
    assert sorted(r.status_code for r in answers) == [200, 200, 200, 201]
    assert len({r.json()["id"] for r in answers}) == 1
    assert await tenant.scalar("SELECT count(*) FROM orders") == 1


async def test_refusals_write_nothing(tenant, tenant_factory, shop) -> None:  # type: ignore[no-untyped-def]
    client, secret = shop
    body, headers = signed(order(), secret)
    cases = [
        (body, {**headers, "x-shop-signature": body_signature(body, "guess")}, 401, "bad_signature", None),
        (body, {"content-type": "application/json"}, 401, "bad_signature", None),
        (*signed(order(customer_id=None), secret), 422, "customer_unlinked", "customer_id"),
        (*signed(order(lines=[{"product_code": "NOPE", "quantity": 1}]), secret), 422,
         "unknown_product", "lines.0.product_code"),
        (*signed(order(lines=[{"product_code": "TONIC", "quantity": 0}]), secret), 422,
         "invalid_quantity", "lines.0.quantity"),
        (*signed(order(lines=[{"product_code": "TONIC"}]), secret), 422, "required",
         "lines.0.quantity"),
        (*signed(order(shop_order_number=" "), secret), 422, "invalid_shop_order_number",
         "shop_order_number"),
        (b"{not json", {"x-shop-signature": body_signature(b"{not json", secret),
                        "content-type": "application/json"}, 422, "invalid_json", "body"),
    ]  # fmt: skip
    for content, hdrs, status, code, field in cases:
        r = await client.post("/shop-orders", content=content, headers=hdrs)
        assert r.status_code == status, r.text
        assert r.json()["detail"]["code"] == code and r.json()["detail"].get("field") == field
    # Another tenant's secret does not sign for this one; staff tokens cannot post.
    other = await tenant_factory()
    other_secret = (await other.client.post("/settings/shop-secret")).json()["shop_secret"]
    body, headers = signed(order(), other_secret)
    assert (await client.post("/shop-orders", content=body, headers=headers)).status_code == 401
    assert (
        await tenant.client.post("/shop-orders", content=body, headers=headers)
    ).status_code == 403
    assert await tenant.scalar("SELECT count(*) FROM orders") == 0
    assert await tenant.scalar("SELECT count(*) FROM outbox") == 0
