"""CUS-14 on a real PostgreSQL: the customer CSV (the list's search applied, every
column a Japanese user expects) and DM lists (宛名リスト) by region."""

import csv
import io
import uuid
from datetime import UTC, datetime

import pytest
from contracts import VisitScheduledV1

from .conftest import Service, profile

pytestmark = [pytest.mark.database]


async def _register(service: Service, **overrides: object) -> str:
    r = await service.post("/customers", profile(**overrides))
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _rows(content: bytes) -> list[dict[str, str]]:
    assert content.startswith("\ufeff".encode())  # BOM: Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


async def _export(service: Service, names: dict | None = None, **params: object):  # type: ignore[no-untyped-def]
    return await service.post("/customers/export.csv", json=names, params=params)


async def test_customer_csv_has_the_columns_a_japanese_user_expects(service: Service) -> None:
    rep = str(uuid.uuid4())
    saga = await _register(
        service,
        family_name="佐賀", given_name="太郎", family_kana="サガ", given_kana="タロウ",
        phones=["0952-11-2222", "090-3333-4444"], emails=["saga@example.com", "t@example.jp"],
        addresses=[{"kind": "home", "postal_code": "105-0023", "street": "1-1-1",
                    "building": "スームビル101"}],
        birth_date="1975-05-05", gender="male", customer_number="000123",
        attributes=["車椅子"], inflow_sources=["ホットペッパー", "Instagram"],
    )  # fmt: skip
    await service.client.patch(
        f"/customers/{saga}/follow-up", json={"assignee_id": rep}, headers=service.headers()
    )
    await service.put(f"/customers/{saga}/flags", {"caution": True, "caution_memo": "大声"})
    await service.publish(
        VisitScheduledV1(
            visit_id=uuid.uuid4(), kind="salon", customer_id=uuid.UUID(saga),
            store_id=uuid.uuid4(), starts_at=datetime(2026, 11, 24, 16, tzinfo=UTC),
            ends_at=datetime(2026, 11, 24, 17, tzinfo=UTC), status="visited",
            menu_id=uuid.uuid4(), menu_name="カット", staff_member_id=uuid.uuid4(),
            staff_member_name="佐藤",
        )
    )  # fmt: skip
    await service.settle()
    phone_only = await service.post(
        "/customers/phone-registrations", {"family_name": "デンワ", "phone": "080-5555-6666"}
    )
    assert phone_only.status_code == 201

    r = await _export(service, {"staff": {rep: "山田 花子"}}, sort="customer_number_asc")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert "filename*=UTF-8''" in r.headers["content-disposition"]
    assert b"\r\n" in r.content
    rows = {row["氏名"]: row for row in _rows(r.content)}
    assert set(rows) == {"佐賀 太郎", "デンワ"}
    row = rows["佐賀 太郎"]
    assert row["お客様番号"] == '="000123"'  # Excel keeps the zeros
    assert (row["フリガナ"], row["電話番号"], row["その他の電話番号"]) == (
        "サガ タロウ", "0952-11-2222", "090-3333-4444",
    )  # fmt: skip
    assert (row["メールアドレス"], row["その他のメールアドレス"]) == (
        "saga@example.com", "t@example.jp",
    )  # fmt: skip
    assert row["郵便番号"] == "105-0023"
    assert row["住所"] == "東京都港区芝浦1-1-1 スームビル101"
    assert (row["生年月日"], row["性別"], row["追客状況"]) == ("1975/05/05", "男性", "追客中")
    assert row["担当"] == "山田 花子"
    assert (row["来店回数"], row["予約回数"], row["キャンセル回数"]) == ("1", "1", "0")
    assert row["最終来店日"] == "2026/11/25"  # 01:00 in Japan
    assert row["最終利用メニュー"] == "カット"
    assert (row["要注意人物"], row["ブラックリスト"]) == ("○", "")
    assert row["流入経路"] == "ホットペッパー、Instagram" and row["顧客属性"] == "車椅子"
    assert "大声" not in r.content.decode("utf-8-sig")  # memos stay in the system
    # A phone registration's placeholder is no mail address.
    assert rows["デンワ"]["メールアドレス"] == "" and rows["デンワ"]["電話番号"] == "080-5555-6666"


async def test_customer_csv_applies_the_list_search_and_defuses_formulas(service: Service) -> None:
    await _register(service, family_name="=HYPERLINK(\"http://x\")", given_name="様",
                    emails=["f@example.com"], phones=["090-0000-0001"])  # fmt: skip
    await _register(service, family_name="佐賀", emails=["s@example.com"], phones=["090-0000-0002"])
    withdrawn = await _register(service, family_name="佐賀", given_name="退会",
                                emails=["w@example.com"], phones=["090-0000-0003"])  # fmt: skip
    assert (await service.post(f"/customers/{withdrawn}/withdrawal", {"reason": "転居"})).status_code == 204  # fmt: skip

    rows = _rows((await _export(service, q="佐賀")).content)
    assert [r["氏名"] for r in rows] == ["佐賀 太郎"]  # the withdrawn one only in its own list
    rows = _rows((await _export(service, withdrawn="true")).content)
    assert [(r["氏名"], r["退会理由"]) for r in rows] == [("佐賀 退会", "転居")]
    [hostile] = _rows((await _export(service, phone="090-0000-0001")).content)
    assert hostile["氏名"] == '\'=HYPERLINK("http://x") 様'
    bad = await _export(service, first_inquiry_from="2026-12-01", first_inquiry_to="2026-11-01")
    assert bad.status_code == 422 and "開始日" in bad.json()["detail"]["message"]


async def test_an_export_too_large_is_refused_before_it_starts(service: Service) -> None:
    for i in range(3):
        await _register(service, emails=[f"many{i}@example.com"], phones=[f"090-7777-000{i}"])
    service.runtime.settings.export_max_rows = 2  # type: ignore[attr-defined]
    r = await _export(service)
    assert r.status_code == 422
    assert (
        r.json()["detail"]["message"]
        == "CSVの書き出しは2件までです。検索条件を絞り込んでください。"
    )
    assert (await _export(service, email="many0@example.com")).status_code == 200


def _home(postal_code: str, street: str, kind: str = "home") -> dict:
    return {"kind": kind, "postal_code": postal_code, "street": street}


async def test_dm_list_by_region_only_reaches_mailable_customers(service: Service) -> None:
    async def add(name: str, addresses: list[dict], **extra: object) -> str:
        return await _register(service, family_name=name, given_name="様子",
                               emails=[f"{uuid.uuid4().hex[:8]}@example.com"],
                               phones=[f"090-{uuid.uuid4().int % 10**8:08d}"],
                               addresses=addresses, **extra)  # fmt: skip

    await add("港", [_home("105-0023", "1-1-1")])
    await add("横浜", [_home("231-0023", "2-3")])
    await add("町名だけ", [_home("105-0023", "")])  # 芝浦 without a 番地: no letter reaches it
    black = await add("黒", [_home("100-0001", "1-1")])
    await service.put(f"/customers/{black}/flags", {"blacklisted": True, "blacklist_memo": "x"})
    gone = await add("退会", [_home("100-0001", "1-2")])
    await service.post(f"/customers/{gone}/withdrawal", {"reason": "転居"})
    # Home without a 番地, office in 大阪: the DM goes to the office.
    await add("勤務先", [_home("100-0001", ""), _home("530-0001", "3-3", "office")])
    await add("ギフト", [_home("100-0001", "5-5", "gift")])  # a gift recipient is not them

    async def dm(**params: str) -> list[dict[str, str]]:
        r = await service.get("/customers/dm-list.csv", params=params)
        assert r.status_code == 200, r.text
        return _rows(r.content)

    everyone = await dm()
    assert [r["宛名"] for r in everyone] == ["港 様子 様", "横浜 様子 様", "勤務先 様子 様"]
    tokyo = await dm(prefecture="東京都")
    assert [r["宛名"] for r in tokyo] == ["港 様子 様"]
    [row] = tokyo
    assert (row["郵便番号"], row["都道府県"], row["住所1"], row["送付先"]) == (
        "〒105-0023", "東京都", "東京都港区芝浦1-1-1", "自宅",
    )  # fmt: skip
    assert [r["宛名"] for r in await dm(prefecture="神奈川県", city="横浜市")] == ["横浜 様子 様"]
    assert await dm(prefecture="神奈川県", city="川崎市") == []
    [osaka] = await dm(prefecture="大阪府")
    assert (osaka["宛名"], osaka["送付先"]) == ("勤務先 様子 様", "勤務先")
    # The list's search criteria apply too.
    assert [r["宛名"] for r in await dm(q="よこはま")] == []  # kana is ヤマダ in profile()
    assert [r["宛名"] for r in await dm(q="横浜")] == ["横浜 様子 様"]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"prefecture": "東京"}, "prefecture", "都道府県の指定が正しくありません。例: 東京都"),
        ({"city": "横浜市"}, "city", "市区町村で絞り込むときは都道府県も選んでください。"),
        ({"blacklisted": "true"}, "blacklisted",
         "DM宛名リストには退会済み・ブラックリストのお客様は含められません。"),
        ({"withdrawn": "true"}, "withdrawn",
         "DM宛名リストには退会済み・ブラックリストのお客様は含められません。"),
    ],
)  # fmt: skip
async def test_dm_list_refuses_what_it_cannot_answer_in_japanese(
    service: Service, params: dict, field: str, message: str
) -> None:
    r = await service.get("/customers/dm-list.csv", params=params)
    assert r.status_code == 422
    assert r.json()["detail"]["message"] == message and r.json()["detail"]["field"] == field


async def test_exports_stay_within_the_tenant(service: Service) -> None:
    await _register(service, addresses=[_home("105-0023", "1-1-1")])
    other = service.headers(tenant_id=uuid.uuid4())
    r = await service.client.post("/customers/export.csv", headers=other)
    assert r.status_code == 200 and _rows(r.content) == []
    r = await service.client.get("/customers/dm-list.csv", headers=other)
    assert r.status_code == 200 and _rows(r.content) == []
