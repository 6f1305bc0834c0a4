"""The bus port: publish with confirmation, consume with bounded retries and dead letters.
Two adapters share these semantics: RabbitMQ (:mod:`kit.bus.rabbit`) and in-memory
(:mod:`kit.bus.memory`) for the embedded mode."""

import abc
import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")

ATTEMPT_HEADER = "x-crm-attempt"
ERROR_HEADER = "x-crm-error"
# What the partners' headers exchange filters on (decision 104): every message says its
# tenant and its event type, so a partner's queue binds to "its tenant's, of these types".
# Not "x-" names: a headers binding with ``x-match: all`` ignores every x- header, and such a
# binding would take every tenant's events.
TENANT_HEADER = "crm-tenant"
EVENT_HEADER = "crm-event"
DEAD_LETTERED_AT_HEADER = "x-crm-dead-lettered-at"  # ISO time (UTC) the adapter parked it
REDRIVES_HEADER = "x-crm-redrives"  # how many times an operator sent it back to its queue


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
BatchHandler = Callable[[Sequence[Message]], Awaitable[Sequence[Exception | None]]]
"""Handles several deliveries at once; returns, in their order, None for each one handled
and the exception of each one that failed (it alone is retried: decision 110)."""
FailureObserver = Callable[[Message, str], None]
"""Told by the adapter where a failed message went: ``"retried"`` or ``"dead_lettered"``."""


@dataclass(frozen=True)
class QueueDepths:
    """Messages waiting in a consumer queue (ready for delivery) and in its DLQ."""

    ready: int
    dead: int


@dataclass(frozen=True)
class Subscription:
    queue: str
    bindings: tuple[str, ...]
    handler: Handler
    prefetch: int = 16
    # routing keys the queue was bound to by an earlier version and no longer takes: unbound
    # at subscribe, so that the broker stops routing them here
    retired: tuple[str, ...] = ()
    # counts failures (kit.metrics): called once the message is in its retry queue or DLQ
    on_failure: FailureObserver | None = None
    # Up to ``batch`` deliveries that are ready go to ``handle_batch`` together (decision
    # 110); a worker never waits for more than the one it has, so a lone event is not held.
    batch: int = 1
    handle_batch: BatchHandler | None = None

    @property
    def workers(self) -> int:
        """Batches handled at once: the prefetch window holds that many full batches."""
        return max(1, self.prefetch // max(1, self.batch))


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
        """Read (and keep) what is in the queue's dead-letter queue; for operators and tests.
        Reading never makes a message disappear nor counts as a failed delivery."""

    @abc.abstractmethod
    async def redrive(self, queue: str, select: Callable[[Message], bool]) -> int:
        """Send the dead letters ``select`` picks back to ``queue``, each once, with its
        retries renewed; the others stay. Returns how many went back."""

    @abc.abstractmethod
    async def queue_depths(self, queue: str) -> QueueDepths | None:
        """Ready messages in ``queue`` and in its DLQ (None: no such queue here). Cheap: for
        the metrics, at each scrape."""

    async def send_to_queue(self, queue: str, message: Message) -> None:
        """Publish straight into the queue named in full (a partner's, for a replay: decision
        109), confirmed, past the exchange and every other queue. Only a broker has such
        queues."""
        raise BusUnavailable("no broker here: no queue to send to")

    async def ready_in(self, queue: str) -> int | None:
        """Messages waiting in the queue named in full; None when it cannot be read."""
        return None


async def cancel_all(tasks: "set[asyncio.Task[None]]") -> None:
    """Stop a bus's worker tasks and wait until each has."""
    for task in tasks:
        task.cancel()
    for task in list(tasks):
        with contextlib.suppress(asyncio.CancelledError):
            await task
    tasks.clear()


async def take_ready(queue: "asyncio.Queue[T]", most: int) -> list[T]:
    """The next delivery (waited for) and those already behind it, up to ``most``."""
    taken = [await queue.get()]
    while len(taken) < most and not queue.empty():
        taken.append(queue.get_nowait())
    return taken


async def deliver(sub: Subscription, messages: Sequence[Message]) -> list[Exception | None]:
    """Hand deliveries to the subscription, together when it takes batches; the outcome of
    each, in order: None when handled, else the exception that the adapter retries it for."""
    if sub.handle_batch is not None and len(messages) > 1:
        try:
            return list(await sub.handle_batch(messages))
        except Exception as exc:  # the batch handler's own fault: every one is retried
            return [exc] * len(messages)
    outcomes: list[Exception | None] = []
    for message in messages:
        try:
            await sub.handler(message)
        except Exception as exc:
            outcomes.append(exc)
        else:
            outcomes.append(None)
    return outcomes


def redriven(message: Message) -> Message:
    """The dead letter as its queue gets it back: first attempt again, no error."""
    headers = {k: v for k, v in message.headers.items()
               if k not in (ERROR_HEADER, DEAD_LETTERED_AT_HEADER, ATTEMPT_HEADER)}  # fmt: skip
    headers[REDRIVES_HEADER] = int(message.headers.get(REDRIVES_HEADER, 0)) + 1
    return Message(message.routing_key, message.body, message.message_id, headers)


def dead_lettered(message: Message, exc: Exception, now: str) -> Message:
    """The failed message as its DLQ keeps it: the error and when."""
    headers = {**message.headers, ERROR_HEADER: f"{type(exc).__name__}: {exc}"[:500],
               DEAD_LETTERED_AT_HEADER: now}  # fmt: skip
    return Message(message.routing_key, message.body, message.message_id, headers)


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
