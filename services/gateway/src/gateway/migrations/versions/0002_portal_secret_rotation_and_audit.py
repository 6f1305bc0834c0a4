"""portal secret rotation (grace period) and the audit of rejected webhook calls

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tenants", sa.Column("previous_portal_secret", sa.Text))
    op.add_column("tenants", sa.Column("previous_portal_secret_until", sa.DateTime(timezone=True)))
    op.create_table(
        "webhook_rejections",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("tenant_slug", sa.Text, nullable=False),
        sa.Column("tenant_id", sa.Uuid),
        sa.Column("received_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
        sa.Column("status", sa.Integer, nullable=False),
        # What was wrong, by field name only: no values (they may be personal data).
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("body_sha256", sa.Text, nullable=False),
        sa.Column("body_size", sa.Integer, nullable=False),
    )
    op.create_index("webhook_rejections_tenant", "webhook_rejections", ["tenant_id", "received_at"])


def downgrade() -> None:
    op.drop_table("webhook_rejections")
    op.drop_column("tenants", "previous_portal_secret_until")
    op.drop_column("tenants", "previous_portal_secret")
