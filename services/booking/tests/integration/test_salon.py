"""Salon reservations: a named staff member is taken for every slot the menu's duration
covers, within the member's working hours; another member stays free."""

import pytest

pytestmark = pytest.mark.database

DAY = "2027-03-10"  # Wednesday


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

    def salon(member: str, start: str) -> dict:
        return {"kind": "salon", "menu_id": cut.json()["id"], "staff_member_id": member,
                "customer_id": customer, "starts_at": f"{DAY}T{start}:00+09:00"}  # fmt: skip

    booked = await tenant.visit(**salon(sato.json()["id"], "13:00"))
    assert booked.status_code == 201, booked.text
    assert booked.json()["ends_at"] == f"{DAY}T14:30:00+09:00"  # the menu's 90 minutes
    overlap = await tenant.visit(**salon(sato.json()["id"], "14:00"))
    assert overlap.status_code == 409
    assert (await tenant.visit(**salon(suzuki.json()["id"], "14:00"))).status_code == 201
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
