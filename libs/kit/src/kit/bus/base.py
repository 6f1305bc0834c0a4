"""The bus port: publish with confirmation, consume with bounded retries and dead letters.
Two adapters share these semantics: RabbitMQ (:mod:`kit.bus.rabbit`) and in-memory
(:mod:`kit.bus.memory`) for the embedded mode."""

import abc
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

ATTEMPT_HEADER = "x-crm-attempt"
ERROR_HEADER = "x-crm-error"
# What the partners' headers exchange filters on (decision 104): every message says its
# tenant and its event type, so a partner's queue binds to "its tenant's, of these types".
# Not "x-" names: a headers binding with ``x-match: all`` ignores every x- header, and such a
# binding would take every tenant's events.
TENANT_HEADER = "crm-tenant"
EVENT_HEADER = "crm-event"


class BusUnavailable(ConnectionError):
    """The broker did not confirm the message; the caller keeps it and tries again."""


@dataclass(frozen=True)
class Message:
    routing_key: str
    body: bytes
    message_id: str
    headers: dict[str, Any] = field(default_factory=dict)

    @property
    def attempt(self) -> int:
        """How many times this message has been retried after a failure (0 the first time)."""
        return int(self.headers.get(ATTEMPT_HEADER, 0))


Handler = Callable[[Message], Awaitable[None]]


@dataclass(frozen=True)
class Subscription:
    queue: str
    bindings: tuple[str, ...]
    handler: Handler
    prefetch: int = 16
    # routing keys the queue was bound to by an earlier version and no longer takes: unbound
    # at subscribe, so that the broker stops routing them here
    retired: tuple[str, ...] = ()


class Bus(abc.ABC):
    """A handler that returns acks the message; one that raises has it redelivered after
    each of ``retry_delays_ms``, then moved to the queue's dead-letter queue."""

    def __init__(self, *, namespace: str, retry_delays_ms: list[int]) -> None:
        self.namespace = namespace
        self.retry_delays_ms = list(retry_delays_ms)

    def queue_name(self, queue: str) -> str:
        return f"{self.namespace}.{queue}"

    def dlq_name(self, queue: str) -> str:
        return f"{self.queue_name(queue)}.dlq"

    @abc.abstractmethod
    async def start(self) -> None: ...

    @abc.abstractmethod
    async def close(self) -> None: ...

    @abc.abstractmethod
    async def publish(self, message: Message) -> None:
        """Return once the broker holds the message; raise :class:`BusUnavailable` if not."""

    @abc.abstractmethod
    async def subscribe(self, subscription: Subscription) -> None: ...

    @abc.abstractmethod
    async def is_ready(self) -> bool: ...

    @abc.abstractmethod
    async def dead_letters(self, queue: str) -> list[Message]:
        """Read (and keep) what is in the queue's dead-letter queue; for operators and tests."""


def topic_matches(pattern: str, routing_key: str) -> bool:
    """AMQP topic matching: ``*`` is one word, ``#`` zero or more."""
    return _match(pattern.split("."), routing_key.split("."))


def _match(pattern: list[str], words: list[str]) -> bool:
    if not pattern:
        return not words
    head, rest = pattern[0], pattern[1:]
    if head == "#":
        return any(_match(rest, words[i:]) for i in range(len(words) + 1))
    if not words:
        return False
    return (head == "*" or head == words[0]) and _match(rest, words[1:])
