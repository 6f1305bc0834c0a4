"""CUS-14 through the gateway (embedded mode): the customer CSV with the names only the
gateway knows (担当, 店舗), the DM list by region, and the CSV opened by a real
spreadsheet program (LibreOffice) that shows the same Japanese text."""

import csv
import io
import re
import uuid

import httpx
import pytest

from tests.e2e.flows import eventually, inquiry_body, login, post_inquiry, spreadsheet_cells

pytestmark = [pytest.mark.e2e, pytest.mark.database]


def _rows(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def _records(content: bytes) -> list[dict[str, str]]:
    header, *rows = _rows(content)
    return [dict(zip(header, row, strict=True)) for row in rows]


async def _customer(client: httpx.AsyncClient, headers: dict, tag: str, **body: object) -> str:
    payload = {
        "family_name": f"書出{tag}", "given_name": "髙橋", "family_kana": "カキダシ",
        "given_kana": "タカハシ", "birth_date": "1980-04-01",
        "phones": [f"090-{uuid.uuid4().int % 10**4:04d}-{uuid.uuid4().int % 10**4:04d}"],
        "emails": [f"{tag}-{uuid.uuid4().hex[:4]}@example.com"], **body,
    }  # fmt: skip
    r = await client.post("/api/v1/customers", json=payload, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def test_customer_csv_names_rep_and_store_from_the_gateway(client: httpx.AsyncClient) -> None:
    headers = await login(client)
    me = (await client.get("/api/v1/me", headers=headers)).json()
    tag = uuid.uuid4().hex[:6]
    number = f"000{uuid.uuid4().int % 10**6:06d}"  # digits with leading zeros
    customer_id = await _customer(client, headers, tag, customer_number=number)
    r = await client.patch(
        f"/api/v1/customers/{customer_id}/follow-up", json={"assignee_id": me["user_id"]},
        headers=headers,
    )  # fmt: skip
    assert r.status_code == 204, r.text
    email = f"portal-{tag}@example.com"
    assert (await post_inquiry(client, inquiry_body(email=email, name=f"書出{tag} ポータル",
                                                    phone="090-1212-3434"))).status_code == 202  # fmt: skip
    await eventually(lambda: _export(client, headers, q=f"書出{tag}", expect=2))

    rows = {r["氏名"]: r for r in await _export(client, headers, q=f"書出{tag}", expect=2)}
    mine = rows[f"書出{tag} 髙橋"]
    assert mine["担当"] == me["display_name"]
    assert mine["お客様番号"] == f'="{number}"'
    assert rows[f"書出{tag} ポータル"]["店舗"] == "田町支店"  # the portal inquiry's store
    assert rows[f"書出{tag} ポータル"]["メールアドレス"] == email


async def _export(client, headers, *, expect: int, **params: str) -> list[dict] | None:  # type: ignore[no-untyped-def]
    r = await client.get("/api/v1/customers.csv", params=params, headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    records = _records(r.content)
    return records if len(records) == expect else None


async def test_dm_list_through_the_gateway(client: httpx.AsyncClient) -> None:
    headers = await login(client)
    tag = uuid.uuid4().hex[:6]
    home = {"kind": "home", "postal_code": "２３１－００２３", "street": "２－３",
            "building": "スームハイツ101"}  # fmt: skip
    await _customer(client, headers, tag, addresses=[home])
    await _customer(client, headers, tag, family_name=f"書出{tag}番地なし",
                    addresses=[{"kind": "home", "postal_code": "231-0023"}])  # fmt: skip
    r = await client.get(
        "/api/v1/customers/dm-list.csv",
        params={"q": f"書出{tag}", "prefecture": "神奈川県", "city": "横浜市"},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    assert "filename*=UTF-8''DM" in r.headers["content-disposition"]
    [row] = _records(r.content)
    assert row["郵便番号"] == "〒231-0023"
    assert row["住所1"] == "神奈川県横浜市中区山下町２－３" and row["住所2"] == "スームハイツ101"
    assert row["宛名"] == f"書出{tag} 髙橋 様"
    bad = await client.get(
        "/api/v1/customers/dm-list.csv", params={"prefecture": "神奈川"}, headers=headers
    )
    assert bad.status_code == 422
    assert bad.json()["detail"]["message"] == "都道府県の指定が正しくありません。例: 東京都"
    unauthenticated = await client.get("/api/v1/customers/dm-list.csv")
    assert unauthenticated.status_code == 401


async def test_customer_csv_opened_by_libreoffice_keeps_the_japanese_text(client, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The download, opened by a real spreadsheet program and converted back: every cell of
    every column as written — kanji variants, kana, the address, leading zeros, dates —
    and a name that looks like a formula stays text."""
    headers = await login(client)
    tag = uuid.uuid4().hex[:6]
    await _customer(
        client, headers, tag, customer_number="0012345",
        addresses=[{"kind": "home", "postal_code": "105-0023", "street": "1-1-1",
                    "building": "スームビル①"}],
        gender="female", attributes=["車椅子", "お子様連れ"], inflow_sources=["ホットペッパー"],
        line_name="たかはし☆",
    )  # fmt: skip
    await _customer(client, headers, tag, family_name="=1+2", given_name=f"書出{tag}")
    r = await client.get(
        "/api/v1/customers.csv", params={"q": tag, "sort": "kana_asc"}, headers=headers
    )
    assert r.status_code == 200
    written = _rows(r.content)
    assert len(written) == 3
    cells = await spreadsheet_cells(r.content, tmp_path)
    # What a user sees: ="0012345" shows as 0012345; everything else exactly as written.
    expected = [[re.sub(r'^="(.*)"$', r"\1", c) for c in row] for row in written]
    assert cells == expected
    shown = {row[1]: row for row in cells[1:]}
    assert shown[f"書出{tag} 髙橋"][0] == "0012345"
    assert f"'=1+2 書出{tag}" in shown  # text, not a formula that ran
