"""tracked sends, opens with their verdict, page views; level settings and their history;
hot-lead exclusions; customers merged away

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _ts(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "lead_sends",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
        sa.Column("message_id", sa.Uuid, nullable=False),
        sa.Column("customer_id", sa.Uuid, nullable=False),
        sa.Column("message_kind", sa.Text, nullable=False),
        _ts("sent_at"),
        sa.UniqueConstraint("tenant_id", "message_id", "customer_id", name="lead_sends_once"),
    )
    op.create_index("lead_sends_customer", "lead_sends", ["tenant_id", "customer_id", "sent_at"])
    op.create_table(
        "lead_opens",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
        sa.Column("message_id", sa.Uuid, nullable=False),
        sa.Column("customer_id", sa.Uuid, nullable=False),
        sa.Column("message_kind", sa.Text, nullable=False),
        _ts("opened_at"),
        sa.Column("machine", sa.Boolean, nullable=False),
        sa.Column("machine_reason", sa.Text),
    )
    op.create_index("lead_opens_customer", "lead_opens", ["tenant_id", "customer_id", "opened_at"])
    op.create_index("lead_opens_message", "lead_opens", ["tenant_id", "message_id", "customer_id"])
    op.create_table(
        "lead_page_views",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
        sa.Column("view_id", sa.Uuid, nullable=False),
        sa.Column("message_id", sa.Uuid, nullable=False),
        sa.Column("customer_id", sa.Uuid, nullable=False),
        sa.Column("page", sa.Text, nullable=False),
        sa.Column("property_code", sa.Text, nullable=False),
        sa.Column("property_name", sa.Text, nullable=False),
        _ts("viewed_at"),
        sa.Column("dwell_s", sa.Integer, nullable=False),
        sa.Column("liked", sa.Boolean, nullable=False),
        sa.UniqueConstraint("tenant_id", "customer_id", "view_id", name="lead_page_views_once"),
    )
    op.create_index(
        "lead_page_views_customer", "lead_page_views", ["tenant_id", "customer_id", "viewed_at"]
    )
    op.create_index("lead_page_views_recent", "lead_page_views", ["tenant_id", "viewed_at"])
    op.create_table(
        "lead_level_settings",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("rules", pg.JSONB, nullable=False),
        _ts("updated_at"),
        sa.Column("updated_by", sa.Uuid),
    )
    op.create_table(
        "lead_level_settings_changes",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
        _ts("changed_at"),
        sa.Column("changed_by", sa.Uuid),
        sa.Column("before", pg.JSONB, nullable=False),
        sa.Column("after", pg.JSONB, nullable=False),
    )
    op.create_table(
        "lead_exclusions",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("customer_id", sa.Uuid, primary_key=True),
        _ts("excluded_at"),
        sa.Column("excluded_by", sa.Uuid),
    )
    op.create_table(
        "lead_merged_customers",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("source_id", sa.Uuid, primary_key=True),
        sa.Column("target_id", sa.Uuid, nullable=False, index=True),
    )


def downgrade() -> None:
    for table in (
        "lead_merged_customers", "lead_exclusions", "lead_level_settings_changes", "lead_level_settings",
        "lead_page_views", "lead_opens", "lead_sends",
    ):  # fmt: skip
        op.drop_table(table)
