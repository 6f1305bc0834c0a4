"""Seed 000's slot cases, bad input, statuses and cancellations through the HTTP API on the
real PostgreSQL."""

import asyncio
import uuid

import pytest
from kit.auth import Principal, mint_service_token
from kit.settings import CommonSettings

from .conftest import DAY, day_after

pytestmark = pytest.mark.database


def at(hour: int, minute: int = 0) -> str:
    return f"{DAY}T{hour:02d}:{minute:02d}:00+09:00"


async def remaining(tenant, hour: int) -> dict:  # type: ignore[no-untyped-def]
    r = await tenant.client.get(
        "/availability", params={"store_id": str(tenant.store_id), "day": DAY}
    )
    assert r.status_code == 200, r.text
    slot = next(s for s in r.json()["days"][0]["slots"] if s["starts_at"] == at(hour))
    return {
        "staff": slot["staff"]["remaining"],
        **{p["property_id"]: p["remaining"] for p in slot["properties"]},
    }


async def test_listed_tour_lowers_only_its_property_and_store_visits_close_all(tenant) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store(staff_count=2)
    mansion = await tenant.add_property(name="スームマンション", groups=1)
    house = await tenant.add_property(name="スーム戸建", groups=2)
    unlisted = await tenant.add_property(name="未入稿の土地", listed=False)
    customer = await tenant.customer()
    assert await remaining(tenant, 11) == {"staff": 2, mansion: 1, house: 2, unlisted: 2}

    # Seed 000 case 1: a listed property's tour lowers only that property's slot.
    r = await tenant.visit(
        kind="listed_property_tour", property_id=mansion, customer_id=str(customer),
        starts_at=at(11), ends_at=at(12),
    )  # fmt: skip
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "reserved"
    assert await remaining(tenant, 11) == {"staff": 2, mansion: 0, house: 2, unlisted: 2}
    again = await tenant.visit(
        kind="listed_property_tour", property_id=mansion, customer_id=str(customer),
        starts_at=at(11), ends_at=at(12),
    )  # fmt: skip
    assert again.status_code == 409
    assert again.json()["detail"]["code"] == "slot_full"

    # Case 2: a store visit lowers every property's availability at that time …
    second, third = (
        await tenant.customer(name="住まい 次郎"),
        await tenant.customer(name="住まい 三郎"),
    )
    r = await tenant.visit(
        kind="store_consultation", customer_id=str(second), starts_at=at(11), ends_at=at(12)
    )
    assert r.status_code == 201, r.text
    assert await remaining(tenant, 11) == {"staff": 1, mansion: 0, house: 2, unlisted: 1}
    # … and at the staff count every property closes.
    r = await tenant.visit(
        kind="unlisted_property_tour", property_id=unlisted, customer_id=str(third),
        starts_at=at(11), ends_at=at(12),
    )  # fmt: skip
    assert r.status_code == 201, r.text
    assert await remaining(tenant, 11) == {"staff": 0, mansion: 0, house: 0, unlisted: 0}
    closed = await tenant.visit(
        kind="listed_property_tour", property_id=house, customer_id=str(customer),
        starts_at=at(11), ends_at=at(12),
    )  # fmt: skip
    assert closed.status_code == 409
    assert await remaining(tenant, 12) == {"staff": 2, mansion: 1, house: 2, unlisted: 2}

    # A cancelled visit frees its slot.
    cancelled = await tenant.client.post(f"/visits/{r.json()['id']}/cancel", json={})
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert await remaining(tenant, 11) == {"staff": 1, mansion: 0, house: 2, unlisted: 1}
    twice = await tenant.client.post(f"/visits/{r.json()['id']}/cancel", json={})
    assert twice.status_code == 409
    assert await remaining(tenant, 11) == {"staff": 1, mansion: 0, house: 2, unlisted: 1}
    events = await tenant.scalar(
        "SELECT string_agg(routing_key, ',' ORDER BY id) FROM outbox WHERE tenant_id = :t "
        "AND routing_key LIKE 'booking.visit_%'",  # the properties' own events aside
        t=tenant.id,
    )
    assert events.split(",") == [
        "booking.visit_scheduled.v1",
        "booking.visit_scheduled.v1",
        "booking.visit_scheduled.v1",
        "booking.visit_cancelled.v1",
    ]


async def test_bad_input_is_refused_with_a_reason_and_changes_nothing(
    tenant, tenant_factory
) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store(staff_count=1, closed_dates=[day_after(1)])
    prop = await tenant.add_property(name="スームマンション")
    unlisted = await tenant.add_property(name="未入稿", listed=False)
    customer = str(await tenant.customer())
    other = await tenant_factory()
    foreign = str(await other.customer(name="他社 顧客"))
    cases = [
        ({"starts_at": at(12), "ends_at": at(11)}, 422, "ends_at"),
        ({"starts_at": at(9), "ends_at": at(10)}, 422, "starts_at"),
        ({"starts_at": at(17, 30), "ends_at": at(18, 30)}, 422, "starts_at"),
        (
            {
                "starts_at": f"{day_after(1)}T11:00:00+09:00",
                "ends_at": f"{day_after(1)}T12:00:00+09:00",
            },
            422,
            "starts_at",
        ),
        (
            {
                "starts_at": f"{day_after(4)}T11:00:00+09:00",
                "ends_at": f"{day_after(4)}T12:00:00+09:00",
            },
            422,
            "starts_at",
        ),
        ({"property_id": str(uuid.uuid4())}, 422, "property_id"),
        ({"property_id": unlisted}, 422, "kind"),
        ({"customer_id": foreign}, 422, "customer_id"),
        ({"customer_id": str(uuid.uuid4())}, 422, "customer_id"),
    ]
    for override, code, field in cases:
        body = {
            "kind": "listed_property_tour", "property_id": prop, "customer_id": customer,
            "starts_at": at(11), "ends_at": at(12), **override,
        }  # fmt: skip
        r = await tenant.visit(**body)
        assert r.status_code == code, (override, r.text)
        detail = r.json()["detail"]
        assert detail["field"] == field, (override, detail)
        assert any("\u3040" <= ch <= "\u30ff" for ch in detail["message"])  # Japanese
    assert (await tenant.visit(kind="bogus", customer_id=customer)).status_code == 422
    assert await tenant.scalar("SELECT count(*) FROM booking_visits") == 0
    assert await tenant.scalar("SELECT coalesce(sum(booked), 0) FROM booking_slot_capacity") == 0
    visit_events = "SELECT count(*) FROM outbox WHERE routing_key LIKE 'booking.visit_%'"
    assert await tenant.scalar(visit_events) == 0


async def test_a_booking_knows_only_its_own_tenants_store_property_and_customer(
    tenant, tenant_factory
) -> None:  # type: ignore[no-untyped-def]
    """A booking's statements name their tenant themselves (Core): another tenant's store,
    property or customer is unknown to it, and nothing of that tenant changes."""
    await tenant.setup_store()
    theirs = {"store_id": str(tenant.store_id), "property_id": await tenant.add_property(
        name="スームマンション"), "customer_id": str(await tenant.customer())}  # fmt: skip
    other = await tenant_factory()
    await other.setup_store()
    mine = {"store_id": str(other.store_id), "property_id": await other.add_property(
        name="自社物件"), "customer_id": str(await other.customer())}  # fmt: skip
    tour = {"kind": "listed_property_tour", "starts_at": at(11), "ends_at": at(12)}
    for field in ("store_id", "property_id", "customer_id"):
        r = await other.visit(**tour, **{**mine, field: theirs[field]})
        assert r.status_code == 422, (field, r.text)
        assert r.json()["detail"]["field"] == field, r.text
    untouched = {
        "booking_visits": "",
        "booking_slot_capacity": "",
        "outbox": " AND routing_key LIKE 'booking.visit_%'",
    }
    for table, only in untouched.items():
        sql = f"SELECT count(*) FROM {table} WHERE tenant_id = :t{only}"
        assert await tenant.scalar(sql, t=tenant.id) == 0, table
    assert (await other.visit(**tour, **mine)).status_code == 201


async def test_another_tenants_resources_answer_404(tenant, tenant_factory) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store()
    prop = await tenant.add_property(name="スームマンション")
    customer = str(await tenant.customer())
    visit = await tenant.visit(
        kind="listed_property_tour", property_id=prop, customer_id=customer,
        starts_at=at(11), ends_at=at(12),
    )  # fmt: skip
    other = await tenant_factory()
    assert (await other.client.get(f"/visits/{visit.json()['id']}")).status_code == 404
    assert (
        await other.client.post(f"/visits/{visit.json()['id']}/cancel", json={})
    ).status_code == 404
    assert (await other.client.get(f"/properties/{prop}")).status_code == 404
    assert (await other.client.get(f"/stores/{tenant.store_id}")).status_code == 404
    r = await other.client.put(
        f"/stores/{tenant.store_id}",
        json={"name": "乗っ取り", "staff_count": 99, "hours": {"0": ["00:00", "23:00"]}},
    )
    assert r.status_code == 404
    assert (await tenant.client.get(f"/stores/{tenant.store_id}")).json()["staff_count"] == 2


async def test_statuses_follow_the_allowed_transitions(tenant) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store(prepayment=True)
    customer = str(await tenant.customer())
    r = await tenant.visit(
        kind="store_consultation", customer_id=customer, starts_at=at(13), ends_at=at(14),
        tentative=True,
    )  # fmt: skip
    visit_id = r.json()["id"]
    assert r.json()["status"] == "tentative"

    async def to(status: str) -> int:
        resp = await tenant.client.post(f"/visits/{visit_id}/status", json={"status": status})
        return resp.status_code

    assert await to("visited") == 409  # 仮予約 → 来店済み skips the confirmation
    assert await to("prepayment_unpaid") == 200
    assert await to("prepaid") == 200
    assert await to("visited") == 200
    assert await to("reserved") == 409
    detail = (await tenant.client.post(f"/visits/{visit_id}/cancel", json={})).json()["detail"]
    assert "来店済み" in detail["message"]
    # A store's cancellation of a prepaid visit has its own status and frees the slot.
    second = await tenant.visit(
        kind="store_consultation", customer_id=customer, starts_at=at(15), ends_at=at(16)
    )
    assert second.json()["status"] == "prepayment_unpaid"
    sid = second.json()["id"]
    assert (
        await tenant.client.post(f"/visits/{sid}/status", json={"status": "prepaid"})
    ).status_code == 200
    cancelled = await tenant.client.post(f"/visits/{sid}/cancel", json={"reason": "store"})
    assert cancelled.json()["status"] == "store_cancelled"
    assert await remaining(tenant, 15) == {"staff": 2}


async def test_move_takes_the_new_slot_before_freeing_the_old(tenant) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store(staff_count=1)
    customer = str(await tenant.customer())
    first = await tenant.visit(
        kind="store_consultation", customer_id=customer, starts_at=at(10), ends_at=at(11)
    )
    second = await tenant.visit(
        kind="store_consultation", customer_id=customer, starts_at=at(11), ends_at=at(12)
    )
    clash = await tenant.client.patch(
        f"/visits/{first.json()['id']}", json={"starts_at": at(11), "ends_at": at(12)}
    )
    assert clash.status_code == 409
    assert await remaining(tenant, 10) == {"staff": 0}  # untouched by the refused move
    moved = await tenant.client.patch(
        f"/visits/{first.json()['id']}", json={"starts_at": at(14), "ends_at": at(16)}
    )
    assert moved.status_code == 200, moved.text
    assert [await remaining(tenant, h) for h in (10, 11, 14, 15)] == [
        {"staff": 1}, {"staff": 0}, {"staff": 0}, {"staff": 0},
    ]  # fmt: skip
    assert second.status_code == 201


async def test_general_staff_cannot_change_store_settings(tenant_factory) -> None:  # type: ignore[no-untyped-def]
    general = await tenant_factory(role="general")
    r = await general.client.put(
        f"/stores/{general.store_id}",
        json={"name": "x", "staff_count": 1, "hours": {}},
    )
    assert r.status_code == 403
    assert "管理者" in r.json()["detail"]["message"]


async def test_a_portal_token_reads_availability_but_books_nothing(tenant, tenant_factory) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store()
    customer = str(await tenant.customer())
    portal = await tenant_factory(role="portal")
    portal.id, portal.store_id = tenant.id, tenant.store_id
    token = mint_service_token(
        Principal(tenant_id=tenant.id, role="portal"), secret=CommonSettings().service_token_secret
    )
    portal.client.headers["authorization"] = f"Bearer {token}"
    r = await portal.client.get(
        "/availability", params={"store_id": str(tenant.store_id), "day": DAY}
    )
    assert r.status_code == 200
    refused = await portal.visit(
        kind="store_consultation", customer_id=customer, starts_at=at(11), ends_at=at(12)
    )
    assert refused.status_code == 403
    assert (await portal.client.get("/conflicts")).status_code == 403


async def test_a_customers_visits_carry_the_name_and_flags_and_japan_time(tenant) -> None:  # type: ignore[no-untyped-def]
    """The customer's list says what the detail and the calendar say, in the same +09:00."""
    await tenant.setup_store(staff_count=2)
    customer = await tenant.customer(name="要注意 太郎")
    r = await tenant.visit(
        kind="store_consultation", customer_id=str(customer), starts_at=at(11), ends_at=at(12)
    )
    assert r.status_code == 201, r.text
    assert (r.json()["starts_at"], r.json()["ends_at"]) == (at(11), at(12))
    await tenant.execute(
        "UPDATE booking_customers SET blacklisted = true, caution = true WHERE customer_id = :c",
        c=customer,
    )
    listed = await tenant.client.get("/visits", params={"customer_id": str(customer)})
    assert listed.status_code == 200, listed.text
    [visit] = listed.json()
    assert visit["customer_name"] == "要注意 太郎"
    assert visit["customer_blacklisted"] is True and visit["customer_caution"] is True
    assert (visit["starts_at"], visit["ends_at"]) == (at(11), at(12))
    detail = (await tenant.client.get(f"/visits/{visit['id']}")).json()
    assert detail == visit


async def test_a_second_overlapping_visit_of_a_customer_needs_a_confirmation(tenant) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store(staff_count=3)
    customer = await tenant.customer()
    first = await tenant.visit(
        kind="store_consultation", customer_id=str(customer), starts_at=at(11), ends_at=at(12)
    )
    assert first.status_code == 201, first.text
    body = {"kind": "store_consultation", "customer_id": str(customer),
            "starts_at": at(11, 30), "ends_at": at(12, 30)}  # fmt: skip
    refused = await tenant.visit(**body)
    assert refused.status_code == 409, refused.text
    detail = refused.json()["detail"]
    assert detail["code"] == "visit_overlap" and detail["field"] == "starts_at"
    assert (
        "同じ時間帯に別の予定があります" in detail["message"]
        and "11:00〜12:00" in detail["message"]
    )
    assert await remaining(tenant, 11) == {"staff": 2}  # the refusal took nothing
    # Back to back is no overlap; a cancelled visit is none either.
    after = await tenant.visit(**body | {"starts_at": at(12), "ends_at": at(13)})
    assert after.status_code == 201, after.text
    await tenant.client.post(f"/visits/{after.json()['id']}/cancel", json={})
    # Confirmed, the second visit is booked and takes its own seat.
    confirmed = await tenant.visit(**body, allow_overlap=True)
    assert confirmed.status_code == 201, confirmed.text
    assert await remaining(tenant, 11) == {"staff": 1}
    assert (
        await tenant.scalar(
            "SELECT count(*) FROM booking_visits WHERE customer_id = :c AND status = 'reserved'",
            c=customer,
        )
        == 2
    )


async def test_concurrent_visits_of_one_customer_pass_the_check_one_at_a_time(tenant) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store(staff_count=20)
    customer = await tenant.customer()
    answers = await asyncio.gather(*(
        tenant.visit(kind="store_consultation", customer_id=str(customer),
                     starts_at=at(14), ends_at=at(15))
        for _ in range(10)
    ))  # fmt: skip
    codes = sorted(a.status_code for a in answers)
    assert codes == [201] + [409] * 9, [a.text for a in answers]
    assert {a.json()["detail"]["code"] for a in answers if a.status_code == 409} == {
        "visit_overlap"
    }
    assert await remaining(tenant, 14) == {"staff": 19}
