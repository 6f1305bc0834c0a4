from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from kit.db import Base, TenantOwned
from sqlalchemy.orm import Mapped, mapped_column


class Customer(TenantOwned, Base):
    __tablename__ = "customers"

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(sa.Text)
    name_kana: Mapped[str | None] = mapped_column(sa.Text)
    name_search: Mapped[str] = mapped_column(sa.Text)
    kana_search: Mapped[str] = mapped_column(sa.Text)
    # 名寄せ key: the email of the customer's first inquiry (seed 000), normalised.
    identity_email: Mapped[str | None] = mapped_column(sa.Text)
    follow_up_status: Mapped[str] = mapped_column(sa.Text, default="following")
    assignee_id: Mapped[UUID | None] = mapped_column(sa.Uuid)
    store_id: Mapped[UUID | None] = mapped_column(sa.Uuid)
    first_inquiry_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), server_default=sa.func.now()
    )


class CustomerEmail(TenantOwned, Base):
    __tablename__ = "customer_emails"

    customer_id: Mapped[UUID] = mapped_column(
        sa.Uuid, sa.ForeignKey("customers.id"), primary_key=True
    )
    email_key: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    email: Mapped[str] = mapped_column(sa.Text)
    position: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity())


class CustomerPhone(TenantOwned, Base):
    __tablename__ = "customer_phones"

    customer_id: Mapped[UUID] = mapped_column(
        sa.Uuid, sa.ForeignKey("customers.id"), primary_key=True
    )
    digits: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    display: Mapped[str] = mapped_column(sa.Text)
    position: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity())


class CustomerInquiry(TenantOwned, Base):
    """Read model of the customer's inquiries, kept from InquiryReceived."""

    __tablename__ = "customer_inquiries"

    inquiry_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid, sa.ForeignKey("customers.id"), index=True)
    medium: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[str] = mapped_column(sa.Text)
    received_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    store_id: Mapped[UUID | None] = mapped_column(sa.Uuid)
    contact_name: Mapped[str] = mapped_column(sa.Text)
    contact_email: Mapped[str | None] = mapped_column(sa.Text)
    contact_phone: Mapped[str | None] = mapped_column(sa.Text)
    property_code: Mapped[str | None] = mapped_column(sa.Text)
    property_name: Mapped[str | None] = mapped_column(sa.Text)
    property_address: Mapped[str | None] = mapped_column(sa.Text)
    property_price_yen: Mapped[int | None] = mapped_column(sa.BigInteger)
    requested_visit_starts_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    requested_visit_ends_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
