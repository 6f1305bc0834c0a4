"""The booking site's signed-in customer (the token's subject): my reservations, a change to
another time and a cancellation within the store's window, confirmation mails; too late,
another customer's or another tenant's reservation, a past time and a full slot refused in
Japanese with nothing changed."""

import uuid

import httpx
import pytest
import sqlalchemy as sa
from kit.auth import Principal, mint_service_token

from .conftest import COMMON, DAY, _wednesday_ahead

pytestmark = pytest.mark.database

FULL = "申し訳ございませんが、ご希望の時間帯は予約がいっぱいとなっております。"
SOON = _wednesday_ahead(3).isoformat()  # inside the 720 hours below
MAIL = {"email": "hanako@example.com", "shop": "サロン田町", "site_url": "http://site/my"}


def _client(tenant, customer_id: uuid.UUID | None) -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    token = mint_service_token(Principal(tenant_id=tenant.id, role="public", user_id=customer_id),
                               secret=COMMON.service_token_secret, ttl_s=600)  # fmt: skip
    return httpx.AsyncClient(transport=tenant.client._transport, base_url="http://booking",
                             headers={"authorization": f"Bearer {token}"})  # fmt: skip


async def _salon(tenant) -> dict:  # type: ignore[no-untyped-def]
    await tenant.setup_store(staff_count=2, slot_minutes=30, last_minute_cancel_hours=720)
    menu = await tenant.client.post("/menus", json={
        "store_id": str(tenant.store_id), "name": "カット", "duration_minutes": 60,
        "price_yen": 4400})  # fmt: skip
    member = await tenant.client.post("/staff-members",
                                      json={"store_id": str(tenant.store_id), "name": "佐藤"})  # fmt: skip
    return {"menu_id": menu.json()["id"], "member_id": member.json()["id"]}


async def _book(tenant, site, salon: dict, customer: uuid.UUID, at: str, mail=None) -> str:  # type: ignore[no-untyped-def]
    held = await site.post("/public/holds", json={
        "store_id": str(tenant.store_id), "menu_id": salon["menu_id"], "starts_at": at})  # fmt: skip
    assert held.status_code == 201, held.text
    body = {"customer_id": str(customer), "customer_name": "予約 花子"}
    if mail:
        body["mail"] = mail
    r = await site.post(f"/public/holds/{held.json()['hold_id']}/reservation", json=body)
    assert r.status_code == 201, r.text
    return r.json()["reservation_id"]


async def _mails(tenant) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    async with tenant.runtime.engine.connect() as conn:
        rows = await conn.execute(sa.text(
            "SELECT subject, body FROM mail_outbox WHERE tenant_id = :t AND recipient = :r "
            "ORDER BY created_at"), {"t": tenant.id, "r": MAIL["email"]})  # fmt: skip
        return [(r.subject, r.body) for r in rows]


async def test_my_reservations_change_and_cancel(tenant, tenant_factory) -> None:  # type: ignore[no-untyped-def]
    salon = await _salon(tenant)
    hanako, taro = await tenant.customer(name="予約 花子"), await tenant.customer(name="他人 太郎")
    guest = _client(tenant, None)
    mine, others = _client(tenant, hanako), _client(tenant, taro)
    later = await _book(tenant, guest, salon, hanako, f"{DAY}T11:00:00+09:00", mail=MAIL)
    soon = await _book(tenant, guest, salon, hanako, f"{SOON}T11:00:00+09:00")
    [(subject, body)] = await _mails(tenant)
    assert subject == "【サロン田町】ご予約を承りました"
    assert "カット（60分・4,400円）" in body and "担当: 佐藤" in body and "11:00〜12:00" in body

    listed = (await mine.get("/public/my/visits")).json()
    assert {v["id"]: v["changeable"] for v in listed} == {later: True, soon: False}
    assert listed[0]["menu_name"] == "カット" and listed[0]["price_yen"] == 4400
    assert (await others.get("/public/my/visits")).json() == []
    assert (await guest.get("/public/my/visits")).status_code == 403

    # Another customer's and another tenant's reservation: 404, nothing changed.
    other_tenant = await tenant_factory()
    stranger = _client(other_tenant, hanako)
    for client in (others, stranger):
        r = await client.post(f"/public/my/visits/{later}/cancel", json={})
        assert r.status_code == 404 and r.json()["detail"]["message"] == "ご予約が見つかりません。"
        r = await client.patch(
            f"/public/my/visits/{later}", json={"starts_at": f"{DAY}T14:00:00+09:00"}
        )
        assert r.status_code == 404

    # Too late: inside the store's 720 hours.
    r = await mine.post(f"/public/my/visits/{soon}/cancel", json={})
    assert r.status_code == 409 and r.json()["detail"]["code"] == "too_late"
    assert (
        "720時間前" in r.json()["detail"]["message"] and "お電話" in r.json()["detail"]["message"]
    )
    # A past time, a full slot.
    r = await mine.patch(
        f"/public/my/visits/{later}", json={"starts_at": "2020-01-01T11:00:00+09:00"}
    )
    assert r.status_code == 422 and r.json()["detail"]["field"] == "starts_at"
    await _book(tenant, guest, salon, taro, f"{DAY}T15:00:00+09:00")
    r = await mine.patch(f"/public/my/visits/{later}", json={"starts_at": f"{DAY}T15:00:00+09:00"})
    assert r.status_code == 409 and r.json()["detail"]["message"] == FULL
    statuses = {
        v["id"]: (v["status"], v["starts_at"]) for v in (await mine.get("/public/my/visits")).json()
    }
    assert statuses[later] == ("reserved", f"{DAY}T11:00:00+09:00")
    assert statuses[soon][0] == "reserved"

    # Change to another free time, then cancel: each mailed; the seat is given back.
    r = await mine.patch(f"/public/my/visits/{later}",
                         json={"starts_at": f"{DAY}T13:00:00+09:00", "mail": MAIL})  # fmt: skip
    assert r.status_code == 200, r.text
    assert (
        r.json()["starts_at"] == f"{DAY}T13:00:00+09:00"
        and r.json()["ends_at"] == f"{DAY}T14:00:00+09:00"
    )
    r = await mine.post(f"/public/my/visits/{later}/cancel", json={"mail": MAIL})
    assert r.status_code == 200 and r.json()["status"] == "cancelled" and not r.json()["changeable"]
    subjects = [s for s, _ in await _mails(tenant)]
    assert subjects[1:] == [
        "【サロン田町】ご予約の変更を承りました",
        "【サロン田町】ご予約のキャンセルを承りました",
    ]
    await _book(tenant, guest, salon, taro, f"{DAY}T13:00:00+09:00")  # free again
    r = await mine.post(f"/public/my/visits/{later}/cancel", json={})
    assert r.status_code == 409 and r.json()["detail"]["code"] == "not_changeable"
    for c in (guest, mine, others, stranger):
        await c.aclose()


async def test_a_blacklisted_customer_moving_sees_the_full_answer(tenant) -> None:  # type: ignore[no-untyped-def]
    salon = await _salon(tenant)
    hanako = await tenant.customer(name="予約 花子")
    guest, mine = _client(tenant, None), _client(tenant, hanako)
    visit = await _book(tenant, guest, salon, hanako, f"{DAY}T11:00:00+09:00")
    await tenant.execute(
        "UPDATE booking_customers SET blacklisted = true WHERE customer_id = :c", c=hanako
    )
    r = await mine.patch(f"/public/my/visits/{visit}", json={"starts_at": f"{DAY}T13:00:00+09:00"})
    assert r.status_code == 409 and r.json()["detail"]["message"] == FULL
    for c in (guest, mine):
        await c.aclose()
