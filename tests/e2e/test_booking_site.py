"""The salon booking site (予約サイト, BKG-10, seed 003) through the gateway's pages in the
embedded mode, mails read from the local SMTP sink: register, the temporary password by
mail, log in, change the password, book, see it under my reservations, change and cancel;
a guest's first booking opening the account; and the bad input — every wrong field at once,
another customer's mail, a wrong password, a weak new password, a booking in the past, a
cancel too late, another customer's and another tenant's reservation."""

import re
import uuid
from datetime import timedelta

import httpx
import pytest
from gateway.use_cases.tenants import NewStaff, NewTenant, provision_tenant
from kit import clock

from tests.e2e.flows import STORE_CODE, eventually
from tests.e2e.site_flows import (  # noqa: F401 (the fixtures sink and system)
    SITE,
    demo_salon,
    first_start,
    mail_to,
    mailing_system,
    sink_fixture,
    store_policy,
    temporary_password,
)

pytestmark = [pytest.mark.e2e, pytest.mark.database]
FULL = "申し訳ございませんが、ご希望の時間帯は予約がいっぱいとなっております。"


def _site(system) -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=system.gateway_app),
                             base_url="http://gateway")  # fmt: skip


async def _sign_in(
    site: httpx.AsyncClient, email: str, password: str, base: str = SITE
) -> httpx.Response:
    return await site.post(f"{base}/login", data={"email": email, "password": password})


async def test_register_log_in_book_see_change_and_cancel(system, client, sink) -> None:  # type: ignore[no-untyped-def]
    salon = await demo_salon(system, client)
    tag = uuid.uuid4().hex[:6]
    email = f"hanako-{tag}@example.com"
    r = await client.put(f"/api/v1/stores/{salon['store_id']}", headers=salon["headers"], json={
        "code": STORE_CODE, "name": "田町支店", "postal_code": "1080023", "prefecture": "東京都",
        "city": "港区", "street": "芝浦3-1-1", "building": "", "phone": "03-1234-5678"})  # fmt: skip
    assert r.status_code == 200, r.text
    contact = ("〒108-0023 東京都港区芝浦3-1-1", "TEL 03-1234-5678")
    async with _site(system) as site:
        home = await site.get(f"{SITE}/")
        assert home.status_code == 200
        assert all(line in home.text for line in contact)  # the footer: where the salon is
        for text in ("カット", "60分", "5,500円", "カラー", "1時間30分", "8,800円", "佐藤", "鈴木"):
            assert text in home.text
        assert "反響" not in home.text and "ログアウト" not in home.text  # no staff navigation

        # Every wrong field at once, beside its field, the input kept.
        r = await site.post(f"{SITE}/register", data={"name": "", "name_kana": "hanako",
                                                      "email": "hanako@", "phone": "12"})  # fmt: skip
        assert r.status_code == 422
        for message in ("お名前を入力してください。", "フリガナはカタカナで入力してください。",
                        "形式が正しくありません。例: hanako@example.com",
                        "形式が正しくありません。例: 090-1234-5678"):  # fmt: skip
            assert message in r.text
        assert 'value="hanako@"' in r.text

        r = await site.post(f"{SITE}/register", data={"name": "予約 花子", "name_kana": "ヨヤク ハナコ",
                                                      "email": email, "phone": "090-1234-5678"})  # fmt: skip
        assert r.status_code == 200 and "メールをお送りしました" in r.text
        mail = await mail_to(sink, email, "仮パスワード")
        assert (
            "予約 花子 様" in mail.get_content()
            and f"http://gateway{SITE}/login" in mail.get_content()
        )
        temporary = temporary_password(mail)

        # One answer for a wrong password and an unknown mail.
        wrong = await _sign_in(site, email, "not-the-password1")
        unknown = await _sign_in(site, f"nobody-{tag}@example.com", temporary)
        assert wrong.status_code == unknown.status_code == 401
        assert "メールアドレスまたはパスワードが正しくありません。" in wrong.text
        assert "crm_site" not in wrong.headers.get("set-cookie", "")

        r = await _sign_in(site, email, temporary)
        assert r.status_code == 303 and r.headers["location"] == f"{SITE}/password"
        r = await site.get(f"{SITE}/my")
        assert r.status_code == 303 and r.headers["location"] == f"{SITE}/password"
        r = await site.post(f"{SITE}/password", data={"current_password": temporary,
                            "new_password": "abcdefgh", "new_password_again": "abcdefgh"})  # fmt: skip
        assert r.status_code == 422 and "英字と数字の両方を含めてください。" in r.text
        r = await site.post(f"{SITE}/password", data={"current_password": temporary,
                            "new_password": "hanako2026", "new_password_again": "hanako2026"})  # fmt: skip
        assert r.status_code == 303
        my = await site.get(f"{SITE}/my")
        assert (
            "パスワードを変更しました。" in my.text and "これからのご予約はありません。" in my.text
        )
        again = await site.get(f"{SITE}/my")
        assert "パスワードを変更しました。" not in again.text  # a notice is shown once

        # The week: Sunday is 定休日; a time of カット with 佐藤.
        ahead = (clock.today() + timedelta(days=3)).isoformat()  # past the 24 hours
        slots = await site.get(f"{SITE}/slots", params={"menu_id": salon["menus"]["カット"],
                               "staff_id": salon["members"]["佐藤"], "day": ahead})  # fmt: skip
        assert slots.status_code == 200 and "定休日" in slots.text and "指名なし" in slots.text
        starts_at = first_start(slots.text)
        form = await site.get(f"{SITE}/book", params={"menu_id": salon["menus"]["カット"],
                              "staff_id": salon["members"]["佐藤"], "starts_at": starts_at})  # fmt: skip
        assert "予約 花子 様のご予約として承ります" in form.text
        r = await site.post(f"{SITE}/book", data={"menu_id": salon["menus"]["カット"],
                            "staff_id": salon["members"]["佐藤"], "starts_at": starts_at})  # fmt: skip
        assert r.status_code == 303 and r.headers["location"] == f"{SITE}/done", r.text
        done = await site.get(f"{SITE}/done")
        assert "ご予約を承りました" in done.text and "佐藤" in done.text and "5,500円" in done.text
        assert (await site.get(f"{SITE}/done")).status_code == 303  # shown once
        confirmation = await mail_to(sink, email, "ご予約を承りました")
        assert "カット（60分・5,500円）" in confirmation.get_content()
        assert all(line in confirmation.get_content() for line in contact)

        # The same time again: 満席.
        r = await site.post(f"{SITE}/book", data={"menu_id": salon["menus"]["カット"],
                            "staff_id": salon["members"]["佐藤"], "starts_at": starts_at})  # fmt: skip
        assert r.status_code == 409 and FULL in r.text

        my = await site.get(f"{SITE}/my")
        visit_id = re.search(r"/my/([0-9a-f-]{36})/cancel", my.text).group(1)  # type: ignore[union-attr]
        assert "カット" in my.text and "日時を変更" in my.text

        # A booking in the past: refused, in Japanese.
        past = (clock.now() - timedelta(days=1)).replace(hour=11, minute=0, second=0, microsecond=0)
        r = await site.post(f"{SITE}/book", data={"menu_id": salon["menus"]["カット"],
                            "staff_id": "", "starts_at": past.isoformat()})  # fmt: skip
        assert r.status_code == 422 and "過去の日時は予約できません。" in r.text

        # Too late: the store's window grows past the reservation; nothing changes.
        await store_policy(client, salon["headers"], salon["store_id"], hours=720)
        r = await site.post(f"{SITE}/my/{visit_id}/cancel")
        assert r.status_code == 409 and "720時間前" in r.text and "お電話" in r.text
        assert "ご予約は変更されていません。" in r.text
        my = await site.get(f"{SITE}/my")
        assert "期限" in my.text and f"/my/{visit_id}/cancel" not in my.text
        for path in ("cancel", "change"):  # the forms say so too, and offer nothing
            r = await site.get(f"{SITE}/my/{visit_id}/{path}")
            assert (
                r.status_code == 409 and "までです。" in r.text and "キャンセルする" not in r.text
            )
        await store_policy(client, salon["headers"], salon["store_id"], hours=24)

        # Change to another time, then cancel.
        change = await site.get(f"{SITE}/my/{visit_id}/change", params={"day": ahead})
        times = re.findall(r'name="starts_at" value="([^"]+)"', change.text)
        new_start = next(t for t in times if t != starts_at)
        r = await site.post(f"{SITE}/my/{visit_id}/change", data={"starts_at": new_start})
        assert r.status_code == 303
        assert "ご予約の日時を変更しました。" in (await site.get(f"{SITE}/my")).text
        await mail_to(sink, email, "ご予約の変更を承りました")
        r = await site.post(f"{SITE}/my/{visit_id}/cancel")
        assert r.status_code == 303
        my = await site.get(f"{SITE}/my")
        assert "ご予約をキャンセルしました。" in my.text and "キャンセル</p>" in my.text
        assert "これからのご予約はありません。" in my.text
        await mail_to(sink, email, "ご予約のキャンセルを承りました")

        # Another customer's reservation (and a made-up id): the site's 404.
        r = await client.post("/api/v1/booking/visits", headers=salon["headers"], json={
            "kind": "salon", "store_id": salon["store_id"], "customer_id": await _staff_customer(client, salon),
            "menu_id": salon["menus"]["カラー"], "staff_member_id": salon["members"]["鈴木"],
            "starts_at": new_start})  # fmt: skip
        assert r.status_code == 201, r.text
        others = r.json()["id"]
        for target in (others, str(uuid.uuid4()), "not-an-id"):
            for method, path in (("GET", "cancel"), ("POST", "cancel"), ("GET", "change")):
                r = await site.request(method, f"{SITE}/my/{target}/{path}")
                assert r.status_code == 404 and "ページが見つかりません" in r.text
        status = await client.get(f"/api/v1/booking/visits/{others}", headers=salon["headers"])
        assert status.json()["status"] == "reserved"

        # Another tenant's site: the demo customer's session is not theirs, nor the visit.
        await _second_salon(system)
        r = await site.get("/r/salon2/S001/my")
        assert r.status_code == 303 and "/r/salon2/S001/login" in r.headers["location"]
        r = await _sign_in(site, email, "hanako2026", base="/r/salon2/S001")
        assert r.status_code == 401
        assert (await site.get("/r/salon2/NOPE/")).status_code == 404
        assert (await site.get(f"/r/nobody/{SITE.rsplit('/', 1)[1]}/")).status_code == 404
    # salon2's own signed-in customer asking for the demo tenant's reservation: 404.
    async with _site(system) as other:
        email2 = f"salon2-{tag}@example.com"
        r = await other.post("/r/salon2/S001/register", data={"name": "二号 花子", "name_kana": "ニゴウ ハナコ",
                             "email": email2, "phone": "090-5555-6666"})  # fmt: skip
        assert "メールをお送りしました" in r.text
        password = temporary_password(await mail_to(sink, email2, "仮パスワード"))
        assert (await _sign_in(other, email2, password, base="/r/salon2/S001")).status_code == 303
        for method, path in (("GET", "cancel"), ("POST", "cancel"), ("GET", "change")):
            r = await other.request(method, f"/r/salon2/S001/my/{visit_id}/{path}")
            assert r.status_code == 404 and "ページが見つかりません" in r.text
        r = await other.post(f"/r/salon2/S001/my/{visit_id}/change", data={"starts_at": new_start})
        assert r.status_code == 404


async def _staff_customer(client: httpx.AsyncClient, salon: dict) -> str:
    r = await client.post("/api/v1/customers", headers=salon["headers"], json={
        "family_name": "別人", "given_name": "一郎", "family_kana": "ベツジン", "given_kana": "イチロウ",
        "phones": ["090-3333-4444"], "emails": [f"other-{uuid.uuid4().hex[:6]}@example.com"],
        "birth_date": "1980-01-01"})  # fmt: skip
    assert r.status_code == 201, r.text
    customer_id = r.json()["id"]

    async def known() -> bool:
        visits = await client.get("/api/v1/booking/visits", params={"customer_id": customer_id},
                                  headers=salon["headers"])  # fmt: skip
        return visits.status_code == 200

    await eventually(known)
    return customer_id


async def _second_salon(system) -> None:  # type: ignore[no-untyped-def]
    tx = system.runtimes["gateway"].transactions(tenant_id=None)
    spec = NewTenant(slug="salon2", name="(株)サロン二号", industry="salon", portal_secret=None,
                     stores=[("S001", "二号店")],
                     staff=[NewStaff("admin@salon2.example", "salon2-admin-pass", "管理者", "admin")])  # fmt: skip
    await tx.run(lambda uow: provision_tenant(spec, uow=uow))


async def test_a_guests_first_booking_opens_the_account_and_a_known_mail_reveals_nothing(
    system, client, sink
) -> None:  # type: ignore[no-untyped-def]
    salon = await demo_salon(system, client)
    email = f"guest-{uuid.uuid4().hex[:6]}@example.com"
    async with _site(system) as site:
        slots = await site.get(f"{SITE}/slots", params={"menu_id": salon["menus"]["カラー"]})
        starts_at = first_start(slots.text)
        data = {"menu_id": salon["menus"]["カラー"], "staff_id": "", "starts_at": starts_at}
        r = await site.post(f"{SITE}/book", data={**data, "name": "", "name_kana": "", "email": "",
                                                  "phone": ""})  # fmt: skip
        assert r.status_code == 422 and "入力内容をご確認ください（4件）" in r.text
        r = await site.post(f"{SITE}/book", data={**data, "name": "来店 一子", "name_kana": "ライテン イチコ",
                                                  "email": email, "phone": "０９０ー２２２２ー３３３３"})  # fmt: skip
        assert r.status_code == 303, r.text
        done = await site.get(f"{SITE}/done")
        assert "仮パスワード" in done.text
        await mail_to(sink, email, "ご予約を承りました")
        temporary = temporary_password(await mail_to(sink, email, "仮パスワード"))
        assert (await _sign_in(site, email, temporary)).status_code == 303
        r = await site.post(f"{SITE}/password", data={"current_password": temporary,
                            "new_password": "ichiko2026", "new_password_again": "ichiko2026"})  # fmt: skip
        my = await site.get(f"{SITE}/my")
        assert "来店 一子 様のご予約" in my.text and "カラー" in my.text

    # Someone else registers with her mail: the same page; she is mailed; nothing changes.
    async with _site(system) as stranger:
        r = await stranger.post(f"{SITE}/register", data={"name": "乗取 太郎", "name_kana": "ノットリ タロウ",
                                                          "email": email, "phone": "080-9999-0000"})  # fmt: skip
        assert r.status_code == 200 and "メールをお送りしました" in r.text
        assert "来店" not in r.text and "既に" not in r.text
        notice = await mail_to(sink, email, "会員登録のお申し込み")
        assert "既にアカウントをお持ちです" in notice.get_content()
        r = await _sign_in(stranger, email, "ichiko2026")
        assert (
            r.status_code == 303
        )  # her password still works; the stranger's typing changed nothing
    found = await client.get("/api/v1/customers", params={"email": email}, headers=salon["headers"])
    [customer] = found.json()["items"]
    assert customer["name"] == "来店 一子"

    # Blacklisted (seed 003): she sees 満席, exactly as for a full slot; the slot stays free.
    r = await client.put(f"/api/v1/customers/{customer['id']}/flags", headers=salon["headers"],
                         json={"blacklisted": True, "blacklist_memo": "無断キャンセル"})  # fmt: skip
    assert r.status_code == 204, r.text
    async with _site(system) as site:
        await _sign_in(site, email, "ichiko2026")
        slots = await site.get(f"{SITE}/slots", params={"menu_id": salon["menus"]["カット"]})
        starts_at = first_start(slots.text)
        data = {"menu_id": salon["menus"]["カット"], "staff_id": "", "starts_at": starts_at}

        async def refused() -> httpx.Response | None:
            r = await site.post(f"{SITE}/book", data=data)
            return r if r.status_code == 409 else None

        r = await eventually(refused)
        assert FULL in r.text and "ブラックリスト" not in r.text
    async with _site(system) as guest:
        r = await guest.post(f"{SITE}/book", data={**data, "name": "別客 二郎", "name_kana": "ベッキャク ジロウ",
                             "email": f"free-{uuid.uuid4().hex[:6]}@example.com", "phone": "090-7777-8888"})  # fmt: skip
        assert r.status_code == 303  # the slot itself was free


async def test_sign_in_is_throttled_per_mail_alike_for_unknown_and_known_mails(
    system, client, sink
) -> None:  # type: ignore[no-untyped-def]
    """Ten tries per mail in 15 minutes, then the same refusal whether the mail has an account
    and whether the password is right."""
    await demo_salon(system, client)
    email = f"throttle-{uuid.uuid4().hex[:6]}@example.com"
    transport = httpx.ASGITransport(app=system.gateway_app, client=("192.0.2.77", 4000))
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as site:
        await site.post(f"{SITE}/register", data={"name": "連打 花子", "name_kana": "レンダ ハナコ",
                                                  "email": email, "phone": "090-4444-5555"})  # fmt: skip
        temporary = temporary_password(await mail_to(sink, email, "仮パスワード"))
        unknown = f"nobody-{uuid.uuid4().hex[:6]}@example.com"
        for mail in (email, unknown):
            answers = [(await _sign_in(site, mail, "wrong-pass1")).status_code for _ in range(10)]
            assert answers == [401] * 10
        for mail, password in ((email, temporary), (unknown, temporary)):
            r = await _sign_in(site, mail, password)
            assert r.status_code == 429 and "試行回数が多すぎます。" in r.text
            assert "crm_site" not in r.headers.get("set-cookie", "")
