"""ホットリード in a real browser (Debian's Chromium) at PC and phone widths, fed the way it is
in an office: a buyer with 自動 proposals, a matching property listed, the proposal mail in
the local sink, its pixel fetched by a phone's mail client through the gateway's /t/o/. Then
the list shows the customer as 黄 with the reason in words; the reader opens the property's
page from the mail (WEB販売図面), stays and likes it, and its beacon reaches leads; the
customer's page shows the open rate, the property's reaction and the heat map, the settings page the 保存 button to the 管理者 only, the
conversion page its method; checked rows are excluded. Screenshots are kept as artefacts."""

import asyncio
import re
import uuid
from pathlib import Path

import httpx
import pytest
from kit.mailsink import MailSink
from kit.settings import CommonSettings

from tests.e2e.flows import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CHROMIUM_ENV,
    eventually,
    login,
    open_demo_store_every_day,
    screenshot_that_fits,
    sign_in,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.database]

WIDTHS = [("pc", 1366, 900), ("phone", 375, 812)]
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148"
)


@pytest.fixture(scope="module")
async def sink():  # type: ignore[no-untyped-def]
    sink = MailSink()
    await sink.start()
    yield sink
    await sink.stop()


@pytest.fixture(scope="module")
async def system(tmp_path_factory: pytest.TempPathFactory, sink):  # type: ignore[no-untyped-def]
    """The demo office with mail delivered to the sink (the default e2e system has none)."""
    from host.embedded import EmbeddedSystem, start_embedded_postgres, stop_embedded_postgres

    folder = tmp_path_factory.mktemp("pg")
    url = start_embedded_postgres(folder)
    common = CommonSettings(bus="memory", retry_delays_ms=[50, 100], outbox_poll_interval_s=0.2,
                            smtp_host="127.0.0.1", smtp_port=sink.port, mail_poll_interval_s=0.2)  # fmt: skip
    system = EmbeddedSystem(url_template=url, common=common)
    await system.start()
    yield system
    await system.stop()
    stop_embedded_postgres(folder)


@pytest.fixture(scope="module")
async def leads(served, sink):  # type: ignore[no-untyped-def]
    """One 黄 lead per screen width: its proposal mail opened on a phone."""
    tag = uuid.uuid4().hex[:6]
    names, pages = {}, {}
    async with httpx.AsyncClient(base_url=served) as client:
        admin = await login(client)
        store = await open_demo_store_every_day(client, admin)
        for label, _, _ in WIDTHS:
            email = f"lead-{label}-{tag}@example.com"
            r = await client.post("/api/v1/customers", headers=admin, json={
                "family_name": f"反応{label}{tag}", "given_name": "花子",
                "family_kana": "ハンノウ", "given_kana": "ハナコ", "phones": ["090-1234-5678"],
                "emails": [email], "birth_date": "1985-04-01", "side": "buyer",
                "proposal_delivery": "automatic",
                "desired_conditions": {"areas": [{"city": "港区"}], "layouts": ["2LDK"]},
            })  # fmt: skip
            assert r.status_code == 201, r.text
            names[label] = f"反応{label}{tag} 花子"
        await asyncio.sleep(0.5)  # the buyers reach leads by event
        r = await client.post("/api/v1/booking/properties", headers=admin, json={
            "store_id": store["id"], "name": f"パークハウス芝浦{tag}",
            "facts": {"kind": "mansion", "prefecture": "東京都", "city": "港区",
                      "station": "田町", "price_yen": 52_800_000, "layout": "2LDK",
                      "size_m2": 55.2},
        })  # fmt: skip
        assert r.status_code == 201, r.text
        for label, _, _ in WIDTHS:
            address = f"lead-{label}-{tag}@example.com"

            async def arrived(address: str = address):  # type: ignore[no-untyped-def]
                return next((m for m in sink.messages if m["To"] == address), None)

            mail = await eventually(arrived)
            html = mail.get_body(("html",)).get_content()
            pixel = re.search(r"/t/o/[A-Za-z0-9_-]+\.gif", html)
            page = re.search(r"/t/p/[A-Za-z0-9_-]+/[0-9a-f-]{36}", html)
            assert pixel and page
            pages[label] = page.group(0)
            await asyncio.sleep(1.6)  # a person opens it later than a scanner would
            r = await client.get(pixel.group(0), headers={"user-agent": IPHONE})
            assert r.status_code == 200 and r.content.startswith(b"GIF89a")

        async def yellow() -> bool:
            found = (await client.get("/api/v1/hot-leads", headers=admin)).json()
            return len([i for i in found["items"] if i["level"] == "yellow"]) >= len(WIDTHS)

        await eventually(yellow)
    return {"base": served, "names": names, "pages": pages, "property": f"パークハウス芝浦{tag}"}


@pytest.mark.parametrize(("label", "width", "height"), WIDTHS)
async def test_hot_leads_list_customer_settings_and_exclusion(
    leads, label: str, width: int, height: int
) -> None:  # type: ignore[no-untyped-def]
    from playwright.async_api import async_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (make system-deps)"
    base, name = leads["base"], leads["names"][label]
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=CHROMIUM_ENV
        )
        page = await browser.new_page(viewport={"width": width, "height": height}, locale="ja-JP")
        await sign_in(page, base, "/hot-leads", who="admin")

        row = page.locator("table.leads tbody tr", has_text=name)
        assert await row.locator(".level").inner_text() == "黄"  # the word beside the colour
        assert "開封" in await row.inner_text() and "→ 黄" in await row.inner_text()
        await screenshot_that_fits(page, f"hot-leads-{label}")

        # The reader, on a phone, opens the property's page from the mail and likes it.
        reader = await browser.new_page(viewport={"width": 375, "height": 812}, locale="ja-JP",
                                        user_agent=IPHONE)  # fmt: skip
        await reader.goto(f"{base}{leads['pages'][label]}")
        assert await reader.locator("h1").inner_text() == leads["property"]
        assert "5,280万円" in await reader.locator("main").inner_text()
        await screenshot_that_fits(reader, f"property-page-{label}")
        await reader.wait_for_timeout(2_500)
        await reader.get_by_role("button", name="♡ 気になる").click()
        await reader.close(run_before_unload=True)  # pagehide: the beacon with the dwell time

        await row.get_by_role("link", name=f"{name} 様").click()
        await page.wait_for_url(re.compile(r"/hot-leads/[0-9a-f-]{36}$"))
        reacted = page.locator("section", has_text="物件ごとの反応")
        for _ in range(50):  # the beacon arrives by itself: the page shows it once stored
            if leads["property"] in await reacted.inner_text():
                break
            await page.wait_for_timeout(200)
            await page.reload()
        text = await page.locator("main").inner_text()
        assert "提案メール開封率" in text and "100% (1/1)" in text
        assert "♥ あり" in await reacted.inner_text()
        assert "閲覧の多い曜日・時間帯" in text and "まだ閲覧の記録がありません" not in text
        await screenshot_that_fits(page, f"hot-lead-customer-{label}")

        await page.goto(f"{base}/hot-leads/settings")
        assert await page.get_by_role("button", name="保存").count() == 1  # 管理者
        await screenshot_that_fits(page, f"hot-lead-settings-{label}")
        await page.goto(f"{base}/hot-leads/conversion")
        assert "計算方法" in await page.locator("main").inner_text()
        await screenshot_that_fits(page, f"hot-lead-conversion-{label}")

        # 一般: the settings without the button.
        staff = await browser.new_page(viewport={"width": width, "height": height}, locale="ja-JP")
        await sign_in(staff, base, "/hot-leads/settings", who="staff")
        assert await staff.get_by_role("button", name="保存").count() == 0
        assert "管理者のみ" in await staff.locator("main").inner_text()

        # ホットリード除外 of the checked row.
        await page.goto(f"{base}/hot-leads")
        await page.get_by_label(f"{name}を選択").check()
        async with page.expect_navigation(url=re.compile(r"/hot-leads$")):
            await page.get_by_role("button", name="チェックしたお客様をホットリード除外").click()
        assert "1件をホットリードから除外しました。" in await page.locator(".notice").inner_text()
        assert await page.locator("table.leads tbody tr", has_text=name).count() == 0
        await browser.close()
