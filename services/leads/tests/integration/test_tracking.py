"""LEAD-1 and the machine-open verdicts, through the public routes on the real database."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from leads.domain.tracking import TrackingClaims, sign
from leads.entrypoints.tracking_routes import PIXEL

from .conftest import APPLE_IP, IPHONE, page_view

pytestmark = pytest.mark.database
HEADLESS = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.109 Safari/537.36"


async def _opens(tenant) -> list:  # type: ignore[no-untyped-def,type-arg]
    return await tenant.rows("SELECT * FROM lead_opens ORDER BY opened_at")


async def _events(tenant) -> list:  # type: ignore[no-untyped-def,type-arg]
    return await tenant.rows(
        "SELECT envelope FROM outbox WHERE routing_key = 'leads.email_opened.v1' ORDER BY id"
    )


async def test_an_open_is_recorded_with_its_verdict_and_emits_email_opened(tenant) -> None:  # type: ignore[no-untyped-def]
    customer = uuid.uuid4()
    token = await tenant.send(customer)
    r = await tenant.open(token)
    assert r.content == PIXEL and r.content.startswith(b"GIF89a") and len(PIXEL) == 43
    assert "no-store" in r.headers["cache-control"]
    [row] = await _opens(tenant)
    assert row["customer_id"] == customer and row["machine"] is False
    assert row["message_kind"] == "proposal" and row["machine_reason"] is None
    # The address and agent served the verdict and were not kept.
    assert not {"address", "ip", "user_agent"} & set(row)
    assert IPHONE not in str(row) and "203.0.113.7" not in str(row)
    [event] = await _events(tenant)
    payload = event["envelope"]["payload"]
    assert payload["customer_id"] == str(customer) and payload["machine_open"] is False
    assert event["envelope"]["tenant_id"] == str(tenant.id)


async def test_forged_expired_or_unknown_tokens_get_the_same_pixel_and_count_nowhere(
    tenant, leads_runtime
) -> None:  # type: ignore[no-untyped-def]
    secret = leads_runtime.tracking.secret
    genuine = await tenant.send(uuid.uuid4())
    expired = sign(
        TrackingClaims(
            tenant.id, uuid.uuid4(), uuid.uuid4(), datetime.now(UTC) - timedelta(seconds=1)
        ),
        secret=secret,
    )
    unknown_send = sign(
        TrackingClaims(
            tenant.id, uuid.uuid4(), uuid.uuid4(), datetime.now(UTC) + timedelta(days=1)
        ),
        secret=secret,
    )
    forged = genuine[:-3] + ("AAA" if genuine[-3:] != "AAA" else "BBB")
    for token in (forged, expired, unknown_send, "x", "%00" * 10):
        r = await tenant.open(token)
        assert r.content == PIXEL
        await tenant.view(token, page_view())
    assert await _opens(tenant) == [] and await _events(tenant) == []
    assert await tenant.scalar("SELECT count(*) FROM lead_page_views") == 0


async def test_machine_opens_are_kept_with_their_reason_and_flagged_in_the_event(tenant) -> None:  # type: ignore[no-untyped-def]
    fresh = await tenant.send(uuid.uuid4(), ago=timedelta(minutes=30))
    await tenant.open(fresh, agent="Mozilla/5.0")  # Apple MPP's prefetch
    await tenant.open(fresh, method="HEAD")  # a scanner
    late = await tenant.send(uuid.uuid4(), ago=timedelta(days=3))
    await tenant.open(late, ip=APPLE_IP)  # Apple's proxy, nobody clicked
    reasons = [r["machine_reason"] for r in await _opens(tenant)]
    assert reasons == ["apple_mpp", "scanner", "apple_proxy"]
    assert [e["envelope"]["payload"]["machine_open"] for e in await _events(tenant)] == [True] * 3


async def test_an_open_through_apple_after_a_click_is_a_persons(tenant) -> None:  # type: ignore[no-untyped-def]
    token = await tenant.send(uuid.uuid4(), ago=timedelta(days=3))
    await tenant.view(token, page_view(), ip=APPLE_IP)  # a click is never dropped on its address
    await tenant.open(token, ip=APPLE_IP)
    [row] = await _opens(tenant)
    assert row["machine"] is False
    assert await tenant.scalar("SELECT count(*) FROM lead_page_views") == 1


async def test_views_keep_the_longest_dwell_and_likes_and_drop_bad_beacons(tenant) -> None:  # type: ignore[no-untyped-def]
    customer = uuid.uuid4()
    token = await tenant.send(customer)
    vid = uuid.uuid4()
    await tenant.view(token, page_view(view_id=vid, dwell=5))
    await tenant.view(token, page_view(view_id=vid, dwell=48, liked=True))
    await tenant.view(token, page_view(view_id=vid, dwell=20))  # a late, shorter beacon
    for bad in (
        page_view(dwell=-1), page_view(dwell=10**9), page_view(page="admin"),
        {"view_id": "x"}, b"not json", b"{" * 5000, b"",
    ):  # fmt: skip
        await tenant.view(token, bad)
    await tenant.view(token, page_view(), agent=HEADLESS)
    [row] = await tenant.rows("SELECT * FROM lead_page_views")
    assert (row["view_id"], row["dwell_s"], row["liked"], row["customer_id"]) == (
        vid,
        48,
        True,
        customer,
    )


async def test_a_flood_from_one_address_is_answered_and_counted_once_per_limit(tenant) -> None:  # type: ignore[no-untyped-def]
    token = await tenant.send(uuid.uuid4())
    for _ in range(20):
        assert (await tenant.open(token)).content == PIXEL
    assert len(await _opens(tenant)) == 8  # the fixture's limit per address and token


async def test_another_tenant_sees_none_of_it(tenant, tenant_factory) -> None:  # type: ignore[no-untyped-def]
    customer = uuid.uuid4()
    token = await tenant.send(customer)
    await tenant.view(token, page_view(dwell=50))
    await tenant.view(token, page_view(dwell=50))
    other = await tenant_factory()
    r = await other.client.get(f"/customers/{customer}/engagement")
    assert r.status_code == 404  # none of the other tenant's customers
    assert (await other.client.get(f"/customers/{customer}/activities")).status_code == 404
    r = await other.client.put(f"/customers/{customer}/hot-lead-target", json={"target": False})
    assert r.status_code == 404
    assert (await other.client.get("/hot-leads")).json()["items"] == []
    await tenant.settle()  # levels are scored by the consumer and the level worker
    assert (await other.client.get("/hot-leads")).json()["items"] == []
    assert len((await tenant.client.get("/hot-leads")).json()["items"]) == 1
