"""The public booking site holds the slots before the guest is registered as a customer, so
that a refused guest leaves nothing behind: a full slot refuses the hold itself, two guests
for the last seat get one hold, a blacklisted guest's confirmation answers exactly what a full
slot does, and a hold nobody confirmed gives its seat back."""

import asyncio
import uuid

import httpx
import pytest
from kit.auth import Principal, mint_service_token

from .conftest import COMMON, DAY

pytestmark = pytest.mark.database

FULL = "申し訳ございませんが、ご希望の時間帯は予約がいっぱいとなっております。"


@pytest.fixture
async def site(tenant):  # type: ignore[no-untyped-def]
    """The tenant's salon with one staff member, and the booking site's client for it."""
    await tenant.setup_store(staff_count=2, slot_minutes=30)
    menu = await tenant.client.post(
        "/menus",
        json={"store_id": str(tenant.store_id), "name": "カット", "duration_minutes": 60,
              "price_yen": 4400},
    )  # fmt: skip
    member = await tenant.client.post(
        "/staff-members", json={"store_id": str(tenant.store_id), "name": "佐藤"}
    )
    assert menu.status_code == member.status_code == 201
    token = mint_service_token(
        Principal(tenant_id=tenant.id, role="public"),
        secret=COMMON.service_token_secret,
        ttl_s=600,
    )
    public = httpx.AsyncClient(
        transport=tenant.client._transport,
        base_url="http://booking",
        headers={"authorization": f"Bearer {token}"},
    )
    yield {"tenant": tenant, "client": public, "menu_id": menu.json()["id"],
           "member_id": member.json()["id"]}  # fmt: skip
    await public.aclose()


def _hold(site: dict, hour: int = 11) -> dict:
    return {"store_id": str(site["tenant"].store_id), "menu_id": site["menu_id"],
            "starts_at": f"{DAY}T{hour:02d}:00:00+09:00"}  # fmt: skip


async def _holds(site: dict) -> int:
    return await site["tenant"].scalar("SELECT count(*) FROM booking_reservation_holds")


async def test_a_hold_takes_the_seat_and_becomes_the_visit(site) -> None:  # type: ignore[no-untyped-def]
    client, tenant = site["client"], site["tenant"]
    held = await client.post("/public/holds", json=_hold(site))
    assert held.status_code == 201, held.text
    refused = await client.post("/public/holds", json=_hold(site))
    assert refused.status_code == 409 and refused.json()["detail"]["message"] == FULL
    assert await tenant.scalar("SELECT count(*) FROM booking_visits") == 0

    customer = await tenant.customer(name="予約 花子")
    hold_id = held.json()["hold_id"]
    booked = await client.post(
        f"/public/holds/{hold_id}/reservation",
        json={"customer_id": str(customer), "customer_name": "予約 花子"},
    )
    assert booked.status_code == 201, booked.text
    assert booked.json()["staff_member_id"] == site["member_id"]
    assert booked.json()["ends_at"] == f"{DAY}T12:00:00+09:00"
    assert await _holds(site) == 0
    visit = await tenant.client.get(f"/visits/{booked.json()['reservation_id']}")
    assert visit.json()["customer_id"] == str(customer)
    # The visit holds the seat now; releasing the used hold gives nothing back.
    assert (await client.delete(f"/public/holds/{hold_id}")).status_code == 204
    assert (await client.post("/public/holds", json=_hold(site))).status_code == 409


async def test_a_released_hold_gives_the_seat_back(site) -> None:  # type: ignore[no-untyped-def]
    client = site["client"]
    held = await client.post("/public/holds", json=_hold(site))
    assert held.status_code == 201, held.text
    assert (await client.delete(f"/public/holds/{held.json()['hold_id']}")).status_code == 204
    assert (await client.delete(f"/public/holds/{held.json()['hold_id']}")).status_code == 204
    assert await _holds(site) == 0
    assert (await client.post("/public/holds", json=_hold(site))).status_code == 201


async def test_two_guests_for_the_last_seat_get_one_hold(site) -> None:  # type: ignore[no-untyped-def]
    client = site["client"]
    answers = await asyncio.gather(*(client.post("/public/holds", json=_hold(site))
                                     for _ in range(2)))  # fmt: skip
    assert sorted(a.status_code for a in answers) == [201, 409]
    assert await _holds(site) == 1


async def test_a_blacklisted_guest_is_told_the_slot_is_full(site) -> None:  # type: ignore[no-untyped-def]
    client, tenant = site["client"], site["tenant"]
    await client.post("/public/holds", json=_hold(site, 14))
    full = await client.post("/public/holds", json=_hold(site, 14))
    blacklisted = await tenant.customer(name="要注意 太郎", blacklisted=True)
    held = await client.post("/public/holds", json=_hold(site, 11))
    assert held.status_code == 201, held.text
    hold_id = held.json()["hold_id"]
    refused = await client.post(
        f"/public/holds/{hold_id}/reservation",
        json={"customer_id": str(blacklisted), "customer_name": "要注意 太郎"},
    )
    assert refused.status_code == 409 and refused.json() == full.json()
    assert await tenant.scalar("SELECT count(*) FROM booking_visits") == 0
    # The refusal changed nothing: the hold waits for the gateway's release.
    assert await _holds(site) == 2
    assert (await client.delete(f"/public/holds/{hold_id}")).status_code == 204
    assert (await client.post("/public/holds", json=_hold(site, 11))).status_code == 201


async def test_an_expired_hold_gives_its_seat_back(site) -> None:  # type: ignore[no-untyped-def]
    client, tenant = site["client"], site["tenant"]
    held = await client.post("/public/holds", json=_hold(site))
    assert held.status_code == 201, held.text
    await tenant.execute(
        "UPDATE booking_reservation_holds SET expires_at = now() - interval '1 second'"
    )
    again = await client.post("/public/holds", json=_hold(site))
    assert again.status_code == 201, again.text
    assert await _holds(site) == 1
    # The swept hold is gone: confirming it answers 満席, it books nothing.
    customer = await tenant.customer()
    late = await client.post(
        f"/public/holds/{held.json()['hold_id']}/reservation",
        json={"customer_id": str(customer), "customer_name": "住まい 花子"},
    )
    assert late.status_code == 409 and late.json()["detail"]["message"] == FULL


async def test_a_hold_in_the_past_is_refused(site) -> None:  # type: ignore[no-untyped-def]
    body = _hold(site) | {"starts_at": "2020-01-08T11:00:00+09:00"}
    r = await site["client"].post("/public/holds", json=body)
    assert r.status_code == 422 and r.json()["detail"]["field"] == "starts_at"
    naive = await site["client"].post(
        "/public/holds", json=_hold(site) | {"starts_at": f"{DAY}T11:00:00"}
    )
    assert naive.status_code == 422 and "タイムゾーン" in naive.json()["detail"]["message"]
    assert await _holds(site) == 0
    other = uuid.uuid4()
    r = await site["client"].post(f"/public/holds/{other}/reservation",
                                  json={"customer_id": str(other), "customer_name": "某"})  # fmt: skip
    assert r.status_code == 409
