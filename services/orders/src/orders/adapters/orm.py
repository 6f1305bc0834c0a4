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


class SurveyQuestion(Master, TenantOwned, Base):
    """アンケートマスタ: a question asked with an order, answered by a choice or in words."""

    __tablename__ = "survey_questions"
    text: Mapped[str] = mapped_column(sa.Text)
    answer_kind: Mapped[str] = mapped_column(sa.Text)  # choice | text
    choices: Mapped[list[str]] = mapped_column(JSONB, default=list)


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
    # None: a web-shop order whose customer the customer service has not linked yet
    customer_id: Mapped[UUID | None] = mapped_column(sa.Uuid, nullable=True)
    # the web shop's facts of that customer (name, kana, email, phone), kept for the link
    shop_customer: Mapped[dict[str, Any] | None] = mapped_column(JSONB, nullable=True)
    channel: Mapped[str] = mapped_column(sa.Text)  # phone | web
    ordered_at: Mapped[datetime] = mapped_column(Timestamp)
    ordered_on: Mapped[date] = mapped_column(sa.Date)  # Japan's date: today's order list
    ships_on: Mapped[date] = mapped_column(sa.Date)  # 出荷予定日 (a subscription's delivery day)
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
    status: Mapped[str] = mapped_column(sa.Text, default="placed")  # placed | cancelled
    cancelled_at: Mapped[datetime | None] = mapped_column(Timestamp, nullable=True)
    cancel_reason_id: Mapped[UUID | None] = mapped_column(sa.Uuid, nullable=True)
    payer_kana: Mapped[str] = mapped_column(sa.Text, default="")  # 振込名義 (search form)
    paid_at: Mapped[datetime | None] = mapped_column(Timestamp, nullable=True)
    payment_id: Mapped[UUID | None] = mapped_column(sa.Uuid, nullable=True)
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
    kind: Mapped[str] = mapped_column(sa.Text, default="product")  # product|bundle|companion|gift
    components: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONB, nullable=True)


class OrderCounter(TenantOwned, Base):
    """The last order number handed out per tenant (受注番号)."""

    __tablename__ = "order_counters"
    tenant_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    last_number: Mapped[int] = mapped_column(sa.BigInteger)


class SubscriptionSettings(TenantOwned, Base):
    """A tenant's delivery calendar (休業日) and how its daily run makes orders."""

    __tablename__ = "subscription_settings"
    tenant_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    closed_weekdays: Mapped[list[int]] = mapped_column(JSONB, default=list)
    closed_nth_weekdays: Mapped[list[list[int]]] = mapped_column(JSONB, default=list)
    closed_on_holidays: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    closed_periods: Mapped[list[dict[str, str]]] = mapped_column(JSONB, default=list)
    open_days: Mapped[list[str]] = mapped_column(JSONB, default=list)
    shift: Mapped[str] = mapped_column(sa.Text, default="earlier")
    order_lead_days: Mapped[int] = mapped_column(sa.SmallInteger, default=3)
    lead_in_business_days: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    allow_consecutive_skips: Mapped[bool] = mapped_column(sa.Boolean, default=False)


class Subscription(TenantOwned, Base):
    """定期: what is delivered, where, on which cycle; the next delivery as its nominal date
    (the cycle's), where the calendar moves it, and the day its order is made."""

    __tablename__ = "subscriptions"
    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid)
    status: Mapped[str] = mapped_column(sa.Text)  # active | paused | cancelled
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)  # [{product_id, quantity}]
    delivery: Mapped[dict[str, Any]] = mapped_column(JSONB)
    cycle: Mapped[dict[str, Any]] = mapped_column(JSONB)
    staff_id: Mapped[UUID | None] = mapped_column(sa.Uuid, nullable=True)
    medium_id: Mapped[UUID | None] = mapped_column(sa.Uuid, nullable=True)
    source_order_id: Mapped[UUID | None] = mapped_column(sa.Uuid, nullable=True)
    next_cycle_no: Mapped[int] = mapped_column(sa.Integer)
    next_on: Mapped[date] = mapped_column(sa.Date)
    next_delivers_on: Mapped[date] = mapped_column(sa.Date)
    next_order_on: Mapped[date] = mapped_column(sa.Date)
    last_skipped_cycle_no: Mapped[int | None] = mapped_column(sa.Integer, nullable=True)
    paused_at: Mapped[datetime | None] = mapped_column(Timestamp, nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(Timestamp, nullable=True)
    cancel_reason_id: Mapped[UUID | None] = mapped_column(sa.Uuid, nullable=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, server_default=sa.func.now())


class SubscriptionDelivery(TenantOwned, Base):
    """One cycle of a subscription: ordered, skipped (by request), missed (its day passed
    before a run reached it) or failed (its order was refused, e.g. a discontinued product)."""

    __tablename__ = "subscription_deliveries"
    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    subscription_id: Mapped[UUID] = mapped_column(sa.Uuid, sa.ForeignKey("subscriptions.id"))
    cycle_no: Mapped[int] = mapped_column(sa.Integer)
    status: Mapped[str] = mapped_column(sa.Text)
    nominal_on: Mapped[date] = mapped_column(sa.Date)
    delivers_on: Mapped[date] = mapped_column(sa.Date)
    order_id: Mapped[UUID | None] = mapped_column(sa.Uuid, sa.ForeignKey("orders.id"))
    note: Mapped[str | None] = mapped_column(sa.Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, server_default=sa.func.now())


class SubscriptionRun(TenantOwned, Base):
    """A daily run over one tenant's due subscriptions; no ``finished_at``: it stopped midway
    (the next run finishes the work)."""

    __tablename__ = "subscription_runs"
    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    run_on: Mapped[date] = mapped_column(sa.Date)
    started_at: Mapped[datetime] = mapped_column(Timestamp)
    finished_at: Mapped[datetime | None] = mapped_column(Timestamp, nullable=True)
    created: Mapped[int] = mapped_column(sa.Integer, default=0)
    skipped: Mapped[int] = mapped_column(sa.Integer, default=0)
    failed: Mapped[int] = mapped_column(sa.Integer, default=0)
    error: Mapped[str | None] = mapped_column(sa.Text, nullable=True)
    replica: Mapped[str | None] = mapped_column(sa.Text, nullable=True)  # host:pid that ran it
    started_by: Mapped[UUID | None] = mapped_column(sa.Uuid, nullable=True)  # 今すぐ実行's user


class ShipperSettings(TenantOwned, Base):
    """ご依頼主 on the tenant's labels, and its carrier account codes."""

    __tablename__ = "shipper_settings"
    tenant_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(sa.Text)
    phone: Mapped[str] = mapped_column(sa.Text)
    postal_code: Mapped[str] = mapped_column(sa.Text)
    address: Mapped[str] = mapped_column(sa.Text)
    yamato_billing_code: Mapped[str] = mapped_column(sa.Text)
    yamato_billing_class: Mapped[str] = mapped_column(sa.Text)
    yamato_freight_number: Mapped[str] = mapped_column(sa.Text)
    sagawa_customer_code: Mapped[str] = mapped_column(sa.Text)


class Shipment(TenantOwned, Base):
    """An order handed to a carrier: its tracking number (お問合せ番号), from the carrier's file."""

    __tablename__ = "shipments"
    order_id: Mapped[UUID] = mapped_column(sa.Uuid, sa.ForeignKey("orders.id"), primary_key=True)
    carrier: Mapped[str] = mapped_column(sa.Text)
    tracking_number: Mapped[str] = mapped_column(sa.Text)
    imported_at: Mapped[datetime] = mapped_column(Timestamp)


class OrderReturn(TenantOwned, Base):
    """返品: some of an order's goods back, with the reason as it was and the refund."""

    __tablename__ = "order_returns"
    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    order_id: Mapped[UUID] = mapped_column(sa.Uuid, sa.ForeignKey("orders.id"))
    reason_id: Mapped[UUID] = mapped_column(sa.Uuid)
    reason_text: Mapped[str] = mapped_column(sa.Text)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    refund_yen: Mapped[int] = mapped_column(sa.BigInteger)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    returned_at: Mapped[datetime] = mapped_column(Timestamp)


class Payment(TenantOwned, Base):
    """One bank transfer of an uploaded file (入金): matched to an order, or left for a person
    (unmatched) until assigned."""

    __tablename__ = "payments"
    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    import_id: Mapped[UUID] = mapped_column(sa.Uuid)
    line: Mapped[int] = mapped_column(sa.Integer)
    paid_on: Mapped[date] = mapped_column(sa.Date)
    amount_yen: Mapped[int] = mapped_column(sa.BigInteger)
    payer: Mapped[str] = mapped_column(sa.Text)
    payer_key: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.Text)  # matched | unmatched | assigned
    order_id: Mapped[UUID | None] = mapped_column(sa.Uuid, sa.ForeignKey("orders.id"))
    note: Mapped[str | None] = mapped_column(sa.Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, server_default=sa.func.now())


class SurveyAnswer(TenantOwned, Base):
    """アンケート入力: an answer given with an order; the question's text as it was asked."""

    __tablename__ = "survey_answers"
    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    order_id: Mapped[UUID] = mapped_column(sa.Uuid, sa.ForeignKey("orders.id"))
    question_id: Mapped[UUID] = mapped_column(sa.Uuid)
    question_text: Mapped[str] = mapped_column(sa.Text)
    answer: Mapped[str] = mapped_column(sa.Text)
