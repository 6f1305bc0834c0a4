"""Seed 000's broker day in a real browser (Debian's Chromium) at PC and phone widths: log in,
filter the follow-up list, 担当を設定, 予定を追加 (the booking form, its slot rules), 追客状況を
変更, and the list then shows the rep, the status and 「接客1回目」 with the inquired property.
Screenshots are kept as artefacts."""

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
    eventually,
    login,
    open_demo_store_every_day,
    open_search,
    portal_customer,
    screenshot_that_fits,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.database]

WIDTHS = [("pc", 1366, 900), ("phone", 375, 812)]
DAY = clock.today() + timedelta(days=7)
WEEKDAYS = "月火水木金土日"


@pytest.fixture(scope="module")
async def office(system, served):  # type: ignore[no-untyped-def]
    """The demo store open every day with 3 staff; one portal customer per screen width."""
    tag = uuid.uuid4().hex[:6]
    async with httpx.AsyncClient(base_url=served) as client:
        headers = await login(client)
        await open_demo_store_every_day(client, headers)
        names = {}
        for label, _, _ in WIDTHS:
            name = f"追客{tag}{label} 花子"
            email = f"follow-{label}-{tag}@example.com"
            await portal_customer(client, headers, email=email, name=name)
            names[label] = name
    return {"base": served, "names": names, "tag": tag}


@pytest.mark.parametrize(("label", "width", "height"), WIDTHS)
async def test_filter_rep_visit_and_status_in_a_real_browser(
    office, label: str, width: int, height: int
) -> None:  # type: ignore[no-untyped-def]
    from playwright.async_api import async_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (make system-deps)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    base, name = office["base"], office["names"][label]
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=CHROMIUM_ENV
        )
        page = await browser.new_page(viewport={"width": width, "height": height}, locale="ja-JP")
        await page.goto(f"{base}/login?next=/customers")
        await page.get_by_label("メールアドレス").fill("staff@demo.example")
        await page.get_by_label("パスワード").fill("demo-staff-pass")
        await page.get_by_role("button", name="ログイン").click()
        await page.wait_for_url(re.compile(r"/customers$"))

        # Filter: the name as typed in hiragana-free kanji, 追客中, no rep yet.
        await open_search(page)
        await page.get_by_label("お客様名・フリガナ・LINE名").fill(name.split()[0])
        await page.get_by_label("追客状況").select_option(label="追客中")
        await page.get_by_label("担当設定").select_option(label="設定なし")
        await page.get_by_role("button", name="検索").click()
        await page.wait_for_url(re.compile(r"assigned=false"))
        assert await page.locator("#result-count").inner_text() == "1〜1件 / 1件中"
        row = page.locator("table.list tbody tr", has_text=name)
        assert "スームマンション" in await row.inner_text()  # the inquired property
        await screenshot_that_fits(page, f"follow-up-filtered-{label}")

        # 担当を設定 from the row.
        await row.get_by_role("link", name="担当を設定").click()
        await page.wait_for_url(re.compile(r"/customers/[0-9a-f-]{36}#follow-up"))
        customer_url = page.url.split("#")[0]
        await page.get_by_label("お客様担当").select_option(label="営業 花子")
        await page.get_by_role("button", name="担当を設定").click()
        assert "担当を設定しました" in await page.get_by_role("status").inner_text()

        # 予定を追加 from the list's row: the booking form with the customer chosen.
        await page.goto(f"{base}/customers?q={name.split()[0]}")
        row = page.locator("table.list tbody tr", has_text=name)
        await row.get_by_role("link", name="予定を追加").click()
        await page.wait_for_url(re.compile(r"/booking/visits/new\?"))
        assert name in await page.locator(".chosen").inner_text()
        await page.get_by_label("種別").select_option(value="store_consultation")
        await page.get_by_label("日付").fill(DAY.isoformat())
        await page.get_by_label("開始時刻").fill("21:00")  # after closing: refused in Japanese
        await page.get_by_label("終了時刻").fill("22:00")
        await page.get_by_role("button", name="予定を登録").click()
        assert "営業時間外" in await page.locator("#visit-form [role=alert]").inner_text()
        await page.get_by_label("開始時刻").fill("11:00")
        await page.get_by_label("終了時刻").fill("12:00")
        await screenshot_that_fits(page, f"follow-up-add-visit-{label}")
        await page.get_by_role("button", name="予定を登録").click()
        await page.wait_for_url(re.compile(r"/booking/calendar\?"))
        assert "予定を追加しました。" in await page.locator("[role=status]").inner_text()

        # 追客状況を変更 on the customer.
        await page.goto(f"{customer_url}#follow-up")
        await page.get_by_label("追客状況", exact=True).select_option(label="追客停止")
        await page.get_by_role("button", name="追客状況を変更").click()
        assert "追客状況を変更しました" in await page.get_by_role("status").inner_text()

        # The list shows it all; the visit arrives by event (a moment at most).
        # A PC shows the year; the phone's card the short form of seed 000 (12/12(土) 11:00).
        day = f"{DAY:%m/%d}" if label == "phone" else f"{DAY:%Y/%m/%d}"
        when = f"{day}({WEEKDAYS[DAY.weekday()]}) 11:00 接客1回目"

        async def row_text() -> str | None:
            await page.goto(f"{base}/customers?q={name.split()[0]}")
            text = await page.locator("table.list tbody tr", has_text=name).inner_text()
            return text if when in text else None

        text = await eventually(row_text)
        assert "追客停止" in text and "営業 花子" in text
        assert "東京都住まい区スーム村1-1-1" in text and "7,000万円" in text
        await screenshot_that_fits(page, f"follow-up-list-after-{label}")
        await browser.close()
