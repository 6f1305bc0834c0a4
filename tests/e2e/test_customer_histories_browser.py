"""Issue 14 in a real browser (Debian's Chromium) at 1366 and 375 px: a customer with an
order, interactions and actions; the monitor's ランク, 対応履歴 and アクション履歴 panes filled,
an FAQ answer found in kana and pasted into a new interaction, a refused entry shown beside
its field with the typed text kept; the printable 対応履歴一覧表 and 長期放置, and the FAQ
page's answer to a one-character search. Screenshots under artifacts/screenshots/."""

import re
import uuid
from pathlib import Path

import httpx
import pytest

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
DELIVERY = {"kind": "home", "name": "履歴 花子", "postal_code": "100-0001",
            "prefecture": "東京都", "address": "千代田区千代田1-1"}  # fmt: skip
ANSWER = "肩や腰の気になるところに、肌を清潔にしてから貼ってください。"


async def _prepare(client: httpx.AsyncClient) -> str:
    h = await login(client)

    async def made(method: str, path: str, body: dict) -> dict:
        r = await client.request(method, path, headers=h, json=body)
        assert r.status_code in (200, 201), (path, r.text)
        return r.json()

    customer = (await made("POST", "/api/v1/customers", {
        "family_name": "履歴", "given_name": "花子", "family_kana": "リレキ",
        "given_kana": "ハナコ", "birth_date": "1970-02-02", "phones": ["090-8181-0001"],
        "emails": [f"rireki-{uuid.uuid4().hex[:6]}@example.com"]}))["id"]  # fmt: skip
    await made("PUT", "/api/v1/customer-ranks", {"period_days": 365, "ranks": [
        {"name": "プラチナ", "min_orders": 5}, {"name": "ゴールド", "min_orders": 1, "max_orders": 4}]})  # fmt: skip
    await made("POST", f"/api/v1/customers/{customer}/actions", {"kind": "catalogue",
                                                                 "note": "冬の健康カタログ"})  # fmt: skip
    await made("POST", f"/api/v1/customers/{customer}/interactions", {
        "kind": "call_in", "body": "カタログを見て健康テープについてお問い合わせ",
        "next_step": "使用感を伺う"})  # fmt: skip
    category = await made("POST", "/api/v1/faq/categories", {"name": "商品の説明"})
    await made("POST", "/api/v1/faq/entries", {
        "category_id": category["id"], "question": "健康テープの貼り方", "answer": ANSWER,
        "keywords": "けんこうてーぷ はりかた"})  # fmt: skip
    await made("POST", "/api/v1/mail-order/shipping-fees", {"prefecture": "東京都", "fee_yen": 800})
    product = await made("POST", "/api/v1/mail-order/products", {
        "code": f"RK-{uuid.uuid4().hex[:4]}", "name": "健康テープ", "price_yen": 3240,
        "tax_rate": 8})  # fmt: skip

    async def ordered() -> dict | None:  # orders learns a new customer by event
        r = await client.post("/api/v1/mail-order/orders", headers=h, json={
            "customer_id": customer, "delivery": DELIVERY,
            "lines": [{"product_id": product["id"], "quantity": 1}]})  # fmt: skip
        if r.status_code in (404, 422) and "customer" in r.text:
            return None
        assert r.status_code == 201, r.text
        return r.json()

    await eventually(ordered)

    async def ranked() -> bool:  # OrderPlaced, consumed: the rank in the same transaction
        detail = (await client.get(f"/api/v1/customers/{customer}", headers=h)).json()
        return detail.get("rank_name") == "ゴールド"

    await eventually(ranked)
    return customer


async def test_monitor_panes_faq_and_reports(system, served) -> None:  # type: ignore[no-untyped-def]
    from playwright.async_api import async_playwright

    async with httpx.AsyncClient(base_url=served) as client:
        customer = await _prepare(client)
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (make system-deps)"
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=CHROMIUM_ENV
        )
        try:
            pc = await browser.new_page(viewport={"width": 1366, "height": 900}, locale="ja-JP")
            await sign_in(pc, served, f"/monitor/{customer}?tab=interactions", who="admin")
            await _monitor(pc, customer, "pc")
            await _reports(pc, served)
            # The rank on the customer's own page, beside the follow-up status (CUS-10).
            await pc.goto(f"{served}/customers/{customer}")
            await pc.locator("h1 .rank-badge").get_by_text("ゴールド").wait_for()
            phone = await browser.new_page(viewport={"width": 375, "height": 812}, locale="ja-JP")
            await sign_in(phone, served, f"/monitor/{customer}?tab=interactions")
            await _phone(phone, served)
        finally:
            await browser.close()


async def _monitor(page, customer: str, label: str) -> None:  # type: ignore[no-untyped-def]
    head = page.locator(".monitor-facts")
    await head.get_by_text("ゴールド").wait_for()
    panel = page.locator("#panel-interactions")
    await (
        panel.locator(".report-body")
        .get_by_text("カタログを見て健康テープについてお問い合わせ")
        .wait_for()
    )
    await panel.get_by_text("次回対応: 使用感を伺う").wait_for()
    # A refused entry: the reason beside 対応内容, what was typed kept.
    await page.get_by_label("次回対応", exact=True).fill("明日お電話")
    await page.get_by_role("button", name="対応履歴を登録").click()
    await page.locator("#body-error").get_by_text("対応内容を入力してください。").wait_for()
    assert await page.get_by_label("次回対応", exact=True).input_value() == "明日お電話"
    # The FAQ found in hiragana, its answer pasted into 対応内容.
    await page.get_by_label("FAQを検索して対応内容に貼り付け").fill("けんこう")
    await page.get_by_role("button", name="FAQ検索").click()
    await page.get_by_role("button", name="対応内容に貼り付け").click()
    assert ANSWER in await page.locator("#interaction-body").input_value()
    await page.locator("#kind").select_option(label="電話発信")
    await screenshot_that_fits(page, f"histories-monitor-interaction-form-{label}")
    await page.get_by_role("button", name="対応履歴を登録").click()
    await page.wait_for_url(re.compile(r"tab=interactions"))
    await page.get_by_role("status").get_by_text("対応履歴を登録しました。").wait_for()
    first = page.locator(".timeline li").first
    await first.locator(".kind-badge").get_by_text("電話発信").wait_for()
    await first.locator(".report-body").get_by_text("肩や腰の気になるところに").wait_for()
    await screenshot_that_fits(page, f"histories-monitor-interactions-{label}")
    await _correct(page, first, label)
    await page.get_by_role("tab", name="アクション履歴").click()
    actions = page.locator("#panel-actions")
    await actions.get_by_text("冬の健康カタログ").wait_for()
    await actions.get_by_text("受注につながりました").wait_for()  # the order it led to
    await screenshot_that_fits(page, f"histories-monitor-actions-{label}")


async def _correct(page, entry, label: str) -> None:  # type: ignore[no-untyped-def]
    """修正 beside one's own entry: a refusal beside its field, then kept as 修正済み; 削除
    asks for a tick first and leaves the entry out."""
    await entry.get_by_text("修正", exact=True).click()
    await entry.get_by_label("修正後の対応内容").fill(" ")
    await entry.get_by_role("button", name="修正を保存").click()
    entry = page.locator(".timeline li").first
    await entry.locator(".field-error").get_by_text("対応内容を入力してください。").wait_for()
    await entry.get_by_label("修正後の対応内容").fill("健康テープの貼り方をご案内（修正）")
    await screenshot_that_fits(page, f"histories-monitor-correct-{label}")
    await entry.get_by_role("button", name="修正を保存").click()
    await page.get_by_role("status").get_by_text("対応履歴を修正しました。").wait_for()
    entry = page.locator(".timeline li").first
    await entry.locator(".report-body").get_by_text("健康テープの貼り方をご案内（修正）").wait_for()
    await entry.get_by_text("修正済み").wait_for()
    await entry.get_by_text("削除", exact=True).click()
    await entry.get_by_label("この対応履歴を削除します").check()
    await entry.get_by_role("button", name="削除する").click()
    await page.get_by_role("status").get_by_text("対応履歴を削除しました。").wait_for()
    assert await page.get_by_text("健康テープの貼り方をご案内（修正）").count() == 0


async def _reports(page, base: str) -> None:  # type: ignore[no-untyped-def]
    await page.goto(f"{base}/histories/interactions")
    row = page.locator("table.list tbody tr").first
    await row.get_by_role("link", name="履歴 花子 様").wait_for()
    await row.get_by_label("履歴 花子 様への翌日の指示").fill("明日の午前中に折り返し")
    await row.get_by_role("button", name="保存").click()
    await page.get_by_role("status").get_by_text("翌日の指示を保存しました。").wait_for()
    await page.locator("input[value='明日の午前中に折り返し']").wait_for()
    # One instruction per staff member for the next day (shown on their monitor tomorrow).
    told = page.locator("#staff-instructions")
    await told.get_by_label("管理者 太郎さんへの指示").fill("クレーム対応を優先")
    await told.get_by_role("button", name="保存").click()
    await (
        page.get_by_role("status").get_by_text("スタッフへの翌日の指示を保存しました。").wait_for()
    )
    await page.locator("input[value='クレーム対応を優先']").wait_for()
    await page.emulate_media(media="print")
    await screenshot_that_fits(page, "histories-daily-print-pc")
    await page.emulate_media(media="screen")
    await page.goto(f"{base}/histories/neglected?min_days=0")
    await page.locator("table.list").get_by_role("link", name="履歴 花子 様").wait_for()
    await screenshot_that_fits(page, "histories-neglected-pc")
    await page.goto(f"{base}/reports/action-sales")
    await page.locator("table.list").get_by_text("カタログ送付").wait_for()
    await screenshot_that_fits(page, "histories-action-sales-pc")
    # ランク設定: a third rank overlapping ゴールド comes back with the reason, typed rows kept.
    await page.goto(f"{base}/ranks")
    await page.get_by_label("3行目のランク名").fill("シルバー")
    await page.get_by_label("3行目の購入回数の下限").fill("２")  # full width is read
    await page.get_by_role("button", name="保存して全員のランクを計算し直す").click()
    await (
        page.get_by_role("alert")
        .get_by_text("「ゴールド」と「シルバー」の条件が重なっています")
        .wait_for()
    )
    assert await page.get_by_label("3行目のランク名").input_value() == "シルバー"
    await screenshot_that_fits(page, "histories-ranks-refused-pc")


async def _phone(page, base: str) -> None:  # type: ignore[no-untyped-def]
    await page.locator(".monitor-facts").get_by_text("ゴールド").wait_for()
    await page.locator(".timeline li").first.wait_for()
    await screenshot_that_fits(page, "histories-monitor-interactions-phone")
    # A 一般 user: 修正 beside their own entry only, not beside the administrator's.
    assert await page.locator(".timeline .entry-tools").count() == 0
    await page.locator("#interaction-body").fill("折り返しのご希望")
    await page.get_by_role("button", name="対応履歴を登録").click()
    await page.get_by_role("status").get_by_text("対応履歴を登録しました。").wait_for()
    own = page.locator(".timeline li").first
    await own.get_by_text("修正", exact=True).click()
    await own.get_by_label("修正後の対応内容").wait_for()
    assert await page.locator(".timeline .entry-tools").count() == 1
    await screenshot_that_fits(page, "histories-monitor-correct-phone")
    await page.get_by_role("tab", name="アクション履歴").click()
    await page.locator("#panel-actions").get_by_text("受注につながりました").wait_for()
    await screenshot_that_fits(page, "histories-monitor-actions-phone")
    await page.goto(f"{base}/faq?q=健")
    await page.locator("#faq-q-error").get_by_text("2文字以上").wait_for()
    await page.get_by_label("キーワード（かな・漢字、2文字以上）").fill("てーぷ")
    await page.get_by_role("button", name="検索", exact=True).click()
    await page.get_by_text(ANSWER).wait_for()
    await screenshot_that_fits(page, "histories-faq-phone")
