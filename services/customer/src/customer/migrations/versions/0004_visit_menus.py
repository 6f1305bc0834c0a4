"""visit menus and staff (search by 最終利用メニュー, スタッフ, メニュー); mailable addresses (DM)

Revision ID: 0004
Revises: 0003

Visits recorded before this revision carry no menu: the booking events did not have one.
They gain it with their next VisitChanged (a move, a status change, a merge).
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# An address a letter can reach (DM lists, CUS-14): a 7-digit postal code, the prefecture,
# the city and a street with a number in it (a 番地; a town name alone, as the postal code
# fills it in, is not enough). Computed by PostgreSQL on every write, whoever writes.
MAILABLE = (
    "coalesce(postal_code, '') ~ '^[0-9]{7}$' AND coalesce(prefecture, '') <> '' "
    "AND coalesce(city, '') <> '' AND coalesce(street, '') ~ '[0-9０-９一二三四五六七八九十〇]'"
)


def upgrade() -> None:
    for column in (
        sa.Column("menu_id", sa.Uuid),
        sa.Column("menu_name", sa.Text),
        sa.Column("staff_member_id", sa.Uuid),
        sa.Column("staff_member_name", sa.Text),
    ):
        op.add_column("customer_visits", column)
    op.add_column("customers", sa.Column("last_menu_id", sa.Uuid))
    op.add_column("customers", sa.Column("last_menu_name", sa.Text))
    # Search: "reserved or used this menu" / "served by this staff member" are semi-joins
    # from the visits of one menu or member; salon visits only (others have neither).
    op.create_index(
        "customer_visits_menu", "customer_visits", ["tenant_id", "menu_id", "customer_id"],
        postgresql_where=sa.text("menu_id IS NOT NULL"),
    )  # fmt: skip
    op.create_index(
        "customer_visits_staff_member", "customer_visits",
        ["tenant_id", "staff_member_id", "customer_id"],
        postgresql_where=sa.text("staff_member_id IS NOT NULL"),
    )  # fmt: skip
    op.create_index(
        "customers_last_menu", "customers", ["tenant_id", "last_menu_id"],
        postgresql_where=sa.text("last_menu_id IS NOT NULL"),
    )  # fmt: skip

    op.add_column(
        "customer_addresses",
        sa.Column("mailable", sa.Boolean, sa.Computed(MAILABLE, persisted=True), nullable=False),
    )
    # DM lists by 都道府県 and a 市区町村 prefix (text_pattern_ops: LIKE 'prefix%' uses it
    # whatever the database collation).
    op.execute(
        "CREATE INDEX customer_addresses_region ON customer_addresses "
        "(tenant_id, prefecture, city text_pattern_ops) WHERE mailable"
    )


def downgrade() -> None:
    op.drop_index("customer_addresses_region", table_name="customer_addresses")
    op.drop_column("customer_addresses", "mailable")
    op.drop_index("customers_last_menu", table_name="customers")
    op.drop_index("customer_visits_staff_member", table_name="customer_visits")
    op.drop_index("customer_visits_menu", table_name="customer_visits")
    op.drop_column("customers", "last_menu_name")
    op.drop_column("customers", "last_menu_id")
    for name in ("staff_member_name", "staff_member_id", "menu_name", "menu_id"):
        op.drop_column("customer_visits", name)
