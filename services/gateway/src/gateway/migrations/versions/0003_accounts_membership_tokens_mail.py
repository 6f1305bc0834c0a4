"""business types, store membership, invitation and reset tokens, the session's store, mail

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op
from kit.migrations import create_mail_outbox, extend_mail_outbox
from sqlalchemy.dialects import postgresql as pg

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "tenants",
        sa.Column("business_types", pg.ARRAY(sa.Text), nullable=False, server_default="{}"),
    )
    op.execute("UPDATE tenants SET business_types = ARRAY[industry]")
    op.create_table(
        "user_stores",
        sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
        sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id", ondelete="CASCADE"),
                  primary_key=True),  # fmt: skip
        sa.Column("store_id", sa.Uuid, sa.ForeignKey("stores.id"), primary_key=True),
    )
    # Users of the demo seed and of earlier installations belong to every store of their
    # tenant: before membership existed they saw them all.
    op.execute(
        "INSERT INTO user_stores (tenant_id, user_id, store_id) "
        "SELECT u.tenant_id, u.id, s.id FROM users u JOIN stores s ON s.tenant_id = u.tenant_id"
    )
    op.create_table(
        "account_tokens",
        sa.Column("token_digest", sa.Text, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id", ondelete="CASCADE"),
                  nullable=False, index=True),  # fmt: skip
        sa.Column("purpose", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("purpose IN ('invitation', 'reset')", name="account_tokens_purpose"),
    )
    op.add_column("sessions", sa.Column("store_id", sa.Uuid, sa.ForeignKey("stores.id")))
    op.create_index("sessions_user", "sessions", ["user_id"])
    create_mail_outbox()
    extend_mail_outbox()


def downgrade() -> None:
    op.drop_table("mail_outbox")
    op.drop_index("sessions_user", "sessions")
    op.drop_column("sessions", "store_id")
    op.drop_table("account_tokens")
    op.drop_table("user_stores")
    op.drop_column("tenants", "business_types")
