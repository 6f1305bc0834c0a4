"""Issue 13's 更新→保存 through the gateway's pages (embedded mode): every field of the
profile edited, every error at once beside its input with what was typed kept, the change
in the customer's history, and the last four digits of the new phone finding the customer."""

import re
import uuid

import httpx
import pytest

from tests.e2e.flows import login

pytestmark = [pytest.mark.e2e, pytest.mark.database]


async def _web_login(client: httpx.AsyncClient) -> None:
    ok = await client.post(
        "/login", data={"email": "admin@demo.example", "password": "demo-admin-pass"}
    )
    assert ok.status_code == 303
    client.cookies.set("crm_session", ok.cookies["crm_session"])


def _four() -> str:
    return f"{uuid.uuid4().int % 10_000:04d}"


async def _registered(client: httpx.AsyncClient, tag: str) -> str:
    form = {
        "family_kana": "ハシモト", "given_kana": "ユイ", "family_name": "橋本", "given_name": "結衣",
        "phones.0": "090-5555-0001", "birth_date": "1988-03-03",
        "emails.0": f"yui-{tag}@example.com",
    }  # fmt: skip
    created = await client.post("/customers/new", data=form)
    assert created.status_code == 303, created.text
    return created.headers["location"].split("?")[0]


async def test_every_field_is_edited_saved_shown_and_kept_in_history(
    client: httpx.AsyncClient,
) -> None:
    await _web_login(client)
    tag = uuid.uuid4().hex[:8]
    path = await _registered(client, tag)
    page = await client.get(f"{path}/edit")
    assert page.status_code == 200
    assert 'value="ハシモト"' in page.text and 'value="090-5555-0001"' in page.text
    last4 = _four()
    select = re.search(r'<select id="store_id".*?</select>', page.text, flags=re.S).group(0)
    store_id, store_name = re.findall(r'<option value="([0-9a-f-]{36})"[^>]*>([^<]+)<', select)[0]
    form = {
        "store_id": store_id,
        "family_kana": "たかはし", "given_kana": "ハナコ", "family_name": "高橋",
        "given_name": "花子", "birth_date": "1990-12-24", "gender": "female",
        "customer_number": f"E{tag}", "line_name": "はなちゃん",
        "phones.0": f"080-7777-{last4}", "phones.1": "03-3333-4444",
        "emails.0": f"hanako-{tag}@example.com", "emails.1": f"work-{tag}@example.com",
        "addresses.0.kind": "home", "addresses.0.postal_code": "105-0023",
        "addresses.0.street": "1-1-1", "addresses.0.building": "スームビル3F",
        "addresses.1.kind": "gift", "addresses.1.prefecture": "大阪府",
        "addresses.1.city": "大阪市北区", "addresses.1.street": "梅田1-1",
        "addresses.1.recipient": "高橋 一郎",
        "attributes": "車椅子、お子様連れ", "inflow_sources": "ホームページ、紹介",
        "side": "buyer", "property_type": "mansion",
        "desired_conditions.prefecture": "東京都", "desired_conditions.cities": "港区、品川区",
        "desired_conditions.stations": "田町", "desired_conditions.kinds": "mansion",
        "desired_conditions.layouts": "2ldk、3LDK",
        "desired_conditions.price_min_yen": "3000", "desired_conditions.price_max_yen": "6500",
        "desired_conditions.size_min_m2": "55", "desired_conditions.note": "駐車場付き",
        "owned_property.kind": "house", "owned_property.prefecture": "神奈川県",
        "owned_property.city": "横浜市", "owned_property.layout": "4LDK",
        "owned_property.size_m2": "98.5", "owned_property.price_yen": "4800",
    }  # fmt: skip
    saved = await client.post(f"{path}/edit", data=form)
    assert saved.status_code == 303, saved.text
    shown = await client.get(saved.headers["location"])
    text = shown.text
    assert "お客様の情報を保存しました" in text and "高橋 花子 様" in text
    for expected in ("タカハシ ハナコ", f"080-7777-{last4}", "03-3333-4444",
                     f"work-{tag}@example.com", "東京都港区芝浦1-1-1", "スームビル3F",
                     "ギフト送付先", "高橋 一郎 様", "はなちゃん", "車椅子、お子様連れ",
                     "ホームページ、紹介", "1990/12/24", "女性", f"E{tag}",
                     "東京都港区、東京都品川区、田町駅", "2LDK、3LDK", "3,000万円〜6,500万円",
                     "55.0㎡以上", "駐車場付き", "一戸建て 神奈川県横浜市", "4,800万円"):  # fmt: skip
        assert expected in text, expected
    assert re.search(r'id="home-store">' + re.escape(store_name), text)
    parts = re.search(r"基本情報を更新（([^）]*)）", text).group(1).split("、")
    assert {"電話番号", "所属店舗", "希望条件", "所有物件", "住所", "LINE名"} <= set(parts)
    # The new phone's last four digits find her in the list.
    listing = await client.get("/customers", params={"phone": last4})
    assert "高橋 花子" in listing.text
    # The edit form shows what was saved.
    again = await client.get(f"{path}/edit")
    assert 'value="6500"' in again.text and 'value="2LDK、3LDK"' in again.text
    assert 'value="4800"' in again.text and 'value="98.5"' in again.text


async def test_every_error_at_once_beside_its_field_with_the_input_kept(
    client: httpx.AsyncClient,
) -> None:
    await _web_login(client)
    tag = uuid.uuid4().hex[:8]
    path = await _registered(client, tag)
    form = {
        "family_kana": "橋本", "given_kana": "ユイ", "family_name": "橋本", "given_name": "結衣",
        "phones.0": "", "phones.1": "12-34", "birth_date": "1988-03-03",
        "emails.0": "not-a-mail", "desired_conditions.price_min_yen": "9000",
    }  # fmt: skip
    refused = await client.post(f"{path}/edit", data=form)
    assert refused.status_code == 422
    html = refused.text
    assert 'id="phones-1-error">電話番号の形式が正しくありません。例: 090-1234-5678' in html
    assert 'id="emails-0-error">メールアドレスの形式が正しくありません' in html
    assert 'id="family_kana-error">フリガナはカタカナで入力してください' in html
    assert "入力内容を確認してください（3件）" in html, re.findall(r"error[^>]*>[^<]+", html)
    assert 'value="12-34"' in html and 'value="not-a-mail"' in html  # the input kept
    assert 'value="9000"' in html
    assert "{" not in re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.S)  # no JSON
    # The price range is checked with the request's shape, before the rest (a second round).
    fixed = {**form, "family_kana": "ハシモト", "phones.1": "", "phones.0": "090-5555-0001",
             "emails.0": f"yui-{tag}@example.com", "desired_conditions.price_max_yen": "5000"}  # fmt: skip
    bounds = await client.post(f"{path}/edit", data=fixed)
    assert bounds.status_code == 422
    assert 'id="desired_conditions-error">希望価格の下限は上限以下にしてください。' in bounds.text
    blank = await client.post(f"{path}/edit", data={**fixed, "phones.0": "",
                                                     "desired_conditions.price_min_yen": ""})  # fmt: skip
    assert 'id="phones-error">電話番号を入力してください。' in blank.text
    page = await client.get(path)
    assert "090-5555-0001" in page.text and "基本情報を更新" not in page.text  # nothing changed


async def test_registration_shows_every_error_in_japanese_and_keeps_the_input(
    client: httpx.AsyncClient,
) -> None:
    await _web_login(client)
    refused = await client.post("/customers/new", data={"family_name": "山田", "phones.0": "abc"})
    assert refused.status_code == 422
    html = refused.text
    for field, message in (("phones-0", "電話番号の形式が正しくありません。例: 090-1234-5678"),
                           ("family_kana", "セイを入力してください。"),
                           ("birth_date", "生年月日を入力してください。"),
                           ("emails", "メールアドレスを入力してください。")):  # fmt: skip
        assert f'id="{field}-error">{message}' in html, field
    assert 'value="山田"' in html and 'value="abc"' in html
    assert "Field required" not in html


async def test_another_tenants_customer_has_no_edit_page(client: httpx.AsyncClient) -> None:
    await _web_login(client)
    missing = await client.get(f"/customers/{uuid.uuid4()}/edit")
    assert missing.status_code == 404
    saved = await client.post(f"/customers/{uuid.uuid4()}/edit", data={"family_name": "乗取"})
    assert saved.status_code == 404


async def test_a_blank_phone_is_asked_for_and_a_wrong_one_shown_how(
    client: httpx.AsyncClient,
) -> None:
    await _web_login(client)
    blank = await client.post("/customers/phone-registration", data={"family_name": "スズキ"})
    assert blank.status_code == 422
    assert 'id="phone-error">電話番号を入力してください。' in blank.text
    assert 'value="スズキ"' in blank.text
    wrong = await client.post(
        "/customers/phone-registration", data={"family_name": "", "phone": "12"}
    )
    assert 'id="phone-error">電話番号の形式が正しくありません。例: 090-1234-5678' in wrong.text
    assert 'id="family_name-error">姓を入力してください。' in wrong.text
    assert 'value="12"' in wrong.text


async def test_a_home_store_of_another_tenant_is_refused(client: httpx.AsyncClient) -> None:
    await _web_login(client)
    tag = uuid.uuid4().hex[:8]
    path = await _registered(client, tag)
    form = {
        "family_kana": "ハシモト", "given_kana": "ユイ", "family_name": "橋本", "given_name": "結衣",
        "phones.0": "090-5555-0001", "birth_date": "1988-03-03",
        "emails.0": f"yui-{tag}@example.com", "store_id": str(uuid.uuid4()),
    }  # fmt: skip
    refused = await client.post(f"{path}/edit", data=form)
    assert refused.status_code == 422
    assert 'id="store_id-error">所属店舗が見つかりません。一覧から選んでください。' in refused.text
    headers = await login(client)
    body = {"family_name": "橋本", "given_name": "結衣", "family_kana": "ハシモト",
            "given_kana": "ユイ", "birth_date": "1988-03-03", "phones": ["090-5555-0001"],
            "emails": [f"yui-{tag}@example.com"], "store_id": str(uuid.uuid4())}  # fmt: skip
    customer_id = path.rsplit("/", 1)[1]
    api = await client.put(f"/api/v1/customers/{customer_id}", json=body, headers=headers)
    assert api.status_code == 422 and api.json()["detail"]["field"] == "store_id"
    created = await client.post("/api/v1/customers", json=body, headers=headers)
    assert created.status_code == 422
    page = await client.get(path)
    assert 'id="home-store">設定なし' in page.text  # nothing changed


async def test_a_save_keeps_the_mail_settings_and_changes_them_when_asked(
    client: httpx.AsyncClient,
) -> None:
    """The edit page sends the whole profile: メールマガジン and 物件提案メール go with it, so a
    save of another field keeps them, and the page can change them."""
    headers = await login(client)
    await _web_login(client)
    tag = uuid.uuid4().hex[:8]
    path = await _registered(client, tag)
    customer_id = path.rsplit("/", 1)[1]
    api = f"/api/v1/customers/{customer_id}"
    body = (await client.get(api, headers=headers)).json()
    body |= {"newsletter_opt_in": True, "proposal_delivery": "automatic"}
    writable = {k: body[k] for k in ("family_name", "given_name", "family_kana", "given_kana",
                                     "birth_date", "phones", "emails", "newsletter_opt_in",
                                     "proposal_delivery")}  # fmt: skip
    assert (await client.put(api, headers=headers, json=writable)).status_code in (200, 204)

    page = await client.get(f"{path}/edit")
    assert re.search(r'name="newsletter_opt_in" value="true" checked', page.text)
    assert re.search(r'<option value="automatic" selected>', page.text)
    form = {"family_kana": "ハシモト", "given_kana": "ユイ", "family_name": "橋本",
            "given_name": "結衣", "phones.0": "090-5555-0001", "birth_date": "1988-03-03",
            "emails.0": f"yui-{tag}@example.com", "line_name": "ゆい",
            "newsletter_opt_in": "true", "proposal_delivery": "automatic"}  # fmt: skip
    saved = await client.post(f"{path}/edit", data=form)
    assert saved.status_code == 303, saved.text
    kept = (await client.get(api, headers=headers)).json()
    assert kept["line_name"] == "ゆい"
    assert kept["newsletter_opt_in"] is True and kept["proposal_delivery"] == "automatic"

    saved = await client.post(f"{path}/edit", data={**form, "newsletter_opt_in": "",
                                                      "proposal_delivery": "stopped"})  # fmt: skip
    assert saved.status_code == 303, saved.text
    changed = (await client.get(api, headers=headers)).json()
    assert changed["newsletter_opt_in"] is False and changed["proposal_delivery"] == "stopped"
