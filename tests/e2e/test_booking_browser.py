"""The booking pages in a real browser (Debian's Chromium via Playwright) at PC and phone
widths: calendar with capacity per slot, visit creation with a Japanese error, screenshots
kept as artefacts. The embedded system is served by uvicorn inside the test's event loop."""

import asyncio
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
    TICKET_EXPIRY,
    inquiry_body,
    login,
    post_inquiry,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.database]

# A Wednesday two or more weeks ahead: a visit in the past is refused (docs/booking.md).
WEDNESDAY = clock.today() + timedelta(days=14 + (2 - clock.today().weekday()) % 7)
DAY = WEDNESDAY.isoformat()
JP_DAY = f"{WEDNESDAY:%Y/%m/%d}(水)"


@pytest.fixture(scope="module")
async def prepared(system, served):  # type: ignore[no-untyped-def]
    async with httpx.AsyncClient(base_url=served) as client:
        store_id = await _prepare(system, client)
    return served, store_id


async def _prepare(system, client: httpx.AsyncClient) -> str:  # type: ignore[no-untyped-def]
    headers = await login(client)
    tenant_id = uuid.UUID((await client.get("/api/v1/me", headers=headers)).json()["tenant_id"])
    async with system.runtimes["gateway"].uow(tenant_id=tenant_id) as uow:
        store_id = str(next(s.id for s in await uow.accounts.stores() if s.code == "00000100101"))
    hours = {str(d): ["10:00", "19:00"] for d in range(6)}
    r = await client.put(f"/api/v1/booking/stores/{store_id}", headers=headers,
                         json={"name": "田町支店", "staff_count": 2, "hours": hours})  # fmt: skip
    assert r.status_code == 200, r.text
    for name, listed, groups in (("スームマンション田町", True, 1), ("スーム戸建 高輪", False, 1)):
        r = await client.post("/api/v1/booking/properties", headers=headers,
                              json={"store_id": store_id, "name": name, "portal_listed": listed,
                                    "concurrent_groups": groups})  # fmt: skip
        assert r.status_code == 201, r.text
    email = f"browser-{uuid.uuid4().hex[:6]}@example.com"
    r = await post_inquiry(
        client, inquiry_body(email=email, name="住まい 花子", phone="090-1234-5678")
    )
    assert r.status_code == 202, r.text

    async def linked() -> bool:
        found = await client.get("/api/v1/customers", params={"email": email}, headers=headers)
        items = found.json()["items"]
        if not items:
            return False
        visit = await client.post("/api/v1/booking/visits", headers=headers, json={
            "kind": "store_consultation", "store_id": store_id, "customer_id": items[0]["id"],
            "starts_at": f"{DAY}T11:00:00+09:00", "ends_at": f"{DAY}T12:00:00+09:00"})  # fmt: skip
        return visit.status_code == 201

    async with asyncio.timeout(20):
        while not await linked():
            await asyncio.sleep(0.1)
    return store_id


@pytest.mark.parametrize(("label", "width", "height"), [("pc", 1366, 900), ("phone", 375, 812)])
async def test_booking_calendar_and_visit_form_in_a_real_browser(
    prepared, label: str, width: int, height: int
) -> None:  # type: ignore[no-untyped-def]
    from playwright.async_api import async_playwright

    base, store_id = prepared
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (make system-deps)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            env=CHROMIUM_ENV,
        )
        page = await browser.new_page(viewport={"width": width, "height": height}, locale="ja-JP")
        await page.goto(f"{base}/login?next=/booking")
        await page.get_by_label("メールアドレス").fill("admin@demo.example")
        await page.get_by_label("パスワード").fill("demo-admin-pass")
        await page.get_by_role("button", name="ログイン").click()
        await page.wait_for_url(re.compile(r"/booking$"))
        assert await page.get_by_role("heading", name="予約管理").is_visible()
        await page.screenshot(path=ARTIFACTS / f"booking-home-{label}.png", full_page=True)

        await page.goto(f"{base}/booking/calendar?store_id={store_id}&day={DAY}")
        assert await page.get_by_role("heading", name=re.compile("予約カレンダー")).is_visible()
        assert JP_DAY in await page.locator(".range").inner_text()
        assert (
            await page.get_by_role("columnheader", name=re.compile("スームマンション田町")).count()
            == 1
        )
        await page.screenshot(path=ARTIFACTS / f"booking-calendar-day-{label}.png", full_page=True)
        overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px"

        await page.goto(f"{base}/booking/calendar?store_id={store_id}&day={DAY}&view=week")
        await page.screenshot(path=ARTIFACTS / f"booking-calendar-week-{label}.png", full_page=True)
        overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the week view scrolls sideways by {overflow}px"

        await page.goto(f"{base}/booking/visits/new?store_id={store_id}&day={DAY}&start=18:30")
        await page.get_by_label("お客様を検索").fill("住まい")
        await page.get_by_role("button", name="検索").click()
        await page.wait_for_load_state()
        await page.get_by_role("radio").first.check()
        await page.get_by_label("終了時刻").fill("19:30")
        await page.get_by_role("button", name="予定を登録").click()
        await page.wait_for_load_state()
        assert "営業時間外" in await page.locator("[role=alert]").inner_text()
        await page.screenshot(path=ARTIFACTS / f"booking-visit-form-{label}.png", full_page=True)
        await browser.close()


@pytest.mark.parametrize(("label", "width", "height"), [("pc", 1366, 900), ("phone", 375, 812)])
async def test_sales_report_and_coupon_ticket_in_a_real_browser(
    prepared, label: str, width: int, height: int
) -> None:  # type: ignore[no-untyped-def]
    """BKG-9: a sales report written after the service, found by part of the name and a date
    range; a coupon ticket issued, used on the visit, its remaining count shown."""
    from playwright.async_api import async_playwright

    base, store_id = prepared
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            env=CHROMIUM_ENV,
        )
        page = await browser.new_page(viewport={"width": width, "height": height}, locale="ja-JP")
        await page.goto(f"{base}/login?next=/booking/calendar?store_id={store_id}%26day={DAY}")
        await page.get_by_label("メールアドレス").fill("staff@demo.example")
        await page.get_by_label("パスワード").fill("demo-staff-pass")
        await page.get_by_role("button", name="ログイン").click()
        await page.wait_for_url(re.compile(r"/booking/calendar"))

        await page.get_by_role("link", name="営業報告").first.click()
        await page.get_by_role("button", name="保存する").click()
        assert "内容を入力" in await page.locator("[role=alert]").inner_text()
        note = f"ご夫婦で来店。駐車場付き物件を希望（{label}）"
        await page.get_by_label(re.compile("営業報告")).fill(note)
        await page.get_by_role("button", name="保存する").click()
        await page.wait_for_url(re.compile(r"/booking/reports\?saved=1"))
        await page.get_by_label("お客様名（一部）").fill("住まい")  # a part of the name
        await page.get_by_label("接客日（開始）").fill(DAY)
        await page.get_by_label("接客日（終了）").fill(DAY)
        await page.get_by_role("button", name="検索").click()
        await page.wait_for_load_state()
        assert note in await page.locator("table.list").inner_text()
        await page.screenshot(path=ARTIFACTS / f"booking-reports-{label}.png", full_page=True)

        await page.goto(f"{base}/booking/calendar?store_id={store_id}&day={DAY}")
        await page.get_by_role("link", name="回数券").first.click()
        await page.get_by_label("名称").fill(f"カット5回券{label}")
        await page.get_by_label("回数").fill("５")  # full-width digits
        await page.get_by_label("有効期限").fill(TICKET_EXPIRY.isoformat())
        await page.get_by_role("button", name="発行する").click()
        await page.wait_for_load_state()
        alert = page.locator("[role=alert]")
        assert not await alert.count(), await alert.inner_text()
        row = page.locator("tr", has_text=f"カット5回券{label}")
        assert "5回 / 5回" in await row.inner_text()
        await row.get_by_label("接客予定").select_option(index=1)
        await row.get_by_role("button", name="1回使用").click()
        await page.wait_for_load_state()
        row = page.locator("tr", has_text=f"カット5回券{label}")
        if label == "pc":
            assert "4回 / 5回" in await row.inner_text()
        else:  # the same visit again, with the phone's ticket: one ticket per visit
            assert "5回 / 5回" in await row.inner_text()
            assert await page.locator("[role=alert]").inner_text()
        await page.screenshot(path=ARTIFACTS / f"booking-tickets-{label}.png", full_page=True)
        overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
        await browser.close()
