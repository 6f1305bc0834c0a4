from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from kit.db import Base, TenantOwned
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.orm import Mapped, mapped_column


class Inquiry(TenantOwned, Base):
    __tablename__ = "inquiries"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "medium", "external_id"),)

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    external_id: Mapped[str | None] = mapped_column(sa.Text)
    medium: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[str] = mapped_column(sa.Text)
    received_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    store_id: Mapped[UUID | None] = mapped_column(sa.Uuid)
    contact: Mapped[dict] = mapped_column(pg.JSONB)
    property: Mapped[dict | None] = mapped_column(pg.JSONB)
    requested_visit_starts_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    requested_visit_ends_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    message: Mapped[str | None] = mapped_column(sa.Text)
    raw_payload: Mapped[str | None] = mapped_column(sa.Text)  # kept verbatim for audit
    customer_id: Mapped[UUID | None] = mapped_column(sa.Uuid, index=True)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
