"""GW-1 through the running system (embedded, demo tenant): the stores an admin gives a 一般
user reach the services in the token, and scope the inquiries and customers that user sees;
the header's store switcher; the account pages' answers to bad input, to a 一般 user and to
repeated wrong passwords."""

import uuid

import httpx
import pytest

from tests.e2e.flows import eventually, inquiry_body, login, post_inquiry

pytestmark = [pytest.mark.e2e, pytest.mark.database]

TAMACHI, SHINAGAWA = "00000100101", "00000100102"


async def _staff_of(client: httpx.AsyncClient, admin: dict, codes: list[str]) -> None:
    stores = {
        s["code"]: s["id"] for s in (await client.get("/api/v1/stores", headers=admin)).json()
    }
    staff = next(a for a in (await client.get("/api/v1/accounts", headers=admin)).json()
                 if a["email"] == "staff@demo.example")  # fmt: skip
    r = await client.put(f"/api/v1/accounts/{staff['id']}", headers=admin, json={
        "display_name": staff["display_name"], "role": "general",
        "store_ids": [stores[c] for c in codes]})  # fmt: skip
    assert r.status_code == 200, r.text


async def test_a_general_user_sees_the_inquiries_and_customers_of_their_store(
    client: httpx.AsyncClient,
) -> None:
    admin = await login(client)
    tag = uuid.uuid4().hex[:8]
    emails = {}
    for code in (TAMACHI, SHINAGAWA):
        email = f"scope-{code[-1]}-{tag}@example.com"
        body = {**inquiry_body(email=email, name=f"店舗{code[-1]} {tag}", phone="090-5555-0101"),
                "store_code": code}  # fmt: skip
        assert (await post_inquiry(client, body)).status_code == 202
        emails[code] = email

    async def both_linked() -> bool:
        r = await client.get("/api/v1/customers", params={"q": tag}, headers=admin)
        return len(r.json()["items"]) == 2

    await eventually(both_linked)
    await _staff_of(client, admin, [TAMACHI])
    try:
        staff = await login(client, "staff@demo.example", "demo-staff-pass")
        me = (await client.get("/api/v1/me", headers=staff)).json()
        assert [s["code"] for s in me["stores"]] == [TAMACHI]
        inquiries = (
            await client.get("/api/v1/inquiries", params={"name": tag}, headers=staff)
        ).json()
        assert [i["contact"]["email"] for i in inquiries["items"]] == [emails[TAMACHI]]
        customers = (await client.get("/api/v1/customers", params={"q": tag}, headers=staff)).json()
        assert len(customers["items"]) == 1 and tag in customers["items"][0]["name"]
        everyone = (
            await client.get("/api/v1/inquiries", params={"name": tag}, headers=admin)
        ).json()
        assert everyone["total"] == 2
        other = next(i for i in everyone["items"] if i["contact"]["email"] == emails[SHINAGAWA])
        r = await client.get(f"/api/v1/inquiries/{other['id']}", headers=staff)
        assert r.status_code == 404
    finally:
        await _staff_of(client, admin, [TAMACHI, SHINAGAWA])


async def test_the_store_switcher_keeps_one_of_the_users_stores(client: httpx.AsyncClient) -> None:
    admin = await login(client)
    me = (await client.get("/api/v1/me", headers=admin)).json()
    assert me["current_store"]["code"] == TAMACHI and len(me["stores"]) == 2
    shinagawa = next(s for s in me["stores"] if s["code"] == SHINAGAWA)
    r = await client.post("/api/v1/me/store", headers=admin, json={"store_id": shinagawa["id"]})
    assert r.status_code == 204
    assert (await client.get("/api/v1/me", headers=admin)).json()["current_store"][
        "code"
    ] == SHINAGAWA
    for bad, status in ((str(uuid.uuid4()), 404), ("not-an-id", 422)):
        r = await client.post("/api/v1/me/store", headers=admin, json={"store_id": bad})
        assert r.status_code == status and not r.json()["detail"]["message"].isascii()
    # the page header: company, store and code
    page = await client.get("/customers", cookies={"crm_session": admin["authorization"][7:]})
    assert "(株)スーム不動産" in page.text and "品川支店 (00000100102)" in page.text


async def test_the_account_pages_refuse_bad_input_and_general_users(
    client: httpx.AsyncClient,
) -> None:
    admin = await login(client)
    cookies = {"crm_session": admin["authorization"][7:]}
    r = await client.post("/accounts", cookies=cookies,
                          data={"email": "not-a-mail", "display_name": "", "role": "general"})  # fmt: skip
    assert r.status_code == 422
    assert "氏名を入力してください" in r.text and "メールアドレスの形式が正しくありません" in r.text
    assert 'value="not-a-mail"' in r.text  # the input is kept
    staff = await login(client, "staff@demo.example", "demo-staff-pass")
    staff_cookies = {"crm_session": staff["authorization"][7:]}
    r = await client.get("/accounts", cookies=staff_cookies)
    assert r.status_code == 403 and "管理者のみ" in r.text
    r = await client.get("/me", cookies=staff_cookies)
    assert r.status_code == 200 and "ログアウト（すべての端末）" in r.text
    r = await client.post("/me/password", cookies=staff_cookies,
                          data={"current_password": "demo-staff-pass", "new_password": "short"})  # fmt: skip
    assert r.status_code == 422 and "10文字以上" in r.text
    r = await client.get("/invitations/not-a-token")
    assert r.status_code == 404 and "見つかりません" in r.text


async def test_repeated_wrong_passwords_on_the_login_page_wait(client: httpx.AsyncClient) -> None:
    email = f"nobody-{uuid.uuid4().hex[:6]}@demo.example"
    statuses = []
    for _ in range(12):
        r = await client.post("/login", data={"email": email, "password": "wrong-password"})
        statuses.append(r.status_code)
    assert statuses == [401] * 10 + [429] * 2
    assert "しばらくログインできません" in r.text
