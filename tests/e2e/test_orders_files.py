"""送り状データ, 追跡番号取込, 出荷確認一覧, 入金消込, 定期の設定 and 定期の新規登録 in the web
client (ORD-3 to ORD-5, seed 002). In one browser at PC width the admin sees the order whose
name has characters outside JIS level 1/2 listed with a link to fix it, downloads the CP932
label file without it, uploads the carrier's re-export with one row of an unknown order (the
row reported, nothing applied), then without it (one row matched by phone and postcode), finds
the tracking numbers on 出荷確認一覧, imports a bank file whose second transfer matches no
order and assigns it by hand, saves the delivery calendar and sees its closed days, and makes
a subscription from the customer's monitor after its preview (a weekly cycle on the 31st is
refused beside the field). The pages are shown again at phone width; none scrolls sideways.
Over HTTP: a file of the wrong encoding or format is refused in Japanese on the page and the
API shows nothing changed."""

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
    CHROMIUM,
    CHROMIUM_ARGS,
    CHROMIUM_ENV,
    login,
    once_known,
    screenshot_that_fits,
    sign_in,
)

pytestmark = [pytest.mark.e2e, pytest.mark.database]
API = "/api/v1/mail-order"
SHIPPER = {"name": "株式会社サガ健康", "phone": "0952-00-0000", "postal_code": "840-0000",
           "address": "佐賀県佐賀市駅前中央1-1-1", "yamato_billing_code": "095200000001",
           "yamato_freight_number": "01"}  # fmt: skip


def delivery(name: str, phone: str) -> dict:
    return {"kind": "home", "name": name, "postal_code": "2200012", "prefecture": "神奈川県",
            "address": "横浜市西区みなとみらい1-1", "phone": phone}  # fmt: skip


@pytest.fixture(scope="module")
async def shop(served):  # type: ignore[no-untyped-def]
    """The shipper, a product, a customer living in 神奈川県 and three orders to ship today:
    two whose payer kana the bank file names, one to 「髙橋 ①子」 (outside JIS level 1/2)."""
    tag = uuid.uuid4().hex[:6]
    async with httpx.AsyncClient(base_url=served) as client:
        admin = await login(client)

        async def sent(method: str, path: str, body: dict) -> dict:
            # orders learns the customer just registered by event: asked again while it is 404
            r = await once_known(lambda: client.request(method, f"{API}/{path}", headers=admin,
                                                        json=body))  # fmt: skip
            assert r.status_code in (200, 201), r.text
            return r.json()

        await sent("PUT", "shipper-settings", SHIPPER)
        await sent("POST", "shipping-fees", {"prefecture": "神奈川県", "fee_yen": 800})
        tonic = await sent("POST", "products", {"code": f"T-{tag}", "name": f"健康トニック{tag}",
                                                "price_yen": 3_000, "tax_rate": 10,
                                                "subscription_eligible": True})  # fmt: skip
        r = await client.post("/api/v1/customers", headers=admin, json={
            "family_name": f"定期{tag}", "given_name": "花子", "family_kana": "テイキ",
            "given_kana": "ハナコ", "phones": ["090-2222-3333"], "birth_date": "1975-05-05",
            "emails": [f"files-{tag}@example.com"],
            "addresses": [{"kind": "home", "postal_code": "2200012", "prefecture": "神奈川県",
                           "city": "横浜市西区", "street": "みなとみらい1-1"}],
        })  # fmt: skip
        assert r.status_code == 201, r.text
        customer_id = r.json()["id"]
        orders = {}
        for key, name, phone, quantity, payer in (
            ("taro", "受注 太郎", "090-1111-0001", 1, "ウケ タロウ"),
            ("jiro", "受注 次郎", "090-1111-0002", 2, "ウケ ジロウ"),
            ("bad", "髙橋 ①子", "090-1111-0003", 1, ""),
        ):
            orders[key] = await sent("POST", "orders", {
                "customer_id": customer_id, "delivery": delivery(name, phone), "payer_kana": payer,
                "lines": [{"product_id": tonic["id"], "quantity": quantity}]})  # fmt: skip
    return {"base": served, "admin": admin, "tonic": tonic, "customer_id": customer_id,
            "orders": orders, "tag": tag}  # fmt: skip


def tracking_file(label_csv: bytes, numbers: dict[str, str], *, drop_number: str = "",
                  extra: list[str] | None = None) -> bytes:  # fmt: skip
    """The carrier's re-export: the label file with 伝票番号 filled in (``drop_number``'s row
    loses its お客様管理番号, to be matched by phone and postcode)."""
    rows = list(csv.reader(io.StringIO(label_csv.decode("cp932"), newline="")))
    header = rows[0]
    at_number, at_tracking = header.index("お客様管理番号"), header.index("伝票番号")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows[1:]:
        row[at_tracking] = numbers[row[at_number]]
        if row[at_number] == drop_number:
            row[at_number] = ""
        writer.writerow(row)
    if extra is not None:
        stray = list(rows[1])
        stray[at_number], stray[at_tracking] = extra
        stray[header.index("お届け先電話番号")] = "080-9999-9999"
        writer.writerow(stray)
    return out.getvalue().encode("cp932")


@pytest.mark.browser
async def test_labels_tracking_payments_calendar_and_a_new_subscription(shop) -> None:  # type: ignore[no-untyped-def]
    from playwright.async_api import async_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (make system-deps)"
    base, admin, orders = shop["base"], shop["admin"], shop["orders"]
    taro, jiro, bad = (orders[k] for k in ("taro", "jiro", "bad"))
    api = httpx.AsyncClient(base_url=base, headers=admin)
    async with async_playwright() as p, api:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=CHROMIUM_ENV
        )
        page = await browser.new_page(viewport={"width": 1366, "height": 900}, locale="ja-JP")
        await sign_in(page, base, "/orders/labels", who="admin")

        # 送り状データ: the order outside JIS level 1/2 is listed with a link to it.
        problems = page.locator("table.label-problems tbody tr")
        assert await problems.count() == 1
        text = await problems.inner_text()
        assert str(bad["order_number"]) in text and "髙" in text and "①" in text, text
        link = problems.get_by_role("link", name="受注を開く")
        assert await link.get_attribute("href") == f"/orders/{bad['id']}"
        await screenshot_that_fits(page, "labels-pc")
        async with page.expect_download() as info:
            await page.get_by_role("link", name="上の1件を除いてダウンロード").click()
        label_csv = Path(await (await info.value).path()).read_bytes()
        rows = list(csv.reader(io.StringIO(label_csv.decode("cp932"), newline="")))
        assert sorted(r[0] for r in rows[1:]) == sorted(
            [str(taro["order_number"]), str(jiro["order_number"])])  # fmt: skip

        # 追跡番号取込: a row of an unknown order refuses the file; nothing is applied.
        numbers = {
            str(taro["order_number"]): "400011112222",
            str(jiro["order_number"]): "400011112223",
        }
        refused = tracking_file(label_csv, numbers, extra=["99999", "400011112299"])
        await page.goto(f"{base}/orders/tracking")
        await page.get_by_label("ファイル").set_input_files(
            {"name": "b2.csv", "mimeType": "text/csv", "buffer": refused}
        )
        await page.get_by_role("button", name="取り込む").click()
        reasons = await page.locator("section[aria-labelledby=rows-h]").inner_text()
        assert "4行目" in reasons and "「99999」の受注が見つかりません" in reasons, reasons
        assert "どの行も反映していません" in await page.locator("#file-errors").inner_text()
        await screenshot_that_fits(page, "tracking-refused-pc")
        day = clock.today().isoformat()
        check = (await api.get(f"{API}/shipping-check", params={"day": day})).json()
        assert all(c["tracking_number"] is None for c in check)
        good = tracking_file(label_csv, numbers, drop_number=str(jiro["order_number"]))
        await page.get_by_label("ファイル").set_input_files(
            {"name": "b2.csv", "mimeType": "text/csv", "buffer": good}
        )
        await page.get_by_role("button", name="取り込む").click()
        result = await page.locator("section[aria-labelledby=result-h]").inner_text()
        assert "2行を取り込みました" in result and re.search(
            r"電話番号・郵便番号で照合\s*1件", result
        )
        await screenshot_that_fits(page, "tracking-done-pc")

        # 出荷確認一覧: the tracking numbers as imported, printable.
        await page.get_by_role("link", name="出荷確認一覧へ").click()
        await page.wait_for_url(re.compile(r"/orders/shipping-check$"))
        listed = await page.locator("table.print-list").inner_text()
        assert "400011112222" in listed and "400011112223" in listed and "未登録" in listed
        await page.emulate_media(media="print")
        assert not await page.locator(".subnav").is_visible()
        await page.emulate_media(media="screen")
        await screenshot_that_fits(page, "shipping-check-pc")

        # 入金消込: 次郎's transfer is one yen short; a person assigns it.
        bank = "\r\n".join(["入金日,金額,振込依頼人名", f"{day},{taro['total_yen']},ｳｹ ﾀﾛｳ",
                            f"{day},{jiro['total_yen'] - 1},ｳｹ ｼﾞﾛｳ", ""]).encode("cp932")  # fmt: skip
        await page.get_by_role("link", name="入金消込").click()
        await page.get_by_label("ファイル").set_input_files(
            {"name": "bank.csv", "mimeType": "text/csv", "buffer": bank}
        )
        await page.get_by_role("button", name="取り込む").click()
        result = await page.locator("section[aria-labelledby=result-h]").inner_text()
        assert re.search(r"自動で消込\s*1件", result) and re.search(r"確認が必要\s*1件", result)
        row = page.locator("table.payments-left tbody tr", has_text="ｳｹ ｼﾞﾛｳ")
        await screenshot_that_fits(page, "payments-pc")
        await row.get_by_label("受注番号").fill("12345678")
        await row.get_by_role("button", name="消し込む").click()
        assert "受注番号 12345678 の受注が見つかりません。" in await row.locator(
            ".field-error").inner_text()  # fmt: skip
        await row.get_by_label("受注番号").fill(str(jiro["order_number"]))
        async with page.expect_navigation(url=re.compile(r"/orders/payments$")):
            await row.get_by_role("button", name="消し込む").click()
        assert (await api.get(f"{API}/orders/{jiro['id']}")).json()["paid_at"] is not None
        assert "確認が必要な入金はありません。" in await page.locator("main").inner_text()

        # 定期の設定: 水曜定休 and 年末年始; the coming months' closed days are shown.
        before = (await api.get(f"{API}/subscription-settings")).json()
        await page.goto(f"{base}/subscriptions/settings")
        await page.get_by_label("水曜日", exact=True).check()
        year = clock.today().year
        await page.locator("#period_0_label").fill("年末年始")
        await page.locator("#period_0_starts_on").fill(f"{year}-12-29")
        await page.locator("#period_0_ends_on").fill(f"{year + 1}-01-04")
        await page.get_by_label("受注日はお届けの").fill("2")
        await page.get_by_label("日数の数え方").select_option("business")
        async with page.expect_navigation(url=re.compile(r"/subscriptions/settings$")):
            await page.get_by_role("button", name="保存").click()
        saved = (await api.get(f"{API}/subscription-settings")).json()
        assert saved["closed_weekdays"] == sorted({*before["closed_weekdays"], 2})
        assert saved["closed_periods"][0]["label"] == "年末年始" and saved["order_lead_days"] == 2
        assert saved["lead_in_business_days"] is True
        preview = await page.locator("section[aria-labelledby=preview-h]").inner_text()
        assert "水曜定休日" in preview, preview
        await screenshot_that_fits(page, "subscription-settings-pc")

        # 定期の新規登録 from the monitor: the preview first; 毎週・31日 refused beside the field.
        await page.goto(f"{base}/monitor/{shop['customer_id']}")
        await page.get_by_role("link", name="定期の登録").click()
        await page.wait_for_url(re.compile(r"/subscriptions/new\?customer_id="))
        await page.get_by_label("商品 1").select_option(str(shop["tonic"]["id"]))
        await page.get_by_label("周期の単位").select_option("weeks")
        await page.get_by_label("毎月の日付").fill("31")
        await page.get_by_role("button", name="お届け予定を確認").click()
        beside = page.locator("#cycle-day_of_month-error")
        assert "週ごとの周期には日付・曜日を指定できません。" in await beside.inner_text()
        assert await page.get_by_role("button", name="この内容で登録").count() == 0
        await page.get_by_label("毎月の日付").fill("")
        await page.get_by_label("周期", exact=True).fill("2")
        await page.get_by_role("button", name="お届け予定を確認").click()
        shown = page.locator("section[aria-labelledby=preview-h] tbody tr")
        assert await shown.count() == 6
        await screenshot_that_fits(page, "subscription-new-pc")
        assert (await api.get(f"{API}/subscriptions", params={"customer_id": shop["customer_id"]})
                ).json()["total"] == 0  # nothing saved by the preview  # fmt: skip
        first = await shown.first.inner_text()
        async with page.expect_navigation(url=re.compile(r"/subscriptions/[0-9a-f-]{36}$")):
            await page.get_by_role("button", name="この内容で登録").click()
        sub_id = page.url.split("/subscriptions/")[1].split("?")[0]
        sub = (await api.get(f"{API}/subscriptions/{sub_id}")).json()
        assert sub["cycle"]["unit"] == "weeks" and sub["cycle"]["every"] == 2
        assert sub["next_delivers_on"][5:].replace("-", "/") in first
        assert "2週間ごと" in await page.locator("main").inner_text()

        # 日次処理: the admin runs it now and sees the record.
        await page.goto(f"{base}/subscriptions/runs")
        async with page.expect_navigation(url=re.compile(r"/subscriptions/runs$")):
            await page.get_by_role("button", name="今すぐ実行").click()
        record = await page.locator("section[aria-labelledby=last-h]").inner_text()
        assert "作成した受注" in record and "今すぐ実行（" in record, record

        # The same pages at phone width.
        await page.set_viewport_size({"width": 375, "height": 812})
        for path, name in (("/orders/labels", "labels"), ("/orders/tracking", "tracking"),
                           ("/orders/shipping-check", "shipping-check"),
                           ("/orders/payments", "payments"),
                           ("/subscriptions/settings", "subscription-settings"),
                           ("/subscriptions/year-end", "year-end"),
                           ("/subscriptions/runs", "runs"),
                           (f"/subscriptions/new?customer_id={shop['customer_id']}", "subscription-new")):  # fmt: skip
            await page.goto(f"{base}{path}")
            await screenshot_that_fits(page, f"{name}-phone")
        await browser.close()
        r = await api.put(f"{API}/subscription-settings", json=before)
        assert r.status_code == 200, r.text


async def _web_login(client: httpx.AsyncClient, who: str = "admin") -> None:
    ok = await client.post("/login", data={"email": f"{who}@demo.example",
                                           "password": f"demo-{who}-pass"})  # fmt: skip
    assert ok.status_code == 303, ok.text
    client.cookies.set("crm_session", ok.cookies["crm_session"])


def _upload(content: bytes) -> dict:
    return {"file": ("file.csv", content, "text/csv")}


async def test_a_tracking_file_of_the_wrong_encoding_or_format_applies_nothing(
    client: httpx.AsyncClient,
) -> None:
    admin = await login(client)
    day = clock.today().isoformat()
    before = (await client.get(f"{API}/shipping-check", params={"day": day}, headers=admin)).json()
    await _web_login(client)
    utf16 = "お客様管理番号,伝票番号,お届け先電話番号,お届け先郵便番号\r\n1,400011112222,,\r\n"
    for content, words in ((utf16.encode("utf-16"), "文字コードを読み取れません"),
                           ("日付,金額\r\n1,2\r\n".encode("cp932"), "見出し行に「お客様管理番号」")):  # fmt: skip
        r = await client.post("/orders/tracking", data={"carrier": "yamato_b2"},
                              files=_upload(content))  # fmt: skip
        assert r.status_code == 422 and "text/html" in r.headers["content-type"]
        assert words in r.text and '"detail"' not in r.text, r.text
    r = await client.post("/orders/tracking", data={"carrier": "yamato_b2"})
    assert r.status_code == 422 and "ファイルを選択してください。" in r.text
    after = (await client.get(f"{API}/shipping-check", params={"day": day}, headers=admin)).json()
    assert after == before


async def test_a_bank_file_of_another_format_is_refused_with_its_rows(
    client: httpx.AsyncClient,
) -> None:
    admin = await login(client)
    before = (await client.get(f"{API}/payments", headers=admin)).json()["total"]
    await _web_login(client)
    rows = "入金日,金額,振込依頼人名\r\n2027/06/07,1000,ｻｶﾞ ﾀﾛｳ\r\n2027/13/07,千円,ｻｶﾞ\r\n"
    r = await client.post("/orders/payments", files=_upload(rows.encode("cp932")))
    assert r.status_code == 422 and "何も取り込んでいません" in r.text
    assert "形式の合わない行（1行）" in r.text and "3行目" in r.text, r.text
    r = await client.post("/orders/payments", files=_upload("日付,金額\r\nx,1\r\n".encode("cp932")))
    assert (
        r.status_code == 422 and "見出し行は「入金日,金額,振込依頼人名」にしてください。" in r.text
    )
    r = await client.post("/orders/payments", files=_upload(rows.encode("utf-16")))
    assert r.status_code == 422 and "文字コードを読み取れません" in r.text
    assert (await client.get(f"{API}/payments", headers=admin)).json()["total"] == before


async def test_a_bad_cycle_is_shown_beside_its_field_and_nothing_is_saved(
    client: httpx.AsyncClient,
) -> None:
    admin = await login(client)
    r = await client.post("/api/v1/customers", headers=admin, json={
        "family_name": "周期", "given_name": "花子", "family_kana": "シュウキ", "given_kana": "ハナコ",
        "phones": ["090-2222-4444"], "birth_date": "1975-05-05", "emails": ["cycle@example.com"],
        "addresses": [{"kind": "home", "postal_code": "2200012", "prefecture": "神奈川県",
                       "city": "横浜市西区", "street": "みなとみらい1-1"}]})  # fmt: skip
    customer_id = r.json()["id"]
    await _web_login(client)
    form = {"unit": "days", "every": "0", "anchor": "day", "product_0": "", "quantity_0": "1",
            "starts_on": (clock.today() + timedelta(days=30)).isoformat(), "action": "save"}  # fmt: skip
    r = await client.post(f"/subscriptions/new?customer_id={customer_id}", data=form)
    assert r.status_code == 422
    assert 'id="cycle-every-error">周期は1以上で指定してください。' in r.text, r.text
    assert "商品を1つ以上選んでください。" in r.text and 'value="0"' in r.text  # kept
    found = await client.get(f"{API}/subscriptions", params={"customer_id": customer_id},
                             headers=admin)  # fmt: skip
    assert found.json()["total"] == 0


async def test_a_bad_cycle_change_is_shown_beside_its_field_and_the_cycle_kept(shop) -> None:  # type: ignore[no-untyped-def]
    """周期の変更 on the subscription's page: a cycle of 0 and the 31st of a weekly cycle are
    each refused beside their field with the input kept; a good one is previewed from the
    one after next, then saved with a notice shown once."""
    async with httpx.AsyncClient(base_url=shop["base"]) as client:
        admin = shop["admin"]
        r = await client.post(f"{API}/subscriptions", headers=admin, json={
            "customer_id": shop["customer_id"], "cycle": {"unit": "months", "day_of_month": 5},
            "delivery": delivery("定期 花子", "090-1111-0004"),
            "lines": [{"product_id": shop["tonic"]["id"], "quantity": 1}]})  # fmt: skip
        assert r.status_code == 201, r.text
        sub_id = r.json()["id"]
        await _web_login(client, "staff")
        path = f"/subscriptions/{sub_id}/cycle"
        for form, field, words in (
            ({"unit": "days", "every": "0"}, "every", "周期は1以上で指定してください。"),
            ({"unit": "weeks", "every": "1", "day_of_month": "31"}, "day_of_month",
             "週ごとの周期には日付・曜日を指定できません。"),
        ):  # fmt: skip
            r = await client.post(path, data={**form, "action": "save"})
            assert r.status_code == 422 and "text/html" in r.headers["content-type"]
            assert f'id="cycle-{field}-error">{words}' in r.text, r.text
            assert f'aria-invalid="true" aria-describedby="cycle-{field}-error"' in r.text
            assert f'value="{form[field]}"' in r.text and '"detail"' not in r.text  # kept
        assert (await client.get(f"{API}/subscriptions/{sub_id}", headers=admin)).json()[
            "cycle"]["day_of_month"] == 5  # fmt: skip
        r = await client.post(path, data={"unit": "months", "every": "2", "anchor": "last",
                                          "action": "preview"})  # fmt: skip
        assert r.status_code == 200 and "変更後のお届け予定" in r.text and "（変更なし）" in r.text
        r = await client.post(path, data={"unit": "months", "every": "2", "anchor": "last",
                                          "action": "save"})  # fmt: skip
        assert r.status_code == 303, r.text
        shown = await client.get(f"/subscriptions/{sub_id}")
        assert "周期を「2か月ごと末日」に変更しました。" in shown.text
        assert "周期を「" not in (await client.get(f"/subscriptions/{sub_id}")).text  # once
        found = (await client.get(f"{API}/subscriptions/{sub_id}", headers=admin)).json()
        assert found["cycle"]["last_day"] is True and found["cycle"]["every"] == 2


async def test_the_calendar_is_the_admins_and_a_bad_period_is_shown_beside_it(
    client: httpx.AsyncClient,
) -> None:
    admin = await login(client)
    before = (await client.get(f"{API}/subscription-settings", headers=admin)).json()
    form = {"closed_weekdays": "2", "shift": "later", "order_lead_days": "3",
            "period_0_label": "お盆", "period_0_starts_on": "2027-08-16",
            "period_0_ends_on": "2027-08-13"}  # fmt: skip
    await _web_login(client, "staff")
    r = await client.post("/subscriptions/settings", data=form)
    assert r.status_code == 403 and "管理者" in r.text and 'value="お盆"' in r.text
    await _web_login(client)
    r = await client.post("/subscriptions/settings", data=form)
    assert r.status_code == 422
    assert 'id="closed_periods-0-ends_on-error">終了日は開始日以降の日付にしてください。' in r.text
    r = await client.post("/subscriptions/settings", data={**form, "order_lead_days": "三"})
    assert r.status_code == 422 and 'id="order_lead_days-error">' in r.text
    assert (await client.get(f"{API}/subscription-settings", headers=admin)).json() == before
