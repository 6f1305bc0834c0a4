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


async def test_redrive_sends_the_chosen_dead_letters_back_once_and_depths_follow() -> None:
    bus = InMemoryBus(retry_delays_ms=[5])
    await bus.start()
    broken = True
    handled: list[str] = []
    failures: list[tuple[str, str]] = []

    async def handler(message: Message) -> None:
        if broken:
            raise RuntimeError("down")
        handled.append(message.message_id)

    def failed(message: Message, outcome: str) -> None:
        failures.append((message.message_id, outcome))

    assert await bus.queue_depths("q") is None
    await bus.subscribe(Subscription("q", ("x.#",), handler, prefetch=1, on_failure=failed))
    for n in range(3):
        await bus.publish(Message("x.a", b"{}", f"m{n}"))
    for _ in range(200):
        if len(await bus.dead_letters("q")) == 3:
            break
        await asyncio.sleep(0.01)
    assert (await bus.queue_depths("q")).dead == 3
    assert failures.count(("m0", "retried")) == 1 and ("m0", "dead_lettered") in failures
    assert (await bus.dead_letters("q"))[0].headers["x-crm-dead-lettered-at"]
    broken = False
    assert await bus.redrive("q", lambda m: m.message_id == "m1") == 1
    assert await bus.drain()
    assert handled == ["m1"]
    assert [m.message_id for m in await bus.dead_letters("q")] == ["m0", "m2"]
    assert await bus.redrive("q", lambda m: True) == 2
    assert await bus.drain()
    await bus.close()
    assert sorted(handled) == ["m0", "m1", "m2"]
    assert (await bus.queue_depths("q")).dead == 0
