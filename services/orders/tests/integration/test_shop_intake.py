"""Web-shop orders: signed with the tenant's shop secret, idempotent on the shop's order
number, the same checks and campaigns as phone orders, refusals that write nothing."""

import asyncio
import json
import uuid
from datetime import UTC, datetime

import pytest
from contracts.customer import ShopCustomerLinkedV1
from kit.clock import japan_date
from kit.signing import body_signature

pytestmark = pytest.mark.database

DELIVERY = {"kind": "home", "name": "佐賀 太郎", "prefecture": "佐賀県", "address": "佐賀市城内1-1"}
CUSTOMER = uuid.UUID("5a9a0000-0000-4000-8000-000000000001")  # a customer of each test tenant
WHO = {"name": "佐賀 花子", "name_kana": "サガ ハナコ", "email": "hanako@example.com",
       "phone": "090-1111-2222"}  # fmt: skip


@pytest.fixture
async def shop(tenant, tenant_factory):  # type: ignore[no-untyped-def]
    await tenant.product("健康トニック", 3000, code="TONIC")
    await tenant.product("黒酢ドリンク", 1280, rate=8, code="VINEGAR")
    await tenant.add("shipping-fees", prefecture="佐賀県", fee_yen=500)
    await tenant.execute("INSERT INTO customers_known VALUES (:t, :c)", t=tenant.id, c=CUSTOMER)
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
    return {"shop_order_number": number, "customer_id": str(CUSTOMER), "delivery": DELIVERY,
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
        (*signed(order(customer_id=None), secret), 422, "customer_unlinked", "customer"),
        (*signed(order(customer_id=None, customer={**WHO, "email": "hanako"}), secret), 422,
         "invalid_email", "customer.email"),
        (*signed(order(customer_id=None, customer={**WHO, "name": " "}), secret), 422,
         "required", "customer.name"),
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


async def test_an_unknown_customer_is_linked_by_the_customer_service(tenant, shop) -> None:  # type: ignore[no-untyped-def]
    """No customer id: the order is made at once with no customer and asks who it is
    (ShopOrderReceived); the customer service's answer fills it in and only then is the order
    announced (OrderPlaced), once, whatever the redeliveries."""
    client, secret = shop
    starts = japan_date(datetime.now(UTC)).isoformat()
    await tenant.add("campaigns", name="Web限定 初回300円引き", kind="new_customer_discount",
                     starts_on=starts, ends_on=starts, discount_yen=300)  # fmt: skip
    body, headers = signed(order("W-3003", customer_id=None, customer=WHO), secret)
    r = await client.post("/shop-orders", content=body, headers=headers)
    assert r.status_code == 201, r.text
    made = r.json()
    # not known to be a first order until linked: no 初回 discount (decision 65)
    assert made["customer_id"] is None and made["campaigns"] == []
    keys = "SELECT routing_key FROM outbox ORDER BY id"
    sent = await tenant.scalar(f"SELECT array_agg(routing_key) FROM ({keys}) AS k")
    assert sent == ["orders.shop_order_received.v1"]
    asked = await tenant.scalar("SELECT envelope->'payload' FROM outbox")
    assert asked["order_id"] == made["id"] and asked["customer"]["email"] == WHO["email"]
    assert asked["order_number"] == made["order_number"]
    # Not cancelled, returned or re-ordered before its customer is known.
    r = await tenant.client.post(f"/orders/{made['id']}/reorder", json={})
    assert r.status_code == 409 and r.json()["detail"]["code"] == "customer_pending"

    customer = uuid.uuid4()
    answer = ShopCustomerLinkedV1(order_id=uuid.UUID(made["id"]), customer_id=customer,
                                  new_customer=True)  # fmt: skip
    envelope = await tenant.deliver(answer)
    await tenant.deliver(answer)  # another event with the same facts: no second OrderPlaced

    async def announced():  # type: ignore[no-untyped-def]
        return await tenant.scalar(
            "SELECT count(*) FROM outbox WHERE routing_key = 'orders.order_placed.v1'"
        ) == 1 and await tenant.scalar(
            "SELECT count(*) FROM inbox WHERE event_id = :e", e=envelope.event_id
        )

    await tenant.until(announced)
    await asyncio.sleep(0.3)  # the second delivery had its chance
    assert (
        await tenant.scalar(
            "SELECT count(*) FROM outbox WHERE routing_key = 'orders.order_placed.v1'"
        )
        == 1
    )
    placed = await tenant.scalar(
        "SELECT envelope->'payload' FROM outbox WHERE routing_key = 'orders.order_placed.v1'"
    )
    assert placed["customer_id"] == str(customer) and placed["order_id"] == made["id"]
    assert placed["channel"] == "web" and placed["total_yen"] == made["total_yen"]
    read = (await tenant.client.get(f"/orders/{made['id']}")).json()
    assert read["customer_id"] == str(customer)
    # the linked customer is now one of the tenant's here: a phone order for them is taken
    lines = [{"product_id": (await tenant.client.get("/products")).json()[0]["id"], "quantity": 1}]
    r = await tenant.client.post("/orders", json={"customer_id": str(customer), "lines": lines,
                                                  "delivery": DELIVERY})  # fmt: skip
    assert r.status_code == 201, r.text


async def test_a_customer_id_not_of_the_tenant_is_not_found(tenant, tenant_factory, shop) -> None:  # type: ignore[no-untyped-def]
    client, secret = shop
    other = await tenant_factory()
    theirs = await other.customer()
    body, headers = signed(order("W-4004", customer_id=theirs), secret)
    r = await client.post("/shop-orders", content=body, headers=headers)
    assert r.status_code == 404 and r.json()["detail"]["code"] == "not_found"
    assert await tenant.scalar("SELECT count(*) FROM orders") == 0
