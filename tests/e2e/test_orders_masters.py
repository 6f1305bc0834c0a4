"""The orders masters' pages over HTTP (embedded mode): bad input is refused beside its
field in Japanese with what was typed kept, nothing is written — a blank name, a negative
price or fee, a set product naming another tenant's product, a campaign that ends before
it starts — and a 一般 user reads the lists without the change buttons and is refused a
change by the service."""

import re
import uuid

import httpx
import pytest

from tests.e2e.flows import login

pytestmark = [pytest.mark.e2e, pytest.mark.database]


async def _web_login(client: httpx.AsyncClient, who: str = "admin") -> None:
    email, password = {"admin": ("admin@demo.example", "demo-admin-pass"),
                       "staff": ("staff@demo.example", "demo-staff-pass")}[who]  # fmt: skip
    ok = await client.post("/login", data={"email": email, "password": password})
    assert ok.status_code == 303
    client.cookies.set("crm_session", ok.cookies["crm_session"])


def _beside(html: str, field: str) -> str:
    """The error shown beside the input ``field`` (its id is err-<field>)."""
    found = re.search(rf'id="err-{re.escape(field.replace(".", "-"))}">([^<]+)<', html)
    assert found, f"no error beside {field}"
    return found.group(1)


async def _entries(client: httpx.AsyncClient, headers: dict, kind: str) -> list[dict]:
    r = await client.get(f"/api/v1/mail-order/{kind}?include_retired=true", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture(scope="module")
async def other_tenants_product(system) -> str:  # type: ignore[no-untyped-def]
    """A product of another tenant (its admin registers it through the API)."""
    from gateway.use_cases.tenants import NewStaff, NewTenant, provision_tenant

    slug = f"m{uuid.uuid4().hex[:8]}"

    async def provision(uow) -> None:  # type: ignore[no-untyped-def]
        await provision_tenant(
            NewTenant(slug=slug, name="別の通販会社", industry="mail_order", portal_secret="x-secret",
                      stores=[("00000100199", "別の通販会社 本社")],
                      staff=[NewStaff(f"admin@{slug}.example", "m-admin-pass", "別 管理者", "admin")]),
            uow=uow,
        )  # fmt: skip

    await system.runtimes["gateway"].transactions(tenant_id=None).run(provision)
    transport = httpx.ASGITransport(app=system.gateway_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as other:
        headers = await login(other, f"admin@{slug}.example", "m-admin-pass")
        r = await other.post("/api/v1/mail-order/products", headers=headers,
                             json={"code": "OTHER-1", "name": "よその商品", "price_yen": 1000})  # fmt: skip
        assert r.status_code == 201, r.text
        return r.json()["id"]


async def test_a_blank_name_and_a_negative_fee_are_said_beside_their_fields(
    client: httpx.AsyncClient,
) -> None:
    headers = await login(client)
    await _web_login(client)
    before = await _entries(client, headers, "staff")
    r = await client.post("/orders/masters/staff", data={"name": "  ", "role": "sales"})
    assert r.status_code == 422
    assert _beside(r.text, "name") == "担当者名を入力してください。"
    assert '<option value="sales" selected>' in r.text  # what was typed is kept
    assert await _entries(client, headers, "staff") == before

    r = await client.post("/orders/masters/campaigns", data={
        "name": "新規様500円引き", "kind": "new_customer_discount", "starts_on": "2026-04-01",
        "ends_on": "2026-04-30", "discount_yen": "-500"})  # fmt: skip
    assert r.status_code == 422
    assert _beside(r.text, "discount_yen") == "割引額は0以上で入力してください。"
    assert 'value="-500"' in r.text and 'value="新規様500円引き"' in r.text

    fees = {"default_fee": "800", "北海道": "-1", "沖縄県": "千円"}
    r = await client.post("/orders/masters/shipping-fees", data=fees)
    assert r.status_code == 422
    assert _beside(r.text, "北海道") == "送料は0以上の半角数字（円）で入力してください。"
    assert _beside(r.text, "沖縄県") == "送料は0以上の半角数字（円）で入力してください。"
    assert 'value="千円"' in r.text and "入力内容を確認してください（2件）" in r.text
    assert not [f for f in await _entries(client, headers, "shipping-fees")
                if f["prefecture"] == "北海道" and f["fee_yen"] == 800]  # fmt: skip


async def test_a_negative_price_is_refused_on_the_products_page(client: httpx.AsyncClient) -> None:
    await _web_login(client)
    code = f"NEG-{uuid.uuid4().hex[:6]}"
    r = await client.post(
        "/orders/products", data={"code": code, "name": "黒酢", "price_yen": "-100"}
    )
    assert r.status_code == 422
    assert _beside(r.text, "price_yen") == "価格は0以上の数字（円）で入力してください。"
    assert code in r.text  # kept
    listed = await client.get("/orders/products")
    assert code not in listed.text


async def test_a_set_with_another_tenants_product_is_refused_on_its_row(
    client: httpx.AsyncClient, other_tenants_product: str
) -> None:
    headers = await login(client)
    await _web_login(client)
    r = await client.post("/api/v1/mail-order/products", headers=headers, json={
        "code": f"S-{uuid.uuid4().hex[:6]}", "name": "青汁", "price_yen": 1080, "tax_rate": 8})  # fmt: skip
    own = r.json()["id"]
    before = await _entries(client, headers, "set-products")
    form = {"name": "よそ混ぜセット", "kind": "bundle",
            "items.0.product_id": own, "items.0.quantity": "1",
            "items.2.product_id": other_tenants_product, "items.2.quantity": "1"}  # fmt: skip
    r = await client.post("/orders/masters/set-products", data=form)
    assert r.status_code == 422
    # The second item sent is the form's third row: the error is beside that row.
    assert _beside(r.text, "items.2.product_id") == "指定された商品が見つかりません。"
    assert 'value="よそ混ぜセット"' in r.text
    assert await _entries(client, headers, "set-products") == before
    # And on the edit page of a set of the tenant's own.
    ok = await client.post("/orders/masters/set-products", data={
        "name": "青汁2箱", "kind": "bundle", "items.0.product_id": own, "items.0.quantity": "2"})  # fmt: skip
    assert ok.status_code == 303
    made = [s for s in await _entries(client, headers, "set-products") if s["name"] == "青汁2箱"]
    r = await client.post(f"/orders/masters/set-products/{made[-1]['id']}",
                          data={**form, "name": "青汁2箱"})  # fmt: skip
    assert r.status_code == 422
    assert _beside(r.text, "items.2.product_id") == "指定された商品が見つかりません。"


async def test_a_reversed_campaign_period_is_refused_beside_its_end(
    client: httpx.AsyncClient,
) -> None:
    headers = await login(client)
    await _web_login(client)
    before = await _entries(client, headers, "campaigns")
    form = {"name": "逆さの送料無料", "kind": "free_shipping", "starts_on": "2026-05-31",
            "ends_on": "2026-05-01"}  # fmt: skip
    r = await client.post("/orders/masters/campaigns", data=form)
    assert r.status_code == 422
    assert _beside(r.text, "ends_on") == "終了日は開始日以降の日付にしてください。"
    assert 'value="2026-05-31"' in r.text and 'value="2026-05-01"' in r.text
    r = await client.post("/orders/masters/campaigns", data={**form, "starts_on": ""})
    assert r.status_code == 422 and _beside(r.text, "starts_on") == "開始日を入力してください。"
    assert await _entries(client, headers, "campaigns") == before


async def test_a_general_user_reads_without_buttons_and_is_refused_a_change(
    client: httpx.AsyncClient,
) -> None:
    headers = await login(client)
    r = await client.post("/api/v1/mail-order/media", headers=headers, json={"name": "朝刊チラシ"})
    medium = r.json()
    await _web_login(client, "staff")
    for path in ("/orders/masters/media", f"/orders/masters/media/{medium['id']}",
                 "/orders/masters/shipping-fees", "/orders/settings", "/orders/masters"):  # fmt: skip
        page = await client.get(path)
        assert page.status_code == 200, path
        assert "<button" not in page.text.split("<main", 1)[-1], path
        assert "管理者のみ" in page.text, path
    assert "朝刊チラシ" in (await client.get("/orders/masters/media")).text
    r = await client.post(f"/orders/masters/media/{medium['id']}", data={"name": "乗っ取り"})
    assert r.status_code == 403 and "管理者" in r.text
    r = await client.post("/orders/settings/shop-secret", data={"confirm": "on"})
    assert r.status_code in (303, 403)
    again = await client.get(f"/api/v1/mail-order/media/{medium['id']}", headers=headers)
    assert again.json()["name"] == "朝刊チラシ"


async def test_retiring_needs_the_confirmation_tick(client: httpx.AsyncClient) -> None:
    headers = await login(client)
    await _web_login(client)
    r = await client.post("/api/v1/mail-order/reasons", headers=headers,
                          json={"kind": "return", "text": "イメージと違った"})  # fmt: skip
    reason = r.json()
    r = await client.post(f"/orders/masters/reasons/{reason['id']}/retire", data={})
    assert r.status_code == 422
    assert _beside(r.text, "confirm") == "廃止してよいか確認のうえ、チェックを入れてください。"
    again = await client.get(f"/api/v1/mail-order/reasons/{reason['id']}", headers=headers)
    assert again.json()["retired_at"] is None
    r = await client.post(f"/orders/masters/reasons/{reason['id']}/retire", data={"confirm": "on"})
    assert r.status_code == 303
    again = await client.get(f"/api/v1/mail-order/reasons/{reason['id']}", headers=headers)
    assert again.json()["retired_at"] is not None
    listed = await client.get("/orders/masters/reasons")
    assert "イメージと違った" not in listed.text
    assert "イメージと違った" in (await client.get("/orders/masters/reasons?retired=true")).text


async def test_a_product_takes_a_category_of_the_master(client: httpx.AsyncClient) -> None:
    headers = await login(client)
    await _web_login(client)
    r = await client.post("/orders/masters/product-categories", data={"name": "健康飲料"})
    assert r.status_code == 303
    categories = await _entries(client, headers, "product-categories")
    category = next(c for c in categories if c["name"] == "健康飲料")
    code = f"C-{uuid.uuid4().hex[:6]}"
    form = {
        "code": code,
        "name": "黒酢ドリンク",
        "price_yen": "1,200",
        "category_id": category["id"],
    }
    r = await client.post("/orders/products", data=form)
    assert r.status_code == 303, r.text
    product = next(p for p in await _entries(client, headers, "products") if p["code"] == code)
    assert product["category_id"] == category["id"]
    page = await client.get(f"/orders/products/{product['id']}")
    assert f'<option value="{category["id"]}" selected>健康飲料</option>' in page.text


async def test_the_settings_page_saves_rounding_and_shipper_and_shows_a_new_secret_once(
    client: httpx.AsyncClient,
) -> None:
    headers = await login(client)
    await _web_login(client)
    r = await client.post("/orders/settings/shipper", data={
        "name": "デモ通販", "phone": "03-1234", "postal_code": "1000001", "address": ""})  # fmt: skip
    assert r.status_code == 422
    # The service names its first wrong field; that error is beside it, the input kept.
    assert _beside(r.text, "address") == "住所を入力してください。"
    assert 'value="03-1234"' in r.text
    r = await client.post("/orders/settings/shipper", data={
        "name": "デモ通販", "phone": "03-1234-5678", "postal_code": "1000001",
        "address": "東京都千代田区千代田1-1", "yamato_billing_code": "0312345678"})  # fmt: skip
    assert r.status_code == 303, r.text
    shipper = (await client.get("/api/v1/mail-order/shipper-settings", headers=headers)).json()
    assert (
        shipper["yamato_billing_code"] == "0312345678" and shipper["yamato_freight_number"] == "01"
    )

    r = await client.post("/orders/settings", data={"tax_rounding": "half_up"})
    assert r.status_code == 303
    assert (await client.get("/api/v1/mail-order/settings", headers=headers)).json()[
        "tax_rounding"
    ] == "half_up"
    page = await client.get("/orders/settings")
    assert 'value="half_up" checked' in page.text

    r = await client.post("/orders/settings/shop-secret", data={})
    assert r.status_code == 422 and _beside(r.text, "confirm").startswith("今の連携キー")
    r = await client.post("/orders/settings/shop-secret", data={"confirm": "on"})
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    secret = re.search(r'id="shop-secret">([^<]+)<', r.text).group(1)  # type: ignore[union-attr]
    assert len(secret) >= 32
    assert secret not in (await client.get("/orders/settings")).text  # shown once
    assert "連携キーは発行済みです。" in (await client.get("/orders/settings")).text


async def test_a_survey_question_with_one_choice_is_refused_beside_its_choices(
    client: httpx.AsyncClient,
) -> None:
    await _web_login(client)
    form = {"text": "何でお知りになりましたか", "answer_kind": "choice", "choices": "新聞\n"}
    r = await client.post("/orders/masters/survey-questions", data=form)
    assert r.status_code == 422
    assert _beside(r.text, "choices") == "選択肢を2つ以上入力してください。"
    form["choices"] = "新聞\nチラシ\nテレビ"
    r = await client.post("/orders/masters/survey-questions", data=form)
    assert r.status_code == 303
    listed = await client.get("/orders/masters/survey-questions")
    entry_id = re.search(r'href="/orders/masters/survey-questions/([0-9a-f-]{36})"', listed.text)
    page = await client.get(f"/orders/masters/survey-questions/{entry_id.group(1)}")  # type: ignore[union-attr]
    assert "新聞\nチラシ\nテレビ</textarea>" in page.text
