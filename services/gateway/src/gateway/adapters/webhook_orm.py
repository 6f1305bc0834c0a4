"""The feed log and the webhook tables (migration 0005)."""

from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from kit.db import Base, TenantOwned
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.orm import Mapped, mapped_column

TS = sa.DateTime(timezone=True)


class FeedEvent(TenantOwned, Base):
    """Every event of the bus, as its envelope: what webhooks and replays send."""

    __tablename__ = "feed_events"

    event_id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    routing_key: Mapped[str] = mapped_column(sa.Text)
    occurred_at: Mapped[datetime] = mapped_column(TS)
    recorded_at: Mapped[datetime] = mapped_column(TS)
    envelope: Mapped[dict[str, Any]] = mapped_column(pg.JSONB)


class WebhookEndpoint(TenantOwned, Base):
    __tablename__ = "webhook_endpoints"

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    url: Mapped[str] = mapped_column(sa.Text)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    event_types: Mapped[list[str]] = mapped_column(pg.ARRAY(sa.Text))
    status: Mapped[str] = mapped_column(sa.Text)  # active | disabled
    disabled_reason: Mapped[str | None] = mapped_column(sa.Text)
    disabled_at: Mapped[datetime | None] = mapped_column(TS)
    secret: Mapped[str] = mapped_column(sa.Text)
    previous_secret: Mapped[str | None] = mapped_column(sa.Text)
    previous_secret_until: Mapped[datetime | None] = mapped_column(TS)
    failing_since: Mapped[datetime | None] = mapped_column(TS)
    created_at: Mapped[datetime] = mapped_column(TS)
    updated_at: Mapped[datetime] = mapped_column(TS)


class WebhookReplay(TenantOwned, Base):
    __tablename__ = "webhook_replays"

    id: Mapped[UUID] = mapped_column(sa.Uuid, primary_key=True)
    endpoint_id: Mapped[UUID] = mapped_column(sa.ForeignKey("webhook_endpoints.id"))
    range_from: Mapped[datetime] = mapped_column(TS)
    range_to: Mapped[datetime] = mapped_column(TS)
    requested_at: Mapped[datetime] = mapped_column(TS)
    requested_by: Mapped[UUID | None] = mapped_column(sa.Uuid)
    cursor_at: Mapped[datetime | None] = mapped_column(TS)
    cursor_event_id: Mapped[UUID | None] = mapped_column(sa.Uuid)
    enqueued: Mapped[int] = mapped_column(sa.Integer, default=0)
    finished_at: Mapped[datetime | None] = mapped_column(TS)


class WebhookDelivery(TenantOwned, Base):
    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    endpoint_id: Mapped[UUID] = mapped_column(sa.ForeignKey("webhook_endpoints.id"))
    event_id: Mapped[UUID] = mapped_column(sa.Uuid)
    routing_key: Mapped[str] = mapped_column(sa.Text)
    replay_id: Mapped[UUID | None] = mapped_column(sa.ForeignKey("webhook_replays.id"))
    status: Mapped[str] = mapped_column(sa.Text)  # pending | delivered | failed
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(TS)
    next_attempt_at: Mapped[datetime] = mapped_column(TS)
    finished_at: Mapped[datetime | None] = mapped_column(TS)
    last_status_code: Mapped[int | None] = mapped_column(sa.Integer)
    last_error: Mapped[str | None] = mapped_column(sa.Text)


class WebhookAttempt(TenantOwned, Base):
    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(sa.BigInteger, sa.Identity(), primary_key=True)
    delivery_id: Mapped[int] = mapped_column(sa.ForeignKey("webhook_deliveries.id"))
    attempted_at: Mapped[datetime] = mapped_column(TS)
    status_code: Mapped[int | None] = mapped_column(sa.Integer)
    error: Mapped[str | None] = mapped_column(sa.Text)
    latency_ms: Mapped[int] = mapped_column(sa.Integer)
