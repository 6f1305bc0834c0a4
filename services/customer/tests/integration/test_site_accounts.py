"""The booking site's accounts (seed 003): registration mails a temporary password; a known
customer's or an account's mail gets the same answer on screen and changes nothing of the
customer; sign-in refuses an unknown mail and a wrong password alike; weak passwords and
another tenant's sign-in are refused; a reset keeps the old password until the new one is
used; a merge keeps the account."""

import re
import uuid

import pytest
import sqlalchemy as sa
from kit.auth import Principal, mint_service_token

from .conftest import Service, profile

pytestmark = [pytest.mark.database]
LINKS = {"shop": "サロン田町", "login_url": "http://site/login", "reset_url": "http://site/reset"}


def _site(service: Service, *, customer_id: uuid.UUID | None = None,
          tenant_id: uuid.UUID | None = None) -> dict:  # fmt: skip
    principal = Principal(tenant_id=tenant_id or service.tenant_id, role="public",
                          user_id=customer_id)  # fmt: skip
    token = mint_service_token(principal, secret=service.runtime.common.service_token_secret)
    return {"authorization": f"Bearer {token}"}


async def _mails(service: Service, to: str) -> list[tuple[str, str]]:
    assert service.runtime.engine is not None
    async with service.runtime.engine.connect() as conn:
        rows = await conn.execute(
            sa.text("SELECT subject, body FROM mail_outbox WHERE recipient = :r ORDER BY id"),
            {"r": to},
        )
        return [(r.subject, r.body) for r in rows]


def _password(body: str) -> str:
    found = re.search(r"仮パスワード: (\S+)", body)
    assert found
    return found.group(1)


async def _register(service: Service, email: str, **extra: object) -> int:
    body = {"name": "予約 花子", "name_kana": "ヨヤク ハナコ", "email": email,
            "phone": "090-1111-2222", "links": LINKS, **extra}  # fmt: skip
    r = await service.post("/site-accounts", body, headers=_site(service))
    return r.status_code


async def test_register_sign_in_change_password_and_reset(service: Service) -> None:
    email = f"hanako-{uuid.uuid4().hex[:6]}@example.com"
    assert await _register(service, email) == 202
    [(subject, body)] = await _mails(service, email)
    assert "仮パスワード" in subject and "予約 花子 様" in body
    temporary = _password(body)

    wrong = await service.post("/site-accounts/sign-in", {"email": email, "password": "nope1234"},
                               headers=_site(service))  # fmt: skip
    unknown = await service.post(
        "/site-accounts/sign-in", {"email": "nobody@example.com", "password": temporary},
        headers=_site(service),
    )  # fmt: skip
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["detail"]["message"] == "メールアドレスまたはパスワードが正しくありません。"
    other_tenant = await service.post(
        "/site-accounts/sign-in", {"email": email, "password": temporary},
        headers=_site(service, tenant_id=uuid.uuid4()),
    )  # fmt: skip
    assert other_tenant.status_code == 401

    r = await service.post("/site-accounts/sign-in", {"email": email, "password": temporary},
                           headers=_site(service))  # fmt: skip
    assert r.status_code == 200, r.text
    signed = r.json()
    assert signed["must_change"] is True and signed["name"] == "予約 花子"
    customer_id = uuid.UUID(signed["customer_id"])
    me = _site(service, customer_id=customer_id)

    for weak, reason in (("short1", "8文字以上"), ("abcdefghij", "英字と数字"),
                         (email, "メールアドレスと同じ")):  # fmt: skip
        r = await service.post("/site-accounts/password",
                               {"current_password": temporary, "new_password": weak}, headers=me)  # fmt: skip
        assert r.status_code == 422 and reason in r.json()["detail"]["message"], r.text
        assert r.json()["detail"]["field"] == "new_password"
    r = await service.post("/site-accounts/password",
                           {"current_password": "wrong-one9", "new_password": "hanako2026"},
                           headers=me)  # fmt: skip
    assert r.status_code == 422 and r.json()["detail"]["field"] == "current_password"
    r = await service.post("/site-accounts/password",
                           {"current_password": temporary, "new_password": "hanako2026"},
                           headers=me)  # fmt: skip
    assert r.status_code == 204, r.text
    r = await service.post("/site-accounts/sign-in", {"email": email, "password": temporary},
                           headers=_site(service))  # fmt: skip
    assert r.status_code == 401  # the temporary password is spent
    r = await service.post("/site-accounts/sign-in", {"email": email.upper(), "password": "hanako2026"},
                           headers=_site(service))  # fmt: skip
    assert r.status_code == 200 and r.json()["must_change"] is False

    # A reset (asked by anyone) leaves the password working; unknown mails the same answer.
    r = await service.post("/site-accounts/reset", {"email": email, "links": LINKS},
                           headers=_site(service))  # fmt: skip
    assert r.status_code == 202
    r = await service.post("/site-accounts/reset", {"email": "nobody@example.com", "links": LINKS},
                           headers=_site(service))  # fmt: skip
    assert r.status_code == 202
    assert await _mails(service, "nobody@example.com") == []
    reset_password = _password((await _mails(service, email))[-1][1])
    for password in ("hanako2026", reset_password):
        r = await service.post("/site-accounts/sign-in", {"email": email, "password": password},
                               headers=_site(service))  # fmt: skip
        assert r.status_code == 200, password

    # Staff cannot use these routes; a password change needs the signed-in customer.
    r = await service.post("/site-accounts/sign-in", {"email": email, "password": "hanako2026"})
    assert r.status_code == 403
    r = await service.post("/site-accounts/password",
                           {"current_password": "hanako2026", "new_password": "another2026"},
                           headers=_site(service))  # fmt: skip
    assert r.status_code == 403


async def test_a_known_mail_is_neither_revealed_nor_taken_over(service: Service) -> None:
    email = f"known-{uuid.uuid4().hex[:6]}@example.com"
    r = await service.post("/customers", profile(emails=[email], phones=["03-1234-5678"]))
    assert r.status_code == 201, r.text
    known = r.json()
    before = (await service.get(f"/customers/{known['id']}")).json()

    # A stranger registers with the customer's mail: the same 202 as anyone; the password
    # goes to the customer's own mailbox; the customer's name and phones stay as they were.
    assert await _register(service, email, name="乗取 太郎", phone="080-9999-0000") == 202
    [(subject, body)] = await _mails(service, email)
    assert "仮パスワード" in subject and f"{before['name']} 様" in body
    after = (await service.get(f"/customers/{known['id']}")).json()
    assert after["name"] == before["name"] and after["phones"] == before["phones"]

    # Again, now that an account exists: a mail to the owner, nothing else.
    assert await _register(service, email, name="乗取 太郎") == 202
    mails = await _mails(service, email)
    assert len(mails) == 2 and "既にアカウントをお持ちです" in mails[1][1]
    count = await service.scalar(
        "SELECT count(*) FROM customer_site_accounts WHERE email_key = :k", k=email
    )
    assert count == 1

    # Bad input is refused in Japanese, nothing kept.
    r = await service.post("/site-accounts", {"name": "x", "email": "not-a-mail", "phone": "1",
                                              "links": LINKS}, headers=_site(service))  # fmt: skip
    assert r.status_code == 422 and r.json()["detail"]["field"] == "email"


async def test_a_booking_opens_the_account_once(service: Service) -> None:
    email = f"guest-{uuid.uuid4().hex[:6]}@example.com"
    r = await service.post("/guests", {"name": "来店 一郎", "email": email, "phone": "090-2222-3333"},
                           headers=_site(service))  # fmt: skip
    customer_id = r.json()["customer_id"]
    body = {"customer_id": customer_id, "email": email, "links": LINKS}
    first = await service.post("/site-accounts/for-booking", body, headers=_site(service))
    second = await service.post("/site-accounts/for-booking", body, headers=_site(service))
    assert first.json() == {"mailed": True} and second.json() == {"mailed": False}
    assert len(await _mails(service, email)) == 1
