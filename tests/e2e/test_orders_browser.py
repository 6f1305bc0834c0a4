"""受注 in a real browser (Debian's Chromium) at PC and phone widths: the admin registers two
products through the API (one at the reduced 8 % rate) and the shipping fee of the
customer's prefecture; an operator opens the customer's monitor, presses 受注入力, is
refused a zero quantity with a Japanese reason beside the field (nothing placed),
places the order, sees its lines and totals per tax rate as the service computed them, and
finds it in today's 受注一覧 with its total. The form is walked by keyboard (labels, tab
order). Screenshots are kept as artefacts and nothing scrolls sideways."""

import re
import uuid
from pathlib import Path

import httpx
import pytest

from tests.e2e.flows import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CHROMIUM_ENV,
    login,
    once_known,
    screenshot_that_fits,
    sign_in,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.database]

WIDTHS = [("pc", 1366, 900), ("phone", 375, 812)]


def yen(value: int) -> str:
    return f"{value:,}円"


@pytest.fixture(scope="module")
async def shop(served):  # type: ignore[no-untyped-def]
    """Two products, the shipping fee to 神奈川県, one customer per width living there."""
    tag = uuid.uuid4().hex[:6]
    async with httpx.AsyncClient(base_url=served) as client:
        admin = await login(client)

        async def made(path: str, body: dict) -> dict:
            r = await client.post(f"/api/v1/mail-order/{path}", headers=admin, json=body)
            assert r.status_code == 201, r.text
            return r.json()

        tonic = await made("products", {"code": f"T-{tag}", "name": f"健康トニック{tag}",
                                        "price_yen": 3_000, "tax_rate": 10})  # fmt: skip
        tea = await made("products", {"code": f"G-{tag}", "name": f"青汁{tag}",
                                      "price_yen": 1_080, "tax_rate": 8, "subscription_eligible": True})  # fmt: skip
        await made("shipping-fees", {"prefecture": "神奈川県", "fee_yen": 800})
        customers = {}
        for label, _, _ in WIDTHS:
            r = await client.post("/api/v1/customers", headers=admin, json={
                "family_name": f"受注{label}{tag}", "given_name": "花子", "family_kana": "ジュチュウ",
                "given_kana": "ハナコ", "phones": ["090-2222-3333"], "birth_date": "1975-05-05",
                "emails": [f"order-{label}-{tag}@example.com"],
                "addresses": [{"kind": "home", "postal_code": "2200012", "prefecture": "神奈川県",
                               "city": "横浜市西区", "street": "みなとみらい1-1"}],
            })  # fmt: skip
            assert r.status_code == 201, r.text
            customers[label] = r.json()["id"]
        await made("reasons", {"kind": "cancel", "text": "飲み切れないため"})
        subscriptions = {}
        for label, _, _ in WIDTHS:  # 毎月1日: 元日 and weekends move some deliveries
            body = {
                "customer_id": customers[label], "lines": [{"product_id": tea["id"], "quantity": 2}],
                "delivery": {"kind": "home", "name": f"受注{label}{tag} 花子", "postal_code": "2200012",
                             "prefecture": "神奈川県", "address": "横浜市西区みなとみらい1-1"},
                "cycle": {"unit": "months", "every": 1, "day_of_month": 1}}  # fmt: skip
            # orders learns the customer just registered by event
            r = await once_known(lambda body=body: client.post(
                "/api/v1/mail-order/subscriptions", headers=admin, json=body))  # fmt: skip
            assert r.status_code == 201, r.text
            subscriptions[label] = r.json()["id"]
    return {"base": served, "tonic": tonic, "tea": tea, "customers": customers, "admin": admin,
            "subscriptions": subscriptions}  # fmt: skip


@pytest.mark.parametrize(("label", "width", "height"), WIDTHS)
async def test_order_entry_from_the_monitor_to_the_days_list(
    shop, label: str, width: int, height: int
) -> None:  # type: ignore[no-untyped-def]
    from playwright.async_api import async_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (make system-deps)"
    base, customer_id = shop["base"], shop["customers"][label]
    tonic, tea = shop["tonic"], shop["tea"]
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=CHROMIUM_ENV
        )
        page = await browser.new_page(viewport={"width": width, "height": height}, locale="ja-JP")
        await sign_in(page, base, f"/monitor/{customer_id}", who="staff")

        await page.get_by_role("link", name="受注入力").click()
        await page.wait_for_url(re.compile(rf"/orders/new\?customer_id={customer_id}$"))
        assert (
            "自宅 受注" in await page.locator(".delivery-choice").inner_text()
            and "〒2200012 神奈川県横浜市西区みなとみらい1-1"
            in await page.locator(".delivery-choice").inner_text()
        )
        await screenshot_that_fits(page, f"order-new-{label}")

        # Each field has its label, and Tab goes from a product code to its quantity.
        await page.get_by_label("商品 1").focus()
        await page.keyboard.press("Tab")
        assert await page.evaluate("document.activeElement.id") == "quantity_0"
        await page.get_by_label("商品 1").fill(tonic["code"])
        await page.get_by_label("数量 1").fill("0")
        await page.get_by_role("button", name="受注する").click()
        errors = page.locator("#order-errors")
        await errors.wait_for()
        reason = await errors.inner_text()
        assert "受注できませんでした" in reason and "数量" in reason, reason
        assert await page.get_by_label("商品 1").input_value() == tonic["code"]  # kept
        await screenshot_that_fits(page, f"order-refused-{label}")

        await page.get_by_label("数量 1").fill("2")
        await page.get_by_label("商品 2").fill(tea["code"])
        await page.get_by_label("数量 2").fill("1")
        async with page.expect_navigation(url=re.compile(r"/orders/[0-9a-f-]{36}$")):
            await page.get_by_role("button", name="受注する").click()
        order_id = page.url.split("/orders/")[1].split("?")[0]
        async with httpx.AsyncClient(base_url=base) as client:
            r = await client.get(f"/api/v1/mail-order/orders/{order_id}", headers=shop["admin"])
            order = r.json()
        # The order as the service priced it: 3,000 × 2 at 10 %, 1,080 at 8 %, 送料 800.
        assert [(ln["quantity"], ln["tax_rate"]) for ln in order["lines"]] == [(2, 10), (1, 8)]
        assert order["subtotal_yen"] == 7_080 and order["shipping_fee_yen"] == 800
        assert {t["tax_rate"] for t in order["tax_by_rate"]} == {8, 10}
        assert order["tax_yen"] == sum(t["tax_yen"] for t in order["tax_by_rate"])
        assert (
            f"受注番号 {order['order_number']} で受け付けました。"
            in await page.locator(".notice").inner_text()
        )
        totals = await page.locator("#order-totals").inner_text()
        for t in order["tax_by_rate"]:
            assert f"{t['tax_rate']}%対象 {yen(t['taxable_yen'])}" in totals
            assert f"消費税 {yen(t['tax_yen'])}" in totals
        assert yen(order["total_yen"]) in totals and "送料" in totals
        await screenshot_that_fits(page, f"order-{label}")

        await page.get_by_role("link", name="受注", exact=True).click()
        await page.wait_for_url(re.compile(r"/orders$"))
        number = page.get_by_role("link", name=str(order["order_number"]), exact=True)
        row = page.locator("table.orders tbody tr").filter(has=number)
        text = await row.inner_text()
        assert f"受注{label}" in text and yen(order["total_yen"]) in text and "受注" in text
        assert "（本日）" in await page.locator("h1").inner_text()
        await screenshot_that_fits(page, f"orders-{label}")
        await browser.close()


@pytest.mark.parametrize(("label", "width", "height"), WIDTHS)
async def test_a_subscription_shows_its_next_deliveries_changes_cycle_skips_and_pauses(
    shop, label: str, width: int, height: int
) -> None:  # type: ignore[no-untyped-def]
    from playwright.async_api import async_playwright

    base, sub_id = shop["base"], shop["subscriptions"][label]
    async with httpx.AsyncClient(base_url=base) as client:
        r = await client.get(
            f"/api/v1/mail-order/subscriptions/{sub_id}/preview", headers=shop["admin"]
        )
        preview = r.json()
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=CHROMIUM_ENV
        )
        page = await browser.new_page(viewport={"width": width, "height": height}, locale="ja-JP")
        await sign_in(page, base, "/subscriptions", who="staff")
        await screenshot_that_fits(page, f"subscriptions-{label}")
        await page.get_by_role("link", name=f"受注{label}", exact=False).first.click()
        await page.wait_for_url(re.compile(rf"/subscriptions/{sub_id}$"))
        text = await page.locator("main").inner_text()
        assert "毎月1日" in text and "継続中" in text and f"{shop['tea']['name']} × 2" in text
        rows = page.locator("section[aria-labelledby=preview-h] tbody tr")
        assert await rows.count() == len(preview) > 0
        for row, item in zip(await rows.all(), preview, strict=True):
            shown = await row.inner_text()
            assert f"{item['cycle_no']}回目" in shown
            assert item["delivers_on"][5:].replace("-", "/") in shown  # 2027/01/04(月)
            if item["reason"]:  # the reason the date moved, as the service says it
                assert item["reason"] in shown
        await screenshot_that_fits(page, f"subscription-{label}")

        # 周期の変更 to 毎月末日: previewed from the one after next (the next one kept), saved.
        change = page.locator("#cycle-change")
        await change.get_by_label("末日", exact=True).check()
        async with page.expect_navigation():
            await change.get_by_role("button", name="変更後の予定を確認").click()
        first = await page.locator("section[aria-labelledby=changed-h] tbody tr").first.inner_text()
        assert "（変更なし）" in first and preview[0]["delivers_on"][5:].replace("-", "/") in first
        await screenshot_that_fits(page, f"subscription-cycle-{label}")
        async with page.expect_navigation():
            await change.get_by_role("button", name="この周期に変更").click()
        assert "周期を「毎月末日」に変更しました。" in await page.locator(".notice").inner_text()
        assert "毎月末日" in await page.locator("section[aria-labelledby=facts-h]").inner_text()

        async with page.expect_navigation():
            await page.get_by_role("button", name="次回をスキップ").click()
        assert "次回の配送をスキップしました。" in await page.locator(".notice").inner_text()
        async with page.expect_navigation():
            await page.get_by_role("button", name="休止").click()
        assert "休止中" in await page.locator("h1").inner_text()
        assert await page.get_by_role("button", name="再開").count() == 1
        # 解約 without a reason is refused by the form, with one it is done.
        await page.get_by_label("解約の理由").select_option(label="飲み切れないため")
        async with page.expect_navigation():
            await page.get_by_role("button", name="解約").click()
        assert "解約" in await page.locator("h1").inner_text()
        await browser.close()


@pytest.mark.parametrize(("label", "width", "height"), WIDTHS)
async def test_the_admin_adds_edits_and_retires_a_product(
    shop, label: str, width: int, height: int
) -> None:  # type: ignore[no-untyped-def]
    from playwright.async_api import async_playwright

    base, code = shop["base"], f"M-{label}-{uuid.uuid4().hex[:4]}"
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=CHROMIUM_ENV
        )
        page = await browser.new_page(viewport={"width": width, "height": height}, locale="ja-JP")
        await sign_in(page, base, "/orders/products", who="admin")
        await page.get_by_label("商品コード").fill(code)
        await page.get_by_label("商品名").fill(f"黒酢{label}")
        await page.get_by_label("価格（税抜・円）").fill("千円")
        await page.get_by_role("button", name="登録").click()
        assert (
            "価格は0以上の数字（円）で入力してください。"
            in await page.locator("#form-errors").inner_text()
        )
        assert await page.get_by_label("商品名").input_value() == f"黒酢{label}"  # kept
        await page.get_by_label("価格（税抜・円）").fill("2,160")
        await page.get_by_label("税率").select_option("8")
        await page.get_by_label("定期の対象").check()
        async with page.expect_navigation(url=re.compile(r"/orders/products$")):
            await page.get_by_role("button", name="登録").click()
        row = page.locator("table.products tbody tr", has_text=code)
        assert "2,160円" in await row.inner_text() and "8%（軽減）" in await row.inner_text()
        await screenshot_that_fits(page, f"products-{label}")

        await row.get_by_role("link", name=f"黒酢{label}").click()
        await page.wait_for_url(re.compile(r"/orders/products/[0-9a-f-]{36}$"))
        await page.get_by_label("価格（税抜・円）").fill("2400")
        async with page.expect_navigation():
            await page.get_by_role("button", name="保存").click()
        assert await page.get_by_label("価格（税抜・円）").input_value() == "2400"
        assert await page.get_by_label("定期の対象").is_checked()
        await screenshot_that_fits(page, f"product-{label}")
        async with page.expect_navigation():
            await page.get_by_role("button", name="廃止する").click()
        assert "廃止" in await page.locator("h1").inner_text()
        await page.goto(f"{base}/orders/products")
        assert await page.locator("table.products tbody tr", has_text=code).count() == 0
        await browser.close()


@pytest.mark.parametrize(("label", "width", "height"), WIDTHS)
async def test_the_days_subscription_shipping_list_and_its_csv(
    shop, label: str, width: int, height: int
) -> None:  # type: ignore[no-untyped-def]
    """The page and the API list the same shipments for a subscription's delivery day (none
    here: no daily run has made its order yet, so the page says so); the CSV is the
    service's, streamed (UTF-8 with BOM, CRLF); a day that does not exist is refused."""
    from playwright.async_api import async_playwright

    base = shop["base"]
    async with httpx.AsyncClient(base_url=base) as client:
        r = await client.get("/api/v1/mail-order/subscriptions/" + shop["subscriptions"][label],
                             headers=shop["admin"])  # fmt: skip
        day = r.json()["next_delivers_on"]
        r = await client.get("/api/v1/mail-order/subscription-shipments",
                             params={"day": day}, headers=shop["admin"])  # fmt: skip
        listed = r.json()
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=CHROMIUM_ENV
        )
        page = await browser.new_page(viewport={"width": width, "height": height}, locale="ja-JP")
        await sign_in(page, base, "/subscriptions", who="staff")
        await page.get_by_role("link", name="定期発送一覧").click()
        await page.wait_for_url(re.compile(r"/subscriptions/shipments$"))
        assert "（本日）" in await page.locator("h1").inner_text()
        await page.get_by_label("お届け日").fill(day)
        await page.get_by_role("button", name="表示").click()
        await page.wait_for_url(re.compile(rf"/subscriptions/shipments\?day={day}$"))
        text = await page.locator("main").inner_text()
        if listed:
            assert f"{len(listed)}件" in text
        else:
            assert "この日にお届けする定期はありません。" in text
        await screenshot_that_fits(page, f"subscription-shipments-{label}")
        async with page.expect_download() as info:
            await page.get_by_role("link", name="CSVダウンロード").click()
        download = await info.value
        content = Path(await download.path()).read_bytes()
        assert content.startswith(b"\xef\xbb\xbf") and b"\r\n" in content  # Excel's UTF-8
        assert day in download.suggested_filename
        await page.goto(f"{base}/subscriptions/shipments?day=2026-02-30")
        assert (
            "日付は 2026-01-31 の形で入力してください。"
            in await page.locator(".error").inner_text()
        )
        await browser.close()
