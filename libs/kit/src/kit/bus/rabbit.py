"""RabbitMQ adapter (aio-pika).

Topology per consumer queue ``Q`` (names prefixed by the namespace):
- ``Q``: quorum queue bound to the topic exchange; ``x-delivery-limit`` dead-letters a message
  that keeps crashing its consumer before any ack (e.g. a process killed mid-handler);
- ``Q.retry.<ms>``: one quorum queue per back-off step; its message TTL dead-letters the
  message back to ``Q`` through the default exchange: delays without a plugin;
- ``Q.dlq``: quorum queue of messages whose retries are spent.
A failing handler's message is republished (confirmed) to the next retry queue or the DLQ
and only then acked: never acked with nowhere to go, never blocking the messages behind it.

Inspecting a DLQ (decision 100): a quorum queue counts every return of a message it
delivered (``x-delivery-count``; a nack with requeue, or a channel closed with it unacked),
and a delivery limit, ours or a policy's, then drops or dead-letters it. So the inspector
never returns a message: it takes the messages the DLQ held when it looked (basic.get, kept
unacked), publishes each one again with confirms (back to the DLQ, or to ``Q`` for a
re-drive), and only then acks the originals. A crash in between leaves a copy twice, never
none; the consumers' inboxes drop the repeat.
"""

import asyncio
import contextlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import aio_pika
from aio_pika.abc import (
    AbstractChannel,
    AbstractExchange,
    AbstractIncomingMessage,
    AbstractQueue,
)

from kit.bus.base import (
    ATTEMPT_HEADER,
    Bus,
    BusUnavailable,
    Message,
    QueueDepths,
    Subscription,
    cancel_all,
    dead_lettered,
    deliver,
    redriven,
    take_ready,
)
from kit.logging import get_logger

log = get_logger("kit.bus.rabbit")

DELIVERY_LIMIT = 20
PUBLISH_TIMEOUT_S = 10.0
QUORUM = {"x-queue-type": "quorum"}


class RabbitBus(Bus):
    def __init__(
        self,
        *,
        url: str,
        namespace: str = "crm",
        retry_delays_ms: list[int],
        heartbeat_s: int = 30,
        connect_timeout_s: float = 60.0,
    ) -> None:
        super().__init__(namespace=namespace, retry_delays_ms=retry_delays_ms)
        self._url = url
        self._heartbeat = heartbeat_s
        self._connect_timeout = connect_timeout_s
        self._connection: aio_pika.abc.AbstractRobustConnection | None = None
        self._publish_channel: AbstractChannel | None = None
        self._exchange: AbstractExchange | None = None
        self._publish_lock = asyncio.Lock()
        self._inspect_channel: AbstractChannel | None = None
        self._inspect_lock = asyncio.Lock()
        self._workers: set[asyncio.Task[None]] = set()

    @property
    def exchange_name(self) -> str:
        return f"{self.namespace}.events"

    async def start(self) -> None:
        deadline = asyncio.get_running_loop().time() + self._connect_timeout
        delay = 0.5
        while True:
            try:
                self._connection = await aio_pika.connect_robust(
                    self._url,
                    heartbeat=self._heartbeat,
                    client_properties={"connection_name": f"{self.namespace}"},
                )
                break
            except Exception as exc:
                if asyncio.get_running_loop().time() > deadline:
                    raise BusUnavailable(f"RabbitMQ unreachable: {exc}") from exc
                log.warning("RabbitMQ not reachable yet; retrying", error=type(exc).__name__)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
        self._publish_channel = await self._connection.channel(publisher_confirms=True)
        self._exchange = await self._publish_channel.declare_exchange(
            self.exchange_name, aio_pika.ExchangeType.TOPIC, durable=True
        )

    async def close(self) -> None:
        await cancel_all(self._workers)
        if self._connection is not None:
            with contextlib.suppress(Exception):
                await self._connection.close()
            self._connection = None

    async def is_ready(self) -> bool:
        return (
            self._connection is not None
            and not self._connection.is_closed
            and self._publish_channel is not None
            and not self._publish_channel.is_closed
        )

    async def publish(self, message: Message) -> None:
        if self._exchange is None:
            raise BusUnavailable("bus not started")
        try:
            # The outer bound matters while the robust connection reconnects: aio-pika then
            # waits for the channel to come back, and the relay must not wait forever.
            await asyncio.wait_for(
                self._exchange.publish(
                    _outgoing(message),
                    message.routing_key,
                    mandatory=False,
                    timeout=PUBLISH_TIMEOUT_S,
                ),
                PUBLISH_TIMEOUT_S + 1,
            )
        except asyncio.CancelledError as exc:
            # aio-pika cancels operations pending on a channel that closes under them; only
            # a cancellation of our own task is a real one.
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise
            raise BusUnavailable("publish interrupted by a reconnect") from exc
        except Exception as exc:
            raise BusUnavailable(f"publish not confirmed: {type(exc).__name__}") from exc

    async def subscribe(self, subscription: Subscription) -> None:
        assert self._connection is not None and self._publish_channel is not None
        name = self.queue_name(subscription.queue)
        channel = await self._connection.channel()
        await channel.set_qos(prefetch_count=subscription.prefetch)
        # Objects from declare_* are the robust ones: after a reconnect aio-pika re-declares
        # them and restores their bindings and consumer (get_queue(ensure=False) would not).
        exchange, queue = await self._declare_topology(channel, name)
        for binding in subscription.bindings:
            await queue.bind(exchange, binding)
        for binding in subscription.retired:  # a no-op when not bound
            await queue.unbind(exchange, binding)

        # Deliveries wait in a local queue for the subscription's workers, each of which takes
        # what is ready as one batch (decision 110); they stay unacked until handled.
        ready: asyncio.Queue[tuple[Message, AbstractIncomingMessage]] = asyncio.Queue()

        async def on_message(incoming: AbstractIncomingMessage) -> None:
            ready.put_nowait((_message(incoming), incoming))

        for _ in range(subscription.workers):
            task = asyncio.create_task(self._work(subscription, name, ready))
            self._workers.add(task)
        await queue.consume(on_message)

    async def _declare_topology(
        self, channel: AbstractChannel, name: str
    ) -> tuple[AbstractExchange, AbstractQueue]:
        exchange = await channel.declare_exchange(
            self.exchange_name, aio_pika.ExchangeType.TOPIC, durable=True
        )
        quorum = QUORUM
        await channel.declare_queue(f"{name}.dlq", durable=True, arguments=quorum)
        for delay in self.retry_delays_ms:
            await channel.declare_queue(
                f"{name}.retry.{delay}",
                durable=True,
                arguments={
                    **quorum,
                    "x-message-ttl": delay,
                    "x-dead-letter-exchange": "",
                    "x-dead-letter-routing-key": name,
                },
            )
        queue = await channel.declare_queue(
            name,
            durable=True,
            arguments={
                **quorum,
                "x-delivery-limit": DELIVERY_LIMIT,
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": f"{name}.dlq",
            },
        )
        return exchange, queue

    async def _work(
        self,
        sub: Subscription,
        name: str,
        ready: "asyncio.Queue[tuple[Message, AbstractIncomingMessage]]",
    ) -> None:
        while True:
            taken = await take_ready(ready, sub.batch)
            outcomes = await deliver(sub, [message for message, _ in taken])
            for (message, incoming), exc in zip(taken, outcomes, strict=True):
                try:
                    await self._settle(sub, name, message, incoming, exc)
                except Exception as settle_error:
                    # An ack on a channel that closed meanwhile: the broker delivers it again
                    # on the new one, and the inboxes drop it if it was handled.
                    log.warning("delivery not settled; the broker redelivers it", queue=name,
                                error=type(settle_error).__name__)  # fmt: skip

    async def _settle(
        self,
        sub: Subscription,
        name: str,
        message: Message,
        incoming: AbstractIncomingMessage,
        exc: Exception | None,
    ) -> None:
        if exc is not None:
            try:
                await self._retry_or_dead_letter(sub, name, message, exc)
            except Exception:
                # Could not park it anywhere: leave it to the broker (requeue; the
                # delivery limit stops a loop).
                log.exception("could not route failed message; requeueing", queue=name)
                await incoming.nack(requeue=True)
                return
        await incoming.ack()

    async def _retry_or_dead_letter(
        self, sub: Subscription, name: str, message: Message, exc: Exception
    ) -> None:
        assert self._publish_channel is not None
        attempt = message.attempt
        headers: dict[str, Any] = {**message.headers, "x-crm-routing-key": message.routing_key}
        if attempt < len(self.retry_delays_ms):
            target, outcome = f"{name}.retry.{self.retry_delays_ms[attempt]}", "retried"
            headers[ATTEMPT_HEADER] = attempt + 1
            parked = Message(message.routing_key, message.body, message.message_id, headers)
            log.warning(
                "handler failed; retrying",
                queue=name,
                attempt=attempt + 1,
                error=type(exc).__name__,
            )
        else:
            target, outcome = f"{name}.dlq", "dead_lettered"
            parked = dead_lettered(
                Message(message.routing_key, message.body, message.message_id, headers),
                exc,
                datetime.now(UTC).isoformat(),
            )
            log.error(
                "message dead-lettered",
                queue=name,
                message_id=message.message_id,
                error=type(exc).__name__,
            )
        await self._publish_channel.default_exchange.publish(
            _outgoing(parked), target, mandatory=False, timeout=PUBLISH_TIMEOUT_S
        )
        if sub.on_failure is not None:
            sub.on_failure(message, outcome)

    async def queue_depths(self, queue: str) -> QueueDepths | None:
        """Two passive declares on a channel kept for them: no message is touched."""
        if self._connection is None or self._connection.is_closed:
            return None
        name = self.queue_name(queue)
        async with self._inspect_lock:
            try:
                if self._inspect_channel is None or self._inspect_channel.is_closed:
                    self._inspect_channel = await self._connection.channel()
                channel = self._inspect_channel
                ready = await channel.declare_queue(name, passive=True, robust=False)
                dead = await channel.declare_queue(f"{name}.dlq", passive=True, robust=False)
            except Exception:  # no such queue (the broker closes the channel) or no broker
                self._inspect_channel = None
                return None
        return QueueDepths(
            ready=ready.declaration_result.message_count or 0,
            dead=dead.declaration_result.message_count or 0,
        )

    async def send_to_queue(self, queue: str, message: Message) -> None:
        if self._publish_channel is None:
            raise BusUnavailable("bus not started")
        try:
            # mandatory: a queue gone meanwhile (its partner deleted) is an error, not a drop
            await asyncio.wait_for(
                self._publish_channel.default_exchange.publish(
                    _outgoing(message), queue, mandatory=True, timeout=PUBLISH_TIMEOUT_S
                ),
                PUBLISH_TIMEOUT_S + 1,
            )
        except Exception as exc:
            raise BusUnavailable(f"send to {queue} not confirmed: {type(exc).__name__}") from exc

    async def ready_in(self, queue: str) -> int | None:
        if self._connection is None or self._connection.is_closed:
            return None
        async with self._inspect_lock:
            try:
                if self._inspect_channel is None or self._inspect_channel.is_closed:
                    self._inspect_channel = await self._connection.channel()
                found = await self._inspect_channel.declare_queue(queue, passive=True, robust=False)
            except Exception:  # no such queue (the broker closes the channel) or no broker
                self._inspect_channel = None
                return None
        return found.declaration_result.message_count or 0

    async def dead_letters(self, queue: str) -> list[Message]:
        return await self._rewrite_dlq(queue, lambda _: False)

    async def redrive(self, queue: str, select: Callable[[Message], bool]) -> int:
        back: list[Message] = []

        def pick(message: Message) -> bool:
            if select(message):
                back.append(message)
                return True
            return False

        await self._rewrite_dlq(queue, pick)
        return len(back)

    async def _rewrite_dlq(self, queue: str, redrive: Callable[[Message], bool]) -> list[Message]:
        """Take what the DLQ holds now; publish each message again (confirmed) to ``queue``
        when ``redrive`` picks it, else to the DLQ's tail; then ack the originals. Returns
        the messages as read."""
        assert self._connection is not None
        name = self.queue_name(queue)
        channel = await self._connection.channel(publisher_confirms=True)
        held: list[AbstractIncomingMessage] = []
        try:
            try:
                dlq = await channel.declare_queue(f"{name}.dlq", passive=True, robust=False)
            except Exception:  # no such queue: nothing dead-lettered there
                return []
            # only as many as it held when we looked: the copies we put back come after them
            for _ in range(dlq.declaration_result.message_count or 0):
                incoming = await dlq.get(no_ack=False, fail=False, timeout=5)
                if incoming is None:
                    break
                held.append(incoming)
            messages = [_message(m) for m in held]
            for incoming, message in zip(held, messages, strict=True):
                if redrive(message):
                    target, copy = name, redriven(message)
                else:
                    target, copy = f"{name}.dlq", message
                # the routing key the consumer sees rides in a header, as on a retry
                copy.headers["x-crm-routing-key"] = message.routing_key
                await channel.default_exchange.publish(
                    _outgoing(copy, incoming), target, mandatory=False, timeout=PUBLISH_TIMEOUT_S
                )
            for incoming in held:
                await incoming.ack()
            held = []
            return messages
        finally:
            # Anything not yet acked returns to the DLQ as the channel closes (it counts as a
            # delivery there, once, only after a failed publish).
            with contextlib.suppress(Exception):
                await channel.close()


def _message(incoming: AbstractIncomingMessage) -> Message:
    return Message(
        _original_routing_key(incoming),
        incoming.body,
        incoming.message_id or "",
        {k: v for k, v in (incoming.headers or {}).items() if k != "x-delivery-count"},
    )


def _outgoing(
    message: Message, original: AbstractIncomingMessage | None = None
) -> aio_pika.Message:
    return aio_pika.Message(
        body=message.body,
        headers=message.headers,
        message_id=message.message_id,
        content_type="application/json",
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        timestamp=original.timestamp if original is not None else None,
    )


def _original_routing_key(incoming: AbstractIncomingMessage) -> str:
    """Retried messages arrive by queue name; the event's own key rides in a header."""
    headers = incoming.headers or {}
    return str(headers.get("x-crm-routing-key") or incoming.routing_key or "")
