"""希望条件 become typed (contracts.listings.DesiredConditions): older free dicts are mapped
where they can be and the rest kept as the conditions' note; the proposal delivery setting
(自動/手動/停止) and the newsletter opt-in

Revision ID: 0006
Revises: 0005
"""
import json

import sqlalchemy as sa
from alembic import op

from customer.domain.wishes import from_legacy

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "customers",
        sa.Column("proposal_delivery", sa.Text, nullable=False, server_default="manual"),
    )
    op.add_column(
        "customers",
        sa.Column("newsletter_opt_in", sa.Boolean, nullable=False, server_default="false"),
    )
    conn = op.get_bind()
    rows = conn.execute(
        sa.text("SELECT id, desired_conditions FROM customers WHERE desired_conditions IS NOT NULL")
    )
    for row in rows.all():
        typed = from_legacy(row.desired_conditions)
        conn.execute(
            sa.text("UPDATE customers SET desired_conditions = CAST(:c AS jsonb) WHERE id = :id"),
            {"c": json.dumps(typed, ensure_ascii=False) if typed else None, "id": row.id},
        )


def downgrade() -> None:
    op.drop_column("customers", "newsletter_opt_in")
    op.drop_column("customers", "proposal_delivery")
