"""a store's address and phone (the booking site, the guest's mail) and its retirement

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

CONTACT = ("postal_code", "prefecture", "city", "street", "building", "phone")


def upgrade() -> None:
    for column in CONTACT:
        op.add_column("stores", sa.Column(column, sa.Text, nullable=False, server_default=""))
    op.add_column("stores", sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("stores", "retired_at")
    for column in CONTACT:
        op.drop_column("stores", column)
