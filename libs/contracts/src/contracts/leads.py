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


PageKind = Literal["property_detail", "nearby_report"]


class PageViewedV1(Event):
    """A property page reached from a tracked mail was viewed (a beacon: the first one of a
    view, or a later one that raised its dwell or added a like). ``view_id`` names the view:
    several events of one view fold into one (the longest dwell, liked if ever)."""

    event_type = "leads.page_viewed"
    version = 1
    producer = "leads"

    view_id: UUID
    message_id: UUID
    customer_id: UUID
    page: PageKind
    property_code: str
    viewed_at: datetime
    dwell_s: int
    liked: bool


class EmailSentV1(Event):
    """A tracked mail (a proposal, a step mail, a newsletter) went out to the customer: the
    customer service records it as an action (アクション履歴, seed 002: 誰にどのようなメール
    を送付したか). ``message_id`` and ``customer_id`` name the send once (a retried mail job
    publishes it again; consumers keep the first)."""

    event_type = "leads.email_sent"
    version = 1
    producer = "leads"

    message_id: UUID
    message_kind: MessageKind
    customer_id: UUID
    sent_at: datetime
    subject: str | None = None


# Every event this producer publishes; the registry collects these.
EVENTS: tuple[type[Event], ...] = (EmailOpenedV1, PageViewedV1, EmailSentV1)
