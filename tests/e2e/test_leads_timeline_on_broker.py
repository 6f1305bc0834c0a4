"""Leads' activity timeline fed by the real producers over the real RabbitMQ: an order placed
in the orders service (OrderPlaced), a visit booked by staff in the booking service
(VisitScheduled) and a follow-up status set to 成約 in the customer service (FollowUpChanged)
reach leads' consumer through the outbox relays and show on the customer's timeline; the
same OrderPlaced reaches the customer service's purchase history (購入履歴). Each
service runs in this process, on its own database, one bus namespace."""

import asyncio
import uuid
from datetime import timedelta

import httpx
import pytest
from booking.bootstrap import build_runtime as build_booking
from booking.entrypoints.http import create_app as booking_app
from booking.settings import BookingSettings
from customer.bootstrap import build_runtime as build_customer
from customer.entrypoints.http import create_app as customer_app
from customer.settings import CustomerSettings
from kit import clock
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
QUEUES = ("leads.events", "orders.events", "customer.events", "booking.events")


def _client(app, tenant_id: uuid.UUID, common: CommonSettings) -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://svc",
        headers=service_headers(common, tenant_id=tenant_id, role="admin"),
    )  # fmt: skip


async def test_orders_visits_and_contracts_arrive_in_the_leads_timeline(
    database_factory, amqp_url
) -> None:  # type: ignore[no-untyped-def]
    namespace = unique_name("t")
    common = CommonSettings(bus="amqp", amqp_url=amqp_url, bus_namespace=namespace,
                            retry_delays_ms=DELAYS, outbox_poll_interval_s=0.2)  # fmt: skip
    leads = build_leads(LeadsSettings(database_url=database_factory("leads"), db_pool_size=3),
                        common=common)  # fmt: skip
    orders = build_orders(OrdersSettings(database_url=database_factory("orders"), db_pool_size=3),
                          common=common)  # fmt: skip
    customers = build_customer(
        CustomerSettings(database_url=database_factory("customer"), db_pool_size=3), common=common
    )
    booking = build_booking(
        BookingSettings(database_url=database_factory("booking"), db_pool_size=3), common=common
    )
    runtimes = [leads, orders, customers, booking]
    for runtime in runtimes:
        await runtime.start()
    tenant_id = uuid.uuid4()
    try:
        async with (
            _client(leads_app(leads, manage_lifecycle=False), tenant_id, common) as lead_api,
            _client(orders_app(orders, manage_lifecycle=False), tenant_id, common) as order_api,
            _client(customer_app(customers, manage_lifecycle=False), tenant_id, common) as cus_api,
            _client(booking_app(booking, manage_lifecycle=False), tenant_id, common) as book_api,
        ):
            r = await cus_api.post("/customers", json={
                "family_name": "佐賀", "given_name": "太郎", "family_kana": "サガ",
                "given_kana": "タロウ", "phones": ["090-1234-5678"],
                "emails": ["saga@example.com"], "birth_date": "1980-04-01",
            })  # fmt: skip
            assert r.status_code == 201, r.text
            customer = r.json()["id"]
            product = (await order_api.post("/products", json={
                "code": "T-1", "name": "健康トニック", "price_yen": 3000})).json()  # fmt: skip
            await order_api.post("/shipping-fees", json={"prefecture": "佐賀県", "fee_yen": 500})
            # Orders knows the customer once ProfileChanged reached it; then the order is taken.
            async with asyncio.timeout(30):
                while True:
                    r = await order_api.post("/orders", json={
                        "customer_id": customer,
                        "lines": [{"product_id": product["id"], "quantity": 2}],
                        "delivery": {"kind": "home", "name": "佐賀 太郎", "prefecture": "佐賀県",
                                     "address": "佐賀市城内1-1"}})  # fmt: skip
                    if r.status_code != 404:
                        break
                    await asyncio.sleep(0.1)  # the customer is not known to orders yet
            assert r.status_code == 201, r.text
            order = r.json()
            r = await cus_api.patch(
                f"/customers/{customer}/follow-up", json={"status": "contracted"}
            )
            assert r.status_code == 204, r.text
            # Booking knows the customer once ProfileChanged reached it; then staff book.
            store = uuid.uuid4()
            hours = {str(d): ["10:00", "18:00"] for d in range(7)}
            r = await book_api.put(f"/stores/{store}", json={
                "name": "田町支店", "staff_count": 2, "slot_minutes": 60, "hours": hours})  # fmt: skip
            assert r.status_code == 200, r.text
            day = (clock.today() + timedelta(days=30)).isoformat()
            async with asyncio.timeout(30):
                while True:
                    r = await book_api.post("/visits", json={
                        "store_id": str(store), "kind": "store_consultation",
                        "customer_id": customer, "starts_at": f"{day}T11:00:00+09:00",
                        "ends_at": f"{day}T12:00:00+09:00"})  # fmt: skip
                    if r.status_code == 201:
                        break
                    await asyncio.sleep(0.1)  # the customer is not known to booking yet
            visit = r.json()

            async def timeline() -> list[dict]:  # type: ignore[type-arg]
                r = await lead_api.get(f"/customers/{customer}/activities")
                return r.json()["items"]

            async with asyncio.timeout(30):
                while len(items := await timeline()) < 3:
                    await asyncio.sleep(0.1)

            async def purchases() -> dict:  # the customer service's 購入履歴, by the same event
                return (await cus_api.get(f"/customers/{customer}/purchases")).json()

            async with asyncio.timeout(30):
                while not (history := await purchases())["items"]:
                    await asyncio.sleep(0.1)
            other = uuid.uuid4()
            async with _client(customer_app(customers, manage_lifecycle=False), other, common) as c:
                assert (await c.get(f"/customers/{customer}/purchases")).status_code == 404
    finally:
        for runtime in reversed(runtimes):
            await runtime.stop()
        await delete_bus_namespace(amqp_url, namespace, queues=QUEUES, retry_delays_ms=DELAYS)

    [bought] = history["items"]
    assert bought["order_id"] == order["id"] and bought["total_yen"] == order["total_yen"]
    assert bought["lines"] == [{"product_name": "健康トニック", "quantity": 2,
                                "amount_yen": order["lines"][0]["amount_yen"]}]  # fmt: skip
    assert (history["orders"], history["total_yen"]) == (1, order["total_yen"])
    by_kind = {i["kind"]: i for i in items}
    assert set(by_kind) == {"order", "follow_up", "visit"}
    assert by_kind["visit"]["detail"]["visit_id"] == visit["id"]
    assert by_kind["order"]["detail"]["order_id"] == order["id"]
    assert by_kind["order"]["detail"]["total_yen"] == order["total_yen"]
    assert by_kind["follow_up"]["detail"] == {
        "status": "contracted",
        "previous_status": "following",
    }
