"""LEAD-2..5 through the staff API: levels with their reasons, decay with the moment asked,
counts and order, exclusions, thresholds changed by admins only and kept, engagement."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from leads.domain.engagement import JST

from .conftest import page_view, until

pytestmark = pytest.mark.database


async def _hot(tenant, **params) -> dict:  # type: ignore[no-untyped-def,type-arg]
    await tenant.settle()
    r = await tenant.client.get("/hot-leads", params=params)
    assert r.status_code == 200, r.text
    return r.json()


async def _red(tenant, name: str = "物件A") -> uuid.UUID:  # type: ignore[no-untyped-def]
    customer = uuid.uuid4()
    token = await tenant.send(customer)
    await tenant.view(token, page_view(name=name, dwell=30))
    await tenant.view(token, page_view(name=name, dwell=22))
    return customer


async def test_levels_say_why_and_decay_as_the_moment_passes(tenant) -> None:  # type: ignore[no-untyped-def]
    red = await _red(tenant)
    orange = uuid.uuid4()
    await tenant.view(await tenant.send(orange), page_view(name="物件B", dwell=6))
    yellow = uuid.uuid4()
    await tenant.open(await tenant.send(yellow, kind="step"))
    broadcast_only = uuid.uuid4()
    await tenant.open(await tenant.send(broadcast_only, kind="broadcast"))

    now = await _hot(tenant)
    assert now["counts"] == {"red": 1, "orange": 1, "yellow": 1}
    assert [(i["customer_id"], i["level_label"]) for i in now["items"]] == [
        (str(red), "赤"), (str(orange), "橙"), (str(yellow), "黄"),
    ]  # fmt: skip
    assert now["items"][0]["reason"] == "物件A 詳細を2回・52秒閲覧（5日以内）→ 赤"
    assert [i["customer_id"] for i in (await _hot(tenant, level="orange"))["items"]] == [
        str(orange)
    ]

    later = datetime.now(UTC) + timedelta(days=6)
    after = await _hot(tenant, at=later.isoformat())
    assert after["counts"] == {"red": 0, "orange": 2, "yellow": 0}  # no new event needed
    gone = await _hot(tenant, at=(datetime.now(UTC) + timedelta(days=15)).isoformat())
    assert gone["items"] == []
    r = await tenant.client.get("/hot-leads", params={"at": "2026-12-01T00:00:00"})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "at"


async def test_customers_are_excluded_in_bulk_and_switched_back_one_by_one(tenant) -> None:  # type: ignore[no-untyped-def]
    a, b, c = [await _red(tenant) for _ in range(3)]
    r = await tenant.client.post("/hot-leads/exclusions", json={"customer_ids": [str(a), str(b)]})
    assert r.status_code == 204
    listed = await _hot(tenant)
    assert [i["customer_id"] for i in listed["items"]] == [str(c)]
    assert listed["counts"]["red"] == 1
    r = await tenant.client.put(f"/customers/{a}/hot-lead-target", json={"target": True})
    assert r.status_code == 200
    assert {i["customer_id"] for i in (await _hot(tenant))["items"]} == {str(a), str(c)}
    await tenant.settle()
    engagement = (await tenant.client.get(f"/customers/{b}/engagement")).json()
    assert engagement["target"] is False and engagement["level"] == "red"


async def test_only_admins_change_thresholds_and_every_change_is_kept(
    tenant, tenant_factory
) -> None:  # type: ignore[no-untyped-def]
    general = await tenant_factory(role="general", tenant_id=tenant.id)
    customer = uuid.uuid4()
    await tenant.open(
        await tenant.send(customer),
        agent="Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17029; Pro)",
    )
    before = (await tenant.client.get("/hot-leads/settings")).json()
    assert before["rules"]["red"] == {
        "source": "views",
        "period_days": 5,
        "min_count": 2,
        "min_dwell_s": 40,
    }

    r = await general.client.put("/hot-leads/settings", json={"preset": "no_proposals"})
    assert r.status_code == 403 and r.json()["detail"]["code"] == "admin_only"
    bad = {**before["rules"], "red": {**before["rules"]["red"], "min_dwell_s": -5}}
    r = await tenant.client.put("/hot-leads/settings", json={"rules": bad})
    assert r.status_code == 422
    assert (
        r.json()["detail"]["field"] == "red.min_dwell_s"
        and "0〜3600" in r.json()["detail"]["message"]
    )
    r = await tenant.client.put("/hot-leads/settings", json={"preset": "nope"})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "preset"
    assert (await tenant.client.get("/hot-leads/settings/changes")).json() == []

    r = await tenant.client.put("/hot-leads/settings", json={"preset": "no_proposals"})
    assert r.status_code == 200 and r.json()["rules"]["red"]["source"] == "opens"
    [item] = (await _hot(tenant))["items"]
    assert (
        item["level"] == "red" and item["reason"] == "提案・ステップメールを1回開封（1日以内）→ 赤"
    )
    [change] = (await general.client.get("/hot-leads/settings/changes")).json()
    assert change["before"] == before["rules"] and change["after"] == r.json()["rules"]
    assert change["changed_by"] == r.json()["updated_by"] is not None


async def test_engagement_heat_map_reactions_and_proposal_open_rate(tenant) -> None:  # type: ignore[no-untyped-def]
    customer = uuid.uuid4()
    first = await tenant.send(customer)
    second = await tenant.send(customer, ago=timedelta(minutes=20))
    await tenant.send(customer, kind="newsletter")
    await tenant.open(first)
    await tenant.open(first)  # one mail opened twice
    await tenant.open(second, agent="Mozilla/5.0")  # Apple's prefetch: not the customer
    await tenant.view(first, page_view("P-1", "グランメゾン川崎", dwell=40, liked=True))
    await tenant.view(first, page_view("P-2", "スーム田町", dwell=10))

    await tenant.settle()
    r = await tenant.client.get(f"/customers/{customer}/engagement")
    assert r.status_code == 200
    e = r.json()
    assert e["proposal_open_rate"]["label"] == "50% (1/2)"
    assert e["attention"] is True and e["proposal_views"] == 2
    assert [(x["property_name"], x["dwell_s"], x["liked"]) for x in e["reactions"]] == [
        ("グランメゾン川崎", 40, True), ("スーム田町", 10, False),
    ]  # fmt: skip
    assert [h["property_code"] for h in e["history"]] == ["P-2", "P-1"]  # newest first
    assert e["level"] == "red"
    expected = [[0] * 24 for _ in range(7)]
    for h in e["history"]:
        local = datetime.fromisoformat(h["viewed_at"]).astimezone(JST)
        expected[local.weekday()][local.hour] += 1
    assert e["heat_map"]["cells"] == expected and sum(e["heat_map"]["by_hour"]) == 2


async def test_a_merge_moves_activity_and_the_target_takes_the_level(tenant) -> None:  # type: ignore[no-untyped-def]
    from contracts import CustomerMergedV1, Envelope
    from kit.bus import Message

    source, target = uuid.uuid4(), uuid.uuid4()
    newsletter = uuid.uuid4()
    await tenant.send(source, kind="newsletter", message_id=newsletter)
    await tenant.send(target, kind="newsletter", message_id=newsletter)
    token = await tenant.send(source)
    await tenant.view(token, page_view(dwell=30))
    await tenant.view(await tenant.send(target), page_view(name="物件B", dwell=22))
    await tenant.client.post("/hot-leads/exclusions", json={"customer_ids": [str(source)]})
    assert (await _hot(tenant))["items"][0]["level"] == "orange"  # only the target, orange

    event = CustomerMergedV1(
        source_customer_id=source, target_customer_id=target, merged_at=datetime.now(UTC)
    )
    envelope = Envelope(
        event_type=event.event_type, version=1, routing_key=event.routing_key(),
        tenant_id=tenant.id, producer="customer", payload=event.model_dump(mode="json"),
    )  # fmt: skip
    await tenant.runtime.bus.publish(
        Message(envelope.routing_key, envelope.model_dump_json().encode(), str(envelope.event_id))
    )

    async def merged() -> bool:
        return not await tenant.scalar(
            "SELECT count(*) FROM lead_sends WHERE customer_id = :s", s=source
        )

    await until(merged)
    [item] = (await _hot(tenant))["items"]
    assert (item["customer_id"], item["level"]) == (str(target), "red")
    # The materialized level follows: the source's row is gone, the target's re-scored.
    assert not await tenant.scalar(
        "SELECT count(*) FROM lead_levels WHERE customer_id = :s", s=source
    )
    engagement = (await tenant.client.get(f"/customers/{target}/engagement")).json()
    assert engagement["level"] == "red" and engagement["reason"] == item["reason"]
    assert "物件A 詳細を1回・30秒、物件B 詳細を1回・22秒閲覧" in item["reason"]
    assert (
        await tenant.scalar("SELECT count(*) FROM lead_sends WHERE customer_id = :t", t=target) == 3
    )
    # A view that still names the source's old token lands on the target.
    await tenant.view(token, page_view(dwell=5))
    assert (
        await tenant.scalar("SELECT count(*) FROM lead_page_views WHERE customer_id = :t", t=target)
        == 3
    )
