from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from kit.db import Base, TenantOwned
from sqlalchemy.orm import Mapped, mapped_column


class Order(TenantOwned, Base):
    __tablename__ = "orders"
    __table_args__ = (sa.Index("orders_customer", "tenant_id", "customer_id", "ordered_at"),)

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid)
    channel: Mapped[str] = mapped_column(sa.Text)
    ordered_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    total_yen: Mapped[int] = mapped_column(sa.BigInteger)
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
