"""Typed 希望条件, the proposal delivery setting and the newsletter opt-in (CUS-1, LEAD-6):
validated with the field named, and carried to leads by customer.wishes_changed."""

import json
import uuid

import pytest
import sqlalchemy as sa
from alembic import command
from kit import db
from kit.migrations import alembic_config

from .conftest import Service, profile

pytestmark = [pytest.mark.database]
WISHES = {
    "areas": [{"prefecture": "東京都", "city": "港区"}, {"station": "田町"}],
    "kinds": ["mansion"], "layouts": ["2LDK", "3LDK"],
    "price_min_yen": 30_000_000, "price_max_yen": 60_000_000, "size_min_m2": 50,
}  # fmt: skip


async def test_typed_wishes_are_kept_and_carried_to_leads(service: Service) -> None:
    body = profile(side="buyer", desired_conditions=WISHES, proposal_delivery="automatic",
                   newsletter_opt_in=True)  # fmt: skip
    r = await service.post("/customers", body)
    assert r.status_code == 201, r.text
    customer_id = r.json()["id"]
    detail = (await service.get(f"/customers/{customer_id}")).json()
    assert detail["desired_conditions"]["layouts"] == ["2LDK", "3LDK"]
    assert detail["proposal_delivery"] == "automatic" and detail["newsletter_opt_in"] is True
    [event] = await service.events("customer.wishes_changed.v1")
    assert event["customer_id"] == customer_id and event["email"] == "taro@example.com"
    assert event["proposal_delivery"] == "automatic" and event["newsletter_opt_in"] is True
    assert event["conditions"]["areas"][1] == {"prefecture": None, "city": None, "station": "田町"}
    assert event["conditions"]["price_max_yen"] == 60_000_000

    stopped = {**body, "proposal_delivery": "stopped", "newsletter_opt_in": False}
    r = await service.put(f"/customers/{customer_id}", stopped)
    assert r.status_code in (200, 204), r.text
    events = await service.events("customer.wishes_changed.v1")
    assert [e["proposal_delivery"] for e in events] == ["automatic", "stopped"]


@pytest.mark.parametrize(
    ("wishes", "field"),
    [
        ({"layouts": ["2LLDK"]}, "desired_conditions.layouts.0"),
        ({"price_min_yen": 9_000_000, "price_max_yen": 1_000_000}, "desired_conditions"),
        ({"kinds": ["castle"]}, "desired_conditions.kinds.0"),
        ({"areas": [{}]}, "desired_conditions.areas.0"),
        ({"budget": "たくさん"}, "desired_conditions.budget"),
    ],
)
async def test_bad_wishes_are_refused_in_japanese_and_nothing_is_written(
    service: Service, wishes: dict, field: str
) -> None:
    r = await service.post("/customers", profile(desired_conditions=wishes))
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert detail["field"] == field and not detail["message"].isascii()
    assert await service.events("customer.wishes_changed.v1") == []


async def test_bad_delivery_setting_is_refused(service: Service) -> None:
    r = await service.post("/customers", profile(proposal_delivery="sometimes"))
    assert r.status_code == 422 and r.json()["detail"]["field"] == "proposal_delivery"


async def test_migration_types_older_free_dicts_and_keeps_the_rest(database_factory) -> None:  # type: ignore[no-untyped-def]
    url = database_factory("customer")
    await db.ensure_database(url)
    engine = db.create_engine(url)
    config = alembic_config("customer.migrations")

    async def migrate(revision: str) -> None:
        def run(connection: sa.Connection) -> None:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)

        async with engine.begin() as conn:
            await conn.run_sync(run)

    await migrate("0005")
    old = {"areas": ["港区", "東京都"], "price_max_yen": 80_000_000, "駐車場": "必要"}
    async with engine.begin() as conn:
        await conn.execute(
            sa.text("INSERT INTO customers (id, tenant_id, name, name_search, kana_search, "
                    "desired_conditions) "
                    "VALUES (:id, :t, '山田 太郎', 'ヤマダタロウ', '', CAST(:d AS jsonb))"),
            {"id": uuid.uuid4(), "t": uuid.uuid4(), "d": json.dumps(old, ensure_ascii=False)},
        )  # fmt: skip
    await migrate("0006")
    async with engine.connect() as conn:
        row = (await conn.execute(sa.text(
            "SELECT desired_conditions, proposal_delivery, newsletter_opt_in FROM customers"
        ))).one()  # fmt: skip
    assert row.desired_conditions["areas"] == [{"city": "港区"}, {"prefecture": "東京都"}]
    assert row.desired_conditions["price_max_yen"] == 80_000_000
    assert "駐車場" in row.desired_conditions["note"]
    assert (row.proposal_delivery, row.newsletter_opt_in) == ("manual", False)
    await engine.dispose()
