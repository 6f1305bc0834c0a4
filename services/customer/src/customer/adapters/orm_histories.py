"""Tables of the customer's histories (migration 0009): interactions (対応履歴), actions
(アクション履歴), the rank master (ランク) and the FAQ."""

from datetime import date, datetime
from uuid import UUID

import sqlalchemy as sa
from kit.db import Base, TenantOwned
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.orm import Mapped, mapped_column

TZ = sa.DateTime(timezone=True)


class Interaction(TenantOwned, Base):
    """One call, inquiry, complaint or talk: who (the staff member), when, what, the next
    step; the leader's instruction for the next day beside it."""

    __tablename__ = "customer_interactions"

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid)
    kind: Mapped[str] = mapped_column(sa.Text)
    occurred_at: Mapped[datetime] = mapped_column(TZ)
    staff_id: Mapped[UUID | None] = mapped_column(sa.Uuid)
    body: Mapped[str] = mapped_column(sa.Text)
    next_step: Mapped[str | None] = mapped_column(sa.Text)
    next_due: Mapped[date | None] = mapped_column(sa.Date)
    instruction: Mapped[str | None] = mapped_column(sa.Text)
    instruction_by: Mapped[UUID | None] = mapped_column(sa.Uuid)
    instruction_at: Mapped[datetime | None] = mapped_column(TZ)
    corrected_at: Mapped[datetime | None] = mapped_column(TZ)
    corrected_by: Mapped[UUID | None] = mapped_column(sa.Uuid)
    deleted_at: Mapped[datetime | None] = mapped_column(TZ)  # a tombstone: left out of lists
    deleted_by: Mapped[UUID | None] = mapped_column(sa.Uuid)
    created_at: Mapped[datetime] = mapped_column(TZ, server_default=sa.func.now())


class CustomerAction(TenantOwned, Base):
    """An approach to the customer (電話営業, DM, メルマガ, カタログ送付), by staff or from an
    event; ``led_to_order_id``: the order it is credited with (the attribution rule)."""

    __tablename__ = "customer_actions"

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid)
    kind: Mapped[str] = mapped_column(sa.Text)
    occurred_at: Mapped[datetime] = mapped_column(TZ)
    staff_id: Mapped[UUID | None] = mapped_column(sa.Uuid)
    source: Mapped[str] = mapped_column(sa.Text)  # staff | leads
    source_ref: Mapped[str | None] = mapped_column(sa.Text)
    note: Mapped[str | None] = mapped_column(sa.Text)
    led_to_order_id: Mapped[UUID | None] = mapped_column(sa.Uuid)
    corrected_at: Mapped[datetime | None] = mapped_column(TZ)
    corrected_by: Mapped[UUID | None] = mapped_column(sa.Uuid)
    deleted_at: Mapped[datetime | None] = mapped_column(TZ)  # a tombstone: left out of lists
    deleted_by: Mapped[UUID | None] = mapped_column(sa.Uuid)
    created_at: Mapped[datetime] = mapped_column(TZ, server_default=sa.func.now())


class HistoryChange(TenantOwned, Base):
    """A correction or deletion of an interaction or a staff-entered action (migration
    0012): who, when, and the entry's text before it."""

    __tablename__ = "customer_history_changes"

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    entry: Mapped[str] = mapped_column(sa.Text)  # interaction | action
    entry_id: Mapped[str] = mapped_column(sa.Text)
    change: Mapped[str] = mapped_column(sa.Text)  # corrected | deleted
    changed_by: Mapped[UUID | None] = mapped_column(sa.Uuid)
    changed_at: Mapped[datetime] = mapped_column(TZ, server_default=sa.func.now())
    before: Mapped[dict] = mapped_column(pg.JSONB)


class StaffInstruction(TenantOwned, Base):
    """The leader's instruction to one staff member, written on the day's 対応履歴一覧表,
    shown to that member the next day (migration 0012)."""

    __tablename__ = "customer_staff_instructions"

    tenant_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    staff_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    instruction: Mapped[str] = mapped_column(sa.Text)
    written_by: Mapped[UUID | None] = mapped_column(sa.Uuid)
    written_at: Mapped[datetime] = mapped_column(TZ, server_default=sa.func.now())


class RankMaster(TenantOwned, Base):
    __tablename__ = "customer_rank_masters"

    tenant_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    period_days: Mapped[int | None] = mapped_column(sa.Integer)
    recomputed_on: Mapped[date | None] = mapped_column(sa.Date)
    recompute_after: Mapped[UUID | None] = mapped_column(sa.Uuid)  # a run under way
    updated_by: Mapped[UUID | None] = mapped_column(sa.Uuid)
    updated_at: Mapped[datetime] = mapped_column(TZ, server_default=sa.func.now())


class Rank(TenantOwned, Base):
    __tablename__ = "customer_ranks"

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(sa.Text)
    position: Mapped[int] = mapped_column(sa.Integer)
    min_orders: Mapped[int | None] = mapped_column(sa.Integer)
    max_orders: Mapped[int | None] = mapped_column(sa.Integer)
    min_amount_yen: Mapped[int | None] = mapped_column(sa.BigInteger)
    max_amount_yen: Mapped[int | None] = mapped_column(sa.BigInteger)
    min_days_since: Mapped[int | None] = mapped_column(sa.Integer)
    max_days_since: Mapped[int | None] = mapped_column(sa.Integer)


class FaqCategory(TenantOwned, Base):
    __tablename__ = "faq_categories"

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(sa.Text)
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    retired_at: Mapped[datetime | None] = mapped_column(TZ)  # hidden from pickers (0012)


class FaqEntry(TenantOwned, Base):
    __tablename__ = "faq_entries"

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    category_id: Mapped[UUID] = mapped_column(sa.Uuid, sa.ForeignKey("faq_categories.id"))
    question: Mapped[str] = mapped_column(sa.Text)
    answer: Mapped[str] = mapped_column(sa.Text)
    keywords: Mapped[str] = mapped_column(sa.Text, default="")
    search_text: Mapped[str] = mapped_column(sa.Text)
    search_grams: Mapped[list[str]] = mapped_column(pg.ARRAY(sa.Text))
    updated_by: Mapped[UUID | None] = mapped_column(sa.Uuid)
    updated_at: Mapped[datetime] = mapped_column(TZ, server_default=sa.func.now())
