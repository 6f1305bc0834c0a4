"""Booking figures from the booking events, and 統合 (CUS-7) with redirects of later events."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from contracts import InquiryReceivedV1, VisitCancelledV1, VisitChangedV1, VisitScheduledV1
from contracts.inquiry import Contact, PropertyRef

from .conftest import Service, profile

pytestmark = [pytest.mark.database]
STORE = uuid.uuid4()
T0 = datetime(2026, 12, 1, 1, tzinfo=UTC)


def _scheduled(customer_id: str, *, day: int, status: str = "reserved", visit_id=None):  # type: ignore[no-untyped-def]
    return VisitScheduledV1(
        visit_id=visit_id or uuid.uuid4(), kind="store_consultation",
        customer_id=uuid.UUID(customer_id), store_id=STORE,
        starts_at=T0 + timedelta(days=day), ends_at=T0 + timedelta(days=day, hours=1),
        status=status, property_name="スームマンション",
    )  # fmt: skip


async def _detail(service: Service, customer_id: str) -> dict:
    r = await service.get(f"/customers/{customer_id}")
    assert r.status_code == 200, r.text
    return r.json()


async def _inquiry(service: Service, *, name: str, email: str) -> str:
    await service.publish(
        InquiryReceivedV1(
            inquiry_id=uuid.uuid4(), medium="own_site", kind="question",
            received_at=datetime.now(UTC), contact=Contact(name=name, email=email),
        )
    )  # fmt: skip
    await service.settle()
    r = await service.get("/customers", params={"email": email})
    [item] = r.json()["items"]
    return item["id"]


async def test_visit_events_keep_counts_last_visit_and_latest_visit(service: Service) -> None:
    r = await service.post("/customers", profile())
    customer_id = r.json()["id"]
    first, second, third = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    # The cancellation of the third visit overtakes its scheduling: arrival order is free.
    await service.publish(
        VisitCancelledV1(
            visit_id=third, customer_id=uuid.UUID(customer_id), store_id=STORE,
            starts_at=T0 + timedelta(days=9), cancelled_at=T0, status="cancelled",
            last_minute=True,
        )
    )  # fmt: skip
    await service.settle()
    for event in (
        _scheduled(customer_id, day=0, visit_id=first),
        _scheduled(customer_id, day=5, visit_id=second),
        _scheduled(customer_id, day=9, visit_id=third),
    ):
        await service.publish(event)
    await service.settle()
    await service.publish(
        VisitChangedV1(
            visit_id=first, kind="store_consultation", customer_id=uuid.UUID(customer_id),
            store_id=STORE, starts_at=T0, ends_at=T0 + timedelta(hours=1), status="visited",
            changed_at=T0,
        )
    )  # fmt: skip
    await service.settle()
    c = await _detail(service, customer_id)
    assert (c["reservation_count"], c["visit_count"], c["cancel_count"]) == (3, 1, 1)
    assert c["last_minute_cancel_count"] == 1
    assert c["last_visit_at"].startswith("2026-12-01")
    assert c["latest_visit_at"].startswith("2026-12-06") and c["latest_visit_number"] == 2
    assert c["latest_visit_status"] == "reserved"
    assert len(c["visits"]) == 3
    r = await service.get(
        "/customers", params={"last_minute_cancel": True, "reservation_status": "cancelled"}
    )
    assert [i["id"] for i in r.json()["items"]] == [customer_id]


async def test_an_older_visit_event_handled_after_a_newer_one_changes_nothing(
    service: Service,
) -> None:
    """Two replicas, or a retry, may handle one visit's events out of order (decision 108):
    the 来店 (visited, moved to day 2) produced after the booking wins over the booking's own
    event handled later, and an undated row (before migration 0013) takes the next event."""
    customer_id = (await service.post("/customers", profile())).json()["id"]
    visit = uuid.uuid4()
    booked_at = datetime.now(UTC) - timedelta(minutes=5)
    await service.publish(
        VisitChangedV1(
            visit_id=visit, kind="store_consultation", customer_id=uuid.UUID(customer_id),
            store_id=STORE, starts_at=T0 + timedelta(days=2),
            ends_at=T0 + timedelta(days=2, hours=1), status="visited", changed_at=T0,
        ),
        occurred_at=booked_at + timedelta(minutes=1),
    )  # fmt: skip
    await service.settle()
    await service.publish(_scheduled(customer_id, day=0, visit_id=visit), occurred_at=booked_at)
    await service.settle()
    c = await _detail(service, customer_id)
    assert (c["reservation_count"], c["visit_count"]) == (1, 1)
    assert c["last_visit_at"].startswith("2026-12-03")  # day 2 kept, not day 0
    [shown] = c["visits"]
    assert shown["status"] == "visited"

    # A row without a date (kept before the migration) is overwritten by the next event.
    async with service.runtime.engine.begin() as conn:  # type: ignore[union-attr]
        await conn.execute(
            sa.text("UPDATE customer_visits SET event_at = NULL WHERE visit_id = :v"), {"v": visit}
        )
    await service.publish(_scheduled(customer_id, day=4, visit_id=visit), occurred_at=booked_at)
    await service.settle()
    [shown] = (await _detail(service, customer_id))["visits"]
    assert shown["status"] == "reserved" and shown["starts_at"].startswith("2026-12-05")


async def test_merge_of_equal_names_moves_everything_and_redirects_later_events(
    service: Service,
) -> None:
    target = await _inquiry(service, name="山田太郎", email="taro@example.com")
    source = await _inquiry(service, name="山田 太郎", email="yamada@example.com")
    await service.publish(_scheduled(source, day=1, status="visited"))
    await service.settle()

    preview = await service.post("/merges/preview", {"source_id": source, "target_id": target})
    assert preview.status_code == 200, preview.text
    p = preview.json()
    assert p["allowed"] is True and p["moves"]["inquiries"] == 1 and p["moves"]["visits"] == 1
    unconfirmed = await service.post("/merges", {"source_id": source, "target_id": target})
    assert unconfirmed.status_code == 422

    r = await service.post("/merges", {"source_id": source, "target_id": target, "confirm": True})
    assert r.status_code == 200, r.text
    assert (await service.get(f"/customers/{source}")).status_code == 404
    merged = await _detail(service, target)
    assert len(merged["inquiries"]) == 2
    assert sorted(merged["emails"]) == ["taro@example.com", "yamada@example.com"]
    assert merged["visit_count"] == 1
    [event] = await service.events("customer.merged.v1")
    assert (event["source_customer_id"], event["target_customer_id"]) == (source, target)
    assert event["merged_by"] == str(service.user_id)

    # Events that still name the source land on the target.
    await service.publish(_scheduled(source, day=3, status="visited"))
    await service.publish(
        InquiryReceivedV1(
            inquiry_id=uuid.uuid4(), medium="phone", kind="question",
            received_at=datetime.now(UTC), contact=Contact(name="山田 太郎", email="yamada@example.com"),
        )
    )  # fmt: skip
    await service.settle()
    merged = await _detail(service, target)
    assert merged["visit_count"] == 2 and len(merged["inquiries"]) == 3
    assert await service.scalar("SELECT count(*) FROM customers") == 1
    [log] = (await service.get("/merges")).json()
    assert (log["source_id"], log["target_id"], log["source_name"]) == (source, target, "山田 太郎")
    assert log["merged_by"] == str(service.user_id)


async def test_the_merge_preview_shows_both_customers_emails_and_phones(service: Service) -> None:
    target = await service.post(
        "/customers", profile(emails=["taro@example.com"], phones=["090-1234-5678", "0312345678"])
    )
    source = await service.post(
        "/customers", profile(emails=["yamada@example.com"], phones=["080-9876-5432"])
    )
    ids = {"source_id": source.json()["id"], "target_id": target.json()["id"]}
    p = (await service.post("/merges/preview", ids)).json()
    assert p["allowed"] is True
    assert (p["source"]["emails"], p["source"]["phones"]) == (
        ["yamada@example.com"],
        ["080-9876-5432"],
    )
    assert (p["target"]["emails"], p["target"]["phones"]) == (
        ["taro@example.com"], ["090-1234-5678", "03-1234-5678"],
    )  # fmt: skip


async def test_merge_of_different_names_or_with_itself_is_refused(service: Service) -> None:
    taro = await _inquiry(service, name="山田　太郎", email="a@example.com")
    hanako = await _inquiry(service, name="山田花子", email="b@example.com")
    preview = (
        await service.post("/merges/preview", {"source_id": taro, "target_id": hanako})
    ).json()
    assert preview["allowed"] is False and "完全に一致" in preview["reason"]
    r = await service.post("/merges", {"source_id": taro, "target_id": hanako, "confirm": True})
    assert r.status_code == 409 and "完全に一致" in r.json()["detail"]["message"]
    same = await service.post("/merges", {"source_id": taro, "target_id": taro, "confirm": True})
    assert same.status_code == 409
    assert await service.scalar("SELECT count(*) FROM customers") == 2
    assert await service.events("customer.merged.v1") == []
    other = service.headers(tenant_id=uuid.uuid4())
    foreign = await service.post(
        "/merges", {"source_id": taro, "target_id": hanako, "confirm": True}, headers=other
    )
    assert foreign.status_code == 404


async def test_list_rows_carry_the_latest_inquired_property(service: Service) -> None:
    """Seed 000's follow-up list shows the property (name, address, price) on each row."""
    email = f"prop-{uuid.uuid4().hex[:8]}@example.com"
    for when, prop in (
        (T0, PropertyRef(code="P-1", name="スームマンション", address="東京都住まい区スーム村1-1-1",
                         price_yen=70_000_000)),
        (T0 + timedelta(days=2), None),  # a later question without a property
        (T0 + timedelta(days=1), PropertyRef(code="P-2", name="スーム戸建", price_yen=None)),
    ):  # fmt: skip
        await service.publish(
            InquiryReceivedV1(
                inquiry_id=uuid.uuid4(), medium="portal", kind="document_request",
                received_at=when, contact=Contact(name="住まい 花子", email=email), property=prop,
            )
        )  # fmt: skip
    await service.settle()
    [row] = (await service.get("/customers", params={"email": email})).json()["items"]
    assert row["inquired_property"] == {
        "code": "P-2",
        "name": "スーム戸建",
        "address": None,
        "price_yen": None,
    }
    other = await _inquiry(
        service, name="物件 なし", email=f"none-{uuid.uuid4().hex[:6]}@example.com"
    )
    [none] = (await service.get("/customers", params={"q": "物件なし"})).json()["items"]
    assert none["id"] == other and none["inquired_property"] is None
