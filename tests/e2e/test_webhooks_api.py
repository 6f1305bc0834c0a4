"""Signed webhooks through the public API of the embedded system (issue 16): an
administrator adds an endpoint, a portal inquiry reaches it signed (the reference library
verifies), the secret is shown once and rotates, bad input is refused in Japanese, a replay
of a year is refused and one of a day sends the original ids again; 一般 users are refused."""

import uuid
from datetime import timedelta

import httpx
import pytest
from kit import clock
from kit.webhook_sink import WebhookSink
from standardwebhooks.webhooks import Webhook

from tests.e2e.flows import eventually, inquiry_body, login, post_inquiry

pytestmark = [pytest.mark.e2e, pytest.mark.database]
BASE = "/api/v1/webhooks/endpoints"


@pytest.fixture
async def sink():  # type: ignore[no-untyped-def]
    receiver = WebhookSink()
    await receiver.start()
    yield receiver
    await receiver.stop()


async def test_an_inquiry_reaches_the_endpoint_signed_and_is_replayed_with_its_id(
    client: httpx.AsyncClient, sink: WebhookSink
) -> None:
    admin = await login(client)
    r = await client.post(BASE, headers=admin, json={
        "url": sink.url("/crm"), "event_types": ["inquiry.received.v1"], "description": "基幹"})  # fmt: skip
    assert r.status_code == 201, r.text
    created = r.json()
    secret, endpoint_id = created["secret"], created["id"]
    assert secret.startswith("whsec_")
    listed = (await client.get(BASE, headers=admin)).json()
    assert endpoint_id in [e["id"] for e in listed] and secret not in str(listed)

    email = f"hook-{uuid.uuid4().hex[:6]}@example.com"
    r = await post_inquiry(
        client, inquiry_body(email=email, name="送信 花子", phone="090-3434-1212")
    )
    assert r.status_code == 202, r.text

    async def arrived() -> bool:
        return bool(sink.at("/crm"))

    await eventually(arrived)
    [request] = sink.at("/crm")
    envelope = Webhook(secret).verify(request.body, request.headers)
    assert envelope["routing_key"] == "inquiry.received.v1"
    assert envelope["payload"]["contact"]["email"] == email
    assert request.headers["webhook-id"] == envelope["event_id"]

    async def logged() -> list | None:
        r = await client.get(f"{BASE}/{endpoint_id}/deliveries", headers=admin)
        rows = r.json()
        return rows if rows and rows[0]["status"] == "delivered" else None

    [delivery] = await eventually(logged)
    assert delivery["event_id"] == envelope["event_id"] and not delivery["replayed"]
    [attempt] = delivery["attempts"]
    assert attempt["status_code"] == 200 and attempt["latency_ms"] >= 0

    now = clock.now()
    year = {"from": (now - timedelta(days=365)).isoformat(), "to": now.isoformat()}
    r = await client.post(f"{BASE}/{endpoint_id}/replay", headers=admin, json=year)
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert (detail["code"], detail["field"]) == ("replay_too_long", "to")
    assert "31日" in detail["message"]
    day = {"from": (now - timedelta(days=1)).isoformat(), "to": clock.now().isoformat()}
    r = await client.post(f"{BASE}/{endpoint_id}/replay", headers=admin, json=day)
    assert r.status_code == 202, r.text
    assert r.json()["events"] >= 1

    async def again() -> bool:
        return len(sink.at("/crm")) >= 1 + r.json()["events"]

    await eventually(again)
    replayed = sink.at("/crm")[1:]
    assert envelope["event_id"] in [x.headers["webhook-id"] for x in replayed]

    # rotation: the new secret is shown once; the old one still signs beside it
    r = await client.post(f"{BASE}/{endpoint_id}/rotate-secret", headers=admin)
    assert r.status_code == 200 and r.json()["secret"] != secret
    assert r.json()["previous_secret_until"] is not None
    r = await client.delete(f"{BASE}/{endpoint_id}", headers=admin)
    assert r.status_code == 204
    assert (await client.get(f"{BASE}/{endpoint_id}", headers=admin)).status_code == 404


async def test_bad_endpoints_are_refused_in_japanese_and_nothing_is_made(
    client: httpx.AsyncClient,
) -> None:
    admin = await login(client)
    before = len((await client.get(BASE, headers=admin)).json())
    r = await client.post(BASE, headers=admin, json={
        "url": "https://hooks.example/crm", "event_types": ["inquiry.received.v1", "order.shipped.v9"]})  # fmt: skip
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert (detail["code"], detail["field"]) == ("unknown_event_type", "event_types")
    assert "order.shipped.v9" in detail["message"] and "選んで" in detail["message"]
    r = await client.post(BASE, headers=admin, json={
        "url": "http://hooks.example/crm", "event_types": ["inquiry.received.v1"]})  # fmt: skip
    assert r.status_code == 422 and r.json()["detail"]["field"] == "url"
    assert "https" in r.json()["detail"]["message"]
    r = await client.post(BASE, headers=admin, json={"url": "ftp://x", "event_types": []})
    fields = [e["field"] for e in r.json()["detail"]["errors"]]
    assert r.status_code == 422 and fields == ["url", "event_types"]
    assert len((await client.get(BASE, headers=admin)).json()) == before


async def test_general_staff_may_not_touch_webhooks(client: httpx.AsyncClient) -> None:
    admin = await login(client)
    staff = await login(client, "staff@demo.example", "demo-staff-pass")
    body = {"url": "https://hooks.example/crm", "event_types": ["inquiry.received.v1"]}
    made = (await client.post(BASE, headers=admin, json=body)).json()
    path = f"{BASE}/{made['id']}"
    calls = [("GET", BASE, None), ("POST", BASE, body), ("GET", path, None),
             ("PUT", path, body), ("DELETE", path, None), ("POST", f"{path}/rotate-secret", None),
             ("GET", f"{path}/deliveries", None),
             ("POST", f"{path}/replay", {"from": clock.now().isoformat(), "to": clock.now().isoformat()}),
             ("GET", "/api/v1/webhooks/event-types", None)]  # fmt: skip
    for method, url, json in calls:
        r = await client.request(method, url, headers=staff, json=json)
        assert r.status_code == 403, (method, url, r.text)
        assert "管理者" in r.json()["detail"]["message"]
    assert (await client.get(path, headers=admin)).json()["url"] == body["url"]
    await client.delete(path, headers=admin)


async def test_the_settings_pages_add_show_the_secret_once_and_delete_after_asking(
    client: httpx.AsyncClient, sink: WebhookSink
) -> None:
    admin = await login(client)
    r = await client.get("/settings/webhooks", headers=admin)
    assert r.status_code == 200 and "送信先を追加" in r.text and "反響を受信" in r.text
    r = await client.post("/settings/webhooks", headers=admin,
                          data={"url": "ftp://x", "event_types": ["no.such.v1"]})  # fmt: skip
    assert r.status_code == 422
    assert "https:// で始まる形で" in r.text and "存在しないイベントの種類です" in r.text
    assert 'value="ftp://x"' in r.text  # the typed input kept
    url = sink.url("/page")
    r = await client.post("/settings/webhooks", headers=admin, data={
        "url": url, "description": "画面から", "event_types": ["inquiry.received.v1",
                                                           "booking.visit_scheduled.v1"]})  # fmt: skip
    assert r.status_code == 200 and "二度と表示できません" in r.text
    secret = r.text.split('id="webhook-secret" class="secret" readonly value="', 1)[1].split('"')[0]
    assert secret.startswith("whsec_")
    endpoint_id = r.text.split('href="/settings/webhooks/', 1)[1].split('"')[0]
    page = await client.get(f"/settings/webhooks/{endpoint_id}", headers=admin)
    assert page.status_code == 200 and secret not in page.text and "配信履歴" in page.text
    assert page.text.count("checked") == 3  # two event types and 配信する
    listed = await client.get("/settings/webhooks", headers=admin)
    assert url in listed.text and secret not in listed.text

    r = await client.post(f"/settings/webhooks/{endpoint_id}/rotate", headers=admin)
    assert r.status_code == 200 and "24時間" in r.text and secret not in r.text
    r = await client.post(f"/settings/webhooks/{endpoint_id}/replay", headers=admin,
                          data={"from": "2025-01-01", "to": "2025-12-31"})  # fmt: skip
    assert r.status_code == 303
    page = await client.get(f"/settings/webhooks/{endpoint_id}", headers=admin)
    assert "31日まで" in page.text  # the refusal, shown once

    staff = await login(client, "staff@demo.example", "demo-staff-pass")
    for path in ("/settings/webhooks", f"/settings/webhooks/{endpoint_id}"):
        r = await client.get(path, headers=staff)
        assert r.status_code == 403 and "管理者のみ" in r.text
    assert (
        await client.get(f"/settings/webhooks/{uuid.uuid4()}", headers=admin)
    ).status_code == 404

    r = await client.post(f"/settings/webhooks/{endpoint_id}/delete", headers=admin)
    assert r.status_code == 200 and "削除しますか" in r.text
    r = await client.post(f"/settings/webhooks/{endpoint_id}/delete", headers=admin,
                          data={"confirm": "1"})  # fmt: skip
    assert r.status_code == 303
    assert (await client.get(f"/settings/webhooks/{endpoint_id}", headers=admin)).status_code == 404
