"""The in-memory bus keeps the RabbitMQ adapter's semantics: topic routing, bounded retries
with back-off, a dead-letter queue, and messages behind a poison message keep flowing."""

import asyncio

from kit.bus import InMemoryBus, Message, Subscription, topic_matches


def test_topic_matching_follows_amqp_rules() -> None:
    assert topic_matches("inquiry.received.v1", "inquiry.received.v1")
    assert topic_matches("inquiry.*.v1", "inquiry.received.v1")
    assert topic_matches("#", "a.b.c")
    assert topic_matches("inquiry.#", "inquiry.received.v1")
    assert topic_matches("#.v1", "customer.merged.v1")
    assert not topic_matches("inquiry.*", "inquiry.received.v1")
    assert not topic_matches("customer.#", "inquiry.received.v1")


async def test_poison_message_is_dead_lettered_after_retries_and_others_flow() -> None:
    bus = InMemoryBus(retry_delays_ms=[10, 20])
    await bus.start()
    seen: list[str] = []
    attempts: dict[str, int] = {}

    async def handler(message: Message) -> None:
        attempts[message.message_id] = attempts.get(message.message_id, 0) + 1
        if message.body == b"poison":
            raise ValueError("always fails")
        seen.append(message.message_id)

    await bus.subscribe(Subscription("q", ("x.#",), handler, prefetch=1))
    await bus.publish(Message("x.a", b"poison", "m0"))
    for n in range(1, 6):
        await bus.publish(Message("x.a", b"ok", f"m{n}"))
    await bus.publish(Message("y.a", b"ok", "unrouted"))
    for _ in range(100):
        if await bus.dead_letters("q"):
            break
        await asyncio.sleep(0.01)
    dead = await bus.dead_letters("q")
    await bus.close()

    assert seen == [f"m{n}" for n in range(1, 6)]
    assert attempts["m0"] == 3  # first delivery + two retries
    assert [m.message_id for m in dead] == ["m0"]
    assert "always fails" in dead[0].headers["x-crm-error"]
    assert "unrouted" not in attempts
