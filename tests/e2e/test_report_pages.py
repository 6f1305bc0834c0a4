"""帳票 (ORD-6) through the gateway in the embedded system: orders placed through the API
feed the orders service's reporting model by its own events; the 広告月別売上 CSV, opened by a
real spreadsheet program (LibreOffice), shows the figures computed by hand; a bad range is
refused in Japanese with the fields named; and two report pages in Debian's Chromium at PC
and phone widths show the chart, the table and the totals, with screenshots kept and nothing
scrolling sideways. アクション別売上集計 (the customer service's figures) likewise: staff's
actions before the orders, each order crediting one, the cancelled order's dropped; its CSV
in LibreOffice with the page's numbers, at both widths with its two charts. 顧客離脱分析 counts a
customer who stopped buying by their last contact (decision 93): entered through the API,
carried by the customer service's ContactRecorded events, a deleted one left out."""

import uuid
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from contracts import Envelope
from contracts.orders import OrderLine, OrderPlacedV1
from kit import clock
from kit.bus import Message

from tests.e2e.flows import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CHROMIUM_ENV,
    eventually,
    login,
    once_known,
    screenshot_that_fits,
    sign_in,
    spreadsheet_cells,
)

pytestmark = [pytest.mark.e2e, pytest.mark.database]
API = "/api/v1/mail-order"


@pytest.fixture(scope="module")
async def sales(served):  # type: ignore[no-untyped-def]
    """Two media, two prefectures, a reduced-rate product: テレビ 2 × 3,000 + 1,080 (佐賀),
    新聞 1 × 3,000 (東京) and a テレビ order cancelled."""
    async with httpx.AsyncClient(base_url=served) as client:
        admin = await login(client)

        async def made(path: str, body: dict) -> dict:
            r = await client.post(f"{API}/{path}", headers=admin, json=body)
            assert r.status_code in (200, 201), r.text
            return r.json()

        tonic = await made("products", {"code": "RT-1", "name": "帳票トニック", "price_yen": 3000,
                                        "cost_yen": 1000, "tax_rate": 10})  # fmt: skip
        tea = await made("products", {"code": "RT-2", "name": "帳票青汁", "price_yen": 1080,
                                      "cost_yen": 400, "tax_rate": 8})  # fmt: skip
        tv = await made("media", {"name": "テレビ通販", "code": "rtv"})
        paper = await made("media", {"name": "新聞広告", "code": "rpaper"})
        for prefecture, fee in (("佐賀県", 500), ("東京都", 700)):
            await made("shipping-fees", {"prefecture": prefecture, "fee_yen": fee})
        reason = await made("reasons", {"kind": "cancel", "text": "帳票の確認"})

        r = await client.post("/api/v1/customers", headers=admin, json={
            "family_name": "帳票", "given_name": "花子", "family_kana": "チョウヒョウ",
            "given_kana": "ハナコ", "birth_date": "1980-01-01", "phones": ["090-4444-0001"],
            "emails": [f"reports-{uuid.uuid4().hex[:8]}@example.com"]})  # fmt: skip
        assert r.status_code == 201, r.text
        customer_id = r.json()["id"]
        # three actions before the orders: each order takes the latest one not yet credited
        for hours, kind in ((3, "catalogue"), (2, "dm"), (1, "phone_sales")):
            at = (clock.now() - timedelta(hours=hours)).isoformat()
            r = await client.post(f"/api/v1/customers/{customer_id}/actions", headers=admin,
                                  json={"kind": kind, "occurred_at": at})  # fmt: skip
            assert r.status_code == 201, r.text

        async def order(medium: dict, prefecture: str, lines: list) -> dict:
            body = {
                "customer_id": customer_id, "medium_id": medium["id"], "campaign_ids": [],
                "lines": [{"product_id": p["id"], "quantity": q} for p, q in lines],
                "delivery": {"kind": "home", "name": "帳票 花子", "postal_code": "840-0801",
                             "prefecture": prefecture, "address": "市内1-2-3"}}  # fmt: skip
            # the orders service learns of the customer by event, a moment after it is made
            r = await once_known(lambda: client.post(f"{API}/orders", headers=admin, json=body))
            assert r.status_code == 201, r.text
            return r.json()

        standing = [await order(tv, "佐賀県", [(tonic, 2), (tea, 1)]),
                    await order(paper, "東京都", [(tonic, 1)])]  # fmt: skip
        gone = await order(tv, "東京都", [(tea, 3)])
        await made(f"orders/{gone['id']}/cancel", {"reason_id": reason["id"]})

        async def credited():  # type: ignore[no-untyped-def]
            path = f"/api/v1/customers/{customer_id}/actions"
            taken = [
                a for a in (await client.get(path, headers=admin)).json() if a["led_to_order_id"]
            ]
            report = (await client.get("/api/v1/action-sales", headers=admin)).json()
            led = sum(i["led_to_sale"] for i in report["items"])
            return report if len(taken) == 3 and led == 2 else None

        actions = await eventually(credited)

        async def applied():  # type: ignore[no-untyped-def]
            r = await client.get(f"{API}/reports/sales-by-medium", headers=admin)
            fresh = r.json()["freshness"]
            return r.json() if fresh and fresh["events_applied"] >= 4 else None

        report = await eventually(applied)
    return {"base": served, "admin": admin, "report": report, "actions": actions,
            "action_yen": sum(o["total_yen"] for o in standing)}  # fmt: skip


@pytest.fixture(scope="module")
async def churned(sales, system):  # type: ignore[no-untyped-def]
    """A customer whose one order was 400 days ago (published as the orders service's event:
    the API takes an order as of now), then a 電話受信, a DM and a クレーム entered through the
    API with their moments, the クレーム deleted: 離脱 for 180 days, last contact DM."""
    admin = sales["admin"]
    async with httpx.AsyncClient(base_url=sales["base"]) as client:
        r = await client.post("/api/v1/customers", headers=admin, json={
            "family_name": "離脱", "given_name": "一郎", "family_kana": "リダツ",
            "given_kana": "イチロウ", "birth_date": "1975-05-05", "phones": ["090-4444-0002"],
            "emails": [f"churn-{uuid.uuid4().hex[:8]}@example.com"]})  # fmt: skip
        assert r.status_code == 201, r.text
        customer_id = r.json()["id"]
        tenant_id = uuid.UUID((await client.get("/api/v1/me", headers=admin)).json()["tenant_id"])
        old = clock.now() - timedelta(days=400)
        line = OrderLine(product_id=uuid.uuid4(), product_name="離脱テスト茶", quantity=1,
                         unit_price_yen=2000, tax_rate_percent=8, amount_yen=2000)  # fmt: skip
        event = OrderPlacedV1(order_id=uuid.uuid4(), customer_id=uuid.UUID(customer_id),
                              channel="phone", ordered_at=old, lines=[line], subtotal_yen=2000,
                              tax_yen=160, shipping_fee_yen=0, discount_yen=0, total_yen=2160)  # fmt: skip
        envelope = Envelope(event_type=event.event_type, version=1, routing_key=event.routing_key(),
                            tenant_id=tenant_id, producer="orders",
                            payload=event.model_dump(mode="json"))  # fmt: skip
        await system.bus.publish(Message(envelope.routing_key, envelope.model_dump_json().encode(),
                                         str(envelope.event_id)))  # fmt: skip

        async def entered(path: str, body: dict, days: int) -> str:
            at = (old + timedelta(days=days)).isoformat()
            r = await client.post(f"/api/v1/customers/{customer_id}/{path}", headers=admin,
                                  json=body | {"occurred_at": at})  # fmt: skip
            assert r.status_code == 201, r.text
            return r.json()["id"]

        await entered("interactions", {"kind": "call_in", "body": "配送日の確認"}, 10)
        await entered("actions", {"kind": "dm", "note": "秋のDM"}, 20)
        complaint = await entered("interactions", {"kind": "complaint", "body": "誤入力"}, 30)
        r = await client.delete(f"/api/v1/interactions/{complaint}", headers=admin)
        assert r.status_code == 204, r.text

        async def applied() -> bool:  # the three contacts in the orders' model, one deleted
            async with system.runtimes["orders"].engine.connect() as conn:
                found = (await conn.execute(sa.text(
                    "SELECT count(*), count(*) FILTER (WHERE deleted) FROM report_contacts"
                    " WHERE customer_id = :c"), {"c": customer_id})).one()  # fmt: skip
            orders = await client.get(f"{API}/reports/sales-by-customer", headers=admin,
                                      params=span)  # fmt: skip
            return tuple(found) == (3, 1) and bool(orders.json()["rows"])

        span = {"from_month": old.strftime("%Y-%m"), "to_month": old.strftime("%Y-%m")}
        await eventually(applied)
    return {"span": span, "customer_id": customer_id}


async def test_churn_counts_the_customer_by_the_last_contact_not_deleted(sales, churned) -> None:  # type: ignore[no-untyped-def]
    async with httpx.AsyncClient(base_url=sales["base"]) as client:
        r = await client.get(f"{API}/reports/churn", headers=sales["admin"], params=churned["span"])
        assert r.status_code == 200, r.text
        report = r.json()
        assert report["totals"] == {"customers": 1}
        assert [(x["group"], x["item"], x["customers"]) for x in report["rows"]] == [
            ("最後に購入した商品", "離脱テスト茶", 1), ("最後の受注の結果", "返品・キャンセルなし", 1),
            ("最後の対応・アクション", "DM", 1)]  # fmt: skip
        r = await client.get(f"{API}/reports/churn.csv", headers=sales["admin"],
                             params=churned["span"])  # fmt: skip
        assert r.status_code == 200 and "最後の対応・アクション,DM,1,100.0" in r.content.decode()


async def test_the_action_sales_csv_in_libreoffice_has_the_pages_figures(sales, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """3 actions, 3 orders credited one each, the cancelled one dropped: 2 led to a sale
    and their yen is the two standing orders' totals; any member of staff may read it."""
    async with httpx.AsyncClient(base_url=sales["base"]) as client:
        staff = await login(client, "staff@demo.example", "demo-staff-pass")
        r = await client.get("/api/v1/action-sales.csv", headers=staff)
        assert r.status_code == 200, r.text
        cells = await spreadsheet_cells(r.content, tmp_path)
        assert cells[0] == [
            "アクション",
            "件数",
            "受注につながった件数",
            "受注率（%）",
            "売上（円）",
        ]
        items = {i["label"]: i for i in sales["actions"]["items"]}
        for label, taken, led, rate, yen in cells[1:-1]:
            item = items[label]
            assert [int(taken), int(led), int(yen)] == [item["actions"], item["led_to_sale"],
                                                        item["sales_yen"]]  # fmt: skip
            expected = (
                round(100 * item["led_to_sale"] / item["actions"], 1) if item["actions"] else None
            )
            assert (float(rate) if rate else None) == expected
        assert {c[0] for c in cells[1:-1]} == set(items)
        assert cells[-1] == ["合計", "3", "2", "66.7", str(sales["action_yen"])]
        r = await client.get("/api/v1/action-sales.csv", headers=staff,
                             params={"from": "2026-06-02", "to": "2026-06-01"})  # fmt: skip
        assert r.status_code == 422
        assert [e["field"] for e in r.json()["detail"]["errors"]] == ["to", "from"]


async def test_the_medium_csv_opened_by_libreoffice_has_the_hand_computed_figures(
    sales, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    month = clock.today().strftime("%Y/%m")
    async with httpx.AsyncClient(base_url=sales["base"]) as client:
        r = await client.get(f"{API}/reports/sales-by-medium.csv", headers=sales["admin"])
        assert r.status_code == 200, r.text
        cells = await spreadsheet_cells(r.content, tmp_path)
        # テレビ: 6,000 + 1,080 = 7,080, cost 2,000 + 400 → 粗利 4,680; 新聞 3,000 / 2,000
        assert cells[0] == ["月", "広告", "受注件数", "売上（税抜）", "粗利"]
        assert sorted(cells[1:-1]) == [[month, "テレビ通販", "1", "7080", "4680"],
                                       [month, "新聞広告", "1", "3000", "2000"]]  # fmt: skip
        assert cells[-1] == ["合計", "", "2", "10080", "6680"]
        r = await client.get(f"{API}/reports/sales-by-region", headers=sales["admin"],
                             params={"from_month": "2016-01", "to_month": "2026-12"})  # fmt: skip
        assert r.status_code == 422
        detail = r.json()["detail"]
        assert detail["message"] == "集計期間は36か月以内で指定してください。"
        assert [e["field"] for e in detail["errors"]] == ["to_month", "from_month"]
        staff = await login(client, "staff@demo.example", "demo-staff-pass")
        r = await client.get(f"{API}/reports/sales-by-medium", headers=staff)
        assert (
            r.status_code == 403
            and r.json()["detail"]["message"] == "帳票は管理者のみ閲覧できます。"
        )


@pytest.mark.browser
async def test_two_report_pages_at_pc_and_phone_widths(sales, churned) -> None:  # type: ignore[no-untyped-def]
    from playwright.async_api import async_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (make system-deps)"
    base = sales["base"]
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=CHROMIUM_ENV
        )
        for label, width, height in (("pc", 1366, 900), ("phone", 375, 812)):
            page = await browser.new_page(
                viewport={"width": width, "height": height}, locale="ja-JP"
            )
            await sign_in(page, base, "/reports/sales-by-medium", who="admin")
            main = await page.locator("main").inner_text()
            assert "広告月別売上" in main and "集計の鮮度" in main
            assert await page.locator("svg.chart rect").count() == 2  # one segment per medium
            total = await page.locator("tr.total").inner_text()
            assert "10,080円" in total and "6,680円" in total
            await screenshot_that_fits(page, f"report-medium-{label}")
            if label == "pc":  # the page's CSV is the service's file, streamed through
                async with page.expect_download() as fetched:
                    await page.get_by_role("link", name="CSVダウンロード").click()
                saved = Path(await (await fetched.value).path()).read_bytes()
                assert saved.startswith("\ufeff月,広告,受注件数".encode()) and b"10080" in saved

            await page.goto(f"{base}/reports/sales-by-region?from_month=2026-06&to_month=2026-01")
            error = page.locator("#to_month-error")
            assert "終了月は開始月と同じか" in await error.inner_text()
            assert await page.get_by_label("開始月").input_value() == "2026-06"  # kept
            await page.get_by_label("開始月").fill("2026-01")
            await page.get_by_label("終了月").fill(clock.today().strftime("%Y-%m"))
            await page.get_by_role("button", name="表示").click()
            await page.locator("tr.total").wait_for()
            table = await page.locator("table.report-table").inner_text()
            assert "佐賀県" in table and "東京都" in table and "500円" in table
            await screenshot_that_fits(page, f"report-region-{label}")

            span = churned["span"]
            await page.goto(f"{base}/reports/churn?from_month={span['from_month']}"
                            f"&to_month={span['to_month']}&days=180")  # fmt: skip
            headings = await page.locator("h2.chart-heading").all_inner_texts()
            assert headings == ["最後に購入した商品", "最後の受注の結果", "最後の対応・アクション"]
            assert await page.locator("figure.report-chart").count() == 3  # one per 区分
            table = await page.locator("table.report-table").inner_text()
            assert "最後の対応・アクション" in table and "DM" in table and "クレーム" not in table
            await screenshot_that_fits(page, f"report-churn-{label}")

            await page.goto(f"{base}/reports/action-sales")
            assert await page.locator("figure.report-chart").count() == 2  # 件数 and 売上
            total = await page.locator("tr.total").inner_text()
            assert f"{sales['action_yen']:,}円" in total and "66.7%" in total
            assert "その場で集計" in await page.locator("p.freshness").inner_text()
            await screenshot_that_fits(page, f"report-action-sales-{label}")
            await page.close()
        page = await browser.new_page(viewport={"width": 375, "height": 812}, locale="ja-JP")
        await sign_in(page, base, "/reports/sales-by-medium", who="staff")  # 一般
        assert "帳票は管理者のみ閲覧できます。" in await page.locator("main").inner_text()
        # 帳票 (the hub of the lists every member of staff keeps) names no report of ORD-6
        await page.get_by_role("link", name="帳票", exact=True).click()
        assert await page.locator("a[href='/reports']").count() == 0
        # but アクション別売上集計, which any member of staff reads; a reversed range is
        # refused beside its fields, what was typed kept
        await page.goto(f"{base}/histories/action-sales?from=2026-06-02&to=2026-06-01")
        assert "終了日は開始日と同じか" in await page.locator("#to-error").inner_text()
        assert "開始日は終了日以前" in await page.locator("#from-error").inner_text()
        assert await page.get_by_label("開始日").input_value() == "2026-06-02"
        await screenshot_that_fits(page, "report-action-sales-refused-phone")
        await browser.close()
