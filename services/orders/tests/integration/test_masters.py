"""ORD-1 masters through the API: added, edited, retired (kept on old orders), checked with
Japanese messages naming the field, and scoped to the tenant."""

import asyncio
import uuid

import pytest

pytestmark = pytest.mark.database


async def test_product_added_edited_and_retired_stays_readable(tenant) -> None:  # type: ignore[no-untyped-def]
    category = await tenant.add("product-categories", name="健康食品")
    product = await tenant.product("黒酢ドリンク", 1280, rate=8, category_id=category["id"],
                                   subscription_eligible=True)  # fmt: skip
    assert product["tax_rate"] == 8 and product["subscription_eligible"] is True

    body = {**product, "price_yen": 1380}
    r = await tenant.client.put(f"/products/{product['id']}", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["price_yen"] == 1380

    r = await tenant.client.post(f"/products/{product['id']}/retire")
    assert r.status_code == 200 and r.json()["retired_at"] is not None
    listed = (await tenant.client.get("/products")).json()
    assert product["id"] not in [p["id"] for p in listed]
    everything = (await tenant.client.get("/products", params={"include_retired": True})).json()
    assert product["id"] in [p["id"] for p in everything]
    assert (await tenant.client.get(f"/products/{product['id']}")).status_code == 200


async def test_every_master_can_be_added_and_retired(tenant) -> None:  # type: ignore[no-untyped-def]
    a = await tenant.product("健康トニック", 3000)
    b = await tenant.product("健康テープ", 800)
    entries = {
        "staff": {"name": "佐賀 花子", "role": "operator"},
        "media": {"name": "新聞広告 春号", "code": "NP-01"},
        "set-products": {"name": "トニック2本セット", "kind": "bundle",
                         "items": [{"product_id": a["id"], "quantity": 2}]},
        "shipping-fees": {"prefecture": "沖縄県", "fee_yen": 1200},
        "reasons": {"kind": "cancel", "text": "飲みきれないため"},
        "campaigns": {"name": "春の送料無料", "kind": "free_shipping",
                      "starts_on": "2026-03-01", "ends_on": "2026-03-31"},
    }  # fmt: skip
    companion = {"name": "テープ同梱", "kind": "companion", "trigger_product_id": a["id"],
                 "items": [{"product_id": b["id"], "quantity": 1}]}  # fmt: skip
    for kind, body in [*entries.items(), ("set-products", companion)]:
        entry = await tenant.add(kind, **body)
        r = await tenant.client.post(f"/{kind}/{entry['id']}/retire")
        assert r.status_code == 200 and r.json()["retired_at"], (kind, r.text)


@pytest.mark.parametrize(
    ("kind", "body", "status", "code", "field"),
    [
        ("products", {"code": "X", "name": "商品", "price_yen": 100, "tax_rate": 5}, 422,
         "invalid_tax_rate", "tax_rate"),
        ("products", {"code": "X", "name": " ", "price_yen": 100}, 422, "required", "name"),
        ("products", {"code": "X", "name": "商品", "price_yen": -1}, 422, "negative", "price_yen"),
        ("products", {"code": "X", "name": "商品", "price_yen": 1,
                      "category_id": str(uuid.uuid4())}, 422, "unknown_reference", "category_id"),
        ("staff", {"name": "佐賀 太郎", "role": "boss"}, 422, "invalid_choice", "role"),
        ("shipping-fees", {"prefecture": "東京", "fee_yen": 800}, 422, "unknown_prefecture",
         "prefecture"),
        ("set-products", {"name": "1個", "kind": "bundle", "items": []}, 422, "required", "items"),
        ("campaigns", {"name": "逆", "kind": "free_shipping", "starts_on": "2026-03-31",
                       "ends_on": "2026-03-01"}, 422, "invalid_period", "ends_on"),
        ("campaigns", {"name": "割引", "kind": "new_customer_discount", "starts_on": "2026-03-01",
                       "ends_on": "2026-03-31"}, 422, "invalid_discount", "discount_yen"),
    ],
)  # fmt: skip
async def test_bad_master_input_is_refused_in_japanese_and_writes_nothing(
    tenant, kind, body, status, code, field
) -> None:  # type: ignore[no-untyped-def]
    r = await tenant.client.post(f"/{kind}", json=body)
    assert r.status_code == status, r.text
    detail = r.json()["detail"]
    assert (detail["code"], detail["field"]) == (code, field)
    assert any("\u3040" <= ch <= "\u9fff" for ch in detail["message"])  # Japanese
    table = {"set-products": "set_products", "shipping-fees": "shipping_fees"}.get(kind, kind)
    assert await tenant.scalar(f"SELECT count(*) FROM {table}") == 0


async def test_duplicates_conflict(tenant) -> None:  # type: ignore[no-untyped-def]
    await tenant.product("健康トニック", 3000, code="T-1")
    r = await tenant.client.post("/products", json={"code": "T-1", "name": "別", "price_yen": 1})
    assert r.status_code == 409 and r.json()["detail"]["field"] == "code"
    await tenant.add("shipping-fees", prefecture="東京都", fee_yen=800)
    r = await tenant.client.post("/shipping-fees", json={"prefecture": "東京都", "fee_yen": 900})
    assert r.status_code == 409 and r.json()["detail"]["field"] == "prefecture"


async def test_another_tenants_masters_answer_404_and_general_staff_only_read(
    tenant, tenant_factory
) -> None:  # type: ignore[no-untyped-def]
    product = await tenant.product("健康トニック", 3000)
    other = await tenant_factory()
    assert (await other.client.get(f"/products/{product['id']}")).status_code == 404
    assert (await other.client.post(f"/products/{product['id']}/retire")).status_code == 404
    assert (await other.client.get("/products")).json() == []
    # Another tenant's product is no reference either.
    r = await other.client.post("/set-products", json={
        "name": "借り物", "kind": "bundle", "items": [{"product_id": product["id"], "quantity": 2}]})  # fmt: skip
    assert r.status_code == 422 and r.json()["detail"]["field"] == "items.0.product_id"

    general = await tenant_factory(role="general", tenant_id=tenant.id)
    assert (await general.client.get(f"/products/{product['id']}")).status_code == 200
    r = await general.client.post("/staff", json={"name": "佐賀 太郎", "role": "sales"})
    assert r.status_code == 403
    # A change of an entry: 403 for the tenant's own, 404 for another tenant's (never 403:
    # the entry is looked up first), and nothing changes.
    body = {"code": product["code"], "name": "一般が変更", "price_yen": 1}
    assert (await general.client.put(f"/products/{product['id']}", json=body)).status_code == 403
    assert (await general.client.post(f"/products/{product['id']}/retire")).status_code == 403
    other_general = await tenant_factory(role="general", tenant_id=other.id)
    r = await other_general.client.put(f"/products/{product['id']}", json=body)
    assert r.status_code == 404 and not r.json()["detail"]["message"].isascii()
    assert (await other_general.client.post(f"/products/{product['id']}/retire")).status_code == 404
    again = (await tenant.client.get(f"/products/{product['id']}")).json()
    assert again["name"] == "健康トニック" and again["retired_at"] is None


async def test_concurrent_products_with_one_code_make_one_and_a_409(tenant) -> None:  # type: ignore[no-untyped-def]
    body = {"code": "SAME", "name": "健康トニック", "price_yen": 3000}
    answers = await asyncio.gather(*(tenant.client.post("/products", json=body) for _ in range(4)))
    statuses = sorted(r.status_code for r in answers)
    assert statuses == [201, 409, 409, 409], [r.text for r in answers]
    assert all(r.json()["detail"]["field"] == "code" for r in answers if r.status_code == 409)
    assert await tenant.scalar("SELECT count(*) FROM products") == 1


async def test_amounts_and_quantities_have_bounds(tenant) -> None:  # type: ignore[no-untyped-def]
    r = await tenant.client.post(
        "/products", json={"code": "BIG", "name": "高額", "price_yen": 10**12}
    )
    assert r.status_code == 422 and r.json()["detail"]["field"] == "price_yen"
    product = await tenant.product("健康トニック", 3000)
    await tenant.add("shipping-fees", prefecture="佐賀県", fee_yen=500)
    r = await tenant.client.post("/orders", json={
        "customer_id": await tenant.customer(), "lines": [{"product_id": product["id"], "quantity": 10**10}],
        "delivery": {"kind": "home", "name": "佐賀 太郎", "prefecture": "佐賀県", "address": "佐賀市"}})  # fmt: skip
    assert r.status_code == 422 and r.json()["detail"]["field"] == "lines.0.quantity"
