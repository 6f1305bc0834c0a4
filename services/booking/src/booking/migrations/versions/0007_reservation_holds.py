"""public reservations hold their slots before the guest becomes a customer

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "booking_reservation_holds",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
        sa.Column("store_id", sa.Uuid, nullable=False),
        sa.Column("menu_id", sa.Uuid, nullable=False),
        sa.Column("staff_member_id", sa.Uuid, nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("held_slots", pg.JSONB, nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "booking_reservation_holds_expiry",
        "booking_reservation_holds",
        ["tenant_id", "store_id", "expires_at"],
    )


def downgrade() -> None:
    op.drop_table("booking_reservation_holds")
