"""パートナー連携 in the embedded mode (no RabbitMQ): the admin's page says that AMQP
partners need RabbitMQ and offers no form; a creation is refused in Japanese (409 by the
API, the page's own answer by the form), an unknown event type is 422 on ``event_types``
first, nothing is written, never a 500; a 一般 user is refused the page."""

import httpx
import pytest

from tests.e2e.flows import login

pytestmark = [pytest.mark.e2e, pytest.mark.database]
NEEDS = "AMQPでのパートナー連携にはRabbitMQが必要です。"


async def _cookie_login(client: httpx.AsyncClient, email: str, password: str) -> None:
    r = await client.post("/login", data={"email": email, "password": password})
    assert r.status_code in (302, 303), r.text


async def test_the_embedded_mode_refuses_partners_cleanly(system) -> None:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=system.gateway_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        admin = await login(client)
        staff = await login(client, "staff@demo.example", "demo-staff-pass")
        body = {"name": "物件ポータル", "event_types": ["customer.merged.v1"]}
        r = await client.post("/api/v1/partners", headers=admin, json=body)
        assert r.status_code == 409, r.text
        assert r.json()["detail"]["code"] == "amqp_unavailable"
        assert NEEDS in r.json()["detail"]["message"]
        r = await client.post("/api/v1/partners", headers=admin,
                              json={**body, "event_types": ["customer.merged.v9"]})  # fmt: skip
        assert r.status_code == 422, r.text
        detail = r.json()["detail"]
        assert (detail["code"], detail["field"]) == ("unknown_event_type", "event_types")
        assert "存在しないイベント" in detail["message"]
        r = await client.post("/api/v1/partners", headers=admin, json={**body, "event_types": []})
        assert r.status_code == 422 and r.json()["detail"]["field"] == "event_types", r.text
        r = await client.post("/api/v1/partners", headers=staff, json=body)
        assert r.status_code == 403 and "管理者" in r.json()["detail"]["message"], r.text
        assert (await client.get("/api/v1/partners", headers=admin)).json() == []

    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as page:
        await _cookie_login(page, "admin@demo.example", "demo-admin-pass")
        r = await page.get("/settings/partners")
        assert r.status_code == 200, r.text
        assert NEEDS in r.text and 'action="/settings/partners"' not in r.text
        assert "パートナー連携" in (await page.get("/settings/stores")).text  # the tab
        r = await page.post("/settings/partners", data={"name": "物件ポータル",
                                                        "event_types": "customer.merged.v1"})  # fmt: skip
        assert r.status_code == 409 and NEEDS in r.text
        r = await page.post("/settings/partners", data={"name": "物件ポータル",
                                                        "event_types": "nobody.nothing.v1"})  # fmt: skip
        assert r.status_code == 422 and "存在しないイベント" in r.text
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as page:
        await _cookie_login(page, "staff@demo.example", "demo-staff-pass")
        r = await page.get("/settings/partners")
        assert r.status_code == 403 and "管理者" in r.text
        assert "パートナー連携" not in (await page.get("/settings/stores")).text
