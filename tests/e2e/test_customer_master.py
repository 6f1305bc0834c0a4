"""Issue 5 end to end through the gateway (embedded mode): the seed cases of search and
merge, registration, flags, import and the Japanese web pages."""

import asyncio
import uuid

import httpx
import pytest

from tests.e2e.flows import eventually, inquiry_body, login, post_inquiry

pytestmark = [pytest.mark.e2e, pytest.mark.database]


def _tag() -> str:
    return uuid.uuid4().hex[:8]


async def _register(client: httpx.AsyncClient, headers: dict, **fields: object) -> str:
    body = {
        "family_name": "佐賀", "given_name": "太郎", "family_kana": "サガ", "given_kana": "タロウ",
        "birth_date": "1975-05-05", "phones": [], "emails": [],
    }  # fmt: skip
    body.update(fields)
    r = await client.post("/api/v1/customers", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def _ids(client: httpx.AsyncClient, headers: dict, **params: object) -> list[str]:
    r = await client.get("/api/v1/customers", params=params, headers=headers)
    assert r.status_code == 200, r.text
    return [c["id"] for c in r.json()["items"]]


async def test_two_phones_find_one_customer_in_any_width(client: httpx.AsyncClient) -> None:
    headers = await login(client)
    n = uuid.uuid4().int % 10_000
    landline, mobile = f"0952-2{n:04d}", f"090-7{n % 1000:03d}-{n:04d}"
    customer_id = await _register(
        client, headers, phones=[landline, mobile], emails=[f"saga-{_tag()}@example.com"]
    )
    # Seed 002: 固定電話でも携帯電話でも「佐賀太郎」が検索できる.
    assert await _ids(client, headers, phone=landline.replace("-", "")) == [customer_id]
    assert await _ids(client, headers, phone=mobile) == [customer_id]
    full_width = mobile.translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
    assert await _ids(client, headers, phone=full_width) == [customer_id]


async def test_kana_typed_in_hiragana_finds_katakana(client: httpx.AsyncClient) -> None:
    headers = await login(client)
    tag = _tag()
    kana = "ミヤザワ"
    customer_id = await _register(
        client, headers, family_name="宮沢", family_kana=kana, given_kana="ケンジ",
        phones=["03-5555-0101"], emails=[f"miyazawa-{tag}@example.com"],
    )  # fmt: skip
    assert customer_id in await _ids(client, headers, q="みやざわ")
    assert customer_id in await _ids(client, headers, q="ﾐﾔｻﾞﾜ")
    short = await client.get("/api/v1/customers", params={"q": "み"}, headers=headers)
    assert short.status_code == 422 and "2文字以上" in short.json()["detail"]["message"]
    huge = await client.get("/api/v1/customers", params={"per_page": 1_000_000}, headers=headers)
    assert huge.status_code == 422


async def _portal_customer(client: httpx.AsyncClient, headers: dict, *, name: str) -> str:
    email = f"merge-{_tag()}@example.com"
    r = await post_inquiry(client, inquiry_body(email=email, name=name, phone="090-1000-2000"))
    assert r.status_code == 202, r.text
    [item] = await eventually(lambda: _items(client, headers, email))
    return item["id"]


async def _items(client: httpx.AsyncClient, headers: dict, email: str) -> list:
    r = await client.get("/api/v1/customers", params={"email": email}, headers=headers)
    return r.json()["items"]


async def test_merge_moves_inquiries_and_refuses_different_names(client: httpx.AsyncClient) -> None:
    headers = await login(client)
    target = await _portal_customer(client, headers, name="山田太郎")
    source = await _portal_customer(client, headers, name="山田 太郎")
    hanako = await _portal_customer(client, headers, name="山田花子")

    refused = await client.post(
        "/api/v1/merges", json={"source_id": target, "target_id": hanako, "confirm": True},
        headers=headers,
    )  # fmt: skip
    assert refused.status_code == 409
    assert "完全に一致" in refused.json()["detail"]["message"]

    preview = await client.post(
        "/api/v1/merges/preview", json={"source_id": source, "target_id": target}, headers=headers
    )
    assert preview.status_code == 200 and preview.json()["allowed"] is True
    r = await client.post(
        "/api/v1/merges", json={"source_id": source, "target_id": target, "confirm": True},
        headers=headers,
    )  # fmt: skip
    assert r.status_code == 200, r.text

    detail = (await client.get(f"/api/v1/customers/{target}", headers=headers)).json()
    assert len(detail["inquiries"]) == 2
    assert (await client.get(f"/api/v1/customers/{source}", headers=headers)).status_code == 404

    async def inquiries_moved() -> bool:
        r = await client.get("/api/v1/inquiries", params={"customer_id": target}, headers=headers)
        return r.status_code == 200 and r.json()["total"] == 2

    # The inquiry service re-points the source's inquiries on CustomerMerged.
    await eventually(inquiries_moved)
    log = (await client.get("/api/v1/merges", headers=headers)).json()
    assert any(m["source_id"] == source and m["target_id"] == target for m in log)


async def test_flags_phone_registration_and_import(client: httpx.AsyncClient) -> None:
    headers = await login(client)
    r = await client.post(
        "/api/v1/customer-phone-registrations",
        json={"family_name": "タナカ", "given_name": "ユイ", "phone": "０８０－９８７６－５４３２"},
        headers=headers,
    )
    assert r.status_code == 201, r.text
    customer_id = r.json()["id"]
    assert customer_id in await _ids(client, headers, phone_registration="true")
    r = await client.put(
        f"/api/v1/customers/{customer_id}/flags",
        json={"caution": True, "caution_memo": "大声で話される", "blacklisted": True,
              "blacklist_memo": "無断キャンセル"},
        headers=headers,
    )  # fmt: skip
    assert r.status_code == 204, r.text
    assert customer_id in await _ids(client, headers, blacklisted="true", caution="true")

    header = ("お客様番号,姓,名,セイ,メイ,電話番号1,電話番号2,メールアドレス,生年月日,性別,郵便番号,住所,"
              "流入経路,顧客属性,売主・買主,物件種別,希望エリア,希望価格上限(万円),担当者メールアドレス")  # fmt: skip
    tag = _tag()
    rows = [
        f",小林,翔,コバヤシ,ショウ,090-1111-{tag[:4].translate(str.maketrans('abcdef', '123456'))},,imp-{tag}@example.com,,,,,,,,,,,staff@demo.example",
        f",加藤,陽菜,カトウ,ヒナ,090-2222-3333,,imp2-{tag}@example.com,,,,,,,,,,,nobody@demo.example",
    ]
    content = ("\r\n".join([header, *rows]) + "\r\n").encode("cp932")
    r = await client.post(
        "/api/v1/customer-imports",
        files={"file": ("顧客.csv", content, "text/csv")},
        headers=headers,
    )
    assert r.status_code == 202, r.text
    job_id = r.json()["id"]

    async def finished() -> dict | None:
        job = (await client.get(f"/api/v1/customer-imports/{job_id}", headers=headers)).json()
        return job if job["status"] == "finished" else None

    job = await eventually(finished)
    assert (job["imported"], job["failed"]) == (1, 1)
    [imported] = await _items(client, headers, f"imp-{tag}@example.com")
    me = (await client.get("/api/v1/me", headers=headers)).json()
    assert imported["assignee_id"] is not None and imported["assignee_id"] != me["user_id"]
    template = await client.get("/api/v1/customer-imports/template.xlsx", headers=headers)
    assert template.status_code == 200 and template.content.startswith(b"PK")
    await asyncio.sleep(0)


async def _web_login(client: httpx.AsyncClient) -> None:
    ok = await client.post(
        "/login", data={"email": "admin@demo.example", "password": "demo-admin-pass"}
    )
    assert ok.status_code == 303
    client.cookies.set("crm_session", ok.cookies["crm_session"])


async def test_web_registration_flags_and_search_in_japanese(client: httpx.AsyncClient) -> None:
    await _web_login(client)
    tag = _tag()
    form = {
        "family_kana": "よしだ", "given_kana": "サクラ", "family_name": "吉田", "given_name": "さくら",
        "phones.0": "０９０－４４４４－１２１２", "birth_date": "1990-01-02",
        "emails.0": f"sakura-{tag}@example.com", "addresses.0.postal_code": "105-0023",
        "addresses.0.street": "1-1-1", "attributes": "車椅子、お子様連れ",
    }  # fmt: skip
    bad = await client.post("/customers/new", data={**form, "phones.0": "12"})
    assert bad.status_code == 422
    assert "電話番号の形式が正しくありません。例: 090-1234-5678" in bad.text
    created = await client.post("/customers/new", data=form)
    assert created.status_code == 303, created.text
    page = await client.get(created.headers["location"])
    assert page.status_code == 200
    assert "吉田 さくら 様" in page.text and "ヨシダ サクラ" in page.text
    assert "東京都港区芝浦" in page.text and "お客様を登録しました" in page.text
    customer_path = created.headers["location"].split("?")[0]
    flagged = await client.post(
        f"{customer_path}/flags",
        data={"caution": "on", "caution_memo": "要確認", "alert": "段差に注意"},
    )
    assert flagged.status_code == 303
    listing = await client.get("/customers", params={"q": "よしだ", "visit_count_max": "0"})
    assert listing.status_code == 200
    assert "高度な検索" in listing.text and "1〜1件 / 1件中" in listing.text
    assert 'class="mark-caution"' in listing.text and "段差に注意" in listing.text
    short = await client.get("/customers", params={"q": "よ"})
    assert "お名前は2文字以上で入力してください。" in short.text


async def test_web_merge_preview_confirm_and_import_wizard(client: httpx.AsyncClient) -> None:
    await _web_login(client)
    headers = await login(client)
    ids = []
    for name in ("森 一郎", "森　一郎"):
        email = f"mori-{_tag()}@example.com"
        family = name[0]
        customer_id = await _register(
            client, headers, family_name=family, given_name="一郎", phones=["03-3333-0000"],
            emails=[email],
        )  # fmt: skip
        ids.append(customer_id)
    numbers = [
        (await client.get(f"/api/v1/customers/{i}", headers=headers)).json()["customer_number"]
        for i in ids
    ]
    preview = await client.post(
        "/customers/merge", data={"source_number": numbers[0], "target_number": numbers[1]}
    )
    assert preview.status_code == 200 and "取り消し・やり直しはできません" in preview.text
    done = await client.post(
        "/customers/merge/confirm", data={"source_id": ids[0], "target_id": ids[1]}
    )
    assert done.status_code == 303
    log = await client.get(done.headers["location"])
    assert "統合しました" in log.text and "森 一郎 様" in log.text

    wizard = await client.get("/customers/import")
    assert "テンプレートダウンロード" in wizard.text
    header = ("お客様番号,姓,名,セイ,メイ,電話番号1,電話番号2,メールアドレス,生年月日,性別,郵便番号,住所,"
              "流入経路,顧客属性,売主・買主,物件種別,希望エリア,希望価格上限(万円),担当者メールアドレス")  # fmt: skip
    row = f",木村,拓哉,キムラ,タクヤ,090-5656-5656,,kimura-{_tag()}@example.com,1972-11-13,男性,,,,,,,,,"
    content = (header + "\r\n" + row + "\r\n").encode("cp932")
    r = await client.post("/customers/import", files={"file": ("顧客.csv", content, "text/csv")})
    assert r.status_code == 303
    progress_url = r.headers["location"]

    async def finished() -> str | None:
        page = await client.get(progress_url)
        return page.text if "完了しました" in page.text else None

    text = await eventually(finished)
    assert "成功: 1件" in text and "既に登録済み: 0件" in text
    # The same file with a new phone: 既に登録済み, then 上書きする (a job, with progress).
    again = (header + "\r\n" + row.replace("090-5656-5656", "080-7878-7878") + "\r\n").encode(
        "cp932"
    )
    r = await client.post("/customers/import", files={"file": ("顧客.csv", again, "text/csv")})
    progress_url = r.headers["location"]
    text = await eventually(finished)
    assert "既に登録済み: 1件" in text and "上書きする" in text
    job_id = progress_url.rsplit("/", 1)[1]
    r = await client.post(f"/customers/import/{job_id}/overwrite")
    assert r.status_code == 303

    async def overwritten() -> str | None:
        page = await client.get(progress_url)
        return page.text if "上書き 1件を含む" in page.text else None

    text = await eventually(overwritten)
    assert "成功: 1件" in text and "既に登録済み: 0件" in text and "上書きする" not in text
    junk = await client.post("/customers/import", files={"file": ("x.csv", b"", "text/csv")})
    assert junk.status_code == 422 and "ファイルが空です" in junk.text


async def test_the_api_documents_and_checks_every_search_criterion(
    client: httpx.AsyncClient,
) -> None:
    """One vocabulary (contracts.customer_search): every criterion is a documented parameter
    of the gateway's customer list and exports, with its Japanese label."""
    from contracts.customer_search import Group, criteria

    document = (await client.get("/openapi.json")).json()
    for path in ("/api/v1/customers", "/api/v1/customers.csv", "/api/v1/customers/dm-list.csv"):
        documented = {p["name"]: p for p in document["paths"][path]["get"]["parameters"]}
        assert criteria() <= set(documented), criteria() - set(documented)
    listed = {p["name"]: p for p in document["paths"]["/api/v1/customers"]["get"]["parameters"]}
    assert listed["visit_count_max"]["schema"]["title"] == "来店回数（上限）"
    assert len(criteria()) >= 34 and criteria(Group.ADVANCED) < criteria()

    headers = await login(client)
    wrong = await client.get(
        "/api/v1/customers", params={"visit_count_min": "多め"}, headers=headers
    )
    assert wrong.status_code == 422
    assert wrong.json()["detail"] | {"errors": None} == {
        "code": "invalid_integer", "field": "visit_count_min", "message": "整数で指定してください。",
        "errors": None,
    }  # fmt: skip
    huge = await client.get(
        "/api/v1/customers", params={"frequency_days": 10**20, "frequency_visits": 1},
        headers=headers,
    )  # fmt: skip
    assert huge.status_code == 422, huge.text
    assert "平均来店頻度は100,000以下" in huge.json()["detail"]["message"]
    # The advanced criteria pass through to the customer service (the search applies them).
    tag = _tag()
    email = f"vocab-{tag}@example.com"
    phone = f"03-6{uuid.uuid4().int % 1000:03d}-{uuid.uuid4().int % 10_000:04d}"
    customer_id = await _register(client, headers, phones=[phone], emails=[email])
    assert await _ids(client, headers, email=email, visit_count_max=0) == [customer_id]
    assert await _ids(client, headers, email=email, visit_count_min=1) == []
    assert await _ids(client, headers, email=email, registered_from="2100-12-31") == []


async def test_the_form_opens_its_advanced_search_for_its_own_criteria(
    client: httpx.AsyncClient,
) -> None:
    await _web_login(client)
    opened = await client.get("/customers", params={"visit_count_max": "0"})
    assert '<details class="advanced" open>' in opened.text
    plain = await client.get("/customers", params={"follow_up_status": "following"})
    assert plain.status_code == 200 and '<details class="advanced" >' in plain.text
