"""properties carry the facts buyers' conditions name (LEAD-6); the kit's mail outbox takes
an HTML part and headers (unsubscribe links)

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op
from kit.migrations import extend_mail_outbox

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

FACTS = (
    sa.Column("kind", sa.Text),
    sa.Column("prefecture", sa.Text),
    sa.Column("city", sa.Text),
    sa.Column("station", sa.Text),
    sa.Column("price_yen", sa.BigInteger),
    sa.Column("layout", sa.Text),
    sa.Column("size_m2", sa.Float),
)


def upgrade() -> None:
    for column in FACTS:
        op.add_column("booking_properties", column)
    extend_mail_outbox()


def downgrade() -> None:
    op.drop_column("mail_outbox", "headers")
    op.drop_column("mail_outbox", "html")
    for column in reversed(FACTS):
        op.drop_column("booking_properties", column.name)
