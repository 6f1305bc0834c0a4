"""Ranks and actions fed by the real producers over the real RabbitMQ (issue 14): a mail sent
by the leads service (EmailSent) becomes an action on the customer; an order placed in the
orders service (OrderPlaced) gives the customer the rank of the master and is credited to
that action; its cancellation (OrderCancelled) takes the rank back. The bound stated in
docs/customer.md is checked as it is stated: the rank changes in the transaction that records
the purchase, so whenever the purchase is seen the rank is already the new one."""

import asyncio
import uuid

import httpx
import pytest
from customer.bootstrap import build_runtime as build_customer
from customer.entrypoints.http import create_app as customer_app
from customer.settings import CustomerSettings
from kit.settings import CommonSettings
from kit.testing import delete_bus_namespace, service_headers, unique_name
from leads.bootstrap import build_runtime as build_leads
from leads.entrypoints.http import create_app as leads_app
from leads.settings import LeadsSettings
from orders.bootstrap import build_runtime as build_orders
from orders.entrypoints.http import create_app as orders_app
from orders.settings import OrdersSettings

pytestmark = [pytest.mark.e2e, pytest.mark.database, pytest.mark.broker]
DELAYS = [100, 200]
QUEUES = ("leads.events", "orders.events", "customer.events")


def _client(app, tenant_id: uuid.UUID, common: CommonSettings) -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://svc",
        headers=service_headers(common, tenant_id=tenant_id, role="admin"),
    )  # fmt: skip


async def _until(read, done, *, timeout: float = 30):  # type: ignore[no-untyped-def]
    async with asyncio.timeout(timeout):
        while not done(found := await read()):
            await asyncio.sleep(0.05)
    return found


async def test_order_events_change_the_rank_and_credit_the_mail(database_factory, amqp_url) -> None:  # type: ignore[no-untyped-def]
    namespace = unique_name("t")
    common = CommonSettings(bus="amqp", amqp_url=amqp_url, bus_namespace=namespace,
                            retry_delays_ms=DELAYS, outbox_poll_interval_s=0.2)  # fmt: skip
    runtimes = [
        build_leads(LeadsSettings(database_url=database_factory("leads"), db_pool_size=3),
                    common=common),
        build_orders(OrdersSettings(database_url=database_factory("orders"), db_pool_size=3),
                     common=common),
        build_customer(CustomerSettings(database_url=database_factory("customer"),
                                        db_pool_size=3), common=common),
    ]  # fmt: skip
    leads, orders, customers = runtimes
    for runtime in runtimes:
        await runtime.start()
    tenant_id = uuid.uuid4()
    try:
        async with (
            _client(leads_app(leads, manage_lifecycle=False), tenant_id, common) as lead_api,
            _client(orders_app(orders, manage_lifecycle=False), tenant_id, common) as order_api,
            _client(customer_app(customers, manage_lifecycle=False), tenant_id, common) as cus_api,
        ):
            r = await cus_api.put("/ranks", json={"ranks": [
                {"name": "ゴールド", "min_orders": 1, "max_orders": 4},
                {"name": "プラチナ", "min_orders": 5}]})  # fmt: skip
            assert r.status_code == 200, r.text
            r = await cus_api.post("/customers", json={
                "family_name": "佐賀", "given_name": "太郎", "family_kana": "サガ",
                "given_kana": "タロウ", "phones": ["090-1234-5678"],
                "emails": ["saga@example.com"], "birth_date": "1980-04-01",
            })  # fmt: skip
            assert r.status_code == 201, r.text
            customer = r.json()["id"]
            r = await lead_api.post("/sends", json={"message_id": str(uuid.uuid4()),
                                    "customer_id": customer, "message_kind": "newsletter"})  # fmt: skip
            assert r.status_code == 201, r.text

            async def actions() -> list:
                return (await cus_api.get(f"/customers/{customer}/actions")).json()

            [mail] = await _until(actions, bool)
            assert (mail["kind"], mail["source"]) == ("newsletter", "leads")

            product = (await order_api.post("/products", json={
                "code": "T-1", "name": "健康トニック", "price_yen": 3000})).json()  # fmt: skip
            await order_api.post("/shipping-fees", json={"prefecture": "佐賀県", "fee_yen": 500})
            reason = (
                await order_api.post("/reasons", json={"kind": "cancel", "text": "都合"})
            ).json()
            r = await order_api.post("/orders", json={
                "customer_id": customer,
                "lines": [{"product_id": product["id"], "quantity": 1}],
                "delivery": {"kind": "home", "name": "佐賀 太郎", "prefecture": "佐賀県",
                             "address": "佐賀市城内1-1"}})  # fmt: skip
            assert r.status_code == 201, r.text
            order = r.json()

            async def seen() -> tuple[dict, dict]:
                """The purchase history, then the customer: read in that order, a purchase
                seen with the old rank would break the bound."""
                bought = (await cus_api.get(f"/customers/{customer}/purchases")).json()
                return bought, (await cus_api.get(f"/customers/{customer}")).json()

            bought, detail = await _until(seen, lambda f: f[0]["orders"] == 1)
            assert detail["rank_name"] == "ゴールド"
            [mail] = await actions()
            assert mail["led_to_order_id"] == order["id"]
            sales = {i["kind"]: i for i in (await cus_api.get("/actions/sales")).json()["items"]}
            assert sales["newsletter"]["led_to_sale"] == 1
            assert sales["newsletter"]["sales_yen"] == order["total_yen"]

            r = await order_api.post(f"/orders/{order['id']}/cancel",
                                     json={"reason_id": reason["id"]})  # fmt: skip
            assert r.status_code == 200, r.text
            bought, detail = await _until(seen, lambda f: f[0]["items"][0]["status"] == "cancelled")
            assert bought["orders"] == 0 and detail["rank_name"] is None
    finally:
        for runtime in reversed(runtimes):
            await runtime.stop()
        await delete_bus_namespace(amqp_url, namespace, queues=QUEUES, retry_delays_ms=DELAYS)
