"""notifications are mailed: the kit's mail outbox; notifications of portal inquiries too

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op
from kit.migrations import create_mail_outbox

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_mail_outbox()
    op.add_column("booking_notifications", sa.Column("store_id", sa.Uuid))
    op.add_column("booking_notifications", sa.Column("inquiry_id", sa.Uuid))
    op.add_column("booking_notifications", sa.Column("mail_id", sa.Uuid))
    op.alter_column("booking_notifications", "visit_id", nullable=True)
    op.execute(
        "UPDATE booking_notifications n SET store_id = v.store_id "
        "FROM booking_visits v WHERE v.id = n.visit_id"
    )
    # Notifications recorded before mail existed are queued now: none is lost.
    op.execute("UPDATE booking_notifications SET mail_id = gen_random_uuid() WHERE sent_at IS NULL")
    op.execute(
        "INSERT INTO mail_outbox (id, tenant_id, recipient, subject, body, created_at, "
        "next_attempt_at, attempts) SELECT mail_id, tenant_id, email, subject, body, created_at, "
        "now(), 0 FROM booking_notifications WHERE mail_id IS NOT NULL"
    )
    op.drop_index("booking_notifications_unsent", table_name="booking_notifications")
    op.drop_column("booking_notifications", "sent_at")  # the mail outbox says when it went
    op.create_index(
        "booking_notifications_store", "booking_notifications", ["tenant_id", "store_id", "created_at"]
    )
    op.create_index("booking_notifications_inquiry", "booking_notifications", ["inquiry_id"])


def downgrade() -> None:
    op.drop_index("booking_notifications_inquiry", table_name="booking_notifications")
    op.drop_index("booking_notifications_store", table_name="booking_notifications")
    op.add_column(
        "booking_notifications", sa.Column("sent_at", sa.DateTime(timezone=True))
    )
    op.execute(
        "UPDATE booking_notifications n SET sent_at = m.sent_at FROM mail_outbox m "
        "WHERE m.id = n.mail_id"
    )
    op.execute("DELETE FROM booking_notifications WHERE visit_id IS NULL")
    op.alter_column("booking_notifications", "visit_id", nullable=False)
    op.drop_column("booking_notifications", "mail_id")
    op.drop_column("booking_notifications", "inquiry_id")
    op.drop_column("booking_notifications", "store_id")
    op.create_index(
        "booking_notifications_unsent",
        "booking_notifications",
        ["created_at"],
        postgresql_where=sa.text("sent_at IS NULL"),
    )
    op.drop_table("mail_outbox")
