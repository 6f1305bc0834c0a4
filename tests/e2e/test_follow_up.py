"""CUS-2 follow-up (追客) through the public API: status and rep with who/when history, the
unassigned count, memos with history; bad input changes nothing; tenants stay apart."""

import uuid

import httpx
import pytest

from tests.e2e.flows import eventually, inquiry_body, login, post_inquiry

pytestmark = [pytest.mark.e2e, pytest.mark.database]


async def _customer(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    email = f"follow-{uuid.uuid4().hex[:6]}@example.com"
    r = await post_inquiry(client, inquiry_body(email=email, name="追客 花子", phone="090-7"))
    assert r.status_code == 202

    async def found() -> list:
        r = await client.get("/api/v1/customers", params={"email": email}, headers=headers)
        return r.json()["items"]

    return (await eventually(found))[0]["id"]


async def test_status_rep_and_memos_keep_their_history(client: httpx.AsyncClient) -> None:
    admin = await login(client)
    staff = await login(client, "staff@demo.example", "demo-staff-pass")
    me = (await client.get("/api/v1/me", headers=staff)).json()
    customer = await _customer(client, admin)
    url = f"/api/v1/customers/{customer}/follow-up"

    before = (await client.get(url, headers=admin)).json()
    assert before["status"] == "following" and before["assignee_id"] is None
    assert before["unassigned"] >= 1

    r = await client.patch(url, json={"assignee_id": me["user_id"]}, headers=admin)
    assert r.status_code == 204, r.text
    r = await client.patch(url, json={"status": "stopped"}, headers=staff)
    assert r.status_code == 204
    r = await client.patch(url, json={"status": "stopped"}, headers=staff)  # no change
    assert r.status_code == 204
    assert (
        await client.post(
            f"/api/v1/customers/{customer}/memos",
            json={"body": "12/12 接客予定。駐車場希望。"},
            headers=staff,
        )
    ).status_code == 201
    assert (
        await client.post(
            f"/api/v1/customers/{customer}/memos", json={"body": "ご主人も来場予定"}, headers=admin
        )
    ).status_code == 201

    after = (await client.get(url, headers=staff)).json()
    assert after["status"] == "stopped" and after["assignee_id"] == me["user_id"]
    assert after["unassigned"] == before["unassigned"] - 1
    changes = [(c["field"], c["old_value"], c["new_value"]) for c in after["history"]]
    assert changes == [("status", "following", "stopped"), ("assignee", None, me["user_id"])]
    assert after["history"][0]["changed_by"] == me["user_id"]
    assert [m["body"] for m in after["memos"]] == [
        "ご主人も来場予定",
        "12/12 接客予定。駐車場希望。",
    ]
    listed = (
        await client.get("/api/v1/customers", params={"follow_up_status": "stopped"}, headers=staff)
    ).json()
    assert customer in [c["id"] for c in listed["items"]]

    # Removing the rep is a change too.
    assert (await client.patch(url, json={"assignee_id": None}, headers=admin)).status_code == 204
    assert (await client.get(url, headers=admin)).json()["history"][0]["new_value"] is None


async def test_bad_input_changes_nothing_and_tenants_stay_apart(system, client) -> None:  # type: ignore[no-untyped-def]
    from gateway.use_cases.tenants import NewStaff, NewTenant, provision_tenant

    admin = await login(client)
    customer = await _customer(client, admin)
    url = f"/api/v1/customers/{customer}/follow-up"
    r = await client.patch(url, json={"status": "won"}, headers=admin)
    assert r.status_code == 422 and "追客中" in r.json()["detail"]["message"]
    r = await client.patch(url, json={"assignee_id": str(uuid.uuid4())}, headers=admin)
    assert r.status_code == 422 and r.json()["detail"]["field"] == "assignee_id"
    r = await client.post(f"/api/v1/customers/{customer}/memos", json={"body": "  "}, headers=admin)
    assert r.status_code == 422
    state = (await client.get(url, headers=admin)).json()
    assert state["status"] == "following" and state["history"] == [] and state["memos"] == []

    slug = f"f{uuid.uuid4().hex[:8]}"

    async def provision(uow) -> None:  # type: ignore[no-untyped-def]
        await provision_tenant(
            NewTenant(
                slug=slug,
                name="他社",
                industry="real_estate",
                portal_secret="x-secret",
                staff=[NewStaff(f"a@{slug}.example", "other-pass-9", "他社", "admin")],
            ),
            uow=uow,
        )

    await system.runtimes["gateway"].transactions(tenant_id=None).run(provision)
    other = await login(client, f"a@{slug}.example", "other-pass-9")
    assert (await client.get(url, headers=other)).status_code == 404
    assert (await client.patch(url, json={"status": "stopped"}, headers=other)).status_code == 404
    assert (await client.get(url, headers=admin)).json()["status"] == "following"
