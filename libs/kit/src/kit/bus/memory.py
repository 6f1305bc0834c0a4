"""In-memory bus for the embedded mode: the same topic routing, retries and dead letters as
the RabbitMQ adapter, inside one event loop."""

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

from kit.bus.base import (
    ATTEMPT_HEADER,
    Bus,
    Message,
    QueueDepths,
    Subscription,
    cancel_all,
    dead_lettered,
    deliver,
    redriven,
    take_ready,
    topic_matches,
)
from kit.logging import get_logger

log = get_logger("kit.bus.memory")


class InMemoryBus(Bus):
    def __init__(self, *, namespace: str = "crm", retry_delays_ms: list[int]) -> None:
        super().__init__(namespace=namespace, retry_delays_ms=retry_delays_ms)
        self._subscriptions: list[Subscription] = []
        self._queues: dict[str, asyncio.Queue[Message]] = {}
        self._dead: dict[str, list[Message]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._timers: set[asyncio.TimerHandle] = set()
        self._running = False
        self._busy = 0

    async def start(self) -> None:
        self._running = True

    async def close(self) -> None:
        self._running = False
        for timer in self._timers:
            timer.cancel()
        await cancel_all(self._tasks)

    async def is_ready(self) -> bool:
        return self._running

    async def publish(self, message: Message) -> None:
        for sub in self._subscriptions:
            if any(topic_matches(b, message.routing_key) for b in sub.bindings):
                self._queues[sub.queue].put_nowait(message)

    async def subscribe(self, subscription: Subscription) -> None:
        self._subscriptions.append(subscription)
        queue: asyncio.Queue[Message] = asyncio.Queue()
        self._queues[subscription.queue] = queue
        self._dead.setdefault(subscription.queue, [])
        for _ in range(subscription.workers):
            task = asyncio.create_task(self._worker(subscription, queue))
            self._tasks.add(task)

    async def drain(self, *, timeout_s: float = 10.0) -> bool:
        """Wait until every queue is empty and no handler or retry is pending (clean stop)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while loop.time() < deadline:
            pending_timers = any(not t.cancelled() and t.when() > loop.time() for t in self._timers)
            queued = any(not q.empty() for q in self._queues.values())
            if not (queued or pending_timers or self._busy):
                return True
            await asyncio.sleep(0.02)
        return False

    async def dead_letters(self, queue: str) -> list[Message]:
        return list(self._dead.get(queue, []))

    async def redrive(self, queue: str, select: Callable[[Message], bool]) -> int:
        dead = self._dead.get(queue)
        if not dead:
            return 0
        picked = [(select(m), m) for m in dead]
        chosen = [m for keep, m in picked if keep]
        self._dead[queue] = [m for keep, m in picked if not keep]
        for message in chosen:
            self._queues[queue].put_nowait(redriven(message))
        return len(chosen)

    async def queue_depths(self, queue: str) -> QueueDepths | None:
        if queue not in self._queues:
            return None
        return QueueDepths(ready=self._queues[queue].qsize(), dead=len(self._dead[queue]))

    async def _worker(self, sub: Subscription, queue: asyncio.Queue[Message]) -> None:
        while True:
            messages = await take_ready(queue, sub.batch)
            self._busy += len(messages)
            try:
                outcomes = await deliver(sub, messages)
                for message, exc in zip(messages, outcomes, strict=True):
                    if exc is not None:
                        self._retry_or_dead_letter(sub, queue, message, exc)
            finally:
                self._busy -= len(messages)

    def _retry_or_dead_letter(
        self, sub: Subscription, queue: asyncio.Queue[Message], message: Message, exc: Exception
    ) -> None:
        attempt = message.attempt
        if attempt < len(self.retry_delays_ms):
            retry = Message(
                routing_key=message.routing_key,
                body=message.body,
                message_id=message.message_id,
                headers={**message.headers, ATTEMPT_HEADER: attempt + 1},
            )
            delay = self.retry_delays_ms[attempt] / 1000
            timer = asyncio.get_running_loop().call_later(delay, queue.put_nowait, retry)
            self._timers.add(timer)
            log.warning(
                "handler failed; retrying",
                queue=sub.queue,
                attempt=attempt + 1,
                error=type(exc).__name__,
            )
            if sub.on_failure is not None:
                sub.on_failure(message, "retried")
            return
        self._dead[sub.queue].append(dead_lettered(message, exc, datetime.now(UTC).isoformat()))
        if sub.on_failure is not None:
            sub.on_failure(message, "dead_lettered")
        log.error(
            "message dead-lettered",
            queue=sub.queue,
            message_id=message.message_id,
            error=type(exc).__name__,
        )
