"""The gateway's consumer: every event of the contracts registry goes into the feed log
(partners' webhooks and replays read it), with its webhook deliveries, in the consumer's
transaction: the broker's message is acked only after that commits (kit.consumer)."""

from collections.abc import Callable
from datetime import datetime

from contracts import Envelope, Event
from contracts.registry import EVENTS
from kit.consumer import HandlerMap

from gateway.adapters.unit_of_work import GatewayUnitOfWork


def feed_handlers(now: Callable[[], datetime]) -> HandlerMap:
    """``now``: the runtime's clock (a test moves it)."""

    async def record_feed_event(
        event: Event, *, envelope: Envelope, uow: GatewayUnitOfWork
    ) -> None:
        await uow.webhooks.record_event(envelope, now=now())

    return {model: [record_feed_event] for model in EVENTS}
