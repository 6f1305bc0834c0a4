"""Seed 003's 最終利用メニュー, スタッフ and メニュー on a real PostgreSQL: the booking events
carry the salon visit's menu and staff member; the search finds customers by them."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from contracts import VisitCancelledV1, VisitChangedV1, VisitScheduledV1

from .conftest import Service, profile

pytestmark = [pytest.mark.database]
STORE = uuid.uuid4()
T0 = datetime(2026, 12, 1, 1, tzinfo=UTC)
CUT, COLOR = uuid.uuid4(), uuid.uuid4()
SATO, SUZUKI = uuid.uuid4(), uuid.uuid4()
NAMES = {CUT: "カット", COLOR: "カラー", SATO: "佐藤", SUZUKI: "鈴木"}


def _salon(customer_id: str, *, menu: uuid.UUID, member: uuid.UUID, day: int, status: str,
           visit_id: uuid.UUID | None = None) -> VisitScheduledV1:  # fmt: skip
    return VisitScheduledV1(
        visit_id=visit_id or uuid.uuid4(), kind="salon", customer_id=uuid.UUID(customer_id),
        store_id=STORE, starts_at=T0 + timedelta(days=day),
        ends_at=T0 + timedelta(days=day, hours=1), status=status,
        menu_id=menu, menu_name=NAMES[menu], staff_member_id=member,
        staff_member_name=NAMES[member],
    )  # fmt: skip


async def _register(service: Service, email: str, phone: str) -> str:
    r = await service.post("/customers", profile(emails=[email], phones=[phone]))
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def _ids(service: Service, **params: object) -> set[str]:
    r = await service.get("/customers", params=params)
    assert r.status_code == 200, r.text
    return {c["id"] for c in r.json()["items"]}


async def test_search_by_menu_staff_member_and_last_used_menu(service: Service) -> None:
    hanako = await _register(service, "hanako@example.com", "090-1111-0001")
    jiro = await _register(service, "jiro@example.com", "090-1111-0002")
    await _register(service, "nobody@example.com", "090-1111-0003")  # no visits at all
    color_visit = uuid.uuid4()
    jiro_visit = uuid.uuid4()
    for event in (
        _salon(hanako, menu=CUT, member=SATO, day=0, status="visited"),
        _salon(hanako, menu=COLOR, member=SUZUKI, day=5, status="reserved", visit_id=color_visit),
        _salon(jiro, menu=CUT, member=SUZUKI, day=3, status="reserved", visit_id=jiro_visit),
    ):
        await service.publish(event)
    await service.settle()
    await service.publish(
        VisitCancelledV1(
            visit_id=jiro_visit, customer_id=uuid.UUID(jiro), store_id=STORE,
            starts_at=T0 + timedelta(days=3), cancelled_at=T0, status="cancelled",
        )
    )  # fmt: skip
    await service.settle()

    # メニュー: reserved or used it; a cancelled reservation does not count.
    assert await _ids(service, menu_id=str(CUT)) == {hanako}
    assert await _ids(service, menu_id=str(COLOR)) == {hanako}
    # スタッフ: 鈴木's only other customer cancelled.
    assert await _ids(service, staff_member_id=str(SUZUKI)) == {hanako}
    assert await _ids(service, staff_member_id=str(SATO)) == {hanako}
    # Both: the same visit (カット with 鈴木 was 次郎's, cancelled).
    assert await _ids(service, menu_id=str(CUT), staff_member_id=str(SUZUKI)) == set()
    assert await _ids(service, menu_id=str(CUT), staff_member_id=str(SATO)) == {hanako}
    # 最終利用メニュー: the latest visit she came to, not the one she has booked.
    assert await _ids(service, last_menu_id=str(CUT)) == {hanako}
    assert await _ids(service, last_menu_id=str(COLOR)) == set()

    # She comes for the カラー: a change event from a producer that sends no menu keeps the
    # menu known from the scheduling, and the last used menu follows.
    await service.publish(
        VisitChangedV1(
            visit_id=color_visit, kind="salon", customer_id=uuid.UUID(hanako), store_id=STORE,
            starts_at=T0 + timedelta(days=5), ends_at=T0 + timedelta(days=5, hours=1),
            status="visited", changed_at=T0 + timedelta(days=5),
        )
    )  # fmt: skip
    await service.settle()
    assert await _ids(service, last_menu_id=str(COLOR)) == {hanako}
    assert await _ids(service, last_menu_id=str(CUT)) == set()
    detail = (await service.get(f"/customers/{hanako}")).json()
    assert (detail["last_menu_id"], detail["last_menu_name"]) == (str(COLOR), "カラー")
    by_menu = {v["menu_name"]: v["staff_member_name"] for v in detail["visits"]}
    assert by_menu == {"カット": "佐藤", "カラー": "鈴木"}

    # Another tenant searching the same menu id finds none of these customers.
    other = service.headers(tenant_id=uuid.uuid4())
    r = await service.get("/customers", params={"menu_id": str(CUT)}, headers=other)
    assert r.status_code == 200 and r.json()["items"] == []


@pytest.mark.parametrize(
    ("param", "message"),
    [
        ("menu_id", "メニューの指定が正しくありません。一覧から選んでください。"),
        ("staff_member_id", "スタッフの指定が正しくありません。一覧から選んでください。"),
        ("last_menu_id", "最終利用メニューの指定が正しくありません。一覧から選んでください。"),
    ],
)
async def test_a_wrong_menu_or_staff_id_is_refused_in_japanese(
    service: Service, param: str, message: str
) -> None:
    r = await service.get("/customers", params={param: "カット"})
    assert r.status_code == 422
    assert r.json()["detail"] == {"code": "invalid", "message": message, "field": param}
