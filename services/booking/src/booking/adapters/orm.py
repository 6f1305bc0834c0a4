from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from kit.db import Base, TenantOwned
from sqlalchemy.orm import Mapped, mapped_column


class VisitRequest(TenantOwned, Base):
    """A portal reservation's requested time, kept from InquiryReceived until staff act on it."""

    __tablename__ = "visit_requests"
    __table_args__ = (sa.Index("visit_requests_received", "tenant_id", "received_at"),)

    inquiry_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    store_id: Mapped[UUID | None] = mapped_column(sa.Uuid)
    customer_id: Mapped[UUID | None] = mapped_column(sa.Uuid, index=True)
    property_code: Mapped[str | None] = mapped_column(sa.Text)
    property_name: Mapped[str | None] = mapped_column(sa.Text)
    starts_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    status: Mapped[str] = mapped_column(sa.Text, default="pending")
    received_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class InquiryLink(TenantOwned, Base):
    """Inquiry → customer, from InquiryLinked. Kept because the link may be consumed before
    the request it belongs to (concurrent or retried deliveries); the request reads it then."""

    __tablename__ = "booking_inquiry_links"

    inquiry_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid, index=True)
