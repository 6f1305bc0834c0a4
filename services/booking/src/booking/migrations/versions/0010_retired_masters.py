"""salon menus, staff members and properties can be retired (廃止): gone from the pickers and
the availability, still named on the visits that used them

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TABLES = ("booking_menus", "booking_staff_members", "booking_properties")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("retired_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    for table in TABLES:
        op.drop_column(table, "retired_at")
