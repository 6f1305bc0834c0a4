"""customer master: profile, addresses, flags, withdrawal, visit read model, merges, imports

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

_PROFILE = [
    sa.Column("family_name", sa.Text),
    sa.Column("given_name", sa.Text),
    sa.Column("family_kana", sa.Text),
    sa.Column("given_kana", sa.Text),
    sa.Column("customer_number", sa.Text),
    sa.Column("birth_date", sa.Date),
    sa.Column("gender", sa.Text),
    sa.Column("line_name", sa.Text),
    sa.Column("line_icon_url", sa.Text),
    sa.Column("line_search", sa.Text, nullable=False, server_default=""),
    sa.Column("attributes", pg.JSONB, nullable=False, server_default="[]"),
    sa.Column("inflow_sources", pg.JSONB, nullable=False, server_default="[]"),
    sa.Column("side", sa.Text),
    sa.Column("property_type", sa.Text),
    sa.Column("desired_conditions", pg.JSONB),
    sa.Column("owned_property", pg.JSONB),
    sa.Column("origin", sa.Text, nullable=False, server_default="inquiry"),
    sa.Column("portal_linked", sa.Boolean, nullable=False, server_default="false"),
    sa.Column("phone_registration", sa.Boolean, nullable=False, server_default="false"),
    sa.Column("caution", sa.Boolean, nullable=False, server_default="false"),
    sa.Column("caution_memo", sa.Text),
    sa.Column("blacklisted", sa.Boolean, nullable=False, server_default="false"),
    sa.Column("blacklist_memo", sa.Text),
    sa.Column("alert", sa.Text),
    sa.Column("karte_notes", sa.Text),
    sa.Column("withdrawn_at", sa.DateTime(timezone=True)),
    sa.Column("withdrawal_reason", sa.Text),
    # Booking figures, kept from the booking events (read model; search stays one query).
    sa.Column("reservation_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("visit_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("cancel_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_minute_cancel_count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("first_visit_at", sa.DateTime(timezone=True)),
    sa.Column("last_visit_at", sa.DateTime(timezone=True)),
    sa.Column("latest_visit_at", sa.DateTime(timezone=True)),
    sa.Column("latest_visit_status", sa.Text),
    sa.Column("latest_visit_number", sa.Integer, nullable=False, server_default="0"),
    sa.Column("latest_visit_property", sa.Text),
]


def upgrade() -> None:
    for column in _PROFILE:
        op.add_column("customers", column)
    op.execute("CREATE SEQUENCE customer_number_seq START 1")
    op.create_index(
        "customers_number", "customers", ["tenant_id", "customer_number"], unique=True,
        postgresql_where=sa.text("customer_number IS NOT NULL"),
    )
    op.create_index("customers_assignee", "customers", ["tenant_id", "assignee_id"])
    # One index per sort of the search (adapters/search_sql.py), in its exact order: the
    # first page of a large result is read in order and stops after 20 rows.
    for name, order in (
        ("first_inquiry", "first_inquiry_at DESC NULLS LAST, created_at DESC, id DESC"),
        ("created", "created_at, id"),
        ("kana", "kana_search, id"),
        ("last_visit", "last_visit_at DESC NULLS LAST, id DESC"),
        ("visit_count", "visit_count DESC, id DESC"),
        ("customer_number", "customer_number, id"),
    ):
        op.execute(f"CREATE INDEX customers_sort_{name} ON customers (tenant_id, {order})")
    for column in ("name_search", "kana_search", "line_search"):
        # text_pattern_ops: LIKE 'prefix%' uses the index whatever the database collation.
        op.execute(
            f"CREATE INDEX customers_{column}_prefix ON customers "
            f"(tenant_id, {column} text_pattern_ops)"
        )
    _trigram_indexes_when_available()

    op.add_column("customer_phones", sa.Column("kind", sa.Text, nullable=False, server_default="other"))
    op.add_column("customer_phones", sa.Column("e164", sa.Text))

    op.create_table(
        "customer_addresses",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("customer_id", sa.Uuid, sa.ForeignKey("customers.id"), nullable=False, index=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("postal_code", sa.Text),
        sa.Column("prefecture", sa.Text),
        sa.Column("city", sa.Text),
        sa.Column("street", sa.Text),
        sa.Column("building", sa.Text),
        sa.Column("recipient", sa.Text),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "customer_visits",
        sa.Column("visit_id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("customer_id", sa.Uuid, nullable=False),
        sa.Column("store_id", sa.Uuid),
        sa.Column("kind", sa.Text),
        sa.Column("property_name", sa.Text),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("cancelled", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("last_minute", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("no_show", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )
    op.create_index("customer_visits_customer", "customer_visits", ["tenant_id", "customer_id"])
    op.create_index("customer_visits_starts", "customer_visits", ["tenant_id", "starts_at"])
    op.create_table(
        "customer_merges",
        sa.Column("source_id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("target_id", sa.Uuid, nullable=False, index=True),
        sa.Column("source_name", sa.Text, nullable=False),
        sa.Column("target_name", sa.Text, nullable=False),
        sa.Column("source_identity_email", sa.Text),
        sa.Column("merged_by", sa.Uuid),
        sa.Column("merged_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
        sa.Column("moved", pg.JSONB, nullable=False, server_default="{}"),
    )
    op.create_index("customer_merges_identity", "customer_merges",
                    ["tenant_id", "source_identity_email"])
    op.create_table(
        "customer_settings",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("required_fields", pg.JSONB, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )
    op.create_table(
        "customer_import_jobs",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("file_digest", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("total", sa.Integer, nullable=False, server_default="0"),
        sa.Column("done", sa.Integer, nullable=False, server_default="0"),
        sa.Column("imported", sa.Integer, nullable=False, server_default="0"),
        sa.Column("failed", sa.Integer, nullable=False, server_default="0"),
        sa.Column("duplicates", sa.Integer, nullable=False, server_default="0"),
        sa.Column("report", pg.JSONB, nullable=False, server_default="{}"),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("options", pg.JSONB, nullable=False, server_default="{}"),
        sa.Column("created_by", sa.Uuid),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
    )
    op.create_index("customer_import_jobs_tenant", "customer_import_jobs", ["tenant_id", "created_at"])


def _trigram_indexes_when_available() -> None:
    """pg_trgm speeds up partial name search where the server ships contrib; the embedded
    PostgreSQL does not, so the search must work (more slowly) without it."""
    bind = op.get_bind()
    available = bind.scalar(
        sa.text("SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_trgm'")
    )
    if not available:
        return
    savepoint = bind.begin_nested()
    try:
        bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError:  # e.g. not allowed for this role: stay without the indexes
        savepoint.rollback()
        return
    savepoint.commit()
    for column in ("name_search", "kana_search", "line_search"):
        op.execute(
            f"CREATE INDEX customers_{column}_trgm ON customers USING gin ({column} gin_trgm_ops)"
        )


def downgrade() -> None:
    for table in ("customer_import_jobs", "customer_settings", "customer_merges",
                  "customer_visits", "customer_addresses"):
        op.drop_table(table)
    op.drop_column("customer_phones", "e164")
    op.drop_column("customer_phones", "kind")
    for name in ("customers_name_search_trgm", "customers_kana_search_trgm",
                 "customers_line_search_trgm"):
        op.execute(f"DROP INDEX IF EXISTS {name}")
    for column in reversed(_PROFILE):
        op.drop_column("customers", column.name)
    op.execute("DROP SEQUENCE customer_number_seq")
