"""通知先 (BKG-8, seed 000): new reservations and new portal inquiries are announced to each of
the store's destinations (not user accounts), by mail over real SMTP (an aiosmtpd sink)."""

import uuid
from datetime import UTC, datetime

import pytest
from contracts import InquiryLinkedV2, InquiryReceivedV1
from contracts.inquiry import Contact, PropertyRef, RequestedVisit
from kit.settings import CommonSettings

from .conftest import COMMON, DAY, JP_DAY

pytestmark = pytest.mark.database


@pytest.fixture
def booking_common(mail_sink) -> CommonSettings:  # type: ignore[no-untyped-def]
    return COMMON.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": mail_sink.port, "mail_poll_interval_s": 0.2}
    )


async def _targets(tenant) -> None:  # type: ignore[no-untyped-def]
    for name, email in (("店長", "manager@example.com"), ("受付", "front@example.com")):
        r = await tenant.client.post(
            f"/stores/{tenant.store_id}/notification-targets", json={"name": name, "email": email}
        )
        assert r.status_code == 201, r.text


def _linked(inquiry: InquiryReceivedV1) -> InquiryLinkedV2:
    """The inquiry as 名寄せ linked it to a new customer: what booking consumes."""
    return InquiryLinkedV2(customer_id=uuid.uuid4(), new_customer=True, inquiry=inquiry)


def _inquiry(tenant, *, medium: str = "portal", kind: str = "visit_reservation", hour: int = 11):  # type: ignore[no-untyped-def]
    visit = RequestedVisit(
        starts_at=datetime.fromisoformat(f"{DAY}T{hour}:00:00+09:00"),
        ends_at=datetime.fromisoformat(f"{DAY}T{hour + 1}:00:00+09:00"),
    )
    return InquiryReceivedV1(
        inquiry_id=uuid.uuid4(),
        medium=medium,
        kind=kind,  # type: ignore[arg-type]
        received_at=datetime.now(UTC),
        store_id=tenant.store_id,
        contact=Contact(name="住まい 花子", email="hanako@example.com", phone="090-1234-5678"),
        property=PropertyRef(
            code="P-1",
            name="スームマンション",
            address="東京都住まい区スーム村1-1-1",
            price_yen=70_000_000,
        ),
        requested_visit=visit if kind == "visit_reservation" else None,
    )


async def test_new_reservation_is_mailed_to_each_destination(tenant, mail_sink) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store()
    await _targets(tenant)
    bad = await tenant.client.post(
        f"/stores/{tenant.store_id}/notification-targets", json={"name": "x", "email": "nope"}
    )
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "email"
    customer = await tenant.customer(name="住まい 花子")
    visit = await tenant.visit(
        kind="store_consultation", customer_id=str(customer),
        starts_at=f"{DAY}T11:00:00+09:00", ends_at=f"{DAY}T12:00:00+09:00",
    )  # fmt: skip
    assert visit.status_code == 201, visit.text
    path = f"/visits/{visit.json()['id']}/notifications"

    async def all_sent():  # type: ignore[no-untyped-def]
        rows = (await tenant.client.get(path)).json()
        return rows if all(n["sent_at"] for n in rows) else None

    sent = await tenant.until(all_sent)
    assert [n["email"] for n in sent] == ["front@example.com", "manager@example.com"]
    assert sent[0]["subject"] == f"【新規予約】{JP_DAY} 11:00 住まい 花子 様"
    mails = sorted(mail_sink.messages, key=lambda m: m["To"])
    assert [m["To"] for m in mails] == ["front@example.com", "manager@example.com"]
    assert mails[0]["Subject"] == f"【新規予約】{JP_DAY} 11:00 住まい 花子 様"
    assert "お客様: 住まい 花子 様" in mails[0].get_content()

    targets = (await tenant.client.get(f"/stores/{tenant.store_id}/notification-targets")).json()
    removed = await tenant.client.delete(f"/notification-targets/{targets[0]['id']}")
    assert removed.status_code == 204
    again = await tenant.client.delete(f"/notification-targets/{targets[0]['id']}")
    assert again.status_code == 404


async def test_portal_inquiry_is_announced_once_and_other_media_are_not(tenant, mail_sink) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store(staff_count=3)
    await tenant.add_property(name="スームマンション", code="P-1", groups=1)
    await _targets(tenant)
    reservation = _inquiry(tenant)
    await tenant.publish(_linked(reservation))
    await tenant.publish(_linked(_inquiry(tenant, kind="document_request")))
    await tenant.publish(_linked(_inquiry(tenant, medium="phone", kind="question")))
    # The reservation became a visit (its slot was free): no second mail for it.
    await tenant.until(
        lambda: tenant.scalar("SELECT count(*) FROM booking_visits WHERE source_inquiry_id = :i",
                              i=reservation.inquiry_id)
    )  # fmt: skip
    history = f"/stores/{tenant.store_id}/notifications"

    async def four_sent():  # type: ignore[no-untyped-def]
        rows = (await tenant.client.get(history)).json()
        return rows if len(rows) == 4 and all(n["sent_at"] for n in rows) else None

    rows = await tenant.until(four_sent)
    subjects = sorted({n["subject"] for n in rows})
    assert subjects == [
        f"【新規反響】来場予約 {JP_DAY} 11:00 スームマンション 住まい 花子 様",
        "【新規反響】資料請求 スームマンション 住まい 花子 様",
    ]
    assert {n["inquiry_id"] for n in rows} >= {str(reservation.inquiry_id)}
    body = next(m for m in mail_sink.messages if "来場予約" in m["Subject"]).get_content()
    assert "価格: 7,000万円" in body and f"来場希望: {JP_DAY} 11:00〜12:00" in body
    assert "電話番号: 090-1234-5678" in body
    assert len(mail_sink.messages) == 4


async def test_portal_reservation_that_lost_its_slot_asks_staff_to_act(tenant, mail_sink) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store(staff_count=3)
    await tenant.add_property(name="スームマンション", code="P-1", groups=1)
    taken = await tenant.customer(name="先約 一郎")
    first = await tenant.visit(
        kind="listed_property_tour", customer_id=str(taken),
        property_id=(await tenant.client.get(f"/properties?store_id={tenant.store_id}")).json()[0]["id"],
        starts_at=f"{DAY}T11:00:00+09:00", ends_at=f"{DAY}T12:00:00+09:00",
    )  # fmt: skip
    assert first.status_code == 201, first.text
    await _targets(tenant)
    late = _inquiry(tenant)
    await tenant.publish(_linked(late))
    history = f"/stores/{tenant.store_id}/notifications"

    async def conflict_notice():  # type: ignore[no-untyped-def]
        rows = (await tenant.client.get(history)).json()
        return [n for n in rows if n["subject"].startswith("【要確認】")]

    notices = await tenant.until(conflict_notice)
    assert len(notices) == 2 and notices[0]["visit_id"] is not None
    assert f"ポータルからの予約を確定できません {JP_DAY} 11:00" in notices[0]["subject"]
    assert "予約がいっぱい" in notices[0]["body"]
