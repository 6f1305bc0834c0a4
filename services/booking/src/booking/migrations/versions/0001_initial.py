"""visit requests, booking inquiry links; outbox, inbox

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op
from kit.migrations import create_outbox_and_inbox

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_outbox_and_inbox()
    op.create_table(
        "visit_requests",
        sa.Column("inquiry_id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
        sa.Column("store_id", sa.Uuid),
        sa.Column("customer_id", sa.Uuid, index=True),
        sa.Column("property_code", sa.Text),
        sa.Column("property_name", sa.Text),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.Text, nullable=False, server_default="pending"),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("visit_requests_received", "visit_requests", ["tenant_id", "received_at"])
    op.create_table(
        "booking_inquiry_links",
        sa.Column("inquiry_id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
        sa.Column("customer_id", sa.Uuid, nullable=False, index=True),
    )


def downgrade() -> None:
    for table in ("booking_inquiry_links", "visit_requests", "inbox", "outbox"):
        op.drop_table(table)
