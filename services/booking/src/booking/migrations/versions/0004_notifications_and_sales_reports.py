"""notification destinations (通知先), recorded notifications, sales reports (営業報告)

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "booking_notification_targets",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
        sa.Column("store_id", sa.Uuid, nullable=False, index=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("email", sa.Text, nullable=False),
    )
    op.create_table(
        "booking_notifications",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
        sa.Column("target_id", sa.Uuid, nullable=False),
        sa.Column("visit_id", sa.Uuid, nullable=False, index=True),
        sa.Column("email", sa.Text, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
    )
    op.create_index(
        "booking_notifications_unsent",
        "booking_notifications",
        ["created_at"],
        postgresql_where=sa.text("sent_at IS NULL"),
    )
    op.create_table(
        "booking_sales_reports",
        sa.Column("visit_id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
        sa.Column("customer_id", sa.Uuid, nullable=False, index=True),
        sa.Column("customer_name", sa.Text, nullable=False),
        sa.Column("name_search", sa.Text, nullable=False),
        sa.Column("visit_starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("written_by", sa.Uuid),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "booking_sales_reports_time", "booking_sales_reports", ["tenant_id", "visit_starts_at"]
    )


def downgrade() -> None:
    op.drop_table("booking_sales_reports")
    op.drop_table("booking_notifications")
    op.drop_table("booking_notification_targets")
