"""Salon booking and the 店舗設定 sub-pages in a real browser (Debian's Chromium) at PC and
phone widths: an admin adds a menu, a staff member with working hours and notification
destinations (and deletes one), books a salon reservation from the staff member's column of
the calendar, sees it there with the customer's ❗, opens it (its notifications), moves it,
and meets the service's Japanese refusals next to the forms: outside the member's hours, the
slot taken, a blacklisted customer. Screenshots are kept as artefacts."""

import re
import uuid
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from kit import clock

from tests.e2e.flows import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CHROMIUM_ENV,
    STORE_CODE,
    customers_by_email,
    eventually,
    inquiry_body,
    login,
    post_inquiry,
    screenshot_that_fits,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.database]

# A Wednesday two or more weeks ahead: a visit in the past is refused (docs/booking.md).
WEDNESDAY = clock.today() + timedelta(days=14 + (2 - clock.today().weekday()) % 7)
DAY = WEDNESDAY.isoformat()
JP_DAY = f"{WEDNESDAY:%Y/%m/%d}(水)"
WIDTHS = [("pc", 1366, 900), ("phone", 375, 812)]


@pytest.fixture(scope="module")
async def salon(system, served):  # type: ignore[no-untyped-def]
    """A store open 10:00–19:00 in 30-minute slots; 住まい 花子 (要注意人物) and 黒田 次郎,
    who had a visit booked before he was blacklisted."""
    async with httpx.AsyncClient(base_url=served) as client:
        headers = await login(client)
        tenant_id = uuid.UUID((await client.get("/api/v1/me", headers=headers)).json()["tenant_id"])
        async with system.runtimes["gateway"].uow(tenant_id=tenant_id) as uow:
            store_id = str(next(s.id for s in await uow.accounts.stores() if s.code == STORE_CODE))
        hours = {str(d): ["10:00", "19:00"] for d in range(6)}
        r = await client.put(f"/api/v1/booking/stores/{store_id}", headers=headers,
                             json={"name": "サロン田町", "staff_count": 3, "slot_minutes": 30,
                                   "hours": hours})  # fmt: skip
        assert r.status_code == 200, r.text
        hanako = await _customer(client, headers, "住まい 花子", "090-1234-5678")
        kuroda = await _customer(client, headers, "黒田 次郎", "090-8765-4321")
        visits = {}
        for customer, hour in ((hanako, "10"), (kuroda, "11")):
            r = await client.post("/api/v1/booking/visits", headers=headers, json={
                "kind": "store_consultation", "store_id": store_id, "customer_id": customer,
                "starts_at": f"{DAY}T{hour}:00:00+09:00", "ends_at": f"{DAY}T{hour}:30:00+09:00",
            })  # fmt: skip
            assert r.status_code == 201, r.text
            visits[customer] = r.json()["id"]
        for customer, flags in ((hanako, {"caution": True, "caution_memo": "大声で話す"}),
                                (kuroda, {"blacklisted": True, "blacklist_memo": "無断キャンセル"})):  # fmt: skip
            r = await client.put(f"/api/v1/customers/{customer}/flags", json=flags, headers=headers)
            assert r.status_code in (200, 204), r.text

        async def flags_reached_booking() -> bool:
            seen = [
                (await client.get(f"/api/v1/booking/visits/{v}", headers=headers)).json()
                for v in visits.values()
            ]
            return seen[0]["customer_caution"] and seen[1]["customer_blacklisted"]

        await eventually(flags_reached_booking)
    return {"base": served, "store_id": store_id, "kuroda": kuroda}


async def _customer(client: httpx.AsyncClient, headers: dict, name: str, phone: str) -> str:
    email = f"salon-{uuid.uuid4().hex[:8]}@example.com"
    r = await post_inquiry(client, inquiry_body(email=email, name=name, phone=phone))
    assert r.status_code == 202, r.text
    return (await eventually(lambda: customers_by_email(client, headers, email)))[0]["id"]


@pytest.mark.parametrize(("label", "width", "height"), WIDTHS)
async def test_salon_settings_reservation_and_move_in_a_real_browser(
    salon, label: str, width: int, height: int
) -> None:  # type: ignore[no-untyped-def]
    from playwright.async_api import async_playwright

    base, store_id = salon["base"], salon["store_id"]
    member, menu = f"佐藤{label}", f"カット{label}（60分・4,400円）"
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (make system-deps)"
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=CHROMIUM_ENV
        )
        page = await browser.new_page(viewport={"width": width, "height": height}, locale="ja-JP")
        await page.goto(f"{base}/login?next=/booking")
        await page.get_by_label("メールアドレス").fill("admin@demo.example")
        await page.get_by_label("パスワード").fill("demo-admin-pass")
        await page.get_by_role("button", name="ログイン").click()
        await page.wait_for_url(re.compile(r"/booking$"))

        # 店舗設定 → メニュー: an amount typed in full width with a comma is understood.
        store_row = page.locator("tr", has_text="田町支店")
        await store_row.get_by_role("link", name="店舗設定").click()
        assert "サロン田町" in await page.get_by_label("店舗名").input_value()
        await screenshot_that_fits(page, f"booking-settings-{label}")
        await page.get_by_role("link", name="メニュー", exact=True).click()
        await page.get_by_label("メニュー名").fill(f"カット{label}")
        await page.get_by_label("所要時間（分）").fill("一時間")
        await page.get_by_label("料金（円）").fill("４，４００")
        await page.get_by_role("button", name="メニューを追加").click()
        assert "所要時間（5〜600分）" in await page.locator("[role=alert]").inner_text()
        assert await page.get_by_label("メニュー名").input_value() == f"カット{label}"  # kept
        await page.get_by_label("所要時間（分）").fill("６０")
        async with page.expect_navigation(url=re.compile(r"/menus$")):
            await page.get_by_role("button", name="メニューを追加").click()
        row = page.locator("tr", has_text=f"カット{label}")
        assert re.search(r"60分\s*4,400円", await row.inner_text())
        await screenshot_that_fits(page, f"booking-menus-{label}")

        # スタッフ with their own hours: Wednesday 12:00–17:00.
        await page.get_by_role("link", name="スタッフ", exact=True).click()
        await page.get_by_label("スタッフ名").fill(member)
        await page.get_by_label("曜日ごとに指定する").check()
        await page.get_by_label("水曜 勤務開始").fill("12:00")
        await page.get_by_label("水曜 勤務終了").fill("17:00")
        async with page.expect_navigation(url=re.compile(r"/staff$")):
            await page.get_by_role("button", name="スタッフを追加").click()
        assert "水 12:00〜17:00" in await page.locator("tr", has_text=member).inner_text()
        await screenshot_that_fits(page, f"booking-staff-{label}")

        # 通知先一覧: not user accounts, no reminder mails; add two, delete one.
        await page.get_by_role("link", name="通知先一覧").click()
        faq = await page.locator(".faq").inner_text()
        assert "ログイン用のアカウントと、予約の「通知先」は別のもの" in faq
        assert "前日リマインド" in faq and "ありません" in faq
        for name, email in ((f"受付{label}", f"uketsuke-{label}"), (f"削除用{label}", "x")):
            await page.get_by_label("名前").fill(name)
            await page.get_by_label("メールアドレス").fill(f"{email}@example.com")
            async with page.expect_navigation():
                await page.get_by_role("button", name="通知先を追加").click()
            assert (
                f"通知先「{name}」を追加しました。"
                in await page.locator("[role=status]").inner_text()
            )
        async with page.expect_navigation():
            await page.get_by_role("button", name=f"通知先「削除用{label}」を削除").click()
        assert "通知先を削除しました。" in await page.locator("[role=status]").inner_text()
        listed = await page.locator("table.list").first.inner_text()
        assert f"uketsuke-{label}@example.com" in listed and f"削除用{label}" not in listed
        await screenshot_that_fits(page, f"booking-targets-{label}")

        # The calendar has a column for the member; a free cell opens a salon reservation.
        calendar = f"{base}/booking/calendar?store_id={store_id}&day={DAY}"
        await page.goto(calendar)
        assert await page.get_by_role("columnheader", name=re.compile(member)).count() == 1
        await page.get_by_role("link", name=f"{member} 13:00 空き 予約を追加").click()
        await page.get_by_label("お客様を検索").fill("住まい")
        await page.get_by_role("button", name="検索").click()
        await page.get_by_role("radio", name=re.compile("住まい 花子")).check()
        assert await page.get_by_label("種別").input_value() == "salon"
        await page.get_by_label(re.compile("^メニュー")).select_option(label=menu)
        await page.get_by_label("開始時刻").fill("10:00")  # before 12:00: outside the hours
        assert "11:00" in await page.locator("#salon-end").inner_text()  # from the menu
        await page.get_by_role("button", name="予定を登録").click()
        alert = page.locator("#visit-form [role=alert]")
        assert f"{member}さんの勤務時間外" in await alert.inner_text()
        await screenshot_that_fits(page, f"booking-salon-form-error-{label}")
        await page.get_by_label("開始時刻").fill("13:00")
        await page.get_by_role("button", name="予定を登録").click()
        await page.wait_for_url(re.compile(r"/booking/calendar\?"))
        assert "予定を追加しました。" in await page.locator("[role=status]").inner_text()
        booked = page.get_by_role("link", name=f"{member} 13:00 住まい 花子 様の予約")
        assert await booked.locator(".mark-caution").count() == 1  # ❗ on the calendar
        assert await page.get_by_role("link", name=f"{member} 13:30 住まい 花子 様の予約").count()
        await screenshot_that_fits(page, f"booking-salon-calendar-{label}")

        # The slot is taken now: the same member at 13:30 is refused in Japanese.
        await page.goto(
            f"{base}/booking/visits/new?store_id={store_id}&day={DAY}&start=13:30&kind=salon&q=住まい"
        )
        await page.get_by_role("radio", name=re.compile("住まい 花子")).check()
        await page.get_by_label(re.compile("^メニュー")).select_option(label=menu)
        await page.get_by_label(re.compile("^スタッフ")).select_option(label=member)
        await page.get_by_role("button", name="予定を登録").click()
        assert "予約がいっぱい" in await page.locator("#visit-form [role=alert]").inner_text()

        # The visit's page: its notifications, then 日時変更 with the same rules.
        await page.goto(calendar)
        await page.get_by_role("link", name=f"{member} 13:00 住まい 花子 様の予約").click()
        assert await page.get_by_role("heading", name="予定の詳細").is_visible()
        assert f"カット{label}（60分・4,400円）" in await page.locator("dl.profile").inner_text()
        sent = page.locator("tr", has_text=f"uketsuke-{label}@example.com")
        assert f"【新規予約】{JP_DAY} 13:00 住まい 花子 様" in await sent.inner_text()
        assert "未送信" in await sent.inner_text()
        await page.get_by_label("変更後の開始時刻").fill("16:30")  # ends 17:30, after 17:00
        await page.get_by_role("button", name="日時を変更する").click()
        assert f"{member}さんの勤務時間外" in await page.locator("#move-error").inner_text()
        await page.get_by_label("変更後の開始時刻").fill("15:00")
        async with page.expect_navigation(url=re.compile(r"/booking/visits/[0-9a-f-]+$")):
            await page.get_by_role("button", name="日時を変更する").click()
        assert f"{JP_DAY} 15:00〜16:00" in await page.locator("h2").first.inner_text()
        await screenshot_that_fits(page, f"booking-visit-{label}")
        # The store's recent notifications, on the 通知先 page, with their mail status.
        await page.goto(f"{base}/booking/stores/{store_id}/notification-targets")
        assert await page.title() == "通知先一覧 | 店舗設定 | 顧客管理"
        recent = page.locator(
            "section", has=page.get_by_role("heading", name=re.compile("最近の通知"))
        )
        row = recent.locator("tr", has_text=f"uketsuke-{label}@example.com").first
        assert f"【新規予約】{JP_DAY} 13:00 住まい 花子 様" in await row.inner_text()
        assert "未送信" in await row.inner_text()  # no SMTP server in this test system
        await page.goto(calendar)
        assert await page.get_by_role("link", name=f"{member} 15:00 住まい 花子 様の予約").count()
        assert await page.get_by_role("link", name=f"{member} 13:00 空き 予約を追加").count()
        kuroda = page.locator("table.visits tr", has_text="黒田 次郎")
        assert await kuroda.locator(".mark-blacklist").count() == 1  # booked before the flag

        # A blacklisted customer, chosen from the customer list's 予定を追加, is refused.
        await page.goto(
            f"{base}/booking/visits/new?store_id={store_id}&day={DAY}&start=13:00"
            f"&customer_id={salon['kuroda']}"
        )
        assert await page.locator(".chosen .mark-blacklist").count() == 1
        await page.get_by_label(re.compile("^スタッフ")).select_option(label=member)
        await page.get_by_role("button", name="予定を登録").click()
        refusal = await page.locator("#visit-form [role=alert]").inner_text()
        assert "このお客様はブラックリストに登録されているため" in refusal
        await screenshot_that_fits(page, f"booking-blacklist-{label}")
        await browser.close()


async def test_settings_pages_for_staff_and_other_tenants(salon) -> None:  # type: ignore[no-untyped-def]
    """一般 staff read menus, staff members and notification destinations but cannot add
    them (the booking service says why: 通知先 receive every inquiry's personal data, so they
    are the admin's too). Another tenant's store is not found."""
    base, store_id = salon["base"], salon["store_id"]
    async with httpx.AsyncClient(base_url=base) as client:
        signed = await client.post(
            "/login", data={"email": "staff@demo.example", "password": "demo-staff-pass"}
        )
        assert signed.status_code == 303
        menus = await client.get(f"/booking/stores/{store_id}/menus")
        assert menus.status_code == 200 and "メニューを追加" not in menus.text
        assert "この画面の変更は管理者のみ行えます。" in menus.text
        refused = await client.post(
            f"/booking/stores/{store_id}/menus",
            data={"name": "カラー", "duration_minutes": "90", "price_yen": "8000"},
        )
        assert refused.status_code == 403 and "管理者のみ" in refused.text
        targets = await client.get(f"/booking/stores/{store_id}/notification-targets")
        assert targets.status_code == 200 and "通知先を追加" not in targets.text
        assert "この画面の変更は管理者のみ行えます。" in targets.text
        added = await client.post(
            f"/booking/stores/{store_id}/notification-targets",
            data={"name": "店長", "email": "tencho@example.com"},
        )
        assert added.status_code == 403 and "通知先の追加・削除は管理者のみ" in added.text
        for page in ("settings", "menus", "staff", "notification-targets"):
            other = await client.get(f"/booking/stores/{uuid.uuid4()}/{page}")
            assert other.status_code == 404 and "店舗が見つかりません。" in other.text
        outsider = await client.post(
            f"/booking/stores/{uuid.uuid4()}/notification-targets",
            data={"name": "x", "email": "x@example.com"},
        )
        assert outsider.status_code == 404
