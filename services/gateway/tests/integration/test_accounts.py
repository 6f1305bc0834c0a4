"""GW-1 against the gateway's real database: the operator's company, invitations, the
admin's アカウント一覧, マイアカウント, resets, sessions ending, and the login throttle."""

import pytest
from gateway.operator import create_company_in
from gateway.use_cases.account_admin import NewCompany

from .conftest import Gateway, unique_slug

pytestmark = pytest.mark.database


async def company(gateway: Gateway, *, email: str = "owner@co.example") -> str:
    spec = NewCompany(name="(株)テスト不動産", slug=unique_slug(), business_types=["real_estate"],
                      store_code="00000100101", store_name="田町支店", admin_email=email,
                      admin_name="山田 太郎")  # fmt: skip
    await create_company_in(gateway.settings, spec)
    return email


async def login(gateway: Gateway, email: str, password: str) -> dict[str, str]:
    r = await gateway.client.post(
        "/api/v1/auth/token", data={"username": email, "password": password}
    )
    assert r.status_code == 200, r.text
    return {"authorization": f"Bearer {r.json()['access_token']}"}


async def admin_of_new_company(gateway: Gateway) -> dict[str, str]:
    email = await company(gateway)
    token = await gateway.link(email)
    r = await gateway.client.post(
        f"/api/v1/invitations/{token}", json={"password": "sumu-tamachi-2026"}
    )
    assert r.status_code == 204, r.text
    return await login(gateway, email, "sumu-tamachi-2026")


async def test_the_operator_company_invites_its_admin_once(gateway: Gateway) -> None:
    email = await company(gateway)
    [mail] = await gateway.mails(email)
    assert "招待" in mail["subject"] and "/invitations/" in mail["body"]
    token = await gateway.link(email)
    r = await gateway.client.get(f"/api/v1/invitations/{token}")
    assert r.json() == {"email": email, "display_name": "山田 太郎"}
    # weak passwords are refused with the reason, and the link stays usable
    for weak, why in (("short-pw", "10文字以上"), (email, "メールアドレスと同じ")):
        r = await gateway.client.post(f"/api/v1/invitations/{token}", json={"password": weak})
        assert r.status_code == 422 and why in r.json()["detail"]["message"], r.text
        assert r.json()["detail"]["field"] == "password"
    r = await gateway.client.post(
        f"/api/v1/invitations/{token}", json={"password": "sumu-tamachi-2026"}
    )
    assert r.status_code == 204
    headers = await login(gateway, email, "sumu-tamachi-2026")
    me = (await gateway.client.get("/api/v1/me", headers=headers)).json()
    assert me["role"] == "admin" and me["company"] == "(株)テスト不動産"
    assert me["business_types"] == ["real_estate"]
    assert [s["code"] for s in me["stores"]] == ["00000100101"]
    assert me["current_store"]["name"] == "田町支店"
    # the second use is refused, and the password stays the first one's
    r = await gateway.client.post(
        f"/api/v1/invitations/{token}", json={"password": "another-password-1"}
    )
    assert r.status_code == 410 and "使用済み" in r.json()["detail"]["message"]
    await login(gateway, email, "sumu-tamachi-2026")
    r = await gateway.client.post("/api/v1/invitations/not-a-token", json={"password": "x" * 12})
    assert r.status_code == 404


async def test_a_slug_or_mail_already_taken_creates_nothing(gateway: Gateway) -> None:
    from kit.errors import Conflict

    await company(gateway, email="taken@co.example")
    tenants = await gateway.scalar("SELECT count(*) FROM tenants")
    with pytest.raises(Conflict):
        await company(gateway, email="taken@co.example")
    assert await gateway.scalar("SELECT count(*) FROM tenants") == tenants


async def test_an_expired_invitation_is_refused(gateway: Gateway) -> None:
    email = await company(gateway)
    token = await gateway.link(email)
    assert gateway.runtime.engine is not None
    async with gateway.runtime.engine.begin() as conn:
        import sqlalchemy as sa

        await conn.execute(sa.text("UPDATE account_tokens SET expires_at = now() - interval '1 s'"))
    r = await gateway.client.post(
        f"/api/v1/invitations/{token}", json={"password": "sumu-tamachi-2026"}
    )
    assert r.status_code == 410


async def test_the_admin_adds_edits_and_disables_a_user(gateway: Gateway) -> None:
    admin = await admin_of_new_company(gateway)
    store_id = (await gateway.client.get("/api/v1/me", headers=admin)).json()["stores"][0]["id"]
    r = await gateway.client.post("/api/v1/accounts", headers=admin, json={
        "email": "Hanako@co.example", "display_name": "営業 花子", "role": "general",
        "store_ids": [store_id]})  # fmt: skip
    assert r.status_code == 201, r.text
    user = r.json()
    assert user["email"] == "hanako@co.example" and user["store_ids"] == [store_id]
    token = await gateway.link("hanako@co.example")
    await gateway.client.post(f"/api/v1/invitations/{token}", json={"password": "hanako-pass-2026"})
    staff = await login(gateway, "hanako@co.example", "hanako-pass-2026")
    me = (await gateway.client.get("/api/v1/me", headers=staff)).json()
    assert me["role"] == "general" and [s["id"] for s in me["stores"]] == [store_id]
    # 一般 may not manage accounts (403 in Japanese)
    r = await gateway.client.get("/api/v1/accounts", headers=staff)
    assert r.status_code == 403 and "管理者のみ" in r.json()["detail"]["message"]
    # the same mail twice, an unknown store, a bad role: refused, nothing added
    for body, field in (
        ({"email": "hanako@co.example", "display_name": "二重", "role": "general"}, "email"),
        ({"email": "x@co.example", "display_name": "x", "role": "general",
          "store_ids": ["00000000-0000-0000-0000-000000000001"]}, "store_ids"),
        ({"email": "y@co.example", "display_name": "y", "role": "owner"}, "role"),
        ({"email": "not-a-mail", "display_name": "z", "role": "general"}, "email"),
    ):  # fmt: skip
        r = await gateway.client.post("/api/v1/accounts", headers=admin, json=body)
        assert r.status_code in (409, 422) and r.json()["detail"]["field"] == field, r.text
        assert not r.json()["detail"]["message"].isascii()
    assert len((await gateway.client.get("/api/v1/accounts", headers=admin)).json()) == 2
    # disabling ends the user's sessions at once
    r = await gateway.client.put(f"/api/v1/accounts/{user['id']}", headers=admin, json={
        "display_name": "営業 花子", "role": "general", "store_ids": [], "active": False})  # fmt: skip
    assert r.status_code == 200 and r.json()["active"] is False
    assert (await gateway.client.get("/api/v1/me", headers=staff)).status_code == 401
    r = await gateway.client.post("/api/v1/auth/token",
                                  data={"username": "hanako@co.example", "password": "hanako-pass-2026"})  # fmt: skip
    assert r.status_code == 401


async def test_another_tenants_user_is_not_found(gateway: Gateway) -> None:
    admin_a = await admin_of_new_company(gateway)
    email_b = await company(gateway, email="owner-b@co.example")
    token = await gateway.link(email_b)
    await gateway.client.post(f"/api/v1/invitations/{token}", json={"password": "owner-b-pass-26"})
    admin_b = await login(gateway, email_b, "owner-b-pass-26")
    b_id = (await gateway.client.get("/api/v1/me", headers=admin_b)).json()["user_id"]
    r = await gateway.client.put(f"/api/v1/accounts/{b_id}", headers=admin_a, json={
        "display_name": "乗っ取り", "role": "general", "active": False})  # fmt: skip
    assert r.status_code == 404
    r = await gateway.client.post(f"/api/v1/accounts/{b_id}/invitation", headers=admin_a)
    assert r.status_code == 404
    assert (await gateway.client.get("/api/v1/me", headers=admin_b)).status_code == 200


async def test_my_account_and_signing_out_everywhere(gateway: Gateway) -> None:
    first = await admin_of_new_company(gateway)
    second = await login(gateway, "owner@co.example", "sumu-tamachi-2026")
    r = await gateway.client.post("/api/v1/me/password", headers=first, json={
        "current_password": "wrong-one-123", "new_password": "brand-new-pass-1"})  # fmt: skip
    assert r.status_code == 422 and r.json()["detail"]["field"] == "current_password"
    r = await gateway.client.post("/api/v1/me/password", headers=first, json={
        "current_password": "sumu-tamachi-2026", "new_password": "brand-new-pass-1"})  # fmt: skip
    assert r.status_code == 204
    # the other device, signed in with the old password, is out; this one stays
    assert (await gateway.client.get("/api/v1/me", headers=second)).status_code == 401
    second = await login(gateway, "owner@co.example", "brand-new-pass-1")
    r = await gateway.client.put(
        "/api/v1/me",
        headers=first,
        json={"display_name": "山田 一郎", "email": "ichiro@co.example"},
    )
    assert r.status_code == 204
    assert (await gateway.client.get("/api/v1/me", headers=first)).json()[
        "email"
    ] == "ichiro@co.example"
    r = await gateway.client.post("/api/v1/auth/logout-all", headers=first)
    assert r.status_code == 204
    for headers in (first, second):
        assert (await gateway.client.get("/api/v1/me", headers=headers)).status_code == 401
    await login(gateway, "ichiro@co.example", "brand-new-pass-1")


async def test_a_reset_answers_the_same_for_unknown_and_known_mails(gateway: Gateway) -> None:
    await admin_of_new_company(gateway)
    known = await gateway.client.post("/api/v1/password-resets", json={"email": "owner@co.example"})
    unknown = await gateway.client.post(
        "/api/v1/password-resets", json={"email": "nobody@co.example"}
    )
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
    assert await gateway.mails("nobody@co.example") == []
    token = await gateway.link("owner@co.example", "password-reset")
    r = await gateway.client.post(
        f"/api/v1/password-resets/{token}", json={"password": "reset-pass-2026"}
    )
    assert r.status_code == 204
    r = await gateway.client.post(
        f"/api/v1/password-resets/{token}", json={"password": "reset-pass-2027"}
    )
    assert r.status_code == 410
    await login(gateway, "owner@co.example", "reset-pass-2026")


async def test_failed_logins_are_throttled_per_account_without_revealing_it(
    gateway: Gateway,
) -> None:
    await admin_of_new_company(gateway)
    answers = {}
    for email in ("owner@co.example", "ghost@co.example"):
        statuses = []
        for _ in range(7):
            r = await gateway.client.post("/api/v1/auth/token",
                                          data={"username": email, "password": "wrong-password"})  # fmt: skip
            statuses.append(r.status_code)
        answers[email] = statuses
        assert r.status_code == 429 and "しばらく" in r.json()["detail"]["message"]
    # an existing and an unknown account are answered alike
    assert answers["owner@co.example"] == answers["ghost@co.example"] == [401] * 5 + [429] * 2
    # the right password waits too while the account is blocked
    r = await gateway.client.post("/api/v1/auth/token",
                                  data={"username": "owner@co.example", "password": "sumu-tamachi-2026"})  # fmt: skip
    assert r.status_code == 429


async def test_failed_logins_are_throttled_per_address(gateway: Gateway) -> None:
    statuses = []
    for n in range(14):  # a different account each time: only the address adds up
        r = await gateway.client.post("/api/v1/auth/token",
                                      data={"username": f"u{n}@co.example", "password": "wrong"})  # fmt: skip
        statuses.append(r.status_code)
    assert statuses == [401] * 12 + [429] * 2
