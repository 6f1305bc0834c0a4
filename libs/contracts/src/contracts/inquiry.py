"""Events produced by the inquiry service (反響)."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from contracts.base import Event

InquiryKind = Literal["visit_reservation", "document_request", "question", "other"]
INQUIRY_KIND_LABELS: dict[str, str] = {
    "visit_reservation": "来場予約",
    "document_request": "資料請求",
    "question": "お問い合わせ",
    "other": "その他",
}

# The medium of inquiries that arrive by the portal's webhook and link by themselves
# (seed 000: SUUMO反響); every other medium is a code of the tenant's media master.
PORTAL_MEDIUM = "portal"


class Contact(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    name: str
    name_kana: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None


class PropertyRef(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    code: str
    name: str
    address: str | None = None
    price_yen: int | None = None


class RequestedVisit(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    starts_at: datetime
    ends_at: datetime


class InquiryReceivedV1(Event):
    """A prospect contacted the tenant; the customer service links it to a customer (名寄せ)."""

    event_type = "inquiry.received"
    version = 1
    producer = "inquiry"

    inquiry_id: UUID
    external_id: str | None = None
    medium: str
    kind: InquiryKind
    received_at: datetime
    store_id: UUID | None = None
    contact: Contact
    property: PropertyRef | None = None
    requested_visit: RequestedVisit | None = None
    message: str | None = None


# Every event this producer publishes; the registry collects these.
EVENTS: tuple[type[Event], ...] = (InquiryReceivedV1,)
