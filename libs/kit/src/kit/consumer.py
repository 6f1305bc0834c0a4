"""Turns bus messages into handler calls: decode the envelope, continue the producer's trace,
and run each handler in one transaction of the kit's boundary (kit.transactions): the inbox
claim and the handler's effect commit together (one effect per event), and a deadlock or a
serialization failure is retried like a request's before the message itself is.

Deliveries that are ready together are handled together (decision 110): those of one tenant
in one transaction, each event still claimed in the inbox by each handler. If that
transaction fails, each of its events is handled again alone, so that only the one that
fails is retried and a poison message never takes its neighbours down."""

from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

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

    def subscription(self, *, prefetch: int = 64, batch: int = 8) -> Subscription:
        return Subscription(
            queue=f"{self.service}.events",
            bindings=tuple(sorted(self._handlers)),
            handler=self.handle,
            prefetch=prefetch,
            retired=self._retired,
            on_failure=self._failed,
            batch=batch,
            handle_batch=self.handle_batch,
        )

    def _failed(self, message: Message, outcome: str) -> None:
        if self._metrics is not None:
            self._metrics.event(message.routing_key, outcome)

    async def handle(self, message: Message) -> None:
        delivery = self._decode(message)
        if delivery is not None:
            await self._handle_alone(delivery)

    async def handle_batch(self, messages: Sequence[Message]) -> list[Exception | None]:
        """Each message's outcome, in order: None when handled, else why it failed."""
        outcomes: list[Exception | None] = [None] * len(messages)
        by_tenant: dict[UUID | None, list[tuple[int, _Delivery]]] = defaultdict(list)
        for index, message in enumerate(messages):
            try:
                delivery = self._decode(message)
            except Exception as exc:  # not an envelope of ours: it alone fails
                outcomes[index] = exc
                continue
            if delivery is not None:
                by_tenant[delivery.envelope.tenant_id].append((index, delivery))
        for tenant_id, group in by_tenant.items():
            if len(group) > 1:
                try:
                    handled = await self._run_together(tenant_id, [d for _, d in group])
                except Exception as exc:
                    log.info("batch failed; its events are handled one by one",
                             size=len(group), error=type(exc).__name__)  # fmt: skip
                else:
                    for (_, delivery), claimed in zip(group, handled, strict=True):
                        self._count(delivery, claimed)
                    continue
            for index, delivery in group:
                try:
                    await self._handle_alone(delivery)
                except Exception as exc:
                    outcomes[index] = exc
        return outcomes

    async def _handle_alone(self, delivery: "_Delivery") -> None:
        """Each handler in its own transaction, under the event's receive span."""
        with self._span(delivery):
            handled = [await self._run(handler, delivery) for handler in delivery.handlers]
        self._count(delivery, handled)

    def _decode(self, message: Message) -> "_Delivery | None":
        envelope = Envelope.model_validate_json(message.body)
        entry = self._handlers.get(envelope.routing_key)
        if entry is None:
            log.info("no handler for event; ignored", routing_key=envelope.routing_key)
            return None
        model, handlers = entry
        return _Delivery(message, envelope, model.model_validate(envelope.payload), handlers)

    def _span(self, delivery: "_Delivery", **extra: Any) -> Any:
        return self._tracer.start_as_current_span(
            f"{delivery.envelope.routing_key} receive",
            context=extract_context(delivery.message.headers),
            kind=SpanKind.CONSUMER,
            attributes={**_attributes(delivery.envelope, delivery.message), **extra},
        )

    def _count(self, delivery: "_Delivery", claimed: Sequence[bool]) -> None:
        if self._metrics is not None:  # failures are counted by the bus
            outcome = "ok" if any(claimed) else "duplicate"
            self._metrics.event(delivery.envelope.routing_key, outcome)

    async def _claim(self, uow: UnitOfWork, handler: EventHandler, delivery: "_Delivery") -> bool:
        """Claim the event for the handler and run it; False when it had had it already."""
        name = f"{self.service}.{handler.__name__}"
        envelope = delivery.envelope
        if not await uow.inbox.claim(envelope.event_id, consumer=name):
            # Expected under at-least-once delivery, and by the hundred after an embedded
            # replay (which logs one summary line): not worth a line each.
            log.debug("duplicate event skipped", consumer=name, event_id=str(envelope.event_id))
            return False
        await handler(delivery.event, envelope=envelope, uow=uow)
        return True

    async def _run(self, handler: EventHandler, delivery: "_Delivery") -> bool:
        """One handler's transaction; False when it had already had the event."""

        async def work(uow: UnitOfWork) -> bool:
            return await self._claim(uow, handler, delivery)

        return await self._transactions(tenant_id=delivery.envelope.tenant_id).run(work)

    async def _run_together(
        self, tenant_id: UUID | None, deliveries: Sequence["_Delivery"]
    ) -> list[list[bool]]:
        """Every handler of every delivery in one transaction; per delivery, what each
        handler claimed."""

        async def work(uow: UnitOfWork) -> list[list[bool]]:
            handled = []
            for delivery in deliveries:
                with self._span(delivery, **{"crm.batch_size": len(deliveries)}):
                    handled.append([await self._claim(uow, h, delivery) for h in delivery.handlers])
            return handled

        return await self._transactions(tenant_id=tenant_id).run(work)


@dataclass(frozen=True)
class _Delivery:
    message: Message
    envelope: Envelope
    event: Event
    handlers: Sequence[EventHandler]


def _attributes(envelope: Envelope, message: Message) -> dict[str, Any]:
    return {
        "messaging.system": "rabbitmq",
        "messaging.operation.type": "receive",
        "messaging.destination.name": envelope.routing_key,
        "messaging.message.id": str(envelope.event_id),
        "crm.retry_attempt": message.attempt,
    }
