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
    # Normalised at write time (kit.japanese.search_text): name + kana, property code + name.
    contact_search: Mapped[str] = mapped_column(sa.Text, default="")
    property_search: Mapped[str] = mapped_column(sa.Text, default="")
    registered_by: Mapped[UUID | None] = mapped_column(sa.Uuid)  # staff, for hand-registered
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )


class Medium(TenantOwned, Base):
    """媒体: where inquiries come from, per tenant."""

    __tablename__ = "inquiry_media"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "code"),)

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    code: Mapped[str] = mapped_column(sa.Text)
    name: Mapped[str] = mapped_column(sa.Text)
    auto_linked: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    position: Mapped[int] = mapped_column(sa.Integer, default=0)


class StoreRef(TenantOwned, Base):
    """Read model of the gateway's stores (StoreChanged), for lists and exports."""

    __tablename__ = "inquiry_stores"

    store_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    code: Mapped[str] = mapped_column(sa.Text)
    name: Mapped[str] = mapped_column(sa.Text)
