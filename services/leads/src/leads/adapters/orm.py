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


class TrackedSend(TenantOwned, Base):
    """A mail sent to one recipient, with the token its pixel and links carry (LEAD-1)."""

    __tablename__ = "lead_sends"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "message_id", "customer_id", name="lead_sends_once"),
        sa.Index("lead_sends_customer", "tenant_id", "customer_id", "sent_at"),
    )

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    message_id: Mapped[UUID] = mapped_column(sa.Uuid)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid)
    message_kind: Mapped[str] = mapped_column(sa.Text)
    sent_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class EmailOpen(TenantOwned, Base):
    """An open with its verdict; the address and agent that decided it are not kept."""

    __tablename__ = "lead_opens"
    __table_args__ = (
        sa.Index("lead_opens_customer", "tenant_id", "customer_id", "opened_at"),
        sa.Index("lead_opens_message", "tenant_id", "message_id", "customer_id"),
    )

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    message_id: Mapped[UUID] = mapped_column(sa.Uuid)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid)
    message_kind: Mapped[str] = mapped_column(sa.Text)
    opened_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    machine: Mapped[bool] = mapped_column(sa.Boolean)
    machine_reason: Mapped[str | None] = mapped_column(sa.Text)


class PageView(TenantOwned, Base):
    """A property page opened from a mail; later beacons of the same view raise its dwell."""

    __tablename__ = "lead_page_views"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "customer_id", "view_id", name="lead_page_views_once"),
        sa.Index("lead_page_views_customer", "tenant_id", "customer_id", "viewed_at"),
        sa.Index("lead_page_views_recent", "tenant_id", "viewed_at"),
    )

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    view_id: Mapped[UUID] = mapped_column(sa.Uuid)  # the page's own id for this view
    message_id: Mapped[UUID] = mapped_column(sa.Uuid)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid)
    page: Mapped[str] = mapped_column(sa.Text)
    property_code: Mapped[str] = mapped_column(sa.Text)
    property_name: Mapped[str] = mapped_column(sa.Text)
    viewed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    dwell_s: Mapped[int] = mapped_column(sa.Integer)
    liked: Mapped[bool] = mapped_column(sa.Boolean)


class LevelSettingsRow(TenantOwned, Base):
    __tablename__ = "lead_level_settings"

    tenant_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    rules: Mapped[dict] = mapped_column(pg.JSONB)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    updated_by: Mapped[UUID | None] = mapped_column(sa.Uuid)


class LevelSettingsChange(TenantOwned, Base):
    """Every change of the thresholds: who, when, before, after."""

    __tablename__ = "lead_level_settings_changes"

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    changed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    changed_by: Mapped[UUID | None] = mapped_column(sa.Uuid)
    before: Mapped[dict] = mapped_column(pg.JSONB)
    after: Mapped[dict] = mapped_column(pg.JSONB)


class Exclusion(TenantOwned, Base):
    """A customer kept off the hot-lead list (対象者 OFF)."""

    __tablename__ = "lead_exclusions"

    tenant_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    excluded_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    excluded_by: Mapped[UUID | None] = mapped_column(sa.Uuid)


class LeadLevel(TenantOwned, Base):
    """A customer's level as last scored (LEAD-7): what the list and the customer read.
    ``due_at`` is the earliest moment it can change without a new event (a window ending);
    the level worker re-scores rows once it passes, new events re-score at once."""

    __tablename__ = "lead_levels"
    __table_args__ = (
        sa.Index("lead_levels_list", "tenant_id", "level", "last_activity_at"),
        sa.Index("lead_levels_due", "due_at", postgresql_where=sa.text("due_at IS NOT NULL")),
    )

    tenant_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    customer_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    level: Mapped[str | None] = mapped_column(sa.Text)
    reason: Mapped[str | None] = mapped_column(sa.Text)
    last_activity_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    due_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    scored_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
