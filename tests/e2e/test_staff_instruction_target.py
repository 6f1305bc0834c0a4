"""The leader's instruction names a staff member the gateway owns (decision 94): an id that
is no active account of the tenant — unknown, another tenant's, disabled — is a Japanese 422
``unknown_staff`` on ``staff_id`` and nothing is saved. Another tenant's id: see
test_tenant_isolation's BODY_IDS."""

import uuid

import httpx
import pytest

from tests.e2e.flows import login

pytestmark = [pytest.mark.e2e, pytest.mark.database]
PATH = "/api/v1/staff-instructions"


async def _told(client: httpx.AsyncClient, admin: dict) -> dict[str, str]:
    daily = (await client.get("/api/v1/interactions/daily", headers=admin)).json()
    return {i["staff_id"]: i["instruction"] for i in daily["staff_instructions"]}


async def test_an_instruction_goes_only_to_an_active_account_of_the_tenant(system) -> None:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=system.gateway_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        admin = await login(client)
        left = await client.post("/api/v1/accounts", headers=admin, json={
            "email": f"left-{uuid.uuid4().hex[:8]}@demo.example", "display_name": "退職 太郎",
            "role": "general", "store_ids": []})  # fmt: skip
        assert left.status_code == 201, left.text
        gone = left.json()["id"]
        disabled = await client.put(f"/api/v1/accounts/{gone}", headers=admin, json={
            "display_name": "退職 太郎", "role": "general", "store_ids": [], "active": False})  # fmt: skip
        assert disabled.status_code == 200, disabled.text

        for staff_id in (str(uuid.uuid4()), gone):
            r = await client.put(PATH, headers=admin,
                                 json={"staff_id": staff_id, "instruction": "明日は折り返し優先"})  # fmt: skip
            assert r.status_code == 422, r.text
            detail = r.json()["detail"]
            assert detail["code"] == "unknown_staff" and detail["field"] == "staff_id"
            assert "スタッフが見つかりません" in detail["message"]
            assert staff_id not in await _told(client, admin)

        accounts = (await client.get("/api/v1/accounts", headers=admin)).json()
        member = next(a["id"] for a in accounts if a["email"] == "staff@demo.example")
        ok = await client.put(PATH, headers=admin,
                              json={"staff_id": member, "instruction": "明日は折り返し優先"})  # fmt: skip
        assert ok.status_code == 204, ok.text
        assert (await _told(client, admin))[member] == "明日は折り返し優先"
        malformed = await client.put(PATH, headers=admin, json={"staff_id": "誰か"})
        assert malformed.status_code == 422 and malformed.json()["detail"]["field"] == "staff_id"
