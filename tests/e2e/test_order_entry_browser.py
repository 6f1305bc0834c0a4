"""受注入力 by keyboard alone, in Chromium at 1366 and 375 px: from the customer monitor an
operator opens the form (Enter on 受注入力), types product codes, a set product's name and
quantities (Tab to move, Enter adds the next line), sees the totals per tax rate and the
campaign that would apply before placing — the orders service's quote — types a new gift
address (its postal code fills the prefecture and the town) and a survey answer, and places the order with Enter on 受注する. The placed order
has the quoted totals; the monitor's 購入履歴 (a read model fed by the orders events) shows it
a moment later, and its 再注文 makes a new order in one step. The 定期 pane lists the
customer's subscription with its next delivery and links 定期を登録."""

import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from kit.clock import japan_date

from tests.e2e.flows import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CHROMIUM_ENV,
    eventually,
    login,
    once_known,
    screenshot_that_fits,
    sign_in,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.database]

WIDTHS = [("pc", 1366, 900), ("phone", 375, 812)]


@pytest.fixture(scope="module")
async def shop(served):  # type: ignore[no-untyped-def]
    """A 10 % tonic that brings a gift, an 8 % tea, a 10 % bundle, fees, a survey question,
    one customer per width with a subscription."""
    tag, today = uuid.uuid4().hex[:6], japan_date(datetime.now(UTC)).isoformat()
    async with httpx.AsyncClient(base_url=served) as client:
        admin = await login(client)

        async def made(path: str, body: dict) -> dict:
            r = await client.post(f"/api/v1/mail-order/{path}", headers=admin, json=body)
            assert r.status_code == 201, r.text
            return r.json()

        tonic = await made("products", {"code": f"T{tag}", "name": "健康トニック",
                                        "price_yen": 3_000, "tax_rate": 10})  # fmt: skip
        tea = await made("products", {"code": f"G{tag}", "name": "青汁", "price_yen": 1_080,
                                      "tax_rate": 8, "subscription_eligible": True})  # fmt: skip
        cup = await made("products", {"code": f"C{tag}", "name": "シェイカー", "price_yen": 500,
                                      "tax_rate": 10})  # fmt: skip
        guide = await made("products", {"code": f"P{tag}", "name": "ご利用ガイド", "price_yen": 0,
                                        "tax_rate": 10, "is_present": True})  # fmt: skip
        bundle = await made("set-products", {"name": f"トニック2本セット{tag}", "kind": "bundle",
                            "items": [{"product_id": tonic["id"], "quantity": 2},
                                      {"product_id": cup["id"], "quantity": 1}]})  # fmt: skip
        await made("campaigns", {"name": "トニックにガイド", "kind": "gift_with_product",
                                 "starts_on": today, "ends_on": today,
                                 "trigger_product_id": tonic["id"], "gift_product_id": guide["id"]})  # fmt: skip
        for prefecture, fee in (("神奈川県", 800), ("東京都", 1_000)):
            await made("shipping-fees", {"prefecture": prefecture, "fee_yen": fee})
        question = await made(
            "survey-questions", {"text": "何でお知りになりましたか", "answer_kind": "text"}
        )
        customers = {}
        for label, _, _ in WIDTHS:
            r = await client.post("/api/v1/customers", headers=admin, json={
                "family_name": f"電話{label}{tag}", "given_name": "花子", "family_kana": "デンワ",
                "given_kana": "ハナコ", "phones": ["090-4444-5555"], "birth_date": "1970-07-07",
                "emails": [f"phone-{label}-{tag}@example.com"],
                "addresses": [{"kind": "home", "postal_code": "2200012", "prefecture": "神奈川県",
                               "city": "横浜市西区", "street": "みなとみらい1-1"}],
            })  # fmt: skip
            assert r.status_code == 201, r.text
            customers[label] = r.json()["id"]
            subscription = {
                "customer_id": customers[label], "lines": [{"product_id": tea["id"], "quantity": 1}],
                "delivery": {"kind": "home", "name": f"電話{label}{tag} 花子", "postal_code": "2200012",
                             "prefecture": "神奈川県", "address": "横浜市西区みなとみらい1-1"},
                "cycle": {"unit": "months", "every": 1, "day_of_month": 15}}  # fmt: skip
            # the orders service learns of the customer by event, a moment after it is made
            r = await once_known(lambda body=subscription: client.post(
                "/api/v1/mail-order/subscriptions", headers=admin, json=body))  # fmt: skip
            assert r.status_code == 201, r.text
    return {"base": served, "admin": admin, "tonic": tonic, "tea": tea, "bundle": bundle,
            "question": question, "customers": customers}  # fmt: skip


async def _tab_to(page, element_id: str, limit: int = 60) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until the field has the focus (the operator's way through the form)."""
    for _ in range(limit):
        if await page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        await page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


async def _shows(page, url: str, number: str) -> bool:  # type: ignore[no-untyped-def]
    await page.goto(url)
    return await page.locator("#panel-purchases a", has_text=number).count() > 0


async def test_a_phone_order_by_keyboard_then_history_and_reorder_from_the_monitor(shop) -> None:  # type: ignore[no-untyped-def]
    from playwright.async_api import async_playwright, expect

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (make system-deps)"
    base, admin = shop["base"], shop["admin"]
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=CHROMIUM_ENV
        )
        for label, width, height in WIDTHS:
            customer_id = shop["customers"][label]
            page = await browser.new_page(
                viewport={"width": width, "height": height}, locale="ja-JP"
            )
            await sign_in(page, base, f"/monitor/{customer_id}", who="staff")
            await page.get_by_role("link", name="受注入力").focus()
            await page.keyboard.press("Enter")
            await page.wait_for_url(re.compile(rf"/orders/new\?customer_id={customer_id}$"))
            assert await page.evaluate("document.activeElement.id") == "code_0"  # ready to type

            # Three lines by keyboard: a code, Tab, its quantity, Enter for the next line.
            for code, quantity in ((shop["tonic"]["code"], "1"), (shop["bundle"]["name"], "1"),
                                   (shop["tea"]["code"], "3")):  # fmt: skip
                await page.keyboard.type(code)
                await page.keyboard.press("Tab")
                await page.keyboard.type(quantity)  # Tab selected the 1 already there
                await page.keyboard.press("Enter")
            assert await page.evaluate("document.activeElement.id") == "code_3"  # a fourth row
            totals = page.locator("#quote-totals")
            # The quote follows each line as the page asks for it: the totals of the first
            # lines may stand until the tea's answer comes (waited for, up to 10 s).
            await page.wait_for_function(
                "document.querySelector('#quote-totals')?.innerText.includes('8%対象（軽減）')",
                timeout=10_000,
            )
            assert "8%対象（軽減）" in await totals.inner_text()
            assert "トニックにガイド" in await page.locator("#order-quote").inner_text()

            # A new gift address, typed: the quote follows with its prefecture's fee.
            await _tab_to(page, "to_name")
            await page.keyboard.type("贈答 次郎")
            await page.keyboard.press("Tab")  # half an address: the fee waits for the rest
            await page.locator("#order-quote", has_text="お届け先の入力後").wait_for()
            await page.keyboard.type("03-1234-5678")
            await page.keyboard.press("Tab")
            # 郵便番号から住所 (postal.js): the prefecture and the town filled, the rest typed.
            await page.keyboard.type("100-0001")
            await expect(page.locator("#to_prefecture")).to_have_value("東京都")
            await expect(page.locator("#to_address")).to_have_value("千代田区千代田")
            await _tab_to(page, "to_address")
            await page.keyboard.press("End")
            await page.keyboard.type("1-1")
            await page.keyboard.press("Tab")
            await page.locator("#order-quote", has_text="1,000円").wait_for()
            await _tab_to(page, f"survey_{shop['question']['id']}")
            await page.keyboard.type("新聞広告")
            await page.keyboard.press("Enter")  # recomputes, never places
            shown = await totals.inner_text()
            await screenshot_that_fits(page, f"order-entry-quote-{label}")

            await _tab_to(page, "place-order")
            async with page.expect_navigation(url=re.compile(r"/orders/[0-9a-f-]{36}$")):
                await page.keyboard.press("Enter")
            order_id = page.url.split("/orders/")[1].split("?")[0]
            async with httpx.AsyncClient(base_url=base) as client:
                order = (
                    await client.get(f"/api/v1/mail-order/orders/{order_id}", headers=admin)
                ).json()
                answers = (await client.get(f"/api/v1/mail-order/orders/{order_id}/survey-answers",
                                            headers=admin)).json()  # fmt: skip
            assert [ln["kind"] for ln in order["lines"]] == ["product", "product", "bundle", "gift"]
            assert (
                order["delivery"]["kind"] == "gift" and order["delivery"]["prefecture"] == "東京都"
            )
            assert order["shipping_fee_yen"] == 1_000 and answers[0]["answer"] == "新聞広告"
            for t in order["tax_by_rate"]:  # what was quoted is what was placed
                rate = f"{t['tax_rate']}%対象{'（軽減）' if t['tax_rate'] == 8 else ''}"
                assert (
                    f"{rate} {t['taxable_yen']:,}円" in shown
                    and f"消費税 {t['tax_yen']:,}円" in shown
                )
            assert f"{order['total_yen']:,}円" in shown

            # 購入履歴: the customer service learns the order from its event, a moment later.
            where = f"{base}/monitor/{customer_id}?tab=purchases"
            await eventually(lambda: _shows(page, where, str(order["order_number"])))  # noqa: B023
            row = page.locator("#panel-purchases tbody tr", has_text=str(order["order_number"]))
            assert f"{order['total_yen']:,}円" in await row.inner_text()
            assert await page.locator("#monitor-hot-lead").count() == 1  # a broker: hot leads
            await screenshot_that_fits(page, f"monitor-purchases-{label}")
            await row.get_by_role("button", name="再注文").focus()
            async with page.expect_navigation(url=re.compile(r"/orders/[0-9a-f-]{36}$")):
                await page.keyboard.press("Enter")
            assert "再注文を受け付けました" in await page.locator(".notice").inner_text()
            assert page.url.split("/orders/")[1].split("?")[0] != order_id

            await page.goto(f"{base}/monitor/{customer_id}?tab=subscriptions")
            pane = page.locator("#panel-subscriptions")
            assert "青汁 × 1" in await pane.inner_text() and "継続中" in await pane.inner_text()
            register = pane.get_by_role("link", name="定期を登録")
            assert (
                await register.get_attribute("href")
                == f"/subscriptions/new?customer_id={customer_id}"
            )
            await screenshot_that_fits(page, f"monitor-subscriptions-{label}")
            await page.close()
        await browser.close()


async def test_the_form_works_without_javascript(shop) -> None:  # type: ignore[no-untyped-def]
    """The same steps as plain form posts: 金額を計算 (Enter's button) shows the quote and one
    more row, a wrong code is said on its row with what was typed kept, 受注する places."""
    base, customer_id = shop["base"], shop["customers"]["pc"]
    where = f"/orders/new?customer_id={customer_id}"
    async with httpx.AsyncClient(base_url=base) as client:
        staff = await login(client, "staff@demo.example", "demo-staff-pass")
        form = {"code_0": shop["tonic"]["code"].lower(), "quantity_0": "２",
                "code_1": shop["tea"]["code"], "quantity_1": "1", "action": "quote"}  # fmt: skip
        r = await client.post(where, data=form, headers=staff)
        assert r.status_code == 200, r.text
        new_row = re.search(r'<input id="code_2"[^>]*>', r.text)  # two typed, one more row
        assert new_row and 'value=""' in new_row[0] and "autofocus" in new_row[0]
        assert "8%対象（軽減）" in r.text and "10%対象" in r.text and "トニックにガイド" in r.text
        r = await client.post(
            where, data={**form, "code_1": "NOPE", "action": "place"}, headers=staff
        )
        assert r.status_code == 422
        assert "2行目: 商品コード「NOPE」の商品・セットが見つかりません。" in r.text
        assert 'value="NOPE"' in r.text and 'aria-invalid="true"' in r.text
        r = await client.post(where, data={**form, "action": "place"}, headers=staff)
        assert r.status_code == 303 and re.match(r"/orders/[0-9a-f-]{36}$", r.headers["location"])
