"""media master, searchable contact column, stores read model

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
    op.create_table(
        "inquiry_media",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("code", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        # Inquiries of an auto-linked medium arrive by themselves (the portal's webhook) and
        # are never registered by hand (seed 000's permission table).
        sa.Column("auto_linked", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.UniqueConstraint("tenant_id", "code"),
    )
    op.create_table(
        "inquiry_stores",
        sa.Column("store_id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
        sa.Column("code", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
    )
    op.add_column("inquiries", sa.Column("contact_search", sa.Text, nullable=False,
                                         server_default=""))
    op.add_column("inquiries", sa.Column("property_search", sa.Text, nullable=False,
                                         server_default=""))
    op.add_column("inquiries", sa.Column("registered_by", sa.Uuid))
    op.create_index("inquiries_medium_kind", "inquiries", ["tenant_id", "medium", "kind"])


def downgrade() -> None:
    op.drop_index("inquiries_medium_kind", "inquiries")
    op.drop_column("inquiries", "registered_by")
    op.drop_column("inquiries", "property_search")
    op.drop_column("inquiries", "contact_search")
    op.drop_table("inquiry_stores")
    op.drop_table("inquiry_media")
