"""The salon booking site (予約サイト) through the gateway's public API, in the embedded mode:
menus, staff and free slots; a guest's booking with a named member or 指名なし; and seed
003's blacklist — a blacklisted guest sees exactly what a full slot shows, while staff are
told why."""

import uuid
from datetime import timedelta
from ipaddress import ip_network

import httpx
import pytest
from kit import clock

from tests.e2e.flows import eventually, login

pytestmark = [pytest.mark.e2e, pytest.mark.database]

FULL = "申し訳ございませんが、ご希望の時間帯は予約がいっぱいとなっております。"
DAY = (clock.today() + timedelta(days=10)).isoformat()  # always ahead: bookings must be
QUIET_DAY = (clock.today() + timedelta(days=11)).isoformat()  # only refused bookings


def at(hour: int, day: str = DAY) -> str:
    return f"{day}T{hour:02d}:00:00+09:00"


async def _salon(system, client: httpx.AsyncClient, headers: dict) -> dict:  # type: ignore[no-untyped-def]
    tenant_id = uuid.UUID((await client.get("/api/v1/me", headers=headers)).json()["tenant_id"])
    async with system.runtimes["gateway"].uow(tenant_id=tenant_id) as uow:
        store_id = str(next(s.id for s in await uow.accounts.stores() if s.code == "00000100101"))
    every_day = {str(d): ["10:00", "19:00"] for d in range(7)}
    r = await client.put(
        f"/api/v1/booking/stores/{store_id}",
        json={"name": "田町店", "staff_count": 2, "slot_minutes": 30, "hours": every_day},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    menu = await client.post(
        "/api/v1/booking/menus",
        json={"store_id": store_id, "name": "カット", "duration_minutes": 60, "price_yen": 5500},
        headers=headers,
    )
    assert menu.status_code == 201, menu.text
    members = []
    for name in ("佐藤", "鈴木"):
        r = await client.post(
            "/api/v1/booking/staff-members", json={"store_id": store_id, "name": name},
            headers=headers,
        )  # fmt: skip
        assert r.status_code == 201, r.text
        members.append(r.json()["id"])
    return {"store_id": store_id, "menu_id": menu.json()["id"], "members": members}


def _guest(tag: str, n: int) -> dict:
    return {
        "name": f"予約 {n}子",
        "name_kana": f"ヨヤク {n}コ",
        "email": f"guest{n}-{tag}@example.com",
        "phone": f"090-5555-{n:04d}",
    }


async def _reserve(client: httpx.AsyncClient, salon: dict, guest: dict, hour: int,
                   member: str | None = None, day: str = DAY) -> httpx.Response:  # fmt: skip
    body = {"store_code": "00000100101", "menu_id": salon["menu_id"], "starts_at": at(hour, day),
            "guest": guest}  # fmt: skip
    if member:
        body["staff_member_id"] = member
    return await client.post("/api/v1/public/demo/reservations", json=body)


async def test_guests_book_and_a_blacklisted_guest_sees_a_full_slot(system, client) -> None:  # type: ignore[no-untyped-def]
    headers = await login(client)
    salon = await _salon(system, client, headers)
    sato, suzuki = salon["members"]
    tag = uuid.uuid4().hex[:8]

    page = await client.get(
        "/api/v1/public/demo/salon", params={"store_code": "00000100101", "day": DAY, "days": 1}
    )
    assert page.status_code == 200, page.text
    view = page.json()
    assert view["menus"] == [{"id": salon["menu_id"], "name": "カット", "duration_minutes": 60,
                              "price_yen": 5500}]  # fmt: skip
    assert {m["name"] for m in view["staff_members"]} == {"佐藤", "鈴木"}
    assert "visits" not in view and all("hours" not in m for m in view["staff_members"])
    eleven = next(s for s in view["days"][0]["slots"] if s["starts_at"] == at(11))
    assert sorted(eleven["free_staff"]) == sorted(salon["members"])

    # A named member, then the same member again: the second guest is told it is full.
    first = await _reserve(client, salon, _guest(tag, 1), 11, sato)
    assert first.status_code == 201, first.text
    assert first.json()["staff_member_id"] == sato
    assert first.json()["ends_at"] == at(12)  # the menu's 60 minutes
    taken = await _reserve(client, salon, _guest(tag, 2), 11, sato)
    assert taken.status_code == 409 and taken.json()["detail"]["message"] == FULL
    full_answer = taken.json()
    # 指名なし takes whoever is free; once nobody is, it is full.
    anyone = await _reserve(client, salon, _guest(tag, 2), 11)
    assert anyone.status_code == 201 and anyone.json()["staff_member_id"] == suzuki
    nobody = await _reserve(client, salon, _guest(tag, 3), 11)
    assert nobody.status_code == 409 and nobody.json() == full_answer
    after = await client.get(
        "/api/v1/public/demo/salon", params={"store_code": "00000100101", "day": DAY, "days": 1}
    )
    slots = {s["starts_at"]: s["free_staff"] for s in after.json()["days"][0]["slots"]}
    assert slots[at(11)] == [] and sorted(slots[at(12)]) == sorted(salon["members"])

    # The booking site registered each guest as a customer (identity by email).
    async def customer_of(email: str) -> list:
        r = await client.get("/api/v1/customers", params={"email": email}, headers=headers)
        return r.json()["items"]

    guest = _guest(tag, 4)
    assert (await _reserve(client, salon, guest, 13, sato)).status_code == 201
    customer = (await eventually(lambda: customer_of(guest["email"])))[0]
    assert customer["name"] == "予約 4子"

    # Staff blacklist the guest (CUS-6); booking learns it by event (BKG-6).
    flagged = await client.put(
        f"/api/v1/customers/{customer['id']}/flags",
        json={"blacklisted": True, "blacklist_memo": "無断キャンセル多数"},
        headers=headers,
    )
    assert flagged.status_code == 204, flagged.text

    async def refused() -> httpx.Response | None:
        r = await _reserve(client, salon, guest, 15, sato)
        return r if r.status_code == 409 else None

    blacklisted = await eventually(refused)
    assert blacklisted.json() == full_answer  # indistinguishable from a full slot
    # …while the slot itself is free: another guest gets it.
    other = await _reserve(client, salon, _guest(tag, 5), 15, sato)
    assert other.status_code == 201, other.text
    # Staff are told the real reason.
    staff = await client.post(
        "/api/v1/booking/visits",
        json={"kind": "salon", "store_id": salon["store_id"], "customer_id": customer["id"],
              "menu_id": salon["menu_id"], "staff_member_id": suzuki, "starts_at": at(16)},
        headers=headers,
    )  # fmt: skip
    assert staff.status_code == 403 and "ブラックリスト" in staff.json()["detail"]["message"]


async def test_bad_reservations_are_refused_and_change_nothing(system, client) -> None:  # type: ignore[no-untyped-def]
    headers = await login(client)
    salon = await _salon(system, client, headers)
    tag = uuid.uuid4().hex[:8]
    bad_email = {**_guest(tag, 6), "email": "not-an-email"}
    r = await _reserve(client, salon, bad_email, 11, day=QUIET_DAY)
    assert r.status_code == 422 and "メールアドレス" in r.json()["detail"]["message"]
    bad_phone = {**_guest(tag, 7), "phone": "12"}
    r = await _reserve(client, salon, bad_phone, 11, day=QUIET_DAY)
    assert r.status_code == 422 and r.json()["detail"]["field"] == "phone"
    past = await client.post(
        "/api/v1/public/demo/reservations",
        json={"store_code": "00000100101", "menu_id": salon["menu_id"],
              "starts_at": "2020-01-06T11:00:00+09:00", "guest": _guest(tag, 8)},
    )  # fmt: skip
    assert past.status_code == 422 and "過去" in past.json()["detail"]["message"]
    outside = await _reserve(client, salon, _guest(tag, 9), 8, day=QUIET_DAY)
    assert outside.status_code == 422 and "勤務時間外" in outside.json()["detail"]["message"]
    unknown = await client.post(
        "/api/v1/public/demo/reservations",
        json={"store_code": "99999999999", "menu_id": salon["menu_id"], "starts_at": at(11, QUIET_DAY),
              "guest": _guest(tag, 10)},
    )  # fmt: skip
    assert unknown.status_code == 404
    extra = await client.post(
        "/api/v1/public/demo/reservations",
        json={"store_code": "00000100101", "menu_id": salon["menu_id"], "starts_at": at(11, QUIET_DAY),
              "guest": _guest(tag, 11), "customer_id": str(uuid.uuid4())},
    )  # fmt: skip
    assert extra.status_code == 422  # a guest cannot name a customer id
    for n in (6, 7):  # refused before the customer service registered anyone
        found = await client.get(
            "/api/v1/customers", params={"email": f"guest{n}-{tag}@example.com"}, headers=headers
        )
        assert found.json()["items"] == []
    calendar = await client.get(
        "/api/v1/booking/availability",
        params={"store_id": salon["store_id"], "day": QUIET_DAY, "with_visits": "true"},
        headers=headers,
    )
    assert calendar.json()["visits"] == []

    statuses = [
        (await client.post("/api/v1/public/nobody/reservations", json={})).status_code
        for _ in range(21)
    ]
    assert statuses[0] == 422 and statuses[-1] == 429


async def test_behind_a_trusted_proxy_each_guest_has_its_own_rate_limit(system) -> None:  # type: ignore[no-untyped-def]
    settings = system.runtimes["gateway"].settings
    settings.trusted_proxies = [ip_network("10.0.0.0/8")]  # as GATEWAY_TRUSTED_PROXIES=10.0.0.0/8
    tenant = f"nobody-{uuid.uuid4().hex[:8]}"  # the limit is per tenant too: this test's own

    def peer(address: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=system.gateway_app, client=(address, 40000))
        return httpx.AsyncClient(transport=transport, base_url="http://gateway")

    async def availability(client: httpx.AsyncClient, forwarded: str) -> int:
        r = await client.get(f"/api/v1/public/{tenant}/availability",
                             params={"store_code": "1", "day": DAY},
                             headers={"x-forwarded-for": forwarded})  # fmt: skip
        return r.status_code

    try:
        async with peer("10.0.0.2") as proxy:
            first = [await availability(proxy, "198.51.100.1") for _ in range(121)]
            assert first[0] == 404 and first[-1] == 429  # 120 a minute for one guest
            assert await availability(proxy, "198.51.100.2") == 404  # another guest: its own
            # The proxy appends what it saw: a guest's own header does not free it.
            assert await availability(proxy, "192.0.2.99, 198.51.100.1") == 429
        async with peer("203.0.113.9") as direct:  # not a trusted proxy: its header is ignored
            statuses = [await availability(direct, f"198.51.100.{n}") for n in range(121)]
            assert statuses[0] == 404 and statuses[-1] == 429
    finally:
        settings.trusted_proxies = []


async def test_a_refused_guest_is_not_registered_as_a_customer(system) -> None:  # type: ignore[no-untyped-def]
    """The seat is held before the guest becomes a customer: refused attempts leave nobody
    behind (they made one customer each before), and a refusal after the hold frees it."""
    # A client address of its own: the other tests used up the per-client reservation limit.
    transport = httpx.ASGITransport(app=system.gateway_app, client=("127.0.0.21", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        await _refused_guests_leave_no_customer(system, client)


async def _refused_guests_leave_no_customer(system, client: httpx.AsyncClient) -> None:  # type: ignore[no-untyped-def]
    headers = await login(client)
    salon = await _salon(system, client, headers)
    tag = uuid.uuid4().hex[:8]
    day = (clock.today() + timedelta(days=12)).isoformat()
    members = salon["members"]  # the store may have more from other tests: name them
    for n, member in zip((21, 22), members, strict=True):
        booked = await _reserve(client, salon, _guest(tag, n), 11, member, day=day)
        assert booked.status_code == 201, booked.text
    for n in range(23, 28):
        refused = await _reserve(client, salon, _guest(tag, n), 11, members[n % 2], day=day)
        assert refused.status_code == 409 and refused.json()["detail"]["message"] == FULL
    for n in range(21, 28):
        found = await client.get(
            "/api/v1/customers", params={"email": f"guest{n}-{tag}@example.com"}, headers=headers
        )
        assert len(found.json()["items"]) == (1 if n < 23 else 0), n

    # A bad phone is refused after the seat was held: the hold is given back at once.
    bad_phone = {**_guest(tag, 28), "phone": "12"}
    r = await _reserve(client, salon, bad_phone, 14, members[0], day=day)
    assert r.status_code == 422 and r.json()["detail"]["field"] == "phone"
    page = await client.get(
        "/api/v1/public/demo/salon", params={"store_code": "00000100101", "day": day, "days": 1}
    )
    slots = {s["starts_at"]: s["free_staff"] for s in page.json()["days"][0]["slots"]}
    assert set(members) <= set(slots[at(14, day)])
