"""The reporting model's tables (ORD-6): fed by the orders service's own events through its
consumer, never by reading the order tables (migration 0007 says what each holds)."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from kit.db import Base, TenantOwned
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

Timestamp = sa.DateTime(timezone=True)
Key = mapped_column  # a part of the primary key (all of them name the tenant first)


class ReportOrder(TenantOwned, Base):
    __tablename__ = "report_orders"
    order_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid)
    ordered_at: Mapped[datetime] = mapped_column(Timestamp)
    month: Mapped[date] = mapped_column(sa.Date)
    medium_key: Mapped[UUID] = mapped_column(sa.Uuid)
    staff_key: Mapped[UUID] = mapped_column(sa.Uuid)
    prefecture: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.Text)
    outcome: Mapped[str] = mapped_column(sa.Text, default="")
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    sales_yen: Mapped[int] = mapped_column(sa.BigInteger)
    cost_yen: Mapped[int] = mapped_column(sa.BigInteger)
    shipping_yen: Mapped[int] = mapped_column(sa.BigInteger)
    discount_yen: Mapped[int] = mapped_column(sa.BigInteger)


class ReportOrderMonth(TenantOwned, Base):
    __tablename__ = "report_order_months"
    tenant_id: Mapped[UUID] = Key(sa.Uuid, primary_key=True)
    month: Mapped[date] = Key(sa.Date, primary_key=True)
    medium_key: Mapped[UUID] = Key(sa.Uuid, primary_key=True)
    staff_key: Mapped[UUID] = Key(sa.Uuid, primary_key=True)
    prefecture: Mapped[str] = Key(sa.Text, primary_key=True)
    orders: Mapped[int] = mapped_column(sa.Integer)
    sales_yen: Mapped[int] = mapped_column(sa.BigInteger)
    cost_yen: Mapped[int] = mapped_column(sa.BigInteger)
    shipping_yen: Mapped[int] = mapped_column(sa.BigInteger)


class ReportProductMonth(TenantOwned, Base):
    __tablename__ = "report_product_months"
    tenant_id: Mapped[UUID] = Key(sa.Uuid, primary_key=True)
    month: Mapped[date] = Key(sa.Date, primary_key=True)
    product_id: Mapped[UUID] = Key(sa.Uuid, primary_key=True)
    medium_key: Mapped[UUID] = Key(sa.Uuid, primary_key=True)
    prefecture: Mapped[str] = Key(sa.Text, primary_key=True)
    product_name: Mapped[str] = mapped_column(sa.Text)
    quantity: Mapped[int] = mapped_column(sa.BigInteger)
    returned_quantity: Mapped[int] = mapped_column(sa.BigInteger)
    sales_yen: Mapped[int] = mapped_column(sa.BigInteger)
    cost_yen: Mapped[int] = mapped_column(sa.BigInteger)


class ReportCustomerMonth(TenantOwned, Base):
    __tablename__ = "report_customer_months"
    tenant_id: Mapped[UUID] = Key(sa.Uuid, primary_key=True)
    month: Mapped[date] = Key(sa.Date, primary_key=True)
    customer_id: Mapped[UUID] = Key(sa.Uuid, primary_key=True)
    orders: Mapped[int] = mapped_column(sa.Integer)
    sales_yen: Mapped[int] = mapped_column(sa.BigInteger)
    cost_yen: Mapped[int] = mapped_column(sa.BigInteger)


class ReportSurveyMonth(TenantOwned, Base):
    __tablename__ = "report_survey_months"
    tenant_id: Mapped[UUID] = Key(sa.Uuid, primary_key=True)
    month: Mapped[date] = Key(sa.Date, primary_key=True)
    question_id: Mapped[UUID] = Key(sa.Uuid, primary_key=True)
    answer: Mapped[str] = Key(sa.Text, primary_key=True)
    product_id: Mapped[UUID] = Key(sa.Uuid, primary_key=True)
    question_text: Mapped[str] = mapped_column(sa.Text)
    product_name: Mapped[str] = mapped_column(sa.Text)
    answers: Mapped[int] = mapped_column(sa.Integer)


class ReportCustomerMerge(TenantOwned, Base):
    """A customer merged away (統合) → the customer that survived it, today (a later merge of
    the survivor re-points the row): every reporting event's customer is resolved through it."""

    __tablename__ = "report_customer_merges"
    tenant_id: Mapped[UUID] = Key(sa.Uuid, primary_key=True)
    merged_id: Mapped[UUID] = Key(sa.Uuid, primary_key=True)
    survivor_id: Mapped[UUID] = mapped_column(sa.Uuid)


class ReportFreshness(TenantOwned, Base):
    """The last event the reporting model applied for the tenant, and when; when it was last
    rebuilt from the tables (``orders.reports rebuild``), if it was."""

    __tablename__ = "report_freshness"
    tenant_id: Mapped[UUID] = Key(sa.Uuid, primary_key=True)
    last_event_id: Mapped[UUID] = mapped_column(sa.Uuid)
    last_event_type: Mapped[str] = mapped_column(sa.Text)
    last_occurred_at: Mapped[datetime] = mapped_column(Timestamp)
    applied_at: Mapped[datetime] = mapped_column(Timestamp)
    events_applied: Mapped[int] = mapped_column(sa.BigInteger)
    rebuilt_at: Mapped[datetime | None] = mapped_column(Timestamp, nullable=True)


class ReportContact(TenantOwned, Base):
    """A contact with a customer (対応 or アクション) as its latest ContactRecorded stated it
    (a later ``changed_at`` wins; a deletion stays as ``deleted``), under the survivor of the
    customer's merges: 離脱分析's last contact (migration 0012, decision 93)."""

    __tablename__ = "report_contacts"
    tenant_id: Mapped[UUID] = Key(sa.Uuid, primary_key=True)
    contact_id: Mapped[str] = Key(sa.Text, primary_key=True)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid)
    kind: Mapped[str] = mapped_column(sa.Text)
    kind_label: Mapped[str] = mapped_column(sa.Text)
    occurred_at: Mapped[datetime] = mapped_column(Timestamp)
    deleted: Mapped[bool] = mapped_column(sa.Boolean)
    changed_at: Mapped[datetime] = mapped_column(Timestamp)
