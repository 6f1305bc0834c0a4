"""the feed log of every event, and signed webhooks: endpoints, deliveries, attempts, replays

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "feed_events",
        sa.Column("event_id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("routing_key", sa.Text, nullable=False),
        sa.Column("occurred_at", TS, nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
        sa.Column("envelope", pg.JSONB, nullable=False),
    )
    op.create_index("feed_events_tenant_time", "feed_events", ["tenant_id", "occurred_at", "event_id"])
    op.create_index("feed_events_recorded", "feed_events", ["recorded_at"])
    op.create_table(
        "webhook_endpoints",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("event_types", pg.ARRAY(sa.Text), nullable=False),
        sa.Column("status", sa.Text, nullable=False),  # active | disabled
        sa.Column("disabled_reason", sa.Text),
        sa.Column("disabled_at", TS),
        sa.Column("secret", sa.Text, nullable=False),
        sa.Column("previous_secret", sa.Text),
        sa.Column("previous_secret_until", TS),
        sa.Column("failing_since", TS),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_table(
        "webhook_replays",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
        sa.Column("endpoint_id", sa.Uuid, sa.ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), nullable=False),
        sa.Column("range_from", TS, nullable=False),
        sa.Column("range_to", TS, nullable=False),
        sa.Column("requested_at", TS, nullable=False),
        sa.Column("requested_by", sa.Uuid),
        # where the enqueuing has got to (keyset over the feed's order), and how many so far
        sa.Column("cursor_at", TS),
        sa.Column("cursor_event_id", sa.Uuid),
        sa.Column("enqueued", sa.Integer, nullable=False, server_default="0"),
        sa.Column("finished_at", TS),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("endpoint_id", sa.Uuid, sa.ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), nullable=False),
        sa.Column("event_id", sa.Uuid, nullable=False),
        sa.Column("routing_key", sa.Text, nullable=False),
        sa.Column("replay_id", sa.Uuid, sa.ForeignKey("webhook_replays.id", ondelete="CASCADE")),
        sa.Column("status", sa.Text, nullable=False),  # pending | delivered | failed
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("next_attempt_at", TS, nullable=False),
        sa.Column("finished_at", TS),
        sa.Column("last_status_code", sa.Integer),
        sa.Column("last_error", sa.Text),
    )
    op.create_index("webhook_deliveries_endpoint", "webhook_deliveries", ["endpoint_id", "id"])
    op.create_index(
        "webhook_deliveries_due", "webhook_deliveries", ["next_attempt_at"],
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_index(
        "webhook_deliveries_live_once", "webhook_deliveries", ["endpoint_id", "event_id"],
        unique=True, postgresql_where=sa.text("replay_id IS NULL"),
    )
    op.create_index("webhook_deliveries_finished", "webhook_deliveries", ["finished_at"])
    op.create_table(
        "webhook_attempts",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("delivery_id", sa.BigInteger, sa.ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("attempted_at", TS, nullable=False),
        sa.Column("status_code", sa.Integer),
        sa.Column("error", sa.Text),  # the error's class (ConnectTimeout, redirect …), never a body
        sa.Column("latency_ms", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("webhook_attempts")
    op.drop_table("webhook_deliveries")
    op.drop_table("webhook_replays")
    op.drop_table("webhook_endpoints")
    op.drop_table("feed_events")
