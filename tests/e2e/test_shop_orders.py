"""Webショップ連携 through the gateway (ORD-2): the shop posts its order signed with the
tenant's shop secret to /api/v1/shop/{tenant}/orders; the gateway passes body and signature
on as they came to the orders service, which checks the signature, parses the order once and
makes it (201), answers a resend with the same order (200); refusals are in Japanese and are
audited without the body's values."""

import json
import uuid

import httpx
import pytest
import sqlalchemy as sa
from kit.signing import body_signature
from kit.testing import service_headers

from tests.e2e.flows import eventually, login, once_known

pytestmark = [pytest.mark.e2e, pytest.mark.database]
DELIVERY = {"kind": "home", "name": "佐賀 太郎", "prefecture": "佐賀県", "address": "佐賀市城内1-1"}


async def test_a_signed_shop_order_through_the_gateway(system, client) -> None:  # type: ignore[no-untyped-def]
    admin = await login(client)
    tenant_id = uuid.UUID((await client.get("/api/v1/me", headers=admin)).json()["tenant_id"])
    orders = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=system.apps["orders"]), base_url="http://orders",
        headers=service_headers(system.common, tenant_id=tenant_id, role="admin"),
    )  # fmt: skip
    async with orders:
        code = f"SHOP-{uuid.uuid4().hex[:6]}"
        r = await orders.post(
            "/products", json={"code": code, "name": "健康トニック", "price_yen": 3000}
        )
        assert r.status_code == 201, r.text
        await orders.post("/shipping-fees", json={"prefecture": "佐賀県", "fee_yen": 500})
        secret = (await orders.post("/settings/shop-secret")).json()["shop_secret"]
    r = await client.post("/api/v1/customers", headers=admin, json={
        "family_name": "佐賀", "given_name": "太郎", "family_kana": "サガ", "given_kana": "タロウ",
        "phones": ["090-1234-5678"], "emails": [f"shop-{code}@example.com"],
        "birth_date": "1980-04-01",
    })  # fmt: skip
    assert r.status_code == 201, r.text
    customer_id = r.json()["id"]
    number = f"W-{uuid.uuid4().hex[:8]}"
    body = json.dumps({"shop_order_number": number, "customer_id": customer_id,
                       "delivery": DELIVERY, "lines": [{"product_code": code, "quantity": 2}]},
                      ensure_ascii=False).encode()  # fmt: skip
    url = "/api/v1/shop/demo/orders"
    signed = {"x-shop-signature": body_signature(body, secret), "content-type": "application/json"}

    # orders learns the customer just registered by event
    made = await once_known(lambda: client.post(url, content=body, headers=signed))
    assert made.status_code == 201, made.text
    assert made.json()["channel"] == "web" and made.json()["shop_order_number"] == number
    again = await client.post(url, content=body, headers=signed)
    assert again.status_code == 200 and again.json()["id"] == made.json()["id"]

    forged = await client.post(url, content=body, headers={**signed, "x-shop-signature": "00"})
    assert forged.status_code == 401 and not forged.json()["detail"]["message"].isascii()
    huge = b"{" + b" " * (300 * 1024) + b"}"
    assert (await client.post(url, content=huge, headers=signed)).status_code == 413
    unknown = await client.post("/api/v1/shop/no-such-company/orders", content=body, headers=signed)
    assert unknown.status_code == 404 and unknown.json()["detail"]["code"] == "not_found"

    async with system.runtimes["gateway"].engine.connect() as conn:
        reasons = (await conn.execute(sa.text(
            "SELECT reason FROM webhook_rejections WHERE reason LIKE 'shop:%' ORDER BY id"
        ))).scalars().all()  # fmt: skip
    assert reasons[-3:] == ["shop: bad_signature", "shop: body larger than allowed (307202 bytes)",
                            "shop: unknown_tenant"]  # fmt: skip

    # A shop member without our customer id: the order is made at once, and the customer
    # service links it by the mail (here: the customer registered above) before OrderPlaced.
    body = json.dumps({"shop_order_number": f"{number}-2", "delivery": DELIVERY,
                       "customer": {"name": "佐賀 太郎", "email": f"SHOP-{code}@example.com"},
                       "lines": [{"product_code": code, "quantity": 1}]},
                      ensure_ascii=False).encode()  # fmt: skip
    signed = {"x-shop-signature": body_signature(body, secret), "content-type": "application/json"}
    unlinked = await client.post(url, content=body, headers=signed)
    assert unlinked.status_code == 201 and unlinked.json()["customer_id"] is None, unlinked.text

    async def linked() -> str | None:
        found = await client.get(
            f"/api/v1/mail-order/orders/{unlinked.json()['id']}", headers=admin
        )
        return found.json()["customer_id"]

    assert await eventually(linked) == customer_id
