"""Coupon tickets (回数券): issue, use on a visit, remaining, refusals; no overdraw under
concurrency; another tenant's ticket is not found."""

import asyncio
import uuid
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from kit import clock

from .conftest import DAY, EXPIRY

pytestmark = pytest.mark.database


async def _visits(tenant, customer, hours: list[int]) -> list[str]:  # type: ignore[no-untyped-def]
    ids = []
    for hour in hours:
        r = await tenant.visit(
            kind="store_consultation", customer_id=str(customer),
            starts_at=f"{DAY}T{hour:02d}:00:00+09:00", ends_at=f"{DAY}T{hour + 1:02d}:00:00+09:00",
            allow_overlap=True,  # some tests give one customer several visits at one time
        )  # fmt: skip
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    return ids


async def test_a_ticket_is_used_up_and_then_refused(tenant, tenant_factory) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store(staff_count=5)
    customer = await tenant.customer()
    other_customer = await tenant.customer(name="別 顧客")
    issued = await tenant.client.post(
        "/coupon-tickets",
        json={
            "customer_id": str(customer),
            "name": "見学5回券",
            "count": 2,
            "expires_on": EXPIRY,
        },
    )
    assert issued.status_code == 201, issued.text
    ticket = issued.json()["id"]
    first, second, third = await _visits(tenant, customer, [10, 11, 12])
    (foreign,) = await _visits(tenant, other_customer, [13])

    async def use(visit_id: str):  # type: ignore[no-untyped-def]
        return await tenant.client.post(
            f"/coupon-tickets/{ticket}/use", json={"visit_id": visit_id}
        )

    assert (await use(first)).json()["remaining"] == 1
    again = await use(first)
    assert again.status_code == 409 and "既に" in again.json()["detail"]["message"]
    wrong = await use(foreign)
    assert wrong.status_code == 422 and wrong.json()["detail"]["field"] == "visit_id"
    assert (await use(second)).json()["remaining"] == 0
    used_up = await use(third)
    assert used_up.status_code == 409 and "使い切" in used_up.json()["detail"]["message"]
    listed = await tenant.client.get("/coupon-tickets", params={"customer_id": str(customer)})
    assert [(t["name"], t["remaining"]) for t in listed.json()] == [("見学5回券", 0)]

    other = await tenant_factory()
    stolen = await other.client.post(f"/coupon-tickets/{ticket}/use", json={"visit_id": third})
    assert stolen.status_code == 404


async def test_expired_tickets_and_past_expiry_are_refused(tenant) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store()
    customer = await tenant.customer()
    past = await tenant.client.post(
        "/coupon-tickets",
        json={
            "customer_id": str(customer),
            "name": "回数券",
            "count": 3,
            "expires_on": "2020-01-01",
        },
    )
    assert past.status_code == 422 and past.json()["detail"]["field"] == "expires_on"
    today = clock.today().isoformat()
    ticket = await tenant.client.post(
        "/coupon-tickets",
        json={"customer_id": str(customer), "name": "回数券", "count": 3, "expires_on": today},
    )
    assert ticket.status_code == 201, ticket.text
    # Expire it the way time would (the tenant cannot issue an expired one).
    await tenant.execute(
        "UPDATE booking_coupon_tickets SET expires_on = '2020-01-01' WHERE id = :t",
        t=uuid.UUID(ticket.json()["id"]),
    )
    (visit,) = await _visits(tenant, customer, [10])
    r = await tenant.client.post(
        f"/coupon-tickets/{ticket.json()['id']}/use", json={"visit_id": visit}
    )
    assert r.status_code == 409 and "有効期限" in r.json()["detail"]["message"]
    assert await tenant.scalar("SELECT count(*) FROM booking_coupon_uses") == 0  # nothing changed


async def test_expiry_is_judged_by_japans_date_at_2330_utc(tenant_factory) -> None:  # type: ignore[no-untyped-def]
    # CI runs in UTC: from 15:00 to 24:00 UTC, Japan is already on the next day.
    late = datetime.combine(datetime.now(UTC).date(), time(23, 30), UTC)
    with time_machine.travel(late, tick=True):
        tenant = await tenant_factory()  # its token is minted on the travelled clock
        customer = await tenant.customer()
        japan_today, utc_today = clock.today(), datetime.now(UTC).date()
        assert japan_today == utc_today + timedelta(days=1)

        def ticket(expires_on: date) -> dict:
            return {"customer_id": str(customer), "name": "回数券", "count": 1,
                    "expires_on": expires_on.isoformat()}  # fmt: skip

        issued = await tenant.client.post("/coupon-tickets", json=ticket(japan_today))
        assert issued.status_code == 201, issued.text
        refused = await tenant.client.post("/coupon-tickets", json=ticket(utc_today))
        assert refused.status_code == 422 and refused.json()["detail"]["field"] == "expires_on"


async def test_concurrent_uses_never_overdraw_a_ticket(tenant) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store(staff_count=20)
    customer = await tenant.customer()
    ticket = (
        await tenant.client.post(
            "/coupon-tickets",
            json={
                "customer_id": str(customer),
                "name": "1回券",
                "count": 1,
                "expires_on": EXPIRY,
            },
        )
    ).json()["id"]
    visits = await _visits(tenant, customer, [10] * 20)
    codes = Counter(
        r.status_code
        for r in await asyncio.gather(
            *(
                tenant.client.post(f"/coupon-tickets/{ticket}/use", json={"visit_id": v})
                for v in visits
            )
        )
    )
    assert codes == {200: 1, 409: 19}
    assert await tenant.scalar("SELECT remaining FROM booking_coupon_tickets") == 0
    assert await tenant.scalar("SELECT count(*) FROM booking_coupon_uses") == 1
