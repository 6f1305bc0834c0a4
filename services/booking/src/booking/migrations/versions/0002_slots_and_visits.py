"""booking stores, properties, slot capacity counters, visits, customers read model

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _tenant() -> sa.Column:
    return sa.Column("tenant_id", sa.Uuid, nullable=False, index=True)


def upgrade() -> None:
    op.create_table(
        "booking_stores",
        sa.Column("store_id", sa.Uuid, primary_key=True),
        _tenant(),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("staff_count", sa.Integer, nullable=False),
        sa.Column("slot_minutes", sa.Integer, nullable=False),
        sa.Column("hours", pg.JSONB, nullable=False),
        sa.Column("closed_dates", pg.JSONB, nullable=False),
        sa.Column("closed_on_holidays", sa.Boolean, nullable=False),
        sa.Column("last_minute_cancel_hours", sa.Integer, nullable=False),
        sa.Column("prepayment", sa.Boolean, nullable=False),
        sa.CheckConstraint("staff_count >= 0", name="booking_stores_staff_count"),
        sa.CheckConstraint("slot_minutes > 0", name="booking_stores_slot_minutes"),
    )
    op.create_table(
        "booking_properties",
        sa.Column("id", sa.Uuid, primary_key=True),
        _tenant(),
        sa.Column("store_id", sa.Uuid, nullable=False, index=True),
        sa.Column("code", sa.Text),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("concurrent_groups", sa.Integer, nullable=False),
        sa.Column("portal_listed", sa.Boolean, nullable=False),
        sa.UniqueConstraint("tenant_id", "code", name="booking_properties_code"),
        sa.CheckConstraint("concurrent_groups >= 0", name="booking_properties_groups"),
    )
    op.create_table(
        "booking_slot_capacity",
        sa.Column("resource_id", sa.Uuid, primary_key=True),
        sa.Column("slot_start", sa.DateTime(timezone=True), primary_key=True),
        _tenant(),
        sa.Column("resource", sa.Text, nullable=False),
        sa.Column("capacity", sa.Integer, nullable=False),
        sa.Column("booked", sa.Integer, nullable=False, server_default="0"),
        sa.CheckConstraint("booked >= 0", name="booking_slot_booked_not_negative"),
    )
    op.create_table(
        "booking_visits",
        sa.Column("id", sa.Uuid, primary_key=True),
        _tenant(),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("store_id", sa.Uuid, nullable=False),
        sa.Column("property_id", sa.Uuid),
        sa.Column("customer_id", sa.Uuid, nullable=False, index=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("held_slots", pg.JSONB, nullable=False, server_default="[]"),
        sa.Column("conflict", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("conflict_reason", sa.Text),
        sa.Column("source_inquiry_id", sa.Uuid, unique=True),
        sa.Column("memo", sa.Text),
        sa.Column("last_minute_cancel", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("no_show", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True)),
    )
    op.create_index(
        "booking_visits_store_time", "booking_visits", ["tenant_id", "store_id", "starts_at"]
    )
    op.create_index(
        "booking_visits_conflicts",
        "booking_visits",
        ["tenant_id", "starts_at"],
        postgresql_where=sa.text("conflict"),
    )
    op.create_table(
        "booking_customers",
        sa.Column("customer_id", sa.Uuid, primary_key=True),
        _tenant(),
        sa.Column("name", sa.Text),
        sa.Column("caution", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("blacklisted", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("withdrawn", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("changed_at", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    for table in (
        "booking_customers",
        "booking_visits",
        "booking_slot_capacity",
        "booking_properties",
        "booking_stores",
    ):
        op.drop_table(table)
