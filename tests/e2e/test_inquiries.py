"""Inquiries beyond the portal (INQ-2, INQ-4): the media master, registration by hand with
the same identity rule, the list and its search, and the CSV for Japanese Excel."""

import csv
import io
import uuid

import httpx
import pytest

from tests.e2e.flows import eventually, inquiry_body, login, post_inquiry, spreadsheet_cells

pytestmark = [pytest.mark.e2e, pytest.mark.database]


def _staff_inquiry(**changes: object) -> dict:
    body = {
        "medium": "phone",
        "kind": "question",
        "received_at": "2026-11-21T10:30:00+09:00",
        "customer": {
            "name": "電話 次郎",
            "name_kana": "デンワ ジロウ",
            "email": None,
            "phone": "０３-５５５５-１２３４",
            "address": "東京都港区",
        },
        "property": {
            "code": "P-9",
            "name": "スーム戸建 高輪",
            "address": "東京都港区高輪",
            "price_yen": 98000000,
        },
        "message": "駐車場はありますか。",
    }
    body.update(changes)
    return body


async def test_media_master_has_defaults_and_admins_add_more(client: httpx.AsyncClient) -> None:
    admin = await login(client)
    media = (await client.get("/api/v1/media", headers=admin)).json()
    codes = [m["code"] for m in media]
    assert codes[:3] == ["portal", "portal_phone", "other_portal"]
    assert {"phone", "walk_in", "own_site"} <= set(codes)
    assert next(m for m in media if m["code"] == "portal")["auto_linked"] is True
    code = f"flyer_{uuid.uuid4().hex[:4]}"
    r = await client.post("/api/v1/media", json={"code": code, "name": "チラシ"}, headers=admin)
    assert r.status_code == 201
    again = await client.post("/api/v1/media", json={"code": code, "name": "x"}, headers=admin)
    assert again.status_code == 409
    staff = await login(client, "staff@demo.example", "demo-staff-pass")
    r = await client.post("/api/v1/media", json={"code": "x2", "name": "x"}, headers=staff)
    assert r.status_code == 403


async def test_other_medium_with_the_first_email_joins_the_same_customer(client) -> None:  # type: ignore[no-untyped-def]
    """Issue 4: a second inquiry from another medium with the first inquiry's email and a
    different name, address and phone joins the same customer."""
    headers = await login(client, "staff@demo.example", "demo-staff-pass")
    email = f"join-{uuid.uuid4().hex[:6]}@example.com"
    assert (
        await post_inquiry(
            client, inquiry_body(email=email, name="住まい 花子", phone="090-1111-2222")
        )
    ).status_code == 202
    walk_in = _staff_inquiry(
        medium="walk_in",
        kind="other",
        customer={
            "name": "スマイ ハナ",
            "email": email.upper(),
            "phone": "080-3333-4444",
            "address": "神奈川県横浜市",
        },
    )
    r = await client.post("/api/v1/inquiries", json=walk_in, headers=headers)
    assert r.status_code == 202, r.text

    async def joined() -> dict | None:
        items = (
            await client.get("/api/v1/customers", params={"email": email}, headers=headers)
        ).json()["items"]
        if len(items) != 1:
            return None
        detail = (await client.get(f"/api/v1/customers/{items[0]['id']}", headers=headers)).json()
        return detail if len(detail["inquiries"]) == 2 else None

    customer = await eventually(joined)
    assert {i["medium"] for i in customer["inquiries"]} == {"portal", "walk_in"}
    assert set(customer["phones"]) == {"090-1111-2222", "080-3333-4444"}


async def test_portal_inquiries_cannot_be_registered_by_hand(client: httpx.AsyncClient) -> None:
    headers = await login(client)
    r = await client.post(
        "/api/v1/inquiries", json=_staff_inquiry(medium="portal"), headers=headers
    )
    assert r.status_code == 403
    assert "自動で連携" in r.json()["detail"]["message"]
    r = await client.post("/api/v1/inquiries", json=_staff_inquiry(medium="nope"), headers=headers)
    assert r.status_code == 422
    r = await client.post(
        "/api/v1/inquiries", json=_staff_inquiry(customer={"name": "連絡先 なし"}), headers=headers
    )
    assert r.status_code == 422


async def test_search_and_csv_for_japanese_excel(client: httpx.AsyncClient) -> None:
    headers = await login(client)
    tag = uuid.uuid4().hex[:5]
    name = f"検索{tag} 太郎"
    body = _staff_inquiry(
        customer={
            "name": name,
            "name_kana": f"ケンサク{tag} タロウ",
            "phone": "03-1234-0000",
            "email": None,
        },
        message='1行目, カンマ\n2行目「引用」"',
    )
    assert (await client.post("/api/v1/inquiries", json=body, headers=headers)).status_code == 202

    async def search(**params: str) -> dict:
        r = await client.get("/api/v1/inquiries", params=params, headers=headers)
        assert r.status_code == 200, r.text
        return r.json()

    found = await search(name=f"けんさく{tag}")  # hiragana finds the katakana reading
    assert found["total"] == 1 and found["items"][0]["contact"]["name"] == name
    assert (await search(name=f"検索{tag}", medium="phone", kind="question"))["total"] == 1
    assert (await search(name=f"検索{tag}", medium="walk_in"))["total"] == 0
    assert (await search(name=f"検索{tag}", property="高輪"))["total"] == 1
    assert (await search(name=f"検索{tag}", received_from="2026-11-21", received_to="2026-11-21"))[
        "total"
    ] == 1
    assert (await search(name=f"検索{tag}", received_from="2026-11-22"))["total"] == 0
    bad = await client.get(
        "/api/v1/inquiries",
        params={"received_from": "2026-11-22", "received_to": "2026-11-01"},
        headers=headers,
    )
    assert bad.status_code == 422

    r = await client.get("/api/v1/inquiries.csv", params={"name": f"検索{tag}"}, headers=headers)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "filename*=UTF-8''" in r.headers["content-disposition"]
    assert r.content.startswith("\ufeff".encode())  # BOM: Excel reads it as UTF-8
    assert b"\r\n" in r.content
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))
    assert rows[0][:4] == ["受付日時", "媒体", "種別", "店舗"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["受付日時"] == "2026/11/21 10:30"
    assert row["媒体"] == "電話" and row["種別"] == "お問い合わせ"
    assert row["お客様名"] == name and row["電話番号"] == "03-1234-0000"
    assert row["お問い合わせ内容"] == '1行目, カンマ\n2行目「引用」"'
    assert row["価格（円）"] == "98000000"


async def test_csv_names_the_store_of_portal_inquiries(client: httpx.AsyncClient) -> None:
    headers = await login(client)
    tag = uuid.uuid4().hex[:5]
    body = inquiry_body(email=f"store-{tag}@example.com", name=f"店舗{tag} 花子", phone="090-9")
    assert (await post_inquiry(client, body)).status_code == 202
    r = await client.get("/api/v1/inquiries.csv", params={"name": f"店舗{tag}"}, headers=headers)
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["店舗"] == "田町支店"  # from the gateway's StoreChanged event
    assert row["媒体"] == "ポータル（自動連携）"
    assert row["種別"] == "資料請求"


async def test_csv_opened_by_libreoffice_keeps_the_japanese_text(client, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Issue 4: the download, opened by a real spreadsheet program and converted back."""
    headers = await login(client)
    tag = uuid.uuid4().hex[:5]
    body = _staff_inquiry(
        customer={
            "name": f"表計算{tag} 髙橋",
            "name_kana": "ヒョウケイサン タカハシ",
            "phone": "0312345678",  # digits only, as portals and staff often send them
            "email": None,
        },
        property={"code": "0608190", "name": "スーム戸建 高輪", "address": "東京都港区高輪"},
        message='改行\nと、カンマ, と"引用"と①㈱ｶﾀｶﾅ',
    )
    assert (await client.post("/api/v1/inquiries", json=body, headers=headers)).status_code == 202
    r = await client.get("/api/v1/inquiries.csv", params={"name": f"表計算{tag}"}, headers=headers)
    expected = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))
    cells = await spreadsheet_cells(r.content, tmp_path)
    assert cells[0] == expected[0]
    row = dict(zip(cells[0], cells[1], strict=True))
    # The leading zeros stay: LibreOffice (as Excel) made 0312345678 the number 312345678.
    assert (row["電話番号"], row["物件コード"]) == ("0312345678", "0608190")
    assert expected[1][expected[0].index("電話番号")] == '="0312345678"'  # the kit's Text rule
    shown = [c[2:-1] if c.startswith('="') else c for c in expected[1]]
    assert cells[1] == shown  # every column, the message with its newline and quotes
