"""Turns bus messages into handler calls: decode the envelope, continue the producer's trace,
and run each handler in one transaction of the kit's boundary (kit.transactions): the inbox
claim and the handler's effect commit together (one effect per event), and a deadlock or a
serialization failure is retried like a request's before the message itself is."""

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from contracts import Envelope, Event
from opentelemetry import trace
from opentelemetry.trace import SpanKind

from kit.bus import Message, Subscription
from kit.logging import get_logger
from kit.metrics import ServiceMetrics
from kit.telemetry import extract_context
from kit.transactions import Transactions
from kit.uow import UnitOfWork

log = get_logger("kit.consumer")

EventHandler = Callable[..., Awaitable[None]]
"""``async def handler(event, *, envelope: Envelope, uow: UnitOfWork) -> None``; it never
commits (the consumer does) and may run more than once (a retried transaction)."""

HandlerMap = Mapping[type[Event], Sequence[EventHandler]]
"""Event → its handlers, in order. An empty list retires an event the service consumed in an
earlier version: its binding is removed from the service's queue at start-up."""


class EventConsumer:
    def __init__(
        self,
        *,
        service: str,
        handlers: HandlerMap,
        transactions: Callable[..., Transactions[Any]],
        tracer: trace.Tracer,
        metrics: ServiceMetrics | None = None,
    ) -> None:
        self.service = service
        self._metrics = metrics
        self._handlers = {
            model.routing_key(): (model, list(fns)) for model, fns in handlers.items() if fns
        }
        # an event mapped to no handler is one the service consumed once and no longer does
        self._retired = tuple(sorted(m.routing_key() for m, fns in handlers.items() if not fns))
        self._transactions = transactions
        self._tracer = tracer

    def subscription(self, *, prefetch: int = 16) -> Subscription:
        return Subscription(
            queue=f"{self.service}.events",
            bindings=tuple(sorted(self._handlers)),
            handler=self.handle,
            prefetch=prefetch,
            retired=self._retired,
            on_failure=self._failed,
        )

    def _failed(self, message: Message, outcome: str) -> None:
        if self._metrics is not None:
            self._metrics.event(message.routing_key, outcome)

    async def handle(self, message: Message) -> None:
        envelope = Envelope.model_validate_json(message.body)
        entry = self._handlers.get(envelope.routing_key)
        if entry is None:
            log.info("no handler for event; ignored", routing_key=envelope.routing_key)
            return
        model, handlers = entry
        event = model.model_validate(envelope.payload)
        with self._tracer.start_as_current_span(
            f"{envelope.routing_key} receive",
            context=extract_context(message.headers),
            kind=SpanKind.CONSUMER,
            attributes=_attributes(envelope, message),
        ):
            handled = [await self._run(handler, event, envelope) for handler in handlers]
        if self._metrics is not None:  # a failure raised above, counted by the bus
            self._metrics.event(envelope.routing_key, "ok" if any(handled) else "duplicate")

    async def _run(self, handler: EventHandler, event: Event, envelope: Envelope) -> bool:
        """False when this handler had already had the event (the inbox says so)."""
        name = f"{self.service}.{handler.__name__}"
        claimed = False

        async def work(uow: UnitOfWork) -> None:
            nonlocal claimed
            claimed = await uow.inbox.claim(envelope.event_id, consumer=name)
            if not claimed:
                # Expected under at-least-once delivery, and by the hundred after an embedded
                # replay (which logs one summary line): not worth a line each.
                log.debug("duplicate event skipped", consumer=name, event_id=str(envelope.event_id))
                return
            await handler(event, envelope=envelope, uow=uow)

        await self._transactions(tenant_id=envelope.tenant_id).run(work)
        return claimed


def _attributes(envelope: Envelope, message: Message) -> dict[str, Any]:
    return {
        "messaging.system": "rabbitmq",
        "messaging.operation.type": "receive",
        "messaging.destination.name": envelope.routing_key,
        "messaging.message.id": str(envelope.event_id),
        "crm.retry_attempt": message.attempt,
    }
