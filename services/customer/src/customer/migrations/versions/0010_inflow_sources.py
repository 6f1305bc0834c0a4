"""流入経路 (inflow sources) become a master per tenant: the forms pick from it; the names
customers already carry (typed freely until now) become its first entries

Revision ID: 0010_inflow_sources
Revises: 0009_histories
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_inflow_sources"
down_revision = "0009_histories"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customer_inflow_sources",
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.Column("retired_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
        sa.UniqueConstraint("tenant_id", "name", name="customer_inflow_sources_name"),
    )
    op.create_index(
        "ix_customer_inflow_sources_tenant_id", "customer_inflow_sources", ["tenant_id"]
    )
    # Every distinct name of every tenant's customers, most used first.
    op.execute(
        """
        INSERT INTO customer_inflow_sources (tenant_id, id, name, position)
        SELECT c.tenant_id, gen_random_uuid(), s.source,
               row_number() OVER (PARTITION BY c.tenant_id ORDER BY count(*) DESC, s.source) - 1
        FROM customers AS c, jsonb_array_elements_text(c.inflow_sources) AS s(source)
        WHERE btrim(s.source) <> ''
        GROUP BY c.tenant_id, s.source
        """
    )


def downgrade() -> None:
    op.drop_table("customer_inflow_sources")
