"""Properties carry the facts a buyer's 希望条件 name (LEAD-6): validated with the field named
in Japanese, and announced through the outbox when listed or changed."""

import pytest

pytestmark = pytest.mark.database

FACTS = {
    "kind": "mansion", "prefecture": "東京都", "city": "港区", "station": "田町",
    "price_yen": 52_800_000, "layout": "2LDK", "size_m2": 55.2,
}  # fmt: skip


async def _property_events(tenant) -> list[dict]:  # type: ignore[no-untyped-def]
    assert tenant.runtime.engine is not None
    import sqlalchemy as sa

    async with tenant.runtime.engine.connect() as conn:
        rows = await conn.execute(
            sa.text(
                "SELECT routing_key, envelope FROM outbox "
                "WHERE routing_key LIKE 'booking.property_%' ORDER BY id"
            )
        )
        return [dict(r._mapping) for r in rows]


async def _add(tenant, **body: object):  # type: ignore[no-untyped-def]
    payload = {"store_id": str(tenant.store_id), "name": "パークハウス田町", **body}
    return await tenant.client.post("/properties", json=payload)


async def test_a_listed_property_keeps_its_facts_and_announces_them(tenant) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store()
    r = await _add(tenant, code="P-100", facts=FACTS)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["facts"] == FACTS
    assert (await tenant.client.get(f"/properties/{created['id']}")).json()["facts"] == FACTS
    [listed] = await _property_events(tenant)
    assert listed["routing_key"] == "booking.property_listed.v1"
    payload = listed["envelope"]["payload"]
    assert payload["property_id"] == created["id"] and payload["facts"]["layout"] == "2LDK"
    assert listed["envelope"]["tenant_id"] == str(tenant.id)

    cut = {**FACTS, "price_yen": 49_800_000}
    body = {"store_id": str(tenant.store_id), "name": "パークハウス田町", "code": "P-100",
            "facts": cut}  # fmt: skip
    r = await tenant.client.put(f"/properties/{created['id']}", json=body)
    assert r.status_code == 200 and r.json()["facts"]["price_yen"] == 49_800_000
    # Only its capacity changes: nothing a consumer knows of it, so nothing announced.
    r = await tenant.client.put(
        f"/properties/{created['id']}", json={**body, "concurrent_groups": 3}
    )
    assert r.status_code == 200
    events = await _property_events(tenant)
    assert [e["routing_key"] for e in events] == [
        "booking.property_listed.v1", "booking.property_changed.v1",
    ]  # fmt: skip
    assert events[1]["envelope"]["payload"]["facts"]["price_yen"] == 49_800_000


async def test_a_property_without_facts_is_listed_with_none(tenant) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store()
    r = await _add(tenant)
    assert r.status_code == 201 and r.json()["facts"] is None
    [listed] = await _property_events(tenant)
    assert listed["envelope"]["payload"]["facts"] is None


@pytest.mark.parametrize(
    ("facts", "field", "words"),
    [
        ({**FACTS, "layout": "2LLDK"}, "facts.layout", "形式"),
        ({**FACTS, "price_yen": -1}, "facts.price_yen", "以上"),
        ({**FACTS, "kind": "castle"}, "facts.kind", "いずれか"),
        ({**FACTS, "size_m2": 0}, "facts.size_m2", "より大きい"),
        ({k: v for k, v in FACTS.items() if k != "prefecture"}, "facts.prefecture", "必須"),
    ],
)
async def test_bad_facts_are_refused_in_japanese_naming_the_field(
    tenant, facts: dict, field: str, words: str
) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store()
    r = await _add(tenant, facts=facts)
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert detail["field"] == field and words in detail["message"]
    assert await _property_events(tenant) == []
    assert await tenant.scalar("SELECT count(*) FROM booking_properties") == 0
