"""OrderPlaced leaves through the outbox relay onto the real RabbitMQ, where the queues of its
consumers (customer, leads) bound to its routing key receive it with the facts they need."""

import asyncio
import uuid

import httpx
import pytest
import sqlalchemy as sa
from contracts import Envelope, OrderPlacedV1
from contracts.registry import decode
from kit.auth import Principal, mint_service_token
from kit.bus import Message, RabbitBus, Subscription
from kit.settings import CommonSettings
from kit.testing import delete_bus_namespace, unique_name
from orders.bootstrap import build_runtime
from orders.entrypoints.http import create_app
from orders.settings import OrdersSettings

pytestmark = [pytest.mark.database, pytest.mark.broker]
DELAYS = [100, 200]
CONSUMERS = ("customer.events", "leads.events")


async def test_order_placed_reaches_its_consumers_queues(database_factory, amqp_url) -> None:  # type: ignore[no-untyped-def]
    namespace = unique_name("t")
    common = CommonSettings(bus="amqp", amqp_url=amqp_url, bus_namespace=namespace,
                            retry_delays_ms=DELAYS, outbox_poll_interval_s=0.2)  # fmt: skip
    runtime = build_runtime(OrdersSettings(database_url=database_factory("orders")), common=common)
    await runtime.start()
    listener = RabbitBus(url=amqp_url, namespace=namespace, retry_delays_ms=DELAYS)
    await listener.start()
    received: dict[str, list[Message]] = {queue: [] for queue in CONSUMERS}
    try:
        for queue in CONSUMERS:

            async def keep(message: Message, queue: str = queue) -> None:
                received[queue].append(message)

            await listener.subscribe(Subscription(queue, ("orders.order_placed.v1",), keep))
        tenant_id = uuid.uuid4()
        token = mint_service_token(Principal(tenant_id=tenant_id, role="admin"),
                                   secret=common.service_token_secret, ttl_s=600)  # fmt: skip
        app = create_app(runtime, manage_lifecycle=False)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://o",
                                     headers={"authorization": f"Bearer {token}"}) as client:  # fmt: skip
            product = (await client.post("/products", json={
                "code": "T-1", "name": "健康トニック", "price_yen": 3000})).json()  # fmt: skip
            await client.post("/shipping-fees", json={"prefecture": "佐賀県", "fee_yen": 500})
            customer = uuid.uuid4()  # known here as the customer service's events make it
            async with runtime.engine.begin() as conn:
                await conn.execute(sa.text("INSERT INTO customers_known VALUES (:t, :c)"),
                                   {"t": tenant_id, "c": customer})  # fmt: skip
            r = await client.post("/orders", json={
                "customer_id": str(customer),
                "lines": [{"product_id": product["id"], "quantity": 2}],
                "delivery": {"kind": "home", "name": "佐賀 太郎", "prefecture": "佐賀県",
                             "address": "佐賀市城内1-1"}})  # fmt: skip
            assert r.status_code == 201, r.text
            order = r.json()

        async with asyncio.timeout(20):
            while not all(received.values()):
                await asyncio.sleep(0.05)
    finally:
        await listener.close()
        await runtime.stop()
        # The orders service consumes too (CustomerMerged): its own queue goes as well.
        queues = (*CONSUMERS, "orders.events")
        await delete_bus_namespace(amqp_url, namespace, queues=queues, retry_delays_ms=DELAYS)

    for queue in CONSUMERS:
        [message] = received[queue]
        envelope = Envelope.model_validate_json(message.body)
        event = decode(envelope)
        assert isinstance(event, OrderPlacedV1) and envelope.tenant_id == tenant_id
        assert (event.order_id, event.customer_id) == (uuid.UUID(order["id"]), customer)
        assert event.order_number == order["order_number"] and event.total_yen == order["total_yen"]
        assert [(ln.product_id, ln.quantity, ln.amount_yen) for ln in event.lines] == [
            (uuid.UUID(product["id"]), 2, 6000)]  # fmt: skip
