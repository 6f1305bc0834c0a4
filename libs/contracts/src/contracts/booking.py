"""Events produced by the booking service (予約・接客予定)."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from contracts.base import Event
from contracts.listings import ListingFacts

VisitKind = Literal["listed_property_tour", "unlisted_property_tour", "store_consultation", "salon"]

# The vocabulary of the visit events and the names staff read for it (seed 003), kept once
# here beside the schema: the booking service, the customer service and the web client all
# show them.
VISIT_KIND_LABELS: dict[str, str] = {
    "listed_property_tour": "物件見学・入稿物件",
    "unlisted_property_tour": "物件見学・入稿なし物件",
    "store_consultation": "店舗接客",
    "salon": "サロン予約",
}
VISIT_STATUS_LABELS: dict[str, str] = {
    "tentative": "仮予約",
    "prepayment_unpaid": "事前決済未払い",
    "reserved": "予約中来店前",
    "prepaid": "事前決済支払い済み",
    "visited": "来店済み",
    "cancel_fee_unpaid": "キャンセル料未払い",
    "store_cancelled": "事前決済店舗都合キャンセル",
    "cancelled": "キャンセル",
}


class VisitScheduledV1(Event):
    """A visit (接客予定) took a slot."""

    event_type = "booking.visit_scheduled"
    version = 1
    producer = "booking"

    visit_id: UUID
    kind: VisitKind
    customer_id: UUID
    store_id: UUID
    property_id: UUID | None = None
    property_name: str | None = None
    starts_at: datetime
    ends_at: datetime
    status: str
    source_inquiry_id: UUID | None = None
    conflict: bool = False
    # Salon reservations (seed 003): the menu and the staff member, with their names so that
    # consumers keep them without asking booking. Added within v1, hence optional.
    menu_id: UUID | None = None
    menu_name: str | None = None
    staff_member_id: UUID | None = None
    staff_member_name: str | None = None


class VisitChangedV1(Event):
    """A visit moved or its status changed (e.g. 仮予約 → 予約中来店前 → 来店済み)."""

    event_type = "booking.visit_changed"
    version = 1
    producer = "booking"

    visit_id: UUID
    kind: VisitKind
    customer_id: UUID
    store_id: UUID
    property_id: UUID | None = None
    starts_at: datetime
    ends_at: datetime
    status: str
    changed_at: datetime
    # As in VisitScheduledV1 (optional within v1; absent from older producers).
    menu_id: UUID | None = None
    menu_name: str | None = None
    staff_member_id: UUID | None = None
    staff_member_name: str | None = None


class VisitCancelledV1(Event):
    """A visit was cancelled (or recorded as a no-show); its slot is free again."""

    event_type = "booking.visit_cancelled"
    version = 1
    producer = "booking"

    visit_id: UUID
    customer_id: UUID
    store_id: UUID
    starts_at: datetime
    cancelled_at: datetime
    status: str
    last_minute: bool = False  # within the tenant's N hours before the start
    no_show: bool = False


class PropertyListedV1(Event):
    """A property was added (物件登録), with the facts buyers' conditions name (LEAD-6)."""

    event_type = "booking.property_listed"
    version = 1
    producer = "booking"

    property_id: UUID
    store_id: UUID
    code: str | None = None
    name: str
    facts: ListingFacts | None = None  # None: not yet described; nothing to match
    listed_at: datetime


class PropertyChangedV1(Event):
    """A property's name or facts changed (e.g. a price cut); the whole new state."""

    event_type = "booking.property_changed"
    version = 1
    producer = "booking"

    property_id: UUID
    store_id: UUID
    code: str | None = None
    name: str
    facts: ListingFacts | None = None
    changed_at: datetime


# Every event this producer publishes; the registry collects these.
EVENTS: tuple[type[Event], ...] = (
    VisitScheduledV1,
    VisitChangedV1,
    VisitCancelledV1,
    PropertyListedV1,
    PropertyChangedV1,
)
