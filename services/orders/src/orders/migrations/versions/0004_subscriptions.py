"""subscriptions (定期): the tenant's delivery calendar and run settings, subscriptions, each
cycle's delivery (unique per subscription and cycle: the daily run's exactly-once key), and
the record of each daily run

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "subscription_settings",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("closed_weekdays", JSONB, nullable=False),
        sa.Column("closed_nth_weekdays", JSONB, nullable=False),
        sa.Column("closed_on_holidays", sa.Boolean, nullable=False),
        sa.Column("closed_periods", JSONB, nullable=False),
        sa.Column("open_days", JSONB, nullable=False),
        sa.Column("shift", sa.Text, nullable=False),
        sa.Column("order_lead_days", sa.SmallInteger, nullable=False),
        sa.Column("lead_in_business_days", sa.Boolean, nullable=False),
        sa.Column("allow_consecutive_skips", sa.Boolean, nullable=False),
    )
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
        sa.Column("customer_id", sa.Uuid, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("lines", JSONB, nullable=False),
        sa.Column("delivery", JSONB, nullable=False),
        sa.Column("cycle", JSONB, nullable=False),
        sa.Column("staff_id", sa.Uuid),
        sa.Column("medium_id", sa.Uuid),
        sa.Column("source_order_id", sa.Uuid),
        sa.Column("next_cycle_no", sa.Integer, nullable=False),
        sa.Column("next_on", sa.Date, nullable=False),
        sa.Column("next_delivers_on", sa.Date, nullable=False),
        sa.Column("next_order_on", sa.Date, nullable=False),
        sa.Column("last_skipped_cycle_no", sa.Integer),
        sa.Column("paused_at", TS),
        sa.Column("cancelled_at", TS),
        sa.Column("cancel_reason_id", sa.Uuid),
        sa.Column("created_at", TS, server_default=sa.func.now()),
    )
    op.create_index("subscriptions_customer", "subscriptions", ["tenant_id", "customer_id"])
    # The daily run's look-up: the active subscriptions whose order is due.
    op.create_index(
        "subscriptions_due",
        "subscriptions",
        ["next_order_on", "tenant_id"],
        postgresql_where=sa.text("status = 'active'"),
    )
    op.create_table(
        "subscription_deliveries",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("subscription_id", sa.Uuid, sa.ForeignKey("subscriptions.id"), nullable=False),
        sa.Column("cycle_no", sa.Integer, nullable=False),
        sa.Column("status", sa.Text, nullable=False),  # ordered | skipped | missed | failed
        sa.Column("nominal_on", sa.Date, nullable=False),
        sa.Column("delivers_on", sa.Date, nullable=False),
        sa.Column("order_id", sa.Uuid, sa.ForeignKey("orders.id")),
        sa.Column("note", sa.Text),
        sa.Column("created_at", TS, server_default=sa.func.now()),
    )
    # Exactly once per subscription and cycle, whatever runs it (two replicas, a re-run).
    op.create_index(
        "subscription_deliveries_cycle",
        "subscription_deliveries",
        ["subscription_id", "cycle_no"],
        unique=True,
    )
    op.create_index(
        "subscription_deliveries_day", "subscription_deliveries", ["tenant_id", "delivers_on"]
    )
    op.create_table(
        "subscription_runs",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("run_on", sa.Date, nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS),
        sa.Column("created", sa.Integer, nullable=False),
        sa.Column("skipped", sa.Integer, nullable=False),
        sa.Column("failed", sa.Integer, nullable=False),
        sa.Column("error", sa.Text),
    )
    op.create_index("subscription_runs_latest", "subscription_runs", ["tenant_id", "started_at"])


def downgrade() -> None:
    for table in ("subscription_runs", "subscription_deliveries", "subscriptions",
                  "subscription_settings"):  # fmt: skip
        op.drop_table(table)
