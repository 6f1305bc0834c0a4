"""Salon visits announce their menu and staff member (ids and names) in VisitScheduled and
in every VisitChanged — move, status, merge — so that the customer service can search by
them (seed 003: 最終利用メニュー, スタッフ, メニュー)."""

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from contracts import CustomerMergedV1

from .conftest import DAY

pytestmark = pytest.mark.database


async def _payloads(tenant, routing_key: str) -> list[dict]:  # type: ignore[no-untyped-def]
    assert tenant.runtime.engine is not None

    async with tenant.runtime.engine.connect() as conn:
        rows = await conn.execute(
            sa.text("SELECT envelope FROM outbox WHERE routing_key = :k ORDER BY id"),
            {"k": routing_key},
        )
        return [r[0]["payload"] for r in rows]


async def test_salon_events_carry_menu_and_staff_member(tenant) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store(staff_count=3, slot_minutes=30)
    menu = await tenant.client.post(
        "/menus",
        json={"store_id": str(tenant.store_id), "name": "カット", "duration_minutes": 60,
              "price_yen": 4400},
    )  # fmt: skip
    member = await tenant.client.post(
        "/staff-members", json={"store_id": str(tenant.store_id), "name": "佐藤"}
    )
    assert menu.status_code == member.status_code == 201
    menu_id, member_id = menu.json()["id"], member.json()["id"]
    source = await tenant.customer(name="山田 太郎")
    booked = await tenant.visit(
        kind="salon", menu_id=menu_id, staff_member_id=member_id, customer_id=str(source),
        starts_at=f"{DAY}T13:00:00+09:00",
    )  # fmt: skip
    assert booked.status_code == 201, booked.text
    visit_id = booked.json()["id"]

    [scheduled] = await _payloads(tenant, "booking.visit_scheduled.v1")
    assert (scheduled["menu_id"], scheduled["menu_name"]) == (menu_id, "カット")
    assert (scheduled["staff_member_id"], scheduled["staff_member_name"]) == (member_id, "佐藤")

    moved = await tenant.client.patch(
        f"/visits/{visit_id}",
        json={"starts_at": f"{DAY}T15:00:00+09:00", "ends_at": f"{DAY}T16:00:00+09:00"},
    )
    assert moved.status_code == 200, moved.text
    done = await tenant.client.post(f"/visits/{visit_id}/status", json={"status": "visited"})
    assert done.status_code == 200, done.text
    target = await tenant.customer(name="山田太郎")
    await tenant.publish(
        CustomerMergedV1(
            source_customer_id=source, target_customer_id=target, merged_at=datetime.now(UTC)
        )
    )

    async def three_changes() -> list[dict] | None:
        changes = await _payloads(tenant, "booking.visit_changed.v1")
        return changes if len(changes) == 3 else None

    move, status, merge = await tenant.until(three_changes)
    assert datetime.fromisoformat(move["starts_at"]) == datetime.fromisoformat(
        f"{DAY}T15:00:00+09:00"
    )
    assert status["status"] == "visited"
    assert merge["customer_id"] == str(target)
    for change in (move, status, merge):
        assert (change["menu_id"], change["menu_name"]) == (menu_id, "カット")
        assert (change["staff_member_id"], change["staff_member_name"]) == (member_id, "佐藤")


async def test_other_visits_name_no_menu(tenant) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store()
    customer = await tenant.customer()
    r = await tenant.visit(
        kind="store_consultation", customer_id=str(customer),
        starts_at=f"{DAY}T11:00:00+09:00", ends_at=f"{DAY}T12:00:00+09:00",
    )  # fmt: skip
    assert r.status_code == 201, r.text
    [scheduled] = await _payloads(tenant, "booking.visit_scheduled.v1")
    assert scheduled["menu_id"] is None and scheduled["staff_member_name"] is None
    assert uuid.UUID(scheduled["visit_id"]) == uuid.UUID(r.json()["id"])
