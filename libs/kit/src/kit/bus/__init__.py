from kit.bus.base import Bus, BusUnavailable, Handler, Message, Subscription, topic_matches
from kit.bus.memory import InMemoryBus
from kit.bus.rabbit import RabbitBus

__all__ = [
    "Bus",
    "BusUnavailable",
    "Handler",
    "InMemoryBus",
    "Message",
    "RabbitBus",
    "Subscription",
    "topic_matches",
]
