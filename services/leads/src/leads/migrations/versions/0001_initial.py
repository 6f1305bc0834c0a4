"""lead activities, lead inquiry links; outbox, inbox

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op
from kit.migrations import create_outbox_and_inbox
from sqlalchemy.dialects import postgresql as pg

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_outbox_and_inbox()
    op.create_table(
        "lead_activities",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
        sa.Column("event_id", sa.Uuid, nullable=False, unique=True),
        sa.Column("customer_id", sa.Uuid),
        sa.Column("inquiry_id", sa.Uuid, index=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("detail", pg.JSONB, nullable=False, server_default="{}"),
    )
    # The timeline query: one customer's activities, newest first.
    op.create_index(
        "lead_activities_timeline", "lead_activities", ["tenant_id", "customer_id", "occurred_at"]
    )
    op.create_table(
        "lead_inquiry_links",
        sa.Column("inquiry_id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
        sa.Column("customer_id", sa.Uuid, nullable=False, index=True),
    )


def downgrade() -> None:
    for table in ("lead_inquiry_links", "lead_activities", "inbox", "outbox"):
        op.drop_table(table)
