"""Salon reservations: a named staff member is taken for every slot the menu's duration
covers, within the member's working hours; another member stays free."""

import pytest

from .conftest import DAY

pytestmark = pytest.mark.database


async def test_a_menu_takes_its_duration_of_one_staff_member(tenant) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store(staff_count=3, slot_minutes=30)
    cut = await tenant.client.post(
        "/menus",
        json={
            "store_id": str(tenant.store_id),
            "name": "カット＋カラー",
            "duration_minutes": 90,
            "price_yen": 9800,
        },
    )
    assert cut.status_code == 201, cut.text
    sato = await tenant.client.post(
        "/staff-members",
        json={"store_id": str(tenant.store_id), "name": "佐藤", "hours": {"2": ["12:00", "18:00"]}},
    )
    suzuki = await tenant.client.post(
        "/staff-members", json={"store_id": str(tenant.store_id), "name": "鈴木"}
    )
    assert sato.status_code == suzuki.status_code == 201
    customer = str(await tenant.customer())
    other = str(await tenant.customer(name="住まい 次郎"))

    def salon(member: str, start: str, who: str = customer) -> dict:
        return {"kind": "salon", "menu_id": cut.json()["id"], "staff_member_id": member,
                "customer_id": who, "starts_at": f"{DAY}T{start}:00+09:00"}  # fmt: skip

    booked = await tenant.visit(**salon(sato.json()["id"], "13:00"))
    assert booked.status_code == 201, booked.text
    assert booked.json()["ends_at"] == f"{DAY}T14:30:00+09:00"  # the menu's 90 minutes
    overlap = await tenant.visit(**salon(sato.json()["id"], "14:00"))
    assert overlap.status_code == 409
    assert (await tenant.visit(**salon(suzuki.json()["id"], "14:00", other))).status_code == 201
    early = await tenant.visit(**salon(sato.json()["id"], "10:00"))
    assert early.status_code == 422 and "佐藤さんの勤務時間外" in early.json()["detail"]["message"]
    no_menu = await tenant.visit(**(salon(sato.json()["id"], "15:00") | {"menu_id": None}))
    assert no_menu.status_code == 422 and no_menu.json()["detail"]["field"] == "menu_id"

    r = await tenant.client.get(
        "/availability", params={"store_id": str(tenant.store_id), "day": DAY}
    )
    by_time = {s["starts_at"][11:16]: {m["staff_member_id"]: m["remaining"] for m in s["members"]}
               for s in r.json()["days"][0]["slots"]}  # fmt: skip
    sid, kid = sato.json()["id"], suzuki.json()["id"]
    assert by_time["10:00"] == {sid: 0, kid: 1}  # 佐藤 starts at 12:00
    assert by_time["13:00"] == {sid: 0, kid: 1}
    assert by_time["14:00"] == {sid: 0, kid: 0}
    assert by_time["14:30"] == {sid: 1, kid: 0}
    assert by_time["15:30"] == {sid: 1, kid: 1}
    # Cancelling gives the member's slots back.
    await tenant.client.post(f"/visits/{booked.json()['id']}/cancel", json={})
    r = await tenant.client.get(
        "/availability", params={"store_id": str(tenant.store_id), "day": DAY}
    )
    slot = next(
        s for s in r.json()["days"][0]["slots"] if s["starts_at"].startswith(f"{DAY}T13:30")
    )
    assert {m["staff_member_id"]: m["remaining"] for m in slot["members"]}[sid] == 1


async def test_moving_a_salon_reservation_keeps_its_menu_duration(tenant) -> None:  # type: ignore[no-untyped-def]
    """日時変更 from the web page sends only the new start: the end follows from the menu."""
    await tenant.setup_store(staff_count=3, slot_minutes=30)
    menu = await tenant.client.post(
        "/menus",
        json={"store_id": str(tenant.store_id), "name": "カット", "duration_minutes": 60,
              "price_yen": 4400},
    )  # fmt: skip
    member = await tenant.client.post(
        "/staff-members",
        json={"store_id": str(tenant.store_id), "name": "佐藤", "hours": {"2": ["12:00", "17:00"]}},
    )
    customer = str(await tenant.customer())
    booked = await tenant.visit(
        kind="salon", menu_id=menu.json()["id"], staff_member_id=member.json()["id"],
        customer_id=customer, starts_at=f"{DAY}T13:00:00+09:00",
    )  # fmt: skip
    assert booked.status_code == 201, booked.text
    visit_id = booked.json()["id"]

    moved = await tenant.client.patch(
        f"/visits/{visit_id}", json={"starts_at": f"{DAY}T15:30:00+09:00"}
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["ends_at"] == f"{DAY}T16:30:00+09:00"
    late = await tenant.client.patch(
        f"/visits/{visit_id}",
        json={"starts_at": f"{DAY}T16:30:00+09:00"},  # ends 17:30
    )
    assert late.status_code == 422
    assert late.json()["detail"]["message"] == (
        "佐藤さんの勤務時間外です。12:00〜17:00の間で指定してください。"
    )

    r = await tenant.client.get(
        "/availability", params={"store_id": str(tenant.store_id), "day": DAY}
    )
    free = {
        s["starts_at"][11:16]: s["members"][0]["remaining"] for s in r.json()["days"][0]["slots"]
    }
    assert (free["13:00"], free["15:30"], free["16:00"], free["16:30"]) == (1, 0, 0, 1)


async def test_moving_another_visit_without_an_end_keeps_its_length(tenant) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store()
    customer = str(await tenant.customer())
    booked = await tenant.visit(
        kind="store_consultation", customer_id=customer,
        starts_at=f"{DAY}T11:00:00+09:00", ends_at=f"{DAY}T13:00:00+09:00",
    )  # fmt: skip
    moved = await tenant.client.patch(
        f"/visits/{booked.json()['id']}", json={"starts_at": f"{DAY}T14:00:00+09:00"}
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["ends_at"] == f"{DAY}T16:00:00+09:00"
