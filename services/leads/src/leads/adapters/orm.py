from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from kit.db import Base, TenantOwned
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.orm import Mapped, mapped_column


class LeadActivity(TenantOwned, Base):
    __tablename__ = "lead_activities"
    __table_args__ = (
        sa.Index("lead_activities_timeline", "tenant_id", "customer_id", "occurred_at"),
    )

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    event_id: Mapped[UUID] = mapped_column(sa.Uuid, unique=True)
    customer_id: Mapped[UUID | None] = mapped_column(sa.Uuid)
    inquiry_id: Mapped[UUID | None] = mapped_column(sa.Uuid, index=True)
    kind: Mapped[str] = mapped_column(sa.Text)
    occurred_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    detail: Mapped[dict] = mapped_column(pg.JSONB)


class InquiryLink(TenantOwned, Base):
    """Inquiry → customer, from InquiryLinked. Kept because the link may be consumed before
    the inquiry's activity (concurrent or retried deliveries); the activity reads it then."""

    __tablename__ = "lead_inquiry_links"

    inquiry_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid, index=True)
