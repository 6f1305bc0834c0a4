"""Events in: portal reservations become visits (conflicts kept), the blacklist reaches
booking, merges move visits. Published on the bus like the other services would."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from contracts import CustomerMergedV1, CustomerProfileChangedV1, InquiryLinkedV2, InquiryReceivedV1
from contracts.inquiry import Contact, PropertyRef, RequestedVisit

from .conftest import DAY, EXPIRY

pytestmark = pytest.mark.database


def at(hour: int) -> datetime:
    return datetime.fromisoformat(f"{DAY}T{hour:02d}:00:00+09:00")


def reservation(tenant, *, code: str, hour: int) -> InquiryReceivedV1:  # type: ignore[no-untyped-def]
    return InquiryReceivedV1(
        inquiry_id=uuid.uuid4(),
        medium="portal",
        kind="visit_reservation",
        received_at=datetime.now(UTC),
        store_id=tenant.store_id,
        contact=Contact(name="住まい 花子", email="hanako@example.com"),
        property=PropertyRef(code=code, name="スームマンション"),
        requested_visit=RequestedVisit(starts_at=at(hour), ends_at=at(hour + 1)),
    )


def linked(inquiry: InquiryReceivedV1, customer: uuid.UUID) -> InquiryLinkedV2:
    """The inquiry as 名寄せ linked it: the one event booking takes (decision 97)."""
    return InquiryLinkedV2(customer_id=customer, new_customer=False, inquiry=inquiry)


async def visit_of(tenant, inquiry_id: uuid.UUID) -> dict:  # type: ignore[no-untyped-def]
    async def found():  # type: ignore[no-untyped-def]
        vid = await tenant.scalar(
            "SELECT id FROM booking_visits WHERE source_inquiry_id = :i", i=inquiry_id
        )
        return vid and (await tenant.client.get(f"/visits/{vid}")).json()

    return await tenant.until(found)


async def test_portal_reservation_becomes_a_visit_and_a_late_one_is_kept_as_conflict(
    tenant,
) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store(staff_count=3)
    prop = await tenant.add_property(name="スームマンション", code="P-1", groups=1)
    customer = uuid.uuid4()

    first = reservation(tenant, code="P-1", hour=11)
    await tenant.publish(linked(first, customer))
    visit = await visit_of(tenant, first.inquiry_id)
    assert visit["property_id"] == prop and visit["customer_id"] == str(customer)
    assert visit["kind"] == "listed_property_tour" and visit["conflict"] is False

    # The portal showed an older availability: the same slot again is kept, flagged.
    late = reservation(tenant, code="P-1", hour=11)
    await tenant.publish(linked(late, customer))
    kept = await visit_of(tenant, late.inquiry_id)
    assert kept["conflict"] is True and "いっぱい" in kept["conflict_reason"]
    conflicts = (await tenant.client.get("/conflicts")).json()
    assert [c["id"] for c in conflicts] == [kept["id"]]
    assert (
        await tenant.scalar(
            "SELECT booked FROM booking_slot_capacity WHERE resource_id = :p", p=uuid.UUID(prop)
        )
        == 1
    )  # never overbooked

    # Staff resolve it by moving it to a free hour: it takes that slot and leaves the list.
    moved = await tenant.client.patch(
        f"/visits/{kept['id']}",
        json={"starts_at": at(14).isoformat(), "ends_at": at(15).isoformat()},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["conflict"] is False
    assert (await tenant.client.get("/conflicts")).json() == []
    # The inquiry linked again (名寄せ redone, a replay) changes nothing: one visit per inquiry.
    await tenant.publish(linked(first, customer))
    await tenant.runtime.bus.drain()
    assert await tenant.scalar("SELECT count(*) FROM booking_visits") == 2

    # Delivered after its time (a portal outage): kept for staff to call, no slot taken.
    overdue = reservation(tenant, code="P-1", hour=11)
    overdue = overdue.model_copy(update={"requested_visit": RequestedVisit(
        starts_at=datetime.now(UTC) - timedelta(hours=2),
        ends_at=datetime.now(UTC) - timedelta(hours=1),
    )})  # fmt: skip
    await tenant.publish(linked(overdue, customer))
    stale = await visit_of(tenant, overdue.inquiry_id)
    assert stale["conflict"] is True and "過ぎてから届いた" in stale["conflict_reason"]


async def test_blacklist_reaches_booking_and_staff_booking_is_refused(tenant) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store()
    customer = await tenant.customer(name="要注意 太郎", caution=True)
    ok = await tenant.visit(
        kind="store_consultation", customer_id=str(customer),
        starts_at=at(11).isoformat(), ends_at=at(12).isoformat(),
    )  # fmt: skip
    assert ok.status_code == 201  # caution marks, never restricts
    calendar = await tenant.client.get(
        "/availability", params={"store_id": str(tenant.store_id), "day": DAY, "with_visits": True}
    )
    assert calendar.json()["visits"][0]["customer_caution"] is True

    await tenant.publish(
        CustomerProfileChangedV1(
            customer_id=customer, name="要注意 太郎", blacklisted=True, changed_at=datetime.now(UTC)
        )
    )
    await tenant.until(lambda: tenant.scalar(
        "SELECT blacklisted FROM booking_customers WHERE customer_id = :c", c=customer
    ))  # fmt: skip
    refused = await tenant.visit(
        kind="store_consultation", customer_id=str(customer),
        starts_at=at(13).isoformat(), ends_at=at(14).isoformat(),
    )  # fmt: skip
    assert refused.status_code == 403
    assert "ブラックリスト" in refused.json()["detail"]["message"]
    # The visit booked before stays, marked wherever staff see it.
    calendar = await tenant.client.get(
        "/availability", params={"store_id": str(tenant.store_id), "day": DAY, "with_visits": True}
    )
    assert calendar.json()["visits"][0]["customer_blacklisted"] is True
    detail = await tenant.client.get(f"/visits/{ok.json()['id']}")
    assert detail.json()["customer_blacklisted"] is True
    # An older profile event delivered late does not lift the blacklist.
    await tenant.publish(
        CustomerProfileChangedV1(
            customer_id=customer, name="要注意 太郎", changed_at=datetime(2020, 1, 1, tzinfo=UTC)
        )
    )
    await tenant.runtime.bus.drain()
    assert await tenant.scalar(
        "SELECT blacklisted FROM booking_customers WHERE customer_id = :c", c=customer
    )


async def test_merge_moves_the_sources_visits_to_the_target(tenant) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store()
    source = await tenant.customer(name="山田 太郎")
    target = await tenant.customer(name="山田太郎")
    for hour in (11, 13):
        r = await tenant.visit(
            kind="store_consultation", customer_id=str(source),
            starts_at=at(hour).isoformat(), ends_at=at(hour + 1).isoformat(),
        )  # fmt: skip
        assert r.status_code == 201
    ticket = await tenant.client.post(
        "/coupon-tickets",
        json={"customer_id": str(source), "name": "回数券", "count": 3, "expires_on": EXPIRY},
    )
    assert ticket.status_code == 201
    await tenant.publish(
        CustomerMergedV1(
            source_customer_id=source, target_customer_id=target, merged_at=datetime.now(UTC)
        )
    )

    async def moved() -> bool:
        visits = (await tenant.client.get("/visits", params={"customer_id": str(target)})).json()
        return len(visits) == 2

    await tenant.until(moved)
    assert (await tenant.client.get("/visits", params={"customer_id": str(source)})).json() == []
    tickets = await tenant.client.get("/coupon-tickets", params={"customer_id": str(target)})
    assert [t["id"] for t in tickets.json()] == [ticket.json()["id"]]
    changed = await tenant.scalar(
        "SELECT count(*) FROM outbox WHERE routing_key = 'booking.visit_changed.v1'"
    )
    assert changed == 2


async def test_a_link_that_arrives_after_its_customers_merge_lands_on_the_target(tenant) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store(staff_count=3)
    await tenant.add_property(name="スームマンション", code="P-1", groups=1)
    source, target = uuid.uuid4(), uuid.uuid4()
    await tenant.publish(
        CustomerMergedV1(
            source_customer_id=source, target_customer_id=target, merged_at=datetime.now(UTC)
        )
    )

    async def merge_seen() -> bool:
        sql = "SELECT target_id FROM customer_merges WHERE source_id = :s"
        return await tenant.scalar(sql, s=source) == target

    await tenant.until(merge_seen)
    # 名寄せ matched the reservation to the source before the merge reached it.
    request = reservation(tenant, code="P-1", hour=11)
    await tenant.publish(linked(request, source))
    visit = await visit_of(tenant, request.inquiry_id)
    assert visit["customer_id"] == str(target)
    sql = "SELECT customer_id FROM visit_requests WHERE inquiry_id = :i"
    assert await tenant.scalar(sql, i=request.inquiry_id) == target


async def test_a_request_kept_before_the_upgrade_gets_its_customer_and_visit(tenant) -> None:  # type: ignore[no-untyped-def]
    """The version before decision 97 kept a request from InquiryReceived and waited for the
    v1 link; the v2 link of the same inquiry completes it."""
    await tenant.setup_store(staff_count=3)
    prop = await tenant.add_property(name="スームマンション", code="P-1", groups=1)
    request = reservation(tenant, code="P-1", hour=11)
    visit = request.requested_visit
    await tenant.execute(
        "INSERT INTO visit_requests (inquiry_id, tenant_id, store_id, property_code,"
        " property_name, starts_at, ends_at, received_at, status)"
        " VALUES (:i, :t, :s, 'P-1', 'スームマンション', :a, :b, now(), 'pending')",
        i=request.inquiry_id, t=tenant.id, s=tenant.store_id, a=visit.starts_at, b=visit.ends_at,
    )  # fmt: skip
    customer = uuid.uuid4()
    await tenant.publish(linked(request, customer))
    placed = await visit_of(tenant, request.inquiry_id)
    assert placed["customer_id"] == str(customer) and placed["property_id"] == prop
