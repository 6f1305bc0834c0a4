"""The dead-letter inspector on the real RabbitMQ (decision 100): reading a quorum DLQ again
and again neither loses a message nor counts a delivery against it; a re-drive sends one
message, or all, back to its consumer once, which handles it; the queue depths the metrics
show (ready messages, DLQ) come from passive declares; and ``python -m host dlq`` does the
same from the command line."""

import asyncio
import json
import os
import subprocess
import sys
import uuid

import aio_pika
import pytest
from kit.bus import Message, RabbitBus, Subscription
from kit.dead_letters import DeadLetterInspector
from kit.testing import delete_bus_namespace, eventually, unique_name

pytestmark = pytest.mark.broker
DELAYS = [30]


def _envelope(n: int, tenant: uuid.UUID) -> Message:
    event_id = str(uuid.uuid4())
    body = {"event_id": event_id, "event_type": "probe.probed", "version": 1,
            "routing_key": "probe.probed.v1", "tenant_id": str(tenant), "producer": "probe",
            "occurred_at": "2026-12-03T01:02:03+00:00", "payload": {"n": n, "name": "住まい花子"}}  # fmt: skip
    return Message("probe.probed.v1", json.dumps(body).encode(), event_id)


class Consumer:
    """Fails every message while ``broken``; records what it handled."""

    def __init__(self) -> None:
        self.broken = True
        self.handled: list[str] = []

    async def __call__(self, message: Message) -> None:
        if self.broken:
            raise RuntimeError("downstream down")
        self.handled.append(message.message_id)


@pytest.fixture
async def broker(amqp_url: str):  # type: ignore[no-untyped-def]
    namespace = unique_name("dlq")
    bus = RabbitBus(url=amqp_url, namespace=namespace, retry_delays_ms=DELAYS)
    await bus.start()
    consumer = Consumer()
    await bus.subscribe(Subscription("customer.events", ("probe.#",), consumer, prefetch=4))
    yield bus, consumer, namespace
    await bus.close()
    await delete_bus_namespace(amqp_url, namespace, queues=("customer.events",),
                               retry_delays_ms=DELAYS)  # fmt: skip


async def _dead(bus: RabbitBus, count: int) -> None:
    async def there() -> bool:
        depths = await bus.queue_depths("customer.events")
        return depths is not None and depths.dead == count

    await eventually(there)


async def test_reading_a_dlq_often_keeps_every_message_fresh_and_in_order(broker) -> None:  # type: ignore[no-untyped-def]
    bus, _, namespace = broker
    tenant = uuid.uuid4()
    sent = [_envelope(n, tenant) for n in range(3)]
    for message in sent:
        await bus.publish(message)
    await _dead(bus, 3)
    for _ in range(25):  # beyond any delivery limit (ours is 20)
        letters = await bus.dead_letters("customer.events")
        assert [m.message_id for m in letters] == [m.message_id for m in sent]
    assert (await bus.queue_depths("customer.events")).dead == 3
    letters = await DeadLetterInspector(bus).list(service="customer")
    assert [d.event_id for d in letters] == [m.message_id for m in sent]
    first = letters[0]
    assert (first.event_type, first.tenant_id, first.attempts) == ("probe.probed", tenant, 2)
    assert first.payload == {"n": 0, "name": "住まい花子"}
    assert "RuntimeError: downstream down" in first.error
    # what the broker itself holds: no delivery counted against any of them
    connection = await aio_pika.connect(bus._url)
    async with connection:
        channel = await connection.channel()
        dlq = await channel.declare_queue(f"{namespace}.customer.events.dlq", passive=True)
        for _ in sent:
            raw = await dlq.get(no_ack=False)
            assert not (raw.headers or {}).get("x-delivery-count")
            assert raw.headers["x-crm-dead-lettered-at"]
            await raw.ack()


async def test_redrive_one_then_all_each_handled_once(broker) -> None:  # type: ignore[no-untyped-def]
    bus, consumer, _ = broker
    tenant, other = uuid.uuid4(), uuid.uuid4()
    mine = [_envelope(n, tenant) for n in range(3)]
    theirs = _envelope(9, other)
    for message in [*mine, theirs]:
        await bus.publish(message)
    await _dead(bus, 4)
    consumer.broken = False  # the cause removed
    inspector = DeadLetterInspector(bus)

    assert await inspector.redrive(event_id=mine[1].message_id, tenant_id=tenant) == 1
    await eventually(lambda: _true(consumer.handled == [mine[1].message_id]))
    await _dead(bus, 3)
    # another tenant's admin neither sees nor re-drives it
    assert await inspector.redrive(event_id=theirs.message_id, tenant_id=tenant) == 0
    assert [d.event_id for d in await inspector.list(tenant_id=tenant)] == [
        mine[0].message_id, mine[2].message_id]  # fmt: skip

    assert await inspector.redrive(tenant_id=tenant) == 2
    await eventually(lambda: _true(len(consumer.handled) == 3))
    await _dead(bus, 1)  # the other tenant's stays
    assert sorted(consumer.handled) == sorted(m.message_id for m in mine)
    depths = await bus.queue_depths("customer.events")
    assert (depths.ready, depths.dead) == (0, 1)
    assert [d.event_id for d in await inspector.list()] == [theirs.message_id]


async def test_a_redriven_message_that_fails_again_comes_back_marked(broker) -> None:  # type: ignore[no-untyped-def]
    bus, _, _ = broker
    message = _envelope(1, uuid.uuid4())
    await bus.publish(message)
    await _dead(bus, 1)
    inspector = DeadLetterInspector(bus)
    assert await inspector.redrive(event_id=message.message_id) == 1

    async def back() -> list:
        letters = await inspector.list()
        return [d for d in letters if d.redrives == 1]

    (letter,) = await eventually(back)
    assert (letter.event_id, letter.attempts) == (message.message_id, 2)  # its retries renewed


async def test_consumer_lag_counts_the_ready_messages(amqp_url: str) -> None:
    namespace = unique_name("lag")
    bus = RabbitBus(url=amqp_url, namespace=namespace, retry_delays_ms=DELAYS)
    await bus.start()
    release = asyncio.Event()

    async def slow(message: Message) -> None:
        await release.wait()

    try:
        assert await bus.queue_depths("orders.events") is None  # not declared yet
        await bus.subscribe(Subscription("orders.events", ("x.#",), slow, prefetch=1))
        for n in range(5):
            await bus.publish(Message("x.y", b"{}", f"m{n}"))

        async def four_ready() -> bool:
            depths = await bus.queue_depths("orders.events")
            return depths is not None and (depths.ready, depths.dead) == (4, 0)

        await eventually(four_ready)  # one is with the consumer, unacked
        release.set()

        async def none_ready() -> bool:
            return (await bus.queue_depths("orders.events")).ready == 0

        await eventually(none_ready)
    finally:
        release.set()
        await bus.close()
        await delete_bus_namespace(amqp_url, namespace, queues=("orders.events",),
                                   retry_delays_ms=DELAYS)  # fmt: skip


def _cli(namespace: str, amqp_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CRM_BUS": "amqp", "CRM_AMQP_URL": amqp_url,
           "CRM_BUS_NAMESPACE": namespace, "CRM_RETRY_DELAYS_MS": json.dumps(DELAYS)}  # fmt: skip
    return subprocess.run([sys.executable, "-m", "host", "dlq", *args], env=env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip


async def test_the_command_lists_shows_and_redrives(broker, amqp_url: str) -> None:  # type: ignore[no-untyped-def]
    bus, consumer, namespace = broker
    sent = [_envelope(n, uuid.uuid4()) for n in range(2)]
    for message in sent:
        await bus.publish(message)
    await _dead(bus, 2)
    listed = await asyncio.to_thread(_cli, namespace, amqp_url, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(r["service"], r["event_id"], r["event_type"]) for r in rows] == [
        ("customer", m.message_id, "probe.probed") for m in sent]  # fmt: skip
    shown = await asyncio.to_thread(_cli, namespace, amqp_url, "show", sent[0].message_id)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["body"]["payload"]["name"] == "住まい花子"
    consumer.broken = False
    one = await asyncio.to_thread(_cli, namespace, amqp_url, "redrive", sent[0].message_id)
    assert (one.returncode, one.stdout.strip()) == (0, "re-driven: 1")
    await eventually(lambda: _true(consumer.handled == [sent[0].message_id]))
    rest = await asyncio.to_thread(_cli, namespace, amqp_url, "redrive", "--all",
                                   "--service", "customer")  # fmt: skip
    assert (rest.returncode, rest.stdout.strip()) == (0, "re-driven: 1")
    await eventually(lambda: _true(len(consumer.handled) == 2))
    gone = await asyncio.to_thread(_cli, namespace, amqp_url, "show", sent[0].message_id)
    assert gone.returncode == 1
    bad = await asyncio.to_thread(_cli, namespace, amqp_url, "list", "--service", "nope")
    assert bad.returncode == 2


async def _true(value: bool) -> bool:
    return value
