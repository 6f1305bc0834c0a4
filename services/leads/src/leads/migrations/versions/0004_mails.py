"""LEAD-6 mails: read models of listings and buyers (typed conditions in columns), mails,
their deliveries (the due-date table), proposals already made, step sequences; the kit's
mail outbox with HTML parts and headers

Revision ID: 0004_mails
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op
from kit.migrations import create_mail_outbox, extend_mail_outbox
from sqlalchemy.dialects import postgresql as pg

revision = "0004_mails"
down_revision = "0003"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    create_mail_outbox()
    extend_mail_outbox()
    op.create_table(
        "lead_listings",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("property_id", sa.Uuid, primary_key=True),
        sa.Column("store_id", sa.Uuid, nullable=False),
        sa.Column("code", sa.Text),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.Text),
        sa.Column("prefecture", sa.Text),
        sa.Column("city", sa.Text),
        sa.Column("station", sa.Text),
        sa.Column("price_yen", sa.BigInteger),
        sa.Column("layout", sa.Text),
        sa.Column("size_m2", sa.Float),
        sa.Column("changed_at", TS, nullable=False),
    )
    op.create_table(
        "lead_buyers",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("customer_id", sa.Uuid, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("email", sa.Text),
        sa.Column("side", sa.Text),
        sa.Column("proposal_delivery", sa.Text, nullable=False),
        sa.Column("newsletter_opt_in", sa.Boolean, nullable=False),
        sa.Column("kinds", pg.ARRAY(sa.Text), nullable=False),
        sa.Column("layouts", pg.ARRAY(sa.Text), nullable=False),
        sa.Column("price_min_yen", sa.BigInteger),
        sa.Column("price_max_yen", sa.BigInteger),
        sa.Column("size_min_m2", sa.Float),
        sa.Column("has_areas", sa.Boolean, nullable=False),
        sa.Column("changed_at", TS, nullable=False),
        sa.Column("unsubscribed_at", TS),
    )
    op.create_index(
        "lead_buyers_automatic", "lead_buyers", ["tenant_id"],
        postgresql_where=sa.text("proposal_delivery = 'automatic' AND unsubscribed_at IS NULL"),
    )  # fmt: skip
    op.create_table(
        "lead_buyer_areas",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("customer_id", sa.Uuid, nullable=False),
        sa.Column("prefecture", sa.Text),
        sa.Column("city", sa.Text),
        sa.Column("station", sa.Text),
    )
    op.create_index("lead_buyer_areas_buyer", "lead_buyer_areas", ["tenant_id", "customer_id"])
    op.create_table(
        "lead_mails",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("property_ids", pg.JSONB, nullable=False, server_default="[]"),
        sa.Column("sequence_id", sa.Uuid),
        sa.Column("day_offset", sa.Integer),
        sa.Column("due_at", TS),
        sa.Column("expanded_at", TS),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("created_by", sa.Uuid),
    )
    op.create_index(
        "lead_mails_newsletters_due", "lead_mails", ["due_at"],
        postgresql_where=sa.text("kind = 'newsletter' AND expanded_at IS NULL"),
    )  # fmt: skip
    op.create_index("lead_mails_sequence", "lead_mails", ["tenant_id", "sequence_id"])
    op.create_table(
        "lead_mail_deliveries",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("mail_id", sa.Uuid, nullable=False),
        sa.Column("customer_id", sa.Uuid, nullable=False),
        sa.Column("due_at", TS, nullable=False),
        sa.Column("state", sa.Text, nullable=False, server_default="pending"),
        sa.Column("skip_reason", sa.Text),
        sa.Column("done_at", TS),
        sa.Column("outbox_mail_id", sa.Uuid),
        sa.UniqueConstraint("tenant_id", "mail_id", "customer_id", name="lead_deliveries_once"),
    )
    op.create_index(
        "lead_deliveries_due", "lead_mail_deliveries", ["due_at"],
        postgresql_where=sa.text("state = 'pending'"),
    )  # fmt: skip
    op.create_index(
        "lead_deliveries_customer", "lead_mail_deliveries", ["tenant_id", "customer_id"]
    )
    op.create_table(
        "lead_proposed",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("customer_id", sa.Uuid, primary_key=True),
        sa.Column("property_id", sa.Uuid, primary_key=True),
    )
    op.create_table(
        "lead_step_sequences",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "lead_step_sequences", "lead_proposed", "lead_mail_deliveries", "lead_mails",
        "lead_buyer_areas", "lead_buyers", "lead_listings", "mail_outbox",
    ):  # fmt: skip
        op.drop_table(table)
