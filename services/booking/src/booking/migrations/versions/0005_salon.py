"""salon menus, staff members, and the menu / staff member of a salon visit

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "booking_menus",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
        sa.Column("store_id", sa.Uuid, nullable=False, index=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("duration_minutes", sa.Integer, nullable=False),
        sa.Column("price_yen", sa.Integer, nullable=False),
        sa.CheckConstraint("duration_minutes > 0", name="booking_menus_duration"),
    )
    op.create_table(
        "booking_staff_members",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
        sa.Column("store_id", sa.Uuid, nullable=False, index=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("hours", pg.JSONB),
    )
    op.add_column("booking_visits", sa.Column("menu_id", sa.Uuid))
    op.add_column("booking_visits", sa.Column("staff_member_id", sa.Uuid))


def downgrade() -> None:
    op.drop_column("booking_visits", "staff_member_id")
    op.drop_column("booking_visits", "menu_id")
    op.drop_table("booking_staff_members")
    op.drop_table("booking_menus")
