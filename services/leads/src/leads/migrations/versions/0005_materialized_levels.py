"""materialized hot-lead levels with the moment each can next change (LEAD-7); every
customer with views or opens starts due, so the level worker scores them after the upgrade

Revision ID: 0005_levels
Revises: 0004_mails
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_levels"
down_revision = "0004_mails"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lead_levels",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("customer_id", sa.Uuid, primary_key=True),
        sa.Column("level", sa.Text),
        sa.Column("reason", sa.Text),
        sa.Column("last_activity_at", sa.DateTime(timezone=True)),
        sa.Column("due_at", sa.DateTime(timezone=True)),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("lead_levels_list", "lead_levels", ["tenant_id", "level", "last_activity_at"])
    op.create_index(
        "lead_levels_due", "lead_levels", ["due_at"], postgresql_where=sa.text("due_at IS NOT NULL")
    )
    op.execute(
        "INSERT INTO lead_levels (tenant_id, customer_id, due_at, scored_at) "
        "SELECT tenant_id, customer_id, now(), now() FROM "
        "(SELECT tenant_id, customer_id FROM lead_page_views "
        " UNION SELECT tenant_id, customer_id FROM lead_opens) AS seen"
    )


def downgrade() -> None:
    op.drop_table("lead_levels")
