"""Migration 0011 on a real PostgreSQL: the orders the purchases read model kept before it
gain their product keys from their lines (a DM list by product reaches them too), and the
customers' 郵送DM不要 starts as not set; downgrade drops both."""

import json
import uuid

import pytest
import sqlalchemy as sa
from kit import db

from .test_import_migration import _migrate

pytestmark = [pytest.mark.database]


async def test_orders_kept_before_0009_gain_their_product_keys(database_factory) -> None:  # type: ignore[no-untyped-def]
    url = database_factory("customer")
    await db.ensure_database(url)
    engine = db.create_engine(url)
    await _migrate(engine, "0008_purchases")
    lines = [{"product_name": "ｻﾌﾟﾘ A", "quantity": 1, "amount_yen": 1000},
             {"product_name": "青汁", "quantity": 2, "amount_yen": 2000},
             {"product_name": "青汁", "quantity": 1, "amount_yen": 1000}]  # fmt: skip
    orders = {"with": uuid.uuid4(), "none": uuid.uuid4()}
    async with engine.begin() as conn:
        for key, order_id in orders.items():
            await conn.execute(
                sa.text("INSERT INTO customer_purchases (tenant_id, order_id, customer_id, "
                        "channel, ordered_at, total_yen, lines) VALUES (:t, :o, :c, 'phone', "
                        "now(), 3000, CAST(:l AS jsonb))"),
                {"t": uuid.uuid4(), "o": order_id, "c": uuid.uuid4(),
                 "l": json.dumps(lines if key == "with" else [])},
            )  # fmt: skip
    await _migrate(engine, "0011_dm_lists")
    async with engine.connect() as conn:
        keys = dict(
            (await conn.execute(sa.text("SELECT order_id, product_keys FROM customer_purchases"))).all()
        )  # fmt: skip
    assert keys == {orders["with"]: ["サプリa", "青汁"], orders["none"]: []}
    await _migrate(engine, "0008_purchases", down=True)
    async with engine.connect() as conn:
        columns = await conn.scalar(sa.text(
            "SELECT count(*) FROM information_schema.columns "
            "WHERE column_name IN ('product_keys', 'dm_opt_out')"))  # fmt: skip
    assert columns == 0
    await engine.dispose()
