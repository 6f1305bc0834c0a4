"""LEAD-8 through the staff API on a constructed history: page views in the past (rows as the
beacon writes them), 成約 arriving as the customer service's FollowUpChanged, today's levels
from beacons; conversion by level, the forecast and its method in Japanese. The follow-up
changes appear in the customer's activity timeline."""

import uuid
from datetime import timedelta

import pytest
from contracts import FollowUpChangedV1
from kit import clock

from .conftest import page_view

pytestmark = pytest.mark.database


async def _past_view(tenant, customer: uuid.UUID, days_ago: float, dwell: int) -> None:  # type: ignore[no-untyped-def]
    await tenant.execute(
        "INSERT INTO lead_page_views (id, tenant_id, view_id, message_id, customer_id, page, "
        "property_code, property_name, viewed_at, dwell_s, liked) VALUES (:id, :t, :v, :m, :c, "
        "'property_detail', 'P-1', '物件A', :at, :dwell, false)",
        id=uuid.uuid4(), t=tenant.id, v=uuid.uuid4(), m=uuid.uuid4(), c=customer,
        at=clock.now() - timedelta(days=days_ago), dwell=dwell,
    )  # fmt: skip


async def _status(tenant, customer: uuid.UUID, status: str, days_ago: float = 0) -> None:  # type: ignore[no-untyped-def]
    await tenant.publish(
        FollowUpChangedV1(
            customer_id=customer, status=status, previous_status="following",
            changed_at=clock.now() - timedelta(days=days_ago),
        )
    )  # fmt: skip


async def test_conversion_by_level_and_next_months_forecast(tenant) -> None:  # type: ignore[no-untyped-def]
    won, lost, now_red, now_red_signed = (uuid.uuid4() for _ in range(4))
    await _past_view(tenant, won, 60, 30)
    await _past_view(tenant, won, 60, 22)  # red 60 days ago, orange from 55 days ago
    await _status(tenant, won, "contracted", days_ago=50)
    await _past_view(tenant, lost, 100, 10)  # orange 100 days ago, no contract
    for customer in (now_red, now_red_signed):
        token = await tenant.send(customer)
        await tenant.view(token, page_view(dwell=30))
        await tenant.view(token, page_view(dwell=30))
    await _status(tenant, now_red_signed, "contracted")  # red now, but already signed
    await tenant.settle()

    r = await tenant.client.get("/hot-leads/conversion")
    assert r.status_code == 200, r.text
    body = r.json()
    got = [(x["level_label"], x["leads"], x["contracted"], x["rate_percent"], x["current"])
           for x in body["levels"]]  # fmt: skip
    assert got == [("赤", 1, 1, 100.0, 1), ("橙", 2, 1, 50.0, 0), ("黄", 0, 0, None, 0)]
    assert body["forecast_contracts"] == 1.0 and body["days"] == 30
    assert "30日以内に成約" in body["method"] and "来月の成約見込み" in body["method"]

    r = await tenant.client.get("/hot-leads/conversion", params={"days": 5})
    assert [x["contracted"] for x in r.json()["levels"]] == [0, 0, 0]  # 10 days is too late
    r = await tenant.client.get("/hot-leads/conversion", params={"days": 0})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "days"

    timeline = (await tenant.client.get(f"/customers/{won}/activities")).json()["items"]
    assert [(a["kind"], a["detail"]["status"]) for a in timeline] == [("follow_up", "contracted")]


async def test_another_tenants_history_counts_nowhere(tenant, tenant_factory) -> None:  # type: ignore[no-untyped-def]
    other = await tenant_factory()
    customer = uuid.uuid4()
    await _past_view(other, customer, 60, 30)
    await _past_view(other, customer, 60, 22)
    await _status(other, customer, "contracted", days_ago=50)
    await other.settle()
    mine = (await tenant.client.get("/hot-leads/conversion")).json()
    assert [x["leads"] for x in mine["levels"]] == [0, 0, 0]
    assert [x["leads"] for x in (await other.client.get("/hot-leads/conversion")).json()["levels"]] == [1, 1, 0]  # fmt: skip
