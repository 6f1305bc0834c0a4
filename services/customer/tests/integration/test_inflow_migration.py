"""Migration 0010 on a real PostgreSQL: the 流入経路 customers carried as free text become
the entries of each tenant's master (most used first, no blanks, no tenant's names in
another's), and the master goes on downgrade while the customers keep their names."""

import uuid

import pytest
import sqlalchemy as sa
from kit import db

from .test_import_migration import _migrate

pytestmark = [pytest.mark.database]


async def test_free_text_sources_become_each_tenant_s_master(database_factory) -> None:  # type: ignore[no-untyped-def]
    url = database_factory("customer")
    await db.ensure_database(url)
    engine = db.create_engine(url)
    await _migrate(engine, "0008_purchases")
    a, b = uuid.uuid4(), uuid.uuid4()
    rows = [(a, '["紹介", "ホームページ"]'), (a, '["紹介"]'), (a, '[" "]'), (b, '["チラシ"]')]
    async with engine.begin() as conn:
        for tenant, sources in rows:
            await conn.execute(
                sa.text("INSERT INTO customers (id, tenant_id, name, name_search, kana_search, "
                        "inflow_sources) VALUES (:id, :t, '流入 確認', '流入確認', '', "
                        "CAST(:s AS jsonb))"),
                {"id": uuid.uuid4(), "t": tenant, "s": sources},
            )  # fmt: skip
    await _migrate(engine, "0010_inflow_sources")
    query = "SELECT name FROM customer_inflow_sources WHERE tenant_id = :t ORDER BY position"
    async with engine.connect() as conn:
        of_a = (await conn.scalars(sa.text(query), {"t": a})).all()
        of_b = (await conn.scalars(sa.text(query), {"t": b})).all()
    assert of_a == ["紹介", "ホームページ"] and of_b == ["チラシ"]
    await _migrate(engine, "0008_purchases", down=True)
    async with engine.connect() as conn:
        kept = await conn.scalar(
            sa.text("SELECT count(*) FROM customers WHERE inflow_sources ? '紹介'")
        )
    assert kept == 2
    await engine.dispose()
