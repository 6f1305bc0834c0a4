"""The customer monitor (CUS-13) and the list's downloads (CUS-14) in a real browser
(Debian's Chromium via Playwright) at PC and phone widths, the way a phone operator works:
the number typed any way opens the monitor, the keyboard moves between the tabs, a name
with several matches gives a short pick list, an unknown caller can be registered. The
search by メニュー and the CSV / DM list buttons download real files. Screenshots are kept
under artifacts/screenshots/; nothing scrolls sideways."""

import asyncio
import csv
import io
import re
import uuid
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from kit import clock

from tests.e2e.flows import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    CHROMIUM_ENV,
    login,
    open_search,
    screenshot_that_fits,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.database]

# A Wednesday two weeks ahead: the store is open, the visit is in the future.
DAY = clock.today() + timedelta(days=14 + (2 - clock.today().weekday()) % 7)


@pytest.fixture(scope="module")
async def prepared(system, served):  # type: ignore[no-untyped-def]
    async with httpx.AsyncClient(base_url=served) as client:
        return served, await _prepare(system, client)


async def _prepare(system, client: httpx.AsyncClient) -> dict[str, str]:  # type: ignore[no-untyped-def]
    headers = await login(client)
    tenant_id = uuid.UUID((await client.get("/api/v1/me", headers=headers)).json()["tenant_id"])
    async with system.runtimes["gateway"].uow(tenant_id=tenant_id) as uow:
        store_id = str(next(s.id for s in await uow.accounts.stores() if s.code == "00000100101"))
    hours = {str(d): ["10:00", "19:00"] for d in range(6)}
    r = await client.put(f"/api/v1/booking/stores/{store_id}", headers=headers,
                         json={"name": "田町支店", "staff_count": 3, "hours": hours})  # fmt: skip
    assert r.status_code == 200, r.text
    menu = await client.post("/api/v1/booking/menus", headers=headers, json={
        "store_id": store_id, "name": "カット", "duration_minutes": 60, "price_yen": 4400})  # fmt: skip
    await client.post("/api/v1/booking/menus", headers=headers, json={
        "store_id": store_id, "name": "カラー", "duration_minutes": 60, "price_yen": 6600})  # fmt: skip
    member = await client.post("/api/v1/booking/staff-members", headers=headers,
                               json={"store_id": store_id, "name": "佐藤"})  # fmt: skip
    assert menu.status_code == member.status_code == 201, menu.text + member.text

    async def register(given: str, kana: str, phones: list[str], **extra: object) -> str:
        body = {"family_name": "佐賀", "given_name": given, "family_kana": "サガ",
                "given_kana": kana, "birth_date": "1975-05-05", "phones": phones,
                "emails": [f"saga-{uuid.uuid4().hex[:6]}@example.com"], **extra}  # fmt: skip
        r = await client.post("/api/v1/customers", json=body, headers=headers)
        assert r.status_code == 201, r.text
        return r.json()["id"]

    taro = await register("太郎", "タロウ", ["0952-11-2222", "090-3333-4444"], addresses=[
        {"kind": "home", "postal_code": "105-0023", "street": "1-1-1"}])  # fmt: skip
    await register("花子", "ハナコ", ["090-5555-0001"])
    await register("次郎", "ジロウ", ["090-5555-0002"])
    r = await client.put(f"/api/v1/customers/{taro}/flags", headers=headers, json={
        "caution": True, "caution_memo": "大声で話される", "alert": "段差に注意",
        "karte_notes": "花粉症"})  # fmt: skip
    assert r.status_code == 204, r.text
    visit = await client.post("/api/v1/booking/visits", headers=headers, json={
        "kind": "salon", "store_id": store_id, "customer_id": taro,
        "menu_id": menu.json()["id"], "staff_member_id": member.json()["id"],
        "starts_at": f"{DAY}T11:00:00+09:00"})  # fmt: skip
    assert visit.status_code == 201, visit.text
    r = await client.post(f"/api/v1/booking/visits/{visit.json()['id']}/status",
                          json={"status": "visited"}, headers=headers)  # fmt: skip
    assert r.status_code == 200, r.text

    async def last_menu_known() -> bool:
        detail = (await client.get(f"/api/v1/customers/{taro}", headers=headers)).json()
        return detail.get("last_menu_name") == "カット"

    async with asyncio.timeout(20):  # the customer service's read model follows the events
        while not await last_menu_known():
            await asyncio.sleep(0.1)
    return {"taro": taro, "menu_id": menu.json()["id"]}


async def _browser_page(p, width: int, height: int, base: str):  # type: ignore[no-untyped-def]
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (make system-deps)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser = await p.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=CHROMIUM_ENV
    )
    page = await browser.new_page(
        viewport={"width": width, "height": height}, locale="ja-JP", accept_downloads=True
    )
    await page.goto(f"{base}/login?next=/monitor")
    await page.get_by_label("メールアドレス").fill("admin@demo.example")
    await page.get_by_label("パスワード").fill("demo-admin-pass")
    await page.get_by_role("button", name="ログイン").click()
    await page.wait_for_url(re.compile(r"/monitor$"))
    return browser, page


async def _no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


async def _focused_id(page) -> str:  # type: ignore[no-untyped-def]
    return await page.evaluate("document.activeElement && document.activeElement.id")


SIZES = [("pc", 1366, 900), ("phone", 375, 812)]


@pytest.mark.parametrize(("label", "width", "height"), SIZES)
async def test_monitor_by_phone_number_tabs_and_pick_list(
    prepared, label: str, width: int, height: int
) -> None:  # type: ignore[no-untyped-def]
    from playwright.async_api import async_playwright

    base, ids = prepared
    async with async_playwright() as p:
        browser, page = await _browser_page(p, width, height, base)
        # The phone rings: the lookup field is focused; the number typed full width with ー.
        assert await _focused_id(page) == "monitor-q"
        await page.keyboard.type("０９５２ー１１ー２２２２")
        await page.keyboard.press("Enter")
        await page.wait_for_url(re.compile(rf"/monitor/{ids['taro']}$"))
        head = page.locator(".monitor-head")
        assert "佐賀 太郎 様" in await head.inner_text()
        assert await page.locator("#monitor-name .mark-caution").is_visible()
        warnings = await page.locator(".monitor-warnings").inner_text()
        assert "段差に注意" in warnings and "花粉症" in warnings and "大声で話される" in warnings
        facts = await page.locator(".monitor-facts").inner_text()
        assert "接客1回目" in facts and "カット" in facts and "ランクなし" in facts
        assert "準備中" not in await page.content()  # a pane not built yet is not shown
        assert await _focused_id(page) == "monitor-q"  # ready for the next call
        await page.screenshot(path=ARTIFACTS / f"monitor-basic-{label}.png", full_page=True)
        await _no_sideways_scroll(page)

        # The keyboard moves between the tabs (WAI-ARIA: arrows, Home, End).
        await page.locator("#tab-basic").focus()
        await page.keyboard.press("ArrowRight")
        assert await _focused_id(page) == "tab-interactions"
        assert await page.locator("#panel-interactions").is_visible()
        assert not await page.locator("#panel-basic").is_visible()
        assert "対応履歴はまだありません" in await page.locator("#panel-interactions").inner_text()
        await page.keyboard.press("End")
        assert await page.locator("#panel-inquiries").is_visible()
        await page.keyboard.press("ArrowLeft")
        visits = page.locator("#panel-visits")
        assert await visits.is_visible()
        text = await visits.inner_text()
        assert "カット" in text and "佐藤" in text and "来店済み" in text and "田町支店" in text
        assert page.url.endswith("?tab=visits")
        await page.screenshot(path=ARTIFACTS / f"monitor-visits-{label}.png", full_page=True)
        await _no_sideways_scroll(page)
        await page.locator("#tab-actions").click()
        assert "アクション履歴はまだありません" in await page.locator("#panel-actions").inner_text()
        for tab, says in (("subscriptions", "定期のお申し込みはまだありません"),
                          ("purchases", "ご購入の履歴はまだありません")):  # fmt: skip
            await page.locator(f"#tab-{tab}").click()
            assert says in await page.locator(f"#panel-{tab}").inner_text()

        # A name with several matches: a short pick list, reached with ↓ from the field.
        await page.locator("#monitor-q").fill("さが")
        await page.keyboard.press("Enter")
        await page.wait_for_url(re.compile(r"/monitor\?q="))
        names = await page.locator("#pick-list .pick-name").all_inner_texts()
        assert [n.strip(" !") for n in names] == [
            "佐賀 次郎 様",
            "佐賀 太郎 様",
            "佐賀 花子 様",
        ]  # フリガナ順
        assert "3件" in await page.locator("#pick-title").inner_text()
        await page.screenshot(path=ARTIFACTS / f"monitor-pick-list-{label}.png", full_page=True)
        await _no_sideways_scroll(page)
        await page.locator("#monitor-q").focus()
        await page.keyboard.press("ArrowDown")
        await page.keyboard.press("ArrowDown")
        await page.keyboard.press("Enter")
        await page.wait_for_url(re.compile(r"/monitor/[0-9a-f-]{36}$"))
        assert "佐賀 太郎 様" in await page.locator("#monitor-name").inner_text()  # the 2nd

        # An unknown caller: the number goes straight into 新規電話予約.
        await page.locator("#monitor-q").fill("03-9876-5432")
        await page.keyboard.press("Enter")
        await page.wait_for_url(re.compile(r"/monitor\?q="))
        assert "該当するお客様はいません" in await page.locator(".empty-state").inner_text()
        await page.screenshot(path=ARTIFACTS / f"monitor-not-found-{label}.png", full_page=True)
        await page.get_by_role("link", name="この電話番号で新規電話予約").click()
        await page.wait_for_url(re.compile(r"/customers/phone-registration"))
        assert await page.locator("#phone").input_value() == "03-9876-5432"
        await browser.close()


@pytest.mark.parametrize(("label", "width", "height"), SIZES)
async def test_search_by_menu_and_the_export_buttons(
    prepared, label: str, width: int, height: int, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from playwright.async_api import async_playwright

    base, _ = prepared
    async with async_playwright() as p:
        browser, page = await _browser_page(p, width, height, base)
        await page.goto(f"{base}/customers")
        await open_search(page)
        await page.get_by_label("お客様名・フリガナ・LINE名").fill("さが")
        await page.get_by_label("メニュー（予約・利用）").select_option(label="カット")
        await page.get_by_role("button", name="検索", exact=True).click()
        await page.wait_for_load_state()
        assert "1〜1件 / 1件中" in await page.locator("#result-count").inner_text()
        assert await page.get_by_label("最終利用メニュー").count() == 1

        # CSVダウンロード: the current search, as a file Japanese Excel opens.
        async with page.expect_download() as info:
            await page.locator("#export-csv").click()
        download = await info.value
        assert download.suggested_filename.startswith("顧客一覧_")
        content = Path(await download.path()).read_bytes()
        assert content.startswith("\ufeff".encode()) and b"\r\n" in content
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
        assert [r[1] for r in rows[1:]] == ["佐賀 太郎"]

        # DM宛名リスト: its own page with the same search; it says what it leaves out and
        # counts before the download.
        await page.goto(f"{base}/customers?q=%E3%81%95%E3%81%8C")  # さが
        await page.locator("#dm-list").click()
        await page.wait_for_url(re.compile(r"/customers/dm-list\?q="))
        rules = await page.locator("#dm-rules").inner_text()
        assert "郵送DM不要" in rules and "退会・ブラックリストのお客様は含みません" in rules
        await page.get_by_label("都道府県（複数選択可）").select_option(["東京都"])
        await page.get_by_role("button", name="件数を確認").click()
        await page.wait_for_url(re.compile(r"check=1"))
        assert await page.locator("#dm-count").inner_text() == "該当 1件"
        await screenshot_that_fits(page, f"customer-exports-{label}")
        async with page.expect_download() as info:
            await page.get_by_role("button", name="宛名リストをダウンロード").click()
        download = await info.value
        assert download.suggested_filename.startswith("DM宛名リスト_東京都_")
        content = Path(await download.path()).read_bytes()
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
        assert [(r[1], r[5]) for r in rows[1:]] == [("〒105-0023", "佐賀 太郎 様")]

        # A city without a prefecture: back on the page with the reason beside it, no file.
        await page.get_by_label("都道府県（複数選択可）").select_option([])
        await page.get_by_label("市区町村（任意）").fill("港区")
        await page.get_by_role("button", name="宛名リストをダウンロード").click()
        await page.wait_for_url(re.compile(r"refused=1"))
        error = await page.locator("#city-error").inner_text()
        assert error == "市区町村で絞り込むときは都道府県も選んでください。"
        assert await page.get_by_label("市区町村（任意）").input_value() == "港区"
        await _no_sideways_scroll(page)
        await browser.close()
