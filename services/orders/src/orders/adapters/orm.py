"""Tables of the orders service. Masters are retired (``retired_at``), never deleted: an old
order keeps pointing at what it was placed with."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from kit.db import Base, TenantOwned
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

Timestamp = sa.DateTime(timezone=True)


class OrdersSettings(TenantOwned, Base):
    """A tenant's settings of this service: the tax rounding, the web shop's signing secret."""

    __tablename__ = "orders_settings"

    tenant_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    tax_rounding: Mapped[str] = mapped_column(sa.Text, default="floor")
    shop_secret: Mapped[str | None] = mapped_column(sa.Text, nullable=True)


class Master:
    """Columns every master shares."""

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    retired_at: Mapped[datetime | None] = mapped_column(Timestamp, nullable=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, server_default=sa.func.now())


class Staff(Master, TenantOwned, Base):
    __tablename__ = "staff"
    name: Mapped[str] = mapped_column(sa.Text)
    role: Mapped[str] = mapped_column(sa.Text)  # operator (入力) | sales (営業)


class Medium(Master, TenantOwned, Base):
    __tablename__ = "media"
    name: Mapped[str] = mapped_column(sa.Text)
    code: Mapped[str | None] = mapped_column(sa.Text, nullable=True)


class ProductCategory(Master, TenantOwned, Base):
    __tablename__ = "product_categories"
    name: Mapped[str] = mapped_column(sa.Text)


class Product(Master, TenantOwned, Base):
    __tablename__ = "products"
    code: Mapped[str] = mapped_column(sa.Text)
    name: Mapped[str] = mapped_column(sa.Text)
    category_id: Mapped[UUID | None] = mapped_column(sa.Uuid, nullable=True)
    price_yen: Mapped[int] = mapped_column(sa.Integer)
    cost_yen: Mapped[int] = mapped_column(sa.Integer)
    tax_rate: Mapped[int] = mapped_column(sa.SmallInteger)
    subscription_eligible: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    is_present: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    discontinued: Mapped[bool] = mapped_column(sa.Boolean, default=False)


class SetProduct(Master, TenantOwned, Base):
    """A bundle (two or more parcels sold together) or the companions that always ship with a
    trigger product (kind ``companion``)."""

    __tablename__ = "set_products"
    name: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[str] = mapped_column(sa.Text)  # bundle | companion
    trigger_product_id: Mapped[UUID | None] = mapped_column(sa.Uuid, nullable=True)
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)  # [{product_id, quantity}]


class ShippingFee(Master, TenantOwned, Base):
    __tablename__ = "shipping_fees"
    prefecture: Mapped[str] = mapped_column(sa.Text)
    fee_yen: Mapped[int] = mapped_column(sa.Integer)


class Reason(Master, TenantOwned, Base):
    __tablename__ = "reasons"
    kind: Mapped[str] = mapped_column(sa.Text)  # return (返品) | cancel (解約)
    text: Mapped[str] = mapped_column(sa.Text)


class CampaignRow(Master, TenantOwned, Base):
    __tablename__ = "campaigns"
    name: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[str] = mapped_column(sa.Text)
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    discount_yen: Mapped[int] = mapped_column(sa.Integer, default=0)
    trigger_product_id: Mapped[UUID | None] = mapped_column(sa.Uuid, nullable=True)
    gift_product_id: Mapped[UUID | None] = mapped_column(sa.Uuid, nullable=True)


class Order(TenantOwned, Base):
    __tablename__ = "orders"
    __table_args__ = (sa.Index("orders_customer", "tenant_id", "customer_id", "ordered_at"),)

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    order_number: Mapped[int] = mapped_column(sa.BigInteger)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid)
    channel: Mapped[str] = mapped_column(sa.Text)  # phone | web
    ordered_at: Mapped[datetime] = mapped_column(Timestamp)
    ordered_on: Mapped[date] = mapped_column(sa.Date)  # Japan's date: today's order list
    staff_id: Mapped[UUID | None] = mapped_column(sa.Uuid, nullable=True)
    medium_id: Mapped[UUID | None] = mapped_column(sa.Uuid, nullable=True)
    shop_order_number: Mapped[str | None] = mapped_column(sa.Text, nullable=True)
    delivery: Mapped[dict[str, Any]] = mapped_column(JSONB)
    subtotal_yen: Mapped[int] = mapped_column(sa.BigInteger)
    discount_yen: Mapped[int] = mapped_column(sa.BigInteger)
    shipping_fee_yen: Mapped[int] = mapped_column(sa.BigInteger)
    tax_yen: Mapped[int] = mapped_column(sa.BigInteger)
    total_yen: Mapped[int] = mapped_column(sa.BigInteger)
    tax_rounding: Mapped[str] = mapped_column(sa.Text)
    tax_by_rate: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    campaigns: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)  # applied, with reasons
    created_at: Mapped[datetime] = mapped_column(Timestamp, server_default=sa.func.now())


class OrderLine(TenantOwned, Base):
    __tablename__ = "order_lines"

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    order_id: Mapped[UUID] = mapped_column(sa.Uuid, sa.ForeignKey("orders.id"))
    line_no: Mapped[int] = mapped_column(sa.SmallInteger)
    product_id: Mapped[UUID] = mapped_column(sa.Uuid)
    product_name: Mapped[str] = mapped_column(sa.Text)  # as it was when ordered
    quantity: Mapped[int] = mapped_column(sa.Integer)
    unit_price_yen: Mapped[int] = mapped_column(sa.Integer)
    tax_rate: Mapped[int] = mapped_column(sa.SmallInteger)
    amount_yen: Mapped[int] = mapped_column(sa.BigInteger)
    is_gift: Mapped[bool] = mapped_column(sa.Boolean, default=False)


class OrderCounter(TenantOwned, Base):
    """The last order number handed out per tenant (受注番号)."""

    __tablename__ = "order_counters"
    tenant_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    last_number: Mapped[int] = mapped_column(sa.BigInteger)
