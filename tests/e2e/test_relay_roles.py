"""The roles the gateway's OpenAPI document states (``x-roles``) are the services' rules: every
operation documented as 管理者のみ refuses a 一般 user of the same tenant, on the tenant's
own resources, and changes nothing. The operations are taken from the document, so a new
admin-only declaration without a case here fails."""

import httpx
import pytest

from tests.e2e.flows import login, open_demo_store_every_day

pytestmark = [pytest.mark.e2e, pytest.mark.database]


async def test_every_admin_only_operation_refuses_a_general_user(system) -> None:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=system.gateway_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        admin = await login(client)
        staff = await login(client, "staff@demo.example", "demo-staff-pass")
        store_id = (await open_demo_store_every_day(client, admin))["id"]
        r = await client.post("/api/v1/booking/properties", headers=admin,
                              json={"store_id": store_id, "name": "役割確認マンション"})  # fmt: skip
        assert r.status_code == 201, r.text
        property_id = r.json()["id"]
        ids = {"store_id": store_id, "property_id": property_id}
        bodies = {
            "PUT /api/v1/booking/stores/{store_id}": {"name": "一般が変更", "staff_count": 1,
                                                      "hours": {"0": ["09:00", "18:00"]}},
            "POST /api/v1/booking/properties": {"store_id": store_id, "name": "一般が追加"},
            "PUT /api/v1/booking/properties/{property_id}": {
                "store_id": store_id, "name": "一般が変更"},
            "POST /api/v1/booking/menus": {"store_id": store_id, "name": "一般が追加",
                                           "duration_minutes": 30, "price_yen": 1000},
            "POST /api/v1/booking/staff-members": {"store_id": store_id, "name": "一般が追加"},
            "PUT /api/v1/settings/customer-required-fields": {"required_fields": ["birth_date"]},
            "POST /api/v1/media": {"code": "by_general", "name": "一般が追加"},
            "POST /api/v1/admin/portal-secret": None,
            "PUT /api/v1/hot-leads/settings": {"preset": "no_proposals"},
        }  # fmt: skip
        document = (await client.get("/openapi.json")).json()
        admin_only = [
            (method.upper(), path)
            for path, item in document["paths"].items()
            for method, op in item.items()
            if op.get("x-roles") == ["admin"]
        ]
        assert len(admin_only) >= 8
        before = await _state(client, admin, store_id, property_id)
        for method, path in admin_only:
            key = f"{method} {path}"
            assert key in bodies, f"{key}: give the test a body an admin would send"
            r = await client.request(method, path.format(**ids), headers=staff, json=bodies[key])
            assert r.status_code == 403, (key, r.status_code, r.text)
            assert not r.json()["detail"]["message"].isascii(), key  # said in Japanese
        assert await _state(client, admin, store_id, property_id) == before


async def _state(client: httpx.AsyncClient, admin: dict, store_id: str, property_id: str) -> list:
    paths = [f"/api/v1/booking/stores/{store_id}", f"/api/v1/booking/properties/{property_id}",
             f"/api/v1/booking/menus?store_id={store_id}",
             f"/api/v1/booking/staff-members?store_id={store_id}",
             "/api/v1/settings/customer-required-fields", "/api/v1/media",
             "/api/v1/hot-leads/settings"]  # fmt: skip
    return [(await client.get(p, headers=admin)).json() for p in paths]
