"""The RabbitMQ adapter on the real broker: confirmed publishing, quorum queues, bounded
retries through the TTL retry queues, the dead-letter queue, and nothing blocked behind a
poison message."""

import asyncio

import pytest
from kit.bus import Message, RabbitBus, Subscription
from kit.testing import delete_bus_namespace, unique_name

pytestmark = pytest.mark.broker


async def _wait_for(predicate, timeout: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not await predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError
        await asyncio.sleep(0.05)


async def test_poison_message_reaches_dlq_after_bounded_retries_and_others_flow(
    amqp_url: str,
) -> None:
    namespace = unique_name("t")
    bus = RabbitBus(url=amqp_url, namespace=namespace, retry_delays_ms=[50, 100])
    await bus.start()
    seen: list[str] = []
    attempts: dict[str, list[int]] = {}

    async def handler(message: Message) -> None:
        attempts.setdefault(message.message_id, []).append(message.attempt)
        if message.body == b"poison":
            raise ValueError("always fails")
        seen.append(message.message_id)

    await bus.subscribe(Subscription("orders", ("orders.#",), handler, prefetch=1))
    await bus.publish(Message("orders.order_placed.v1", b"poison", "m0"))
    for n in range(1, 11):
        await bus.publish(Message("orders.order_placed.v1", b"ok", f"m{n}"))

    async def dead() -> bool:
        return len(await bus.dead_letters("orders")) == 1

    await _wait_for(dead)
    await _wait_for(lambda: _true_when(len(seen) == 10))
    letters = await bus.dead_letters("orders")
    await bus.close()
    await delete_bus_namespace(amqp_url, namespace, queues=("orders",), retry_delays_ms=[50, 100])

    assert sorted(seen, key=lambda m: int(m[1:])) == [f"m{n}" for n in range(1, 11)]
    assert attempts["m0"] == [0, 1, 2]  # first delivery, then one per retry step
    assert letters[0].message_id == "m0"
    assert letters[0].routing_key == "orders.order_placed.v1"
    assert "always fails" in letters[0].headers["x-crm-error"]


async def test_message_that_fails_once_is_retried_and_then_handled(amqp_url: str) -> None:
    namespace = unique_name("t")
    bus = RabbitBus(url=amqp_url, namespace=namespace, retry_delays_ms=[50, 100])
    await bus.start()
    calls: list[int] = []

    async def handler(message: Message) -> None:
        calls.append(message.attempt)
        if message.attempt == 0:
            raise RuntimeError("transient")

    await bus.subscribe(Subscription("flaky", ("x.*",), handler))
    await bus.publish(Message("x.y", b"{}", "m1"))
    await _wait_for(lambda: _true_when(calls == [0, 1]))
    assert await bus.dead_letters("flaky") == []
    await bus.close()
    await delete_bus_namespace(amqp_url, namespace, queues=("flaky",), retry_delays_ms=[50, 100])


async def _true_when(value: bool) -> bool:
    return value


async def test_a_retired_binding_is_removed_so_its_events_stop_arriving(amqp_url: str) -> None:
    namespace = unique_name("t")
    seen: list[str] = []

    async def handler(message: Message) -> None:
        seen.append(message.message_id)

    # an earlier version took both events
    old = RabbitBus(url=amqp_url, namespace=namespace, retry_delays_ms=[50])
    await old.start()
    await old.subscribe(Subscription("svc", ("a.old.v1", "a.new.v2"), handler))
    await old.close()
    # the new one retires a.old.v1: the durable queue no longer receives it
    bus = RabbitBus(url=amqp_url, namespace=namespace, retry_delays_ms=[50])
    await bus.start()
    await bus.subscribe(Subscription("svc", ("a.new.v2",), handler, retired=("a.old.v1",)))
    await bus.publish(Message("a.old.v1", b"{}", "old"))
    await bus.publish(Message("a.new.v2", b"{}", "new"))
    await _wait_for(lambda: _true_when(seen == ["new"]))
    await asyncio.sleep(0.3)  # had the old binding stayed, "old" would be here by now
    await bus.close()
    await delete_bus_namespace(amqp_url, namespace, queues=("svc",), retry_delays_ms=[50])
    assert seen == ["new"]
