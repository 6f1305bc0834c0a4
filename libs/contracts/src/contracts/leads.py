"""Events produced by the leads service (ホットリード)."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from contracts.base import Event

MessageKind = Literal["proposal", "step", "newsletter", "broadcast", "other"]


class EmailOpenedV1(Event):
    """A tracked mail was opened. ``machine_open`` marks privacy-proxy prefetches."""

    event_type = "leads.email_opened"
    version = 1
    producer = "leads"

    message_id: UUID
    message_kind: MessageKind
    customer_id: UUID
    opened_at: datetime
    machine_open: bool


# Every event this producer publishes; the registry collects these.
EVENTS: tuple[type[Event], ...] = (EmailOpenedV1,)
