from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from customer.adapters.repository import CustomerView


class InquirySummary(BaseModel):
    inquiry_id: UUID
    medium: str
    kind: str
    received_at: datetime
    store_id: UUID | None
    contact_name: str
    property_code: str | None
    property_name: str | None
    property_address: str | None
    property_price_yen: int | None
    requested_visit_starts_at: datetime | None
    requested_visit_ends_at: datetime | None


class CustomerRead(BaseModel):
    id: UUID
    name: str
    name_kana: str | None
    emails: list[str]
    phones: list[str]
    follow_up_status: str
    assignee_id: UUID | None
    store_id: UUID | None
    first_inquiry_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, view: CustomerView) -> "CustomerRead":
        c = view.customer
        return cls(
            id=c.id,
            name=c.name,
            name_kana=c.name_kana,
            emails=view.emails,
            phones=view.phones,
            follow_up_status=c.follow_up_status,
            assignee_id=c.assignee_id,
            store_id=c.store_id,
            first_inquiry_at=c.first_inquiry_at,
            created_at=c.created_at,
        )


class CustomerDetail(CustomerRead):
    inquiries: list[InquirySummary]

    @classmethod
    def of(cls, view: CustomerView) -> "CustomerDetail":
        base = CustomerRead.of(view).model_dump()
        inquiries = [InquirySummary.model_validate(i, from_attributes=True) for i in view.inquiries]
        return cls(**base, inquiries=inquiries)


class CustomerPage(BaseModel):
    items: list[CustomerRead]
    total: int
    page: int
    per_page: int
