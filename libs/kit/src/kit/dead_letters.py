"""The dead-letter inspector (decision 100): list, show and re-drive the messages whose
retries are spent, in each service's DLQ, through the bus adapters (kit.bus: reading never
returns a message to a quorum queue). Used by ``python -m host dlq`` (an operator, every
tenant) and the gateway's 管理者 page (one tenant's own: a payload holds personal data).

A message is named by its id, the event's id. A re-drive sends it back to its service's
queue once, its retries renewed; the consumer's inbox drops it for every handler that had
already had it."""

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from kit.bus import Bus, Message
from kit.bus.base import DEAD_LETTERED_AT_HEADER, ERROR_HEADER, REDRIVES_HEADER

# Every service that may have a consumer queue ("<service>.events"); one without has none.
SERVICES = ("inquiry", "customer", "booking", "leads", "orders", "gateway")
# What the broker itself dead-lettered carries no error of ours: its delivery limit was hit.
DELIVERY_LIMIT_ERROR = "delivery limit reached (the consumer stopped before its ack)"


@dataclass(frozen=True)
class DeadLetter:
    service: str
    event_id: str
    routing_key: str
    event_type: str | None
    tenant_id: UUID | None
    occurred_at: datetime | None
    dead_lettered_at: datetime | None
    error: str
    attempts: int  # handler runs: the first, then one per retry
    redrives: int
    body: Any  # the envelope as JSON, or the body's text when it is not JSON

    @property
    def payload(self) -> Any:
        return self.body.get("payload") if isinstance(self.body, dict) else None


def read(service: str, message: Message) -> DeadLetter:
    """A dead letter's facts, whatever its body (a poison message need not be an envelope)."""
    try:
        body: Any = json.loads(message.body)
    except ValueError:
        body = message.body.decode("utf-8", errors="replace")
    envelope = body if isinstance(body, dict) else {}
    headers = message.headers
    return DeadLetter(
        service=service,
        event_id=message.message_id,
        routing_key=message.routing_key,
        event_type=_text(envelope.get("event_type")),
        tenant_id=_uuid(envelope.get("tenant_id")),
        occurred_at=_time(envelope.get("occurred_at")),
        dead_lettered_at=_time(headers.get(DEAD_LETTERED_AT_HEADER)),
        error=_text(headers.get(ERROR_HEADER)) or DELIVERY_LIMIT_ERROR,
        attempts=message.attempt + 1,
        redrives=int(headers.get(REDRIVES_HEADER, 0)),
        body=body,
    )


class DeadLetterInspector:
    """``tenant_id``: only that tenant's dead letters are seen or re-driven (a message whose
    tenant cannot be read is an operator's alone)."""

    def __init__(self, bus: Bus, *, services: Sequence[str] = SERVICES) -> None:
        self._bus = bus
        self.services = tuple(services)

    async def list(
        self, *, service: str | None = None, tenant_id: UUID | None = None
    ) -> list[DeadLetter]:
        found: list[DeadLetter] = []
        for name in self._chosen(service):
            letters = [read(name, m) for m in await self._bus.dead_letters(f"{name}.events")]
            found.extend(d for d in letters if _visible(d, tenant_id))
        return found

    async def show(
        self, event_id: str, *, service: str | None = None, tenant_id: UUID | None = None
    ) -> DeadLetter | None:
        letters = await self.list(service=service, tenant_id=tenant_id)
        return next((d for d in letters if d.event_id == event_id), None)

    async def redrive(
        self,
        *,
        event_id: str | None = None,
        service: str | None = None,
        tenant_id: UUID | None = None,
    ) -> int:
        """One event's dead letters (``event_id``), or every one (None); how many went back."""
        sent = 0
        for name in self._chosen(service):
            sent += await self._bus.redrive(f"{name}.events", _picker(name, event_id, tenant_id))
        return sent

    def _chosen(self, service: str | None) -> tuple[str, ...]:
        if service is None:
            return self.services
        if service not in self.services:
            raise ValueError(f"unknown service {service!r}")
        return (service,)


def _picker(
    service: str, event_id: str | None, tenant_id: UUID | None
) -> Callable[[Message], bool]:
    def pick(message: Message) -> bool:
        if event_id is not None and message.message_id != event_id:
            return False
        return _visible(read(service, message), tenant_id)

    return pick


def _visible(letter: DeadLetter, tenant_id: UUID | None) -> bool:
    return tenant_id is None or letter.tenant_id == tenant_id


def _text(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    return value if isinstance(value, str) and value else None


def _uuid(value: Any) -> UUID | None:
    try:
        return UUID(str(value)) if value else None
    except ValueError:
        return None


def _time(value: Any) -> datetime | None:
    text = _text(value)
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
