"""Routing key → event model, the one list of what travels on the bus."""

from typing import Any

from contracts import booking, customer, gateway, inquiry, leads, orders
from contracts.base import Event
from contracts.envelope import Envelope

# Each producer's module lists its events; add a new event there, not here.
EVENTS: tuple[type[Event], ...] = (
    *inquiry.EVENTS,
    *customer.EVENTS,
    *booking.EVENTS,
    *leads.EVENTS,
    *orders.EVENTS,
    *gateway.EVENTS,
)

REGISTRY: dict[str, type[Event]] = {model.routing_key(): model for model in EVENTS}


class UnknownEvent(LookupError):
    pass


def model_for(routing_key: str) -> type[Event]:
    try:
        return REGISTRY[routing_key]
    except KeyError:
        raise UnknownEvent(routing_key) from None


def decode(envelope: Envelope) -> Event:
    return model_for(envelope.routing_key).model_validate(envelope.payload)


def json_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema of every event payload, keyed by routing key (snapshotted in tests)."""
    return {key: model.model_json_schema() for key, model in sorted(REGISTRY.items())}
