"""RabbitMQ adapter (aio-pika).

Topology per consumer queue ``Q`` (names prefixed by the namespace):
- ``Q``: quorum queue bound to the topic exchange; ``x-delivery-limit`` dead-letters a message
  that keeps crashing its consumer before any ack (e.g. a process killed mid-handler);
- ``Q.retry.<ms>``: one quorum queue per back-off step; its message TTL dead-letters the
  message back to ``Q`` through the default exchange: delays without a plugin;
- ``Q.dlq``: quorum queue of messages whose retries are spent.
A failing handler's message is republished (confirmed) to the next retry queue or the DLQ
and only then acked: never acked with nowhere to go, never blocking the messages behind it.
"""

import asyncio
import contextlib
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
    ERROR_HEADER,
    Bus,
    BusUnavailable,
    Message,
    Subscription,
)
from kit.logging import get_logger

log = get_logger("kit.bus.rabbit")

DELIVERY_LIMIT = 20
PUBLISH_TIMEOUT_S = 10.0


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

        async def on_message(incoming: AbstractIncomingMessage) -> None:
            await self._handle(subscription, name, incoming)

        await queue.consume(on_message)

    async def _declare_topology(
        self, channel: AbstractChannel, name: str
    ) -> tuple[AbstractExchange, AbstractQueue]:
        exchange = await channel.declare_exchange(
            self.exchange_name, aio_pika.ExchangeType.TOPIC, durable=True
        )
        quorum = {"x-queue-type": "quorum"}
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

    async def _handle(
        self, sub: Subscription, name: str, incoming: AbstractIncomingMessage
    ) -> None:
        message = Message(
            routing_key=_original_routing_key(incoming),
            body=incoming.body,
            message_id=incoming.message_id or "",
            headers=dict(incoming.headers or {}),
        )
        try:
            await sub.handler(message)
        except Exception as exc:
            try:
                await self._retry_or_dead_letter(name, message, exc)
            except Exception:
                # Could not park it anywhere: leave it to the broker (requeue; the
                # delivery limit stops a loop).
                log.exception("could not route failed message; requeueing", queue=name)
                await incoming.nack(requeue=True)
                return
        await incoming.ack()

    async def _retry_or_dead_letter(self, name: str, message: Message, exc: Exception) -> None:
        assert self._publish_channel is not None
        attempt = message.attempt
        headers: dict[str, Any] = {**message.headers, "x-crm-routing-key": message.routing_key}
        if attempt < len(self.retry_delays_ms):
            target = f"{name}.retry.{self.retry_delays_ms[attempt]}"
            headers[ATTEMPT_HEADER] = attempt + 1
            log.warning(
                "handler failed; retrying",
                queue=name,
                attempt=attempt + 1,
                error=type(exc).__name__,
            )
        else:
            target = f"{name}.dlq"
            headers[ERROR_HEADER] = f"{type(exc).__name__}: {exc}"[:500]
            log.error(
                "message dead-lettered",
                queue=name,
                message_id=message.message_id,
                error=type(exc).__name__,
            )
        await self._publish_channel.default_exchange.publish(
            _outgoing(Message(message.routing_key, message.body, message.message_id, headers)),
            target,
            mandatory=False,
            timeout=PUBLISH_TIMEOUT_S,
        )

    async def dead_letters(self, queue: str) -> list[Message]:
        assert self._connection is not None
        channel = await self._connection.channel()
        try:
            dlq = await channel.declare_queue(
                f"{self.queue_name(queue)}.dlq", durable=True, arguments={"x-queue-type": "quorum"}
            )
            held: list[AbstractIncomingMessage] = []
            while (incoming := await dlq.get(no_ack=False, fail=False, timeout=5)) is not None:
                held.append(incoming)
            messages = [
                Message(_original_routing_key(m), m.body, m.message_id or "", dict(m.headers or {}))
                for m in held
            ]
            for m in held:
                await m.nack(requeue=True)
            return messages
        finally:
            await channel.close()


def _outgoing(message: Message) -> aio_pika.Message:
    return aio_pika.Message(
        body=message.body,
        headers=message.headers,
        message_id=message.message_id,
        content_type="application/json",
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
    )


def _original_routing_key(incoming: AbstractIncomingMessage) -> str:
    """Retried messages arrive by queue name; the event's own key rides in a header."""
    headers = incoming.headers or {}
    return str(headers.get("x-crm-routing-key") or incoming.routing_key or "")
