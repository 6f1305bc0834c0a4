"""customer histories (CUS-9 to CUS-12): interactions (対応履歴) with the leader's instruction,
actions (アクション履歴) and the order each led to, the rank master (ランク) and each
customer's rank, the customer's last activity of any kind (長期放置), and the FAQ

Revision ID: 0009_histories
Revises: 0008_purchases
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision = "0009_histories"
down_revision = "0008_purchases"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "customer_interactions",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("customer_id", sa.Uuid, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("occurred_at", TZ, nullable=False),
        sa.Column("staff_id", sa.Uuid),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("next_step", sa.Text),
        sa.Column("next_due", sa.Date),
        sa.Column("instruction", sa.Text),
        sa.Column("instruction_by", sa.Uuid),
        sa.Column("instruction_at", TZ),
        sa.Column("created_at", TZ, server_default=sa.func.now(), nullable=False),
    )
    op.create_index("customer_interactions_by_customer", "customer_interactions",
                    ["tenant_id", "customer_id", "occurred_at"])  # fmt: skip
    op.create_index("customer_interactions_by_time", "customer_interactions",
                    ["tenant_id", "occurred_at"])  # fmt: skip
    op.create_table(
        "customer_actions",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("customer_id", sa.Uuid, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("occurred_at", TZ, nullable=False),
        sa.Column("staff_id", sa.Uuid),
        sa.Column("source", sa.Text, nullable=False),  # staff | leads
        sa.Column("source_ref", sa.Text),  # the event's own key: a redelivery adds nothing
        sa.Column("note", sa.Text),
        sa.Column("led_to_order_id", sa.Uuid),
        sa.Column("created_at", TZ, server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("tenant_id", "source_ref", name="customer_actions_once"),
    )
    op.create_index("customer_actions_by_customer", "customer_actions",
                    ["tenant_id", "customer_id", "occurred_at"])  # fmt: skip
    op.create_index("customer_actions_by_time", "customer_actions", ["tenant_id", "occurred_at"])
    op.create_table(
        "customer_rank_masters",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("period_days", sa.Integer),  # counts and amounts over it; null: all time
        sa.Column("recomputed_on", sa.Date),  # the Japan day every customer was last ranked
        sa.Column("recompute_after", sa.Uuid),  # a full run under way: the last id done
        sa.Column("updated_by", sa.Uuid),
        sa.Column("updated_at", TZ, server_default=sa.func.now(), nullable=False),
    )
    op.create_table(
        "customer_ranks",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("min_orders", sa.Integer),
        sa.Column("max_orders", sa.Integer),
        sa.Column("min_amount_yen", sa.BigInteger),
        sa.Column("max_amount_yen", sa.BigInteger),
        sa.Column("min_days_since", sa.Integer),
        sa.Column("max_days_since", sa.Integer),
    )
    op.add_column("customers", sa.Column("rank_id", sa.Uuid))
    op.add_column("customers", sa.Column("rank_name", sa.Text))
    op.add_column("customers", sa.Column("last_activity_at", TZ))
    op.add_column("customers", sa.Column("last_activity_kind", sa.Text))
    # 長期放置's order: never any activity first, then the oldest (docs/customer.md).
    op.create_index("customers_by_last_activity", "customers",
                    ["tenant_id", sa.text("last_activity_at NULLS FIRST"), "id"])  # fmt: skip
    # What the customer service already knew: inquiries, bookings, orders.
    op.execute(
        """
        UPDATE customers c SET last_activity_at = a.at, last_activity_kind = a.kind
        FROM (
          SELECT DISTINCT ON (customer_id) customer_id, at, kind FROM (
            SELECT customer_id, received_at AS at, 'inquiry' AS kind FROM customer_inquiries
            UNION ALL SELECT customer_id, starts_at, 'visit' FROM customer_visits
              WHERE starts_at <= now() AND NOT cancelled
            UNION ALL SELECT customer_id, ordered_at, 'purchase' FROM customer_purchases
          ) x ORDER BY customer_id, at DESC
        ) a WHERE a.customer_id = c.id
        """
    )
    op.create_table(
        "faq_categories",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.UniqueConstraint("tenant_id", "name", name="faq_categories_name"),
    )
    op.create_table(
        "faq_entries",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
        sa.Column("category_id", sa.Uuid, sa.ForeignKey("faq_categories.id"), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("keywords", sa.Text, nullable=False, server_default=""),
        # Normalised (NFKC, katakana, no spaces) and its character bigrams: the search.
        sa.Column("search_text", sa.Text, nullable=False),
        sa.Column("search_grams", pg.ARRAY(sa.Text), nullable=False),
        sa.Column("updated_by", sa.Uuid),
        sa.Column("updated_at", TZ, server_default=sa.func.now(), nullable=False),
    )
    op.create_index("faq_entries_grams", "faq_entries", ["search_grams"],
                    postgresql_using="gin")  # fmt: skip


def downgrade() -> None:
    for table in ("faq_entries", "faq_categories", "customer_ranks", "customer_rank_masters",
                  "customer_actions", "customer_interactions"):  # fmt: skip
        op.drop_table(table)
    op.drop_index("customers_by_last_activity", "customers")
    for column in ("rank_id", "rank_name", "last_activity_at", "last_activity_kind"):
        op.drop_column("customers", column)
