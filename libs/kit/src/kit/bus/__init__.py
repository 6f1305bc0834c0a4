from kit.bus.base import (
    Bus,
    BusUnavailable,
    Handler,
    Message,
    QueueDepths,
    Subscription,
    topic_matches,
)
from kit.bus.memory import InMemoryBus
from kit.bus.rabbit import RabbitBus

__all__ = [
    "Bus",
    "BusUnavailable",
    "Handler",
    "InMemoryBus",
    "Message",
    "QueueDepths",
    "RabbitBus",
    "Subscription",
    "topic_matches",
]
