"""The customer service on the real PostgreSQL and RabbitMQ: a redelivered event has one
effect (inbox), and concurrent inquiries with one new email make exactly one customer."""

import asyncio
import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from contracts import Envelope, InquiryReceivedV1
from contracts.inquiry import Contact
from customer.bootstrap import build_runtime
from customer.settings import CustomerSettings
from kit.bus import Message, RabbitBus
from kit.settings import CommonSettings
from kit.testing import delete_bus_namespace, unique_name

pytestmark = [pytest.mark.database, pytest.mark.broker]
DELAYS = [100, 200]


def _envelope(tenant_id: uuid.UUID, *, email: str, phone: str) -> Envelope:
    event = InquiryReceivedV1(
        inquiry_id=uuid.uuid4(), medium="portal", kind="question",
        received_at=datetime.now(UTC), contact=Contact(name="重複 太郎", email=email, phone=phone),
    )  # fmt: skip
    return Envelope(
        event_type=event.event_type,
        version=1,
        routing_key=event.routing_key(),
        tenant_id=tenant_id,
        producer="inquiry",
        payload=event.model_dump(mode="json"),
    )


@pytest.fixture
async def service(database_factory, amqp_url: str):  # type: ignore[no-untyped-def]
    namespace = unique_name("t")
    common = CommonSettings(
        bus="amqp", amqp_url=amqp_url, bus_namespace=namespace, retry_delays_ms=DELAYS
    )
    runtime = build_runtime(
        CustomerSettings(database_url=database_factory("customer")), common=common
    )
    await runtime.start()
    publisher = RabbitBus(url=amqp_url, namespace=namespace, retry_delays_ms=DELAYS)
    await publisher.start()
    yield runtime, publisher
    await publisher.close()
    await runtime.stop()
    await delete_bus_namespace(
        amqp_url, namespace, queues=("customer.events",), retry_delays_ms=DELAYS
    )


async def _count(runtime, sql: str) -> int:  # type: ignore[no-untyped-def]
    async with runtime.engine.connect() as conn:
        return int(await conn.scalar(sa.text(sql)))


async def _until(predicate, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    async with asyncio.timeout(timeout):
        while not await predicate():
            await asyncio.sleep(0.05)


async def test_same_event_delivered_twice_has_one_effect(service) -> None:  # type: ignore[no-untyped-def]
    runtime, publisher = service
    env = _envelope(uuid.uuid4(), email="twice@example.com", phone="090-1234-5678")
    message = Message(env.routing_key, env.model_dump_json().encode(), str(env.event_id))
    await publisher.publish(message)
    await publisher.publish(message)

    async def inbox_has_both_handled() -> bool:
        return await _count(runtime, "SELECT count(*) FROM customer_inquiries") == 1

    await _until(inbox_has_both_handled)
    await asyncio.sleep(1.0)  # give the second delivery time to (not) act
    assert await _count(runtime, "SELECT count(*) FROM customers") == 1
    assert await _count(runtime, "SELECT count(*) FROM customer_inquiries") == 1
    # Without the inbox the second delivery would have emitted a second InquiryLinked.
    linked = "SELECT count(*) FROM outbox WHERE routing_key = 'customer.inquiry_linked.v1'"
    assert await _count(runtime, linked) == 1
    assert await _count(runtime, "SELECT count(*) FROM inbox") == 1


async def test_concurrent_inquiries_with_one_new_email_make_one_customer(service) -> None:  # type: ignore[no-untyped-def]
    runtime, publisher = service
    tenant = uuid.uuid4()
    envelopes = [
        _envelope(tenant, email="Same@Example.com", phone=f"090-0000-{n:04d}") for n in range(30)
    ]
    await asyncio.gather(
        *(
            publisher.publish(Message(e.routing_key, e.model_dump_json().encode(), str(e.event_id)))
            for e in envelopes
        )
    )

    async def all_linked() -> bool:
        return await _count(runtime, "SELECT count(*) FROM customer_inquiries") == 30

    await _until(all_linked)
    assert await _count(runtime, "SELECT count(*) FROM customers") == 1
    assert await _count(runtime, "SELECT count(*) FROM customer_phones") == 30
    assert await _count(runtime, "SELECT count(*) FROM customer_emails") == 1
