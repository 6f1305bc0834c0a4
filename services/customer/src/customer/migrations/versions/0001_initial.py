"""customers, their emails, phones and inquiries; outbox, inbox

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
        "customers",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("name_kana", sa.Text),
        sa.Column("name_search", sa.Text, nullable=False),
        sa.Column("kana_search", sa.Text, nullable=False),
        sa.Column("identity_email", sa.Text),
        sa.Column("follow_up_status", sa.Text, nullable=False, server_default="following"),
        sa.Column("assignee_id", sa.Uuid),
        sa.Column("store_id", sa.Uuid),
        sa.Column("first_inquiry_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )
    op.create_index(
        "customers_identity_email", "customers", ["tenant_id", "identity_email"], unique=True,
        postgresql_where=sa.text("identity_email IS NOT NULL"),
    )
    op.create_index("customers_first_inquiry", "customers", ["tenant_id", "first_inquiry_at"])
    for name, key in (("customer_emails", "email_key"), ("customer_phones", "digits")):
        value = "email" if key == "email_key" else "display"
        op.create_table(
            name,
            sa.Column("customer_id", sa.Uuid, sa.ForeignKey("customers.id"), primary_key=True),
            sa.Column(key, sa.Text, primary_key=True),
            sa.Column(value, sa.Text, nullable=False),
            sa.Column("tenant_id", sa.Uuid, nullable=False),
            sa.Column("position", sa.BigInteger, sa.Identity(), nullable=False),
        )
        op.create_index(f"{name}_lookup", name, ["tenant_id", key])
    op.create_table(
        "customer_inquiries",
        sa.Column("inquiry_id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("customer_id", sa.Uuid, sa.ForeignKey("customers.id"), nullable=False, index=True),
        sa.Column("medium", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("store_id", sa.Uuid),
        sa.Column("contact_name", sa.Text, nullable=False),
        sa.Column("contact_email", sa.Text),
        sa.Column("contact_phone", sa.Text),
        sa.Column("property_code", sa.Text),
        sa.Column("property_name", sa.Text),
        sa.Column("property_address", sa.Text),
        sa.Column("property_price_yen", sa.BigInteger),
        sa.Column("requested_visit_starts_at", sa.DateTime(timezone=True)),
        sa.Column("requested_visit_ends_at", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    for table in ("customer_inquiries", "customer_phones", "customer_emails", "customers",
                  "inbox", "outbox"):
        op.drop_table(table)
