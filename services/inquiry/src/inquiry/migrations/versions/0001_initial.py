"""inquiries, outbox, inbox

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

from kit.migrations import create_outbox_and_inbox

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_outbox_and_inbox()
    op.create_table(
        "inquiries",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
        sa.Column("external_id", sa.Text),
        sa.Column("medium", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("store_id", sa.Uuid),
        sa.Column("contact", pg.JSONB, nullable=False),
        sa.Column("property", pg.JSONB),
        sa.Column("requested_visit_starts_at", sa.DateTime(timezone=True)),
        sa.Column("requested_visit_ends_at", sa.DateTime(timezone=True)),
        sa.Column("message", sa.Text),
        sa.Column("raw_payload", sa.Text),
        sa.Column("customer_id", sa.Uuid, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
        sa.UniqueConstraint("tenant_id", "medium", "external_id"),
    )
    op.create_index("inquiries_received", "inquiries", ["tenant_id", "received_at"])


def downgrade() -> None:
    op.drop_table("inquiries")
    op.drop_table("inbox")
    op.drop_table("outbox")
