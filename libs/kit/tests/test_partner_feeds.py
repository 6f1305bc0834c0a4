"""Partner feeds on the real RabbitMQ (decision 104), read by a partner written with another
AMQP client (pika): the outbox relay's events of the partner's tenant and types reach its
queue once each (a consumer's retries do not pass the partners' exchange again), validate
against the published AsyncAPI document, and nothing else does; the partner is refused
everything but reading its queue, the connection limit holds, and closing the feed closes
the partner's open connection."""

import asyncio
import json
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pika
import pika.exceptions
import pytest
from contracts import CustomerMergedV1
from contracts.customer import CustomerDeletedV1
from jsonschema import Draft202012Validator
from kit import db, migrations
from kit.bus import Message, RabbitBus, Subscription
from kit.bus.feeds import FeedAccess, RabbitPartnerFeeds
from kit.outbox import Outbox
from kit.relay import OutboxRelay
from kit.settings import CommonSettings
from kit.testing import delete_bus_namespace, unique_name
from opentelemetry import trace

pytestmark = [pytest.mark.database, pytest.mark.broker]
ASYNCAPI = Path(__file__).parents[3] / "docs" / "events" / "asyncapi.json"
MERGED, DELETED = "customer.merged.v1", "customer.deleted.v1"


def _merged() -> CustomerMergedV1:
    return CustomerMergedV1(source_customer_id=uuid.uuid4(), target_customer_id=uuid.uuid4(),
                            merged_at=datetime.now(UTC))  # fmt: skip


def _params(access: FeedAccess, password: str | None = None) -> pika.URLParameters:
    host = access.amqp_url.split("//", 1)[1]
    params = pika.URLParameters(f"amqp://{access.username}:{password or access.password}@{host}")
    params.connection_attempts, params.socket_timeout = 1, 5
    return params


def _read_until(access: FeedAccess, last_event_id: str) -> list[tuple[dict, dict]]:
    """(headers, envelope) of every message in the partner's queue up to ``last_event_id``
    (published last: one channel, one queue, so all before it are there)."""
    connection = pika.BlockingConnection(_params(access))
    try:
        channel = connection.channel()
        got: list[tuple[dict, dict]] = []
        for method, props, body in channel.consume(access.queue, inactivity_timeout=20):
            assert method is not None, f"nothing more after {len(got)} messages"
            got.append((props.headers or {}, json.loads(body)))
            channel.basic_ack(method.delivery_tag)
            if props.message_id == last_event_id:
                break
        channel.cancel()
        return got
    finally:
        connection.close()


def _refused(access: FeedAccess, attempt) -> pika.exceptions.ChannelClosedByBroker:  # type: ignore[no-untyped-def]
    connection = pika.BlockingConnection(_params(access))
    try:
        with pytest.raises(pika.exceptions.ChannelClosedByBroker) as refused:
            attempt(connection.channel())
        return refused.value
    finally:
        if connection.is_open:
            connection.close()


def _validator(document: dict, routing_key: str) -> Draft202012Validator:
    """The published JSON Schema of the message of ``routing_key`` (its channel's message)."""
    channel = next(c for c in document["channels"].values() if c["address"] == routing_key)
    ref = next(iter(channel["messages"].values()))["$ref"]
    return Draft202012Validator({**document, "$ref": f"{ref}/payload"})


async def test_a_partner_reads_its_tenants_chosen_events_once_and_may_do_nothing_else(
    database_factory, amqp_url, amqp_management
) -> None:  # type: ignore[no-untyped-def]
    namespace = unique_name("t")
    common = CommonSettings(amqp_url=amqp_url, bus_namespace=namespace,
                            amqp_management_url=amqp_management)  # fmt: skip
    feeds = RabbitPartnerFeeds.from_settings(common, max_connections=2)
    url = database_factory("feeds")
    await db.ensure_database(url)
    engine = db.create_engine(url)
    await migrations.upgrade(engine, "inquiry.migrations")  # any service's has the kit tables
    bus = RabbitBus(url=amqp_url, namespace=namespace, retry_delays_ms=[100])
    await bus.start()
    relay = OutboxRelay(engine=engine, database_url=url, bus=bus, producer="test",
                        tracer=trace.get_tracer("test"))  # fmt: skip
    tenant, other = uuid.uuid4(), uuid.uuid4()
    partner, neighbour = uuid.uuid4(), uuid.uuid4()
    seen_by_consumer: list[int] = []
    retried = asyncio.Event()

    async def fails_once(message: Message) -> None:  # a service's consumer that retries
        seen_by_consumer.append(message.attempt)
        if message.attempt == 0:
            raise RuntimeError("first attempt fails")
        retried.set()

    try:
        access = await feeds.open(partner_id=partner, tenant_id=tenant, event_types=(MERGED,))
        other_access = await feeds.open(partner_id=neighbour, tenant_id=other,
                                        event_types=(MERGED, DELETED))  # fmt: skip
        assert access.queue == access.username == f"{namespace}.partner.{partner}"
        await bus.subscribe(Subscription("svc.events", (MERGED,), fails_once))
        sessions = db.session_factory(engine)
        async with sessions() as session:
            outbox = Outbox(session, producer="test")
            mine = [await outbox.add(_merged(), tenant_id=tenant) for _ in range(2)]
            await outbox.add(CustomerDeletedV1(customer_id=uuid.uuid4(),
                                               deleted_at=datetime.now(UTC)), tenant_id=tenant)  # fmt: skip
            theirs = await outbox.add(_merged(), tenant_id=other)
            await session.commit()
        assert await relay.drain_once() == 4
        async with asyncio.timeout(20):
            await retried.wait()  # the consumer's retry went round before the last event
        async with sessions() as session:
            last = await Outbox(session, producer="test").add(_merged(), tenant_id=tenant)
            await session.commit()
        assert await relay.drain_once() == 1

        got = await asyncio.to_thread(_read_until, access, str(last.event_id))
        ids = [envelope["event_id"] for _, envelope in got]
        assert ids == [str(e.event_id) for e in [*mine, last]]  # once each, in order, no retry
        assert 1 in seen_by_consumer  # the retries went round while the partner read once
        document = json.loads(ASYNCAPI.read_text(encoding="utf-8"))
        validator = _validator(document, MERGED)
        for headers, envelope in got:
            assert headers["crm-tenant"] == str(tenant) and headers["crm-event"] == MERGED
            validator.validate(envelope)
        assert envelope["tenant_id"] == str(tenant)
        with pytest.raises(Exception, match="payload"):
            validator.validate({**envelope, "payload": {"merged_at": "not a merge"}})
        neighbours = await asyncio.to_thread(_read_until, other_access, str(theirs.event_id))
        assert [e["event_id"] for _, e in neighbours] == [str(theirs.event_id)]

        publish = f"{namespace}.events"
        refusals = [
            lambda ch: ch.basic_get(other_access.queue),  # another partner's queue
            # a refused publish closes the channel; the next call on it meets the refusal
            lambda ch: ch.basic_publish(publish, MERGED, b"{}") or ch.basic_get(access.queue),
            lambda ch: ch.queue_declare(unique_name("t_partner_own")),
            lambda ch: ch.queue_delete(access.queue),  # reading is not configuring
        ]
        for attempt in refusals:
            refused = await asyncio.to_thread(_refused, access, attempt)
            assert refused.reply_code == 403 and "ACCESS_REFUSED" in refused.reply_text

        # the connection limit: two open, the third refused
        opened = [await asyncio.to_thread(pika.BlockingConnection, _params(access))
                  for _ in range(2)]  # fmt: skip
        with pytest.raises(pika.exceptions.AMQPConnectionError):
            await asyncio.to_thread(pika.BlockingConnection, _params(access))
        for connection in opened[1:]:
            connection.close()

        # a rotation: the old password no longer opens a connection, the new one does
        rotated = await feeds.rotate(partner_id=partner)
        await _until_closed(opened[0])
        with pytest.raises(pika.exceptions.AMQPConnectionError):
            await asyncio.to_thread(pika.BlockingConnection, _params(access))
        again = await asyncio.to_thread(pika.BlockingConnection, _params(rotated))

        # closing the feed closes the open connection and removes the queue and the user
        await feeds.close(partner_id=partner)
        await _until_closed(again)
        async with asyncio.timeout(20):  # the management API forgets it within seconds
            while await feeds.connections(access.username):
                await asyncio.sleep(0.2)
        with pytest.raises(pika.exceptions.AMQPConnectionError):
            await asyncio.to_thread(pika.BlockingConnection, _params(rotated))
        await feeds.close(partner_id=partner)  # again: nothing left, no error

        # an absent partner's queue keeps its newest messages and never refuses the relay
        small = RabbitPartnerFeeds.from_settings(common, max_length=3)
        absent = await small.open(partner_id=partner, tenant_id=tenant, event_types=(MERGED,))
        async with sessions() as session:
            burst = [await Outbox(session, producer="test").add(_merged(), tenant_id=tenant)
                     for _ in range(5)]  # fmt: skip
            await session.commit()
        assert await relay.drain_once() == 5  # every publish confirmed
        kept = await asyncio.to_thread(_read_until, absent, str(burst[-1].event_id))
        assert [e["event_id"] for _, e in kept] == [str(e.event_id) for e in burst[2:]]
    finally:
        await feeds.close(partner_id=partner)
        await feeds.close(partner_id=neighbour)
        await bus.close()
        await engine.dispose()
        await delete_bus_namespace(amqp_url, namespace, queues=("svc.events",),
                                   retry_delays_ms=[100])  # fmt: skip


async def _until_closed(connection: pika.BlockingConnection) -> None:
    """A blocking connection notices the broker's close when it next reads."""
    lock = threading.Lock()

    def closed() -> bool:
        with lock:
            try:
                connection.process_data_events(time_limit=0.2)
            except pika.exceptions.AMQPError:
                return True
            return connection.is_closed

    async with asyncio.timeout(20):
        while not await asyncio.to_thread(closed):
            await asyncio.sleep(0.1)
