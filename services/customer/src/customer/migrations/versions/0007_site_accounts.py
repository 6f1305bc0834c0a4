"""the booking site's customer accounts (BKG-10, seed 003): sign-in mail, argon2 password
hash, a temporary password sent by mail, the LINE fields of a later LINE login; and the
kit's mail outbox, since the customer service now mails those passwords

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op
from kit.migrations import create_mail_outbox, extend_mail_outbox

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_mail_outbox()
    extend_mail_outbox()
    op.create_table(
        "customer_site_accounts",
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column(
            "customer_id", sa.Uuid,
            sa.ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True,
        ),
        sa.Column("email_key", sa.Text, nullable=False),
        sa.Column("email", sa.Text, nullable=False),
        sa.Column("password_hash", sa.Text),
        sa.Column("temporary_hash", sa.Text),
        sa.Column("temporary_expires_at", sa.DateTime(timezone=True)),
        sa.Column("must_change", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("line_user_id", sa.Text),
        sa.Column("line_display_name", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
    )
    op.create_index("customer_site_accounts_email", "customer_site_accounts",
                    ["tenant_id", "email_key"], unique=True)
    op.create_index("customer_site_accounts_line", "customer_site_accounts",
                    ["tenant_id", "line_user_id"], unique=True,
                    postgresql_where=sa.text("line_user_id IS NOT NULL"))


def downgrade() -> None:
    op.drop_table("customer_site_accounts")
    op.drop_table("mail_outbox")
