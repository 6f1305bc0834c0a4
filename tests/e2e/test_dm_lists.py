"""CUS-14 DM lists by purchase through the gateway (embedded mode): orders placed in the
orders service reach the customer's purchases by event; the DM list by order period,
prefecture and product, opened by LibreOffice, holds exactly the expected rows and never
the customer who asked for no postal DM (郵送DM不要, saved on the edit page); the page's
count before the download, its refusals beside their inputs."""

import html
import re
import uuid

import httpx
import pytest
from kit import clock

from tests.e2e.flows import eventually, login, spreadsheet_cells

pytestmark = [pytest.mark.e2e, pytest.mark.database]


async def _web_login(client: httpx.AsyncClient) -> None:
    ok = await client.post(
        "/login", data={"email": "admin@demo.example", "password": "demo-admin-pass"}
    )
    assert ok.status_code == 303
    client.cookies.set("crm_session", ok.cookies["crm_session"])


async def _customer(client, headers, tag: str, name: str, postal: str, street: str) -> str:  # type: ignore[no-untyped-def]
    r = await client.post("/api/v1/customers", headers=headers, json={
        "family_name": f"DM{tag}", "given_name": name, "family_kana": "ディーエム",
        "given_kana": "テスト", "birth_date": "1980-04-01",
        "phones": [f"090-{uuid.uuid4().int % 10**4:04d}-{uuid.uuid4().int % 10**4:04d}"],
        "emails": [f"dm-{uuid.uuid4().hex[:8]}@example.com"],
        "addresses": [{"kind": "home", "postal_code": postal, "street": street}],
    })  # fmt: skip
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def _order(client, headers, customer_id: str, *product_ids: str) -> None:  # type: ignore[no-untyped-def]
    async def placed() -> bool:  # orders learns a new customer by event
        r = await client.post("/api/v1/mail-order/orders", headers=headers, json={
            "customer_id": customer_id,
            "lines": [{"product_id": p, "quantity": 1} for p in product_ids],
            "delivery": {"kind": "home", "name": "テスト 様", "postal_code": "1050023",
                         "prefecture": "東京都", "address": "港区芝浦1-1-1"},
        })  # fmt: skip
        if r.status_code in (404, 422) and "customer" in r.text:
            return False
        assert r.status_code == 201, r.text
        return True

    await eventually(placed)


async def test_dm_list_by_purchase_in_libreoffice_and_the_page(
    client: httpx.AsyncClient, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    headers = await login(client)
    tag = uuid.uuid4().hex[:6]
    products = {}
    for key, name in (("juice", f"青汁{tag}"), ("vinegar", f"黒酢{tag}")):
        r = await client.post("/api/v1/mail-order/products", headers=headers,
                              json={"code": f"{key}-{tag}", "name": name, "price_yen": 1200})  # fmt: skip
        assert r.status_code == 201, r.text
        products[key] = r.json()
    fee = await client.post("/api/v1/mail-order/shipping-fees", headers=headers,
                            json={"prefecture": "東京都", "fee_yen": 500})  # fmt: skip
    assert fee.status_code in (201, 409, 422), fee.text  # another test may have set it
    tokyo = await _customer(client, headers, tag, "東京", "105-0023", "1-1-1")
    osaka = await _customer(client, headers, tag, "大阪", "530-0001", "2-2")
    kanagawa = await _customer(client, headers, tag, "横浜", "231-0023", "3-3")
    refuses = await _customer(client, headers, tag, "不要", "105-0023", "4-4")
    juice, vinegar = products["juice"]["id"], products["vinegar"]["id"]
    await _order(client, headers, tokyo, juice)
    await _order(client, headers, osaka, juice, vinegar)
    await _order(client, headers, kanagawa, vinegar)
    await _order(client, headers, refuses, juice)

    # 郵送DM不要, ticked on the edit page: saved, shown, kept in the history.
    await _web_login(client)
    edit = await client.get(f"/customers/{refuses}/edit")
    assert 'name="dm_opt_out"' in edit.text and "郵送DM不要" in edit.text
    form = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', edit.text))
    form = {k: html.unescape(v) for k, v in form.items()
            if k not in ("dm_opt_out", "desired_conditions.kinds")}  # fmt: skip
    form.update({"addresses.0.kind": "home", "dm_opt_out": "true"})
    saved = await client.post(f"/customers/{refuses}/edit", data=form)
    assert saved.status_code == 303, saved.text
    shown = (await client.get(f"/customers/{refuses}")).text
    assert "不要（DM宛名リストに載せません）" in shown and "郵送DM" in shown
    edit = await client.get(f"/customers/{refuses}/edit")
    assert re.search(r'name="dm_opt_out" value="true" checked', edit.text)

    today = clock.today().isoformat()
    params = {"q": f"DM{tag}", "ordered_from": today, "product": [f"青汁{tag}"],
              "prefecture": ["東京都", "大阪府"]}  # fmt: skip

    async def counted() -> dict | None:  # the purchases arrive by event
        r = await client.get("/api/v1/customers/dm-list/count", params=params, headers=headers)
        assert r.status_code == 200, r.text
        return r.json() if r.json()["total"] == 2 else None

    assert await eventually(counted) == {"total": 2, "opted_out": 1, "max_rows": 100_000}
    r = await client.get("/api/v1/customers/dm-list.csv", params=params, headers=headers)
    assert r.status_code == 200, r.text
    cells = await spreadsheet_cells(r.content, tmp_path)
    assert cells == [
        ["お客様番号", "郵便番号", "都道府県", "住所1", "住所2", "宛名", "送付先"],
        [cells[1][0], "〒105-0023", "東京都", "東京都港区芝浦1-1-1", "", f"DM{tag} 東京 様", "自宅"],
        [cells[2][0], "〒530-0001", "大阪府", "大阪府大阪市北区梅田2-2", "", f"DM{tag} 大阪 様",
         "自宅"],
    ]  # fmt: skip
    both = {**params, "product": [f"青汁{tag}", f"黒酢{tag}"], "product_match": "all"}
    both.pop("prefecture")
    r = await client.get("/api/v1/customers/dm-list.csv", params=both, headers=headers)
    assert [row[5] for row in (await spreadsheet_cells(r.content, tmp_path))[1:]] == [
        f"DM{tag} 大阪 様"
    ]

    # The page: the products picker from the orders master, the count before the download.
    page = await client.get("/customers/dm-list", params={**params, "check": "1"})
    assert page.status_code == 200
    assert f'<option value="青汁{tag}" selected>' in page.text
    count = re.search(r'id="dm-count"[^>]*>(.*?)</p>', page.text, flags=re.S).group(1)
    assert re.sub(r"<[^>]+>", "", count) == "該当 2件（うちDM不要 1件を除外）"
    assert "郵送DM不要" in page.text  # the page says whom the list leaves out
    # Typed names work as well as the picker.
    typed = {"q": f"DM{tag}", "product_text": f"黒酢{tag}、存在しない商品", "check": "1"}
    count = re.search(r'id="dm-count"[^>]*>(.*?)</p>',
                      (await client.get("/customers/dm-list", params=typed)).text, flags=re.S)  # fmt: skip
    assert re.sub(r"<[^>]+>", "", count.group(1)) == "該当 2件"
    # Ten years, and a period upside down: refused beside the inputs, what was typed kept.
    decade = {"q": f"DM{tag}", "ordered_from": "2016-01-01", "ordered_to": "2026-01-01"}
    page = await client.get("/customers/dm-list", params={**decade, "check": "1"})
    assert 'id="ordered_from-error">注文日の期間は3年以内で指定してください。<' in page.text
    assert 'value="2016-01-01"' in page.text and 'id="dm-count"' not in page.text
    upside = {"q": f"DM{tag}", "ordered_from": "2026-05-01", "ordered_to": "2026-04-01"}
    refused = await client.get("/customers/dm-list.csv", params=upside)
    assert refused.status_code == 303
    page = await client.get(refused.headers["location"])
    assert "注文日の終了日は開始日以降の日付にしてください。" in page.text
    assert 'value="2026-04-01"' in page.text
    # The list links to the page with its search.
    listing = await client.get("/customers", params={"q": f"DM{tag}"})
    assert re.search(r'id="dm-list" href="/customers/dm-list\?q=DM' + tag, listing.text)
    # A 一般 user: the page says it is the admin's (the service refuses the list too).
    ok = await client.post(
        "/login", data={"email": "staff@demo.example", "password": "demo-staff-pass"}
    )
    client.cookies.set("crm_session", ok.cookies["crm_session"])
    page = await client.get("/customers/dm-list", params={"check": "1"})
    assert page.status_code == 403 and "DM宛名リストの出力は管理者のみ行えます。" in page.text
