"""受注のマスタ・設定 in a real browser (Debian's Chromium), one session: the admin reaches
the masters from 受注一覧, is told a blank name beside its field (what was typed kept), adds
and edits a staff member, adds and edits a set product of two products, saves the 47
prefectures' fees at once with a 標準送料, adds a free-shipping campaign running today; an
order placed with that staff member gets the campaign; the campaign is edited, and it, the
staff member and the set are retired (after ticking the confirmation); the old order still
shows the staff member and the campaign. A 一般 user reads the lists without the
change buttons. Every page is shot at 1366 px and again at 375 px and scrolls not sideways."""

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
    eventually,
    login,
    screenshot_that_fits,
    sign_in,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.database]


async def _both_widths(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """The page as it is at 1366 px, then at 375 px (and back)."""
    await screenshot_that_fits(page, f"{name}-pc")
    await page.set_viewport_size({"width": 375, "height": 812})
    await screenshot_that_fits(page, f"{name}-phone")
    await page.set_viewport_size({"width": 1366, "height": 900})


async def test_the_admin_keeps_the_masters_and_a_retired_entry_stays_on_an_old_order(
    served,
) -> None:  # type: ignore[no-untyped-def]
    from playwright.async_api import async_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (make system-deps)"
    base, tag = served, uuid.uuid4().hex[:6]
    async with httpx.AsyncClient(base_url=base) as client:
        admin = await login(client)
        made = {}
        for key, body in (("tonic", {"code": f"T-{tag}", "name": f"健康トニック{tag}", "price_yen": 3000}),
                          ("tea", {"code": f"G-{tag}", "name": f"青汁{tag}", "price_yen": 1080,
                                   "tax_rate": 8})):  # fmt: skip
            r = await client.post("/api/v1/mail-order/products", headers=admin, json=body)
            assert r.status_code == 201, r.text
            made[key] = r.json()
        r = await client.post("/api/v1/customers", headers=admin, json={
            "family_name": f"マスタ{tag}", "given_name": "花子", "family_kana": "マスタ",
            "given_kana": "ハナコ", "phones": ["090-3333-4444"], "birth_date": "1970-01-01",
            "emails": [f"masters-{tag}@example.com"]})  # fmt: skip
        assert r.status_code == 201, r.text
        customer_id = r.json()["id"]
    today = clock.today()

    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=CHROMIUM_ENV
        )
        page = await browser.new_page(viewport={"width": 1366, "height": 900}, locale="ja-JP")
        await sign_in(page, base, "/orders", who="admin")
        await page.get_by_role("link", name="マスタ・設定").first.click()
        await page.wait_for_url(re.compile(r"/orders/masters$"))
        await _both_widths(page, "masters-index")

        # 担当者: a blank name is said beside the field; then added and edited.
        await page.get_by_role("link", name="担当者マスタ").click()
        await page.get_by_label("担当区分").select_option("sales")
        await page.get_by_role("button", name="登録").click()
        assert await page.locator("#err-name").inner_text() == "担当者名を入力してください。"
        assert await page.get_by_label("担当区分").input_value() == "sales"  # kept
        await _both_widths(page, "master-staff-refused")
        await page.get_by_label("担当者名").fill(f"受注 太郎{tag}")
        async with page.expect_navigation(url=re.compile(r"/orders/masters/staff$")):
            await page.get_by_role("button", name="登録").click()
        await page.get_by_role("link", name=f"受注 太郎{tag}").click()
        await page.get_by_label("担当者名").fill(f"受注 次郎{tag}")
        async with page.expect_navigation(url=re.compile(r"/orders/masters/staff/[0-9a-f-]{36}$")):
            await page.get_by_role("button", name="保存").click()
        staff_url = page.url.split("?")[0]
        staff_id = staff_url.rsplit("/", 1)[1]
        assert f"受注 次郎{tag}" in await page.locator("h1").inner_text()

        # セット商品: two products and their quantities.
        await page.goto(f"{base}/orders/masters/set-products")
        await page.get_by_label("セット商品名").fill(f"トニックと青汁{tag}")
        await page.get_by_label("商品 1", exact=True).select_option(made["tonic"]["id"])
        await page.get_by_label("数量 1", exact=True).fill("1")
        await page.get_by_label("商品 2", exact=True).select_option(made["tea"]["id"])
        await page.get_by_label("数量 2", exact=True).fill("２")  # full-width, as typed
        async with page.expect_navigation(url=re.compile(r"/orders/masters/set-products$")):
            await page.get_by_role("button", name="登録").click()
        row = page.locator("table.masters tbody tr", has_text=f"トニックと青汁{tag}")
        assert f"青汁{tag}（G-{tag}） × 2" in await row.inner_text()
        await _both_widths(page, "master-set-products")
        await row.get_by_role("link", name=f"トニックと青汁{tag}").click()
        assert await page.get_by_label("商品 2", exact=True).input_value() == made["tea"]["id"]
        await page.get_by_label("数量 2", exact=True).fill("3")
        async with page.expect_navigation(
            url=re.compile(r"/orders/masters/set-products/[0-9a-f-]{36}$")
        ):
            await page.get_by_role("button", name="保存").click()
        assert await page.get_by_label("数量 2", exact=True).input_value() == "3"
        set_url = page.url.split("?")[0]

        # 送料: the 47 prefectures at once, blanks taking the 標準送料.
        await page.goto(f"{base}/orders/masters/shipping-fees")
        for field in await page.locator(".fee-grid input").all():
            await field.fill("")
        await page.get_by_label("標準送料（円）").fill("800")
        await page.get_by_label("北海道").fill("1,500")
        async with page.expect_navigation(url=re.compile(r"/orders/masters/shipping-fees$")):
            await page.get_by_role("button", name="送料をまとめて保存").click()
        assert await page.get_by_label("北海道").input_value() == "1500"
        assert await page.get_by_label("沖縄県").input_value() == "800"
        await _both_widths(page, "master-shipping-fees")

        # キャンペーン: free shipping this week, running today.
        await page.goto(f"{base}/orders/masters/campaigns")
        await page.get_by_label("キャンペーン名").fill(f"送料無料週間{tag}")
        await page.get_by_label("種類").select_option("free_shipping")
        await page.get_by_label("開始日").fill(today.isoformat())
        await page.get_by_label("終了日").fill((today + timedelta(days=7)).isoformat())
        async with page.expect_navigation(url=re.compile(r"/orders/masters/campaigns$")):
            await page.get_by_role("button", name="登録").click()
        row = page.locator("table.masters tbody tr", has_text=f"送料無料週間{tag}")
        assert "実施中" in await row.inner_text()
        await _both_widths(page, "master-campaigns")

        # An order taken by that staff member, while the campaign runs.
        async with httpx.AsyncClient(base_url=base) as client:

            async def ordered() -> dict | None:  # orders learns a new customer by event
                r = await client.post("/api/v1/mail-order/orders", headers=admin, json={
                    "customer_id": customer_id, "staff_id": staff_id,
                    "lines": [{"product_id": made["tonic"]["id"], "quantity": 1}],
                    "delivery": {"kind": "home", "name": f"マスタ{tag} 花子", "postal_code": "0600001",
                                 "prefecture": "北海道", "address": "札幌市中央区北1条西1-1"}})  # fmt: skip
                if r.status_code in (404, 422) and "customer" in r.text:
                    return None
                assert r.status_code == 201, r.text
                return r.json()

            order = await eventually(ordered)
        assert order["shipping_fee_yen"] == 0
        assert [c["name"] for c in order["campaigns"]] == [f"送料無料週間{tag}"]

        # Both retired, after ticking the confirmation.
        campaign = row.get_by_role("link", name=f"送料無料週間{tag}")
        await campaign.click()
        await page.wait_for_url(re.compile(r"/orders/masters/campaigns/[0-9a-f-]{36}$"))
        await page.get_by_label("終了日").fill((today + timedelta(days=10)).isoformat())
        async with page.expect_navigation():
            await page.get_by_role("button", name="保存").click()
        assert (
            await page.get_by_label("終了日").input_value()
            == (today + timedelta(days=10)).isoformat()
        )
        await page.get_by_label(re.compile("を廃止します")).check()
        async with page.expect_navigation():
            await page.get_by_role("button", name="廃止する").click()
        assert "廃止" in await page.locator("h1").inner_text()
        await page.goto(staff_url)
        await page.get_by_label(re.compile("を廃止します")).check()
        async with page.expect_navigation():
            await page.get_by_role("button", name="廃止する").click()
        await page.goto(set_url)
        await page.get_by_label(re.compile("を廃止します")).check()
        async with page.expect_navigation():
            await page.get_by_role("button", name="廃止する").click()
        assert "廃止" in await page.locator("h1").inner_text()
        await page.goto(f"{base}/orders/masters/campaigns")
        assert await page.locator("tr", has_text=f"送料無料週間{tag}").count() == 0
        await page.get_by_role("link", name="廃止済みも表示").click()
        assert "廃止" in await page.locator("tr", has_text=f"送料無料週間{tag}").inner_text()

        await page.goto(f"{base}/orders/{order['id']}")
        assert await page.locator("#order-handler").inner_text() == f"受注 次郎{tag}（廃止）"
        assert (
            f"送料無料週間{tag}"
            in await page.locator("section[aria-labelledby=camp-h]").inner_text()
        )
        await _both_widths(page, "order-with-retired-masters")

        await page.goto(f"{base}/orders/settings")
        await _both_widths(page, "orders-settings")

        # A 一般 user reads the lists without the change buttons.
        general = await browser.new_page(viewport={"width": 1366, "height": 900}, locale="ja-JP")
        await sign_in(general, base, "/orders/masters/set-products", who="staff")
        assert await general.locator("main button").count() == 0
        assert "管理者のみ" in await general.locator("main").inner_text()
        await general.get_by_role("link", name="廃止済みも表示").click()
        assert f"トニックと青汁{tag}" in await general.locator("main").inner_text()
        await _both_widths(general, "master-set-products-general")
        await browser.close()
