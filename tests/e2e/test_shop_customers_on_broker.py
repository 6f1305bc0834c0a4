"""Web-shop orders of customers the shop has no id of ours for, linked by the identity rule of
inquiries over the real RabbitMQ: orders keeps the order without a customer and sends
ShopOrderReceived; the customer service resolves it (a new mail registers a customer, a known
one — the first contact's mail, whatever its case — joins the existing customer) and answers
ShopCustomerLinked; orders fills the customer in and only then sends OrderPlaced, which the
customer's purchase history (購入履歴) shows. The orders are taken while the customer service
is down and linked when it is back. Orders and customer run in this process, each on
its own database, one bus namespace."""

import asyncio
import json
import uuid

import httpx
import pytest
from customer.bootstrap import build_runtime as build_customer
from customer.entrypoints.http import create_app as customer_app
from customer.settings import CustomerSettings
from kit.settings import CommonSettings
from kit.signing import body_signature
from kit.testing import delete_bus_namespace, service_headers, unique_name
from orders.bootstrap import build_runtime as build_orders
from orders.entrypoints.http import create_app as orders_app
from orders.settings import OrdersSettings

pytestmark = [pytest.mark.e2e, pytest.mark.database, pytest.mark.broker]
DELAYS = [100, 200]
QUEUES = ("orders.events", "customer.events")
DELIVERY = {"kind": "home", "name": "佐賀 太郎", "prefecture": "佐賀県", "address": "佐賀市城内1-1"}


def _client(app, tenant_id: uuid.UUID, common: CommonSettings, role: str = "admin"):  # type: ignore[no-untyped-def]
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://svc",
        headers=service_headers(common, tenant_id=tenant_id, role=role),
    )  # fmt: skip


async def test_shop_orders_of_unknown_and_known_mails_land_on_the_right_customer(
    database_factory, amqp_url
) -> None:  # type: ignore[no-untyped-def]
    namespace = unique_name("t")
    common = CommonSettings(bus="amqp", amqp_url=amqp_url, bus_namespace=namespace,
                            retry_delays_ms=DELAYS, outbox_poll_interval_s=0.2)  # fmt: skip
    orders = build_orders(OrdersSettings(database_url=database_factory("orders"), db_pool_size=3,
                                         subscription_run_enabled=False), common=common)  # fmt: skip
    customer_db = database_factory("customer")

    def customer_service():  # type: ignore[no-untyped-def]
        settings = CustomerSettings(database_url=customer_db, db_pool_size=3)
        return build_customer(settings, common=common)

    customers = customer_service()
    runtimes = [orders, customers]
    for runtime in runtimes:
        await runtime.start()
    tenant_id, tag = uuid.uuid4(), uuid.uuid4().hex[:6]
    try:
        async with (
            _client(orders_app(orders, manage_lifecycle=False), tenant_id, common) as order_api,
            _client(orders_app(orders, manage_lifecycle=False), tenant_id, common, "shop") as shop,
            _client(customer_app(customers, manage_lifecycle=False), tenant_id, common) as cus_api,
        ):
            r = await cus_api.post("/customers", json={
                "family_name": "佐賀", "given_name": "太郎", "family_kana": "サガ",
                "given_kana": "タロウ", "phones": ["090-1234-5678"],
                "emails": [f"known-{tag}@example.com"], "birth_date": "1980-04-01",
            })  # fmt: skip
            assert r.status_code == 201, r.text
            known = r.json()["id"]
            r = await order_api.post("/products", json={"code": "TONIC", "name": "健康トニック",
                                                         "price_yen": 3000})  # fmt: skip
            assert r.status_code == 201, r.text
            await order_api.post("/shipping-fees", json={"prefecture": "佐賀県", "fee_yen": 500})
            secret = (await order_api.post("/settings/shop-secret")).json()["shop_secret"]

            async def shop_order(number: str, email: str, name: str) -> dict:
                body = json.dumps({
                    "shop_order_number": number, "delivery": DELIVERY,
                    "customer": {"name": name, "name_kana": "サガ", "email": email,
                                 "phone": "090-8765-4321"},
                    "lines": [{"product_code": "TONIC", "quantity": 2}]},
                    ensure_ascii=False).encode()  # fmt: skip
                headers = {"x-shop-signature": body_signature(body, secret),
                           "content-type": "application/json"}  # fmt: skip
                r = await shop.post("/shop-orders", content=body, headers=headers)
                assert r.status_code == 201, r.text
                assert r.json()["customer_id"] is None
                again = await shop.post("/shop-orders", content=body, headers=headers)
                assert again.status_code == 200 and again.json()["id"] == r.json()["id"]
                return r.json()

            # The customer service is down: the shop's orders are taken all the same …
            await customers.stop()
            runtimes.remove(customers)
            fresh = await shop_order(f"W-{tag}-1", f"new-{tag}@example.com", "佐賀 花子")
            # the known customer's mail as the shop has it (another case): the same customer
            repeat = await shop_order(f"W-{tag}-2", f"KNOWN-{tag}@Example.com", "サガ タロウ")
            await asyncio.sleep(1.0)
            pending = (await order_api.get(f"/orders/{fresh['id']}")).json()
            assert pending["customer_id"] is None
            # … and linked once it is back (the question waited in its queue)
            customers = customer_service()
            await customers.start()
            runtimes.append(customers)

            async def linked(order: dict) -> str:
                async with asyncio.timeout(30):
                    while True:
                        found = (await order_api.get(f"/orders/{order['id']}")).json()
                        if found["customer_id"]:
                            return found["customer_id"]
                        await asyncio.sleep(0.1)

            new_customer, same_customer = await linked(fresh), await linked(repeat)
            assert same_customer == known and new_customer != known

            cus_api = _client(customer_app(customers, manage_lifecycle=False), tenant_id, common)

            async def purchases(customer: str) -> dict:
                async with asyncio.timeout(30):
                    while True:
                        r = await cus_api.get(f"/customers/{customer}/purchases")
                        # the count, not the items: the two are read by two statements
                        if r.status_code == 200 and r.json()["orders"]:
                            return r.json()
                        await asyncio.sleep(0.1)

            bought_new, bought_known = await purchases(new_customer), await purchases(known)
            registered = (await cus_api.get(f"/customers/{new_customer}")).json()
            await cus_api.aclose()
            # a second order of the new mail joins the customer it made
            third = await shop_order(f"W-{tag}-3", f"new-{tag}@example.com", "佐賀 花子")
            assert await linked(third) == new_customer
            # the linked customer is now known to orders: a phone order for them is taken
            product_id = (await order_api.get("/products")).json()[0]["id"]
            lines = [{"product_id": product_id, "quantity": 1}]
            r = await order_api.post("/orders", json={"customer_id": new_customer, "lines": lines,
                                                      "delivery": DELIVERY})  # fmt: skip
            assert r.status_code == 201, r.text
    finally:
        for runtime in reversed(runtimes):
            await runtime.stop()
        await delete_bus_namespace(amqp_url, namespace, queues=QUEUES, retry_delays_ms=DELAYS)

    assert [i["order_id"] for i in bought_new["items"]] == [fresh["id"]], bought_new
    assert [i["order_id"] for i in bought_known["items"]] == [repeat["id"]]
    assert bought_new["items"][0]["channel"] == "web"
    assert bought_new["total_yen"] == fresh["total_yen"], bought_new
    assert registered["name"].replace(" ", "").replace("\u3000", "") == "佐賀花子"
    emails = [e if isinstance(e, str) else e.get("email") for e in registered.get("emails", [])]
    assert f"new-{tag}@example.com" in emails
