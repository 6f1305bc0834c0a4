"""CUS-8 on a real PostgreSQL: a Shift_JIS CSV as Japanese Excel saves it, checked row by
row; re-running changes nothing; overwrite; bad files write nothing; .xlsx template."""

import asyncio
import io
import json
import uuid

import pytest
import xlsxwriter

from .conftest import Service, profile

pytestmark = [pytest.mark.database]
HEADER = ("お客様番号,姓,名,セイ,メイ,電話番号1,電話番号2,メールアドレス,生年月日,性別,郵便番号,"
          "住所,流入経路,顧客属性,売主・買主,物件種別,希望エリア,希望価格上限(万円),担当者メールアドレス")  # fmt: skip
AGENT = uuid.uuid4()
ROWS = [
    # 2: full row; an address with a comma, full-width digits and hyphens in the phone
    ",山田,太郎,ヤマダ,タロウ,０９０－１１１１－２２２２,03-1234-5678,taro@example.com,1980/4/1,男性,"
    '105-0023,"芝浦1-1-1, スームマンション101",ホームページ,,買主,マンション,"港区、品川区",8000,agent@demo.example',
    # 3: a quoted field with a line break inside (顧客属性 on two lines); the whole address
    # with its postal code (the town is not put in front of it a second time)
    ",佐藤,花子,サトウ,ハナコ,080-2222-3333,,hanako@example.com,,女性,105-0023,東京都港区芝浦2-2-2,,"
    '"車椅子\r\nお子様連れ",,,,,',
    # 4: a bad optional field (birth date): the required data is imported, the rest reported
    ",鈴木,一郎,スズキ,イチロウ,090-4444-5555,,ichiro@example.com,1980-13-45,,,,,,,,,,",
    # 5: an unknown agent fails the row
    ",高橋,健太,タカハシ,ケンタ,090-6666-7777,,kenta@example.com,,,,,,,,,,,nobody@demo.example",
    # 6: an email already registered → 既に登録済み
    ",山田,二郎,ヤマダ,ジロウ,090-8888-9999,,already@example.com,,,,,,,,,,,",
    # 7: no email (required)
    ",伊藤,翔,イトウ,ショウ,090-0000-1111,,,,,,,,,,,,,",
]


def sjis_csv(rows: list[str] = ROWS) -> bytes:
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode("cp932")


async def _upload(
    service: Service,
    content: bytes,
    filename: str = "顧客.csv",
    agents: dict | None = None,
    headers: dict | None = None,
):  # type: ignore[no-untyped-def]
    files = {"file": (filename, content, "text/csv")}
    data = {
        "agents": json.dumps(agents if agents is not None else {"agent@demo.example": str(AGENT)})
    }
    headers = headers or service.headers()
    return await service.client.post("/imports", files=files, data=data, headers=headers)


async def _finished(service: Service, job_id: str, headers: dict | None = None) -> dict:
    async with asyncio.timeout(30):
        while True:
            job = (await service.get(f"/imports/{job_id}", headers=headers)).json()
            if job["status"] in ("finished", "failed"):
                return job
            await asyncio.sleep(0.05)


async def _by_email(service: Service, email: str) -> dict | None:
    items = (await service.get("/customers", params={"email": email})).json()["items"]
    return (await service.get(f"/customers/{items[0]['id']}")).json() if items else None


async def test_shift_jis_csv_from_japanese_excel_row_by_row(service: Service) -> None:
    existing = await service.post(
        "/customers", profile(emails=["already@example.com"], phones=["0311112222"])
    )
    assert existing.status_code == 201
    r = await _upload(service, sjis_csv())
    assert r.status_code == 202, r.text
    job = await _finished(service, r.json()["id"])
    assert job["status"] == "finished"
    assert (job["total"], job["done"]) == (6, 6)
    assert (job["imported"], job["failed"], job["duplicates"]) == (3, 2, 1)

    taro = await _by_email(service, "taro@example.com")
    assert taro is not None and taro["name"] == "山田 太郎" and taro["name_kana"] == "ヤマダ タロウ"
    assert taro["phones"] == ["090-1111-2222", "03-1234-5678"]
    assert taro["birth_date"] == "1980-04-01" and taro["gender"] == "male"
    assert taro["assignee_id"] == str(AGENT)
    [home] = taro["addresses"]
    assert (home["prefecture"], home["city"], home["street"]) == (
        "東京都",
        "港区",
        "芝浦1-1-1, スームマンション101",
    )
    assert taro["desired_conditions"] == {
        "areas": [{"city": "港区"}, {"city": "品川区"}], "price_max_yen": 80_000_000,
    }  # fmt: skip
    assert (taro["side"], taro["property_type"], taro["origin"]) == ("buyer", "mansion", "import")
    hanako = await _by_email(service, "hanako@example.com")
    assert hanako is not None and hanako["attributes"] == ["車椅子", "お子様連れ"]
    [home] = hanako["addresses"]
    assert (home["postal_code"], home["prefecture"], home["city"], home["street"]) == (
        "1050023", "東京都", "港区", "芝浦2-2-2",
    )  # fmt: skip
    ichiro = await _by_email(service, "ichiro@example.com")
    assert (
        ichiro is not None
        and ichiro["birth_date"] is None
        and ichiro["phones"] == ["090-4444-5555"]
    )
    assert await _by_email(service, "kenta@example.com") is None
    already = await _by_email(service, "already@example.com")
    assert already is not None and already["name"] == "山田 太郎"  # not overwritten yet

    # Each imported customer tells booking, like a registration: one event each, no more.
    changed = {e["customer_id"]: e for e in await service.events("customer.profile_changed.v1")}
    assert sorted(changed) == sorted(
        [existing.json()["id"], taro["id"], hanako["id"], ichiro["id"]]
    )
    assert (changed[taro["id"]]["name"], changed[taro["id"]]["name_kana"]) == (
        "山田 太郎",
        "ヤマダ タロウ",
    )
    # The chunk is one trace: its events carry its context to booking.
    traces = await service.scalar(
        "SELECT count(DISTINCT split_part(headers->>'traceparent', '-', 2)) FROM outbox "
        "WHERE envelope->'payload'->>'customer_id' = ANY(:ids)",
        ids=[taro["id"], hanako["id"], ichiro["id"]],
    )
    assert traces == 1

    errors = {e["row"]: e["reason"] for e in job["report"]["errors"]}
    assert "生年月日" in errors[4]
    assert "nobody@demo.example" in errors[5] and "見つかりません" in errors[5]
    assert "メールアドレスは必須です" in errors[7]
    assert [d["row"] for d in job["report"]["duplicates"]] == [6]
    report = (await service.get(f"/imports/{job['id']}/errors.csv")).content
    assert report.startswith(b"\xef\xbb\xbf")  # BOM: Japanese Excel opens it as UTF-8
    lines = report.decode("utf-8-sig").splitlines()
    assert lines[0] == "行,氏名,メールアドレス,エラー内容" and lines[2].startswith(
        "5,高橋 健太,kenta@example.com"
    )

    # The same file again changes nothing: every importable row is now 既に登録済み.
    count = await service.scalar("SELECT count(*) FROM customers")
    again = await _finished(service, (await _upload(service, sjis_csv())).json()["id"])
    assert (again["imported"], again["duplicates"], again["failed"]) == (0, 4, 2)
    assert await service.scalar("SELECT count(*) FROM customers") == count
    assert len(await service.events("customer.profile_changed.v1")) == len(changed)

    # 上書きする: the first job's duplicate replaces the registered profile, as a job.
    r = await service.post(f"/imports/{job['id']}/overwrite")
    assert r.status_code == 202 and r.json() == {"overwriting": 1}
    done = await _finished(service, job["id"])
    assert (done["duplicates"], done["imported"], done["report"]["overwritten"]) == (
        0, job["imported"] + 1, 1,
    )  # fmt: skip
    already = await _by_email(service, "already@example.com")
    assert already is not None and already["name"] == "山田 二郎"
    again = await service.post(f"/imports/{job['id']}/overwrite")
    assert again.status_code == 409 and "ありません" in again.json()["detail"]["message"]


async def test_the_import_is_for_admins_only(service: Service) -> None:
    """一括登録 is the admin's (docs/permissions.md): a 一般 user is refused before the file is
    read, and no job is made."""
    files = {"file": ("a.csv", sjis_csv(ROWS[:1]), "text/csv")}
    data = {"agents": json.dumps({"agent@demo.example": str(AGENT)})}
    r = await service.client.post(
        "/imports", files=files, data=data, headers=service.headers(role="general")
    )
    assert r.status_code == 403 and "管理者のみ" in r.json()["detail"]["message"]
    assert await service.scalar("SELECT count(*) FROM customer_import_jobs") == 0


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("empty.csv", b"", "ファイルが空です"),
        ("junk.csv", bytes(range(256)) * 10, "CSVファイルとして読み取れません"),
        (
            "quote.csv",
            (HEADER + '\r\n,山田,"太郎\r\n').encode("cp932"),
            "CSVの形式が正しくありません",
        ),
        ("wide.csv", (HEADER + "\r\n" + ",山田" + ",x" * 30 + "\r\n").encode(), "列の数"),
        ("header-only.csv", HEADER.encode("cp932"), "取り込むデータがありません"),
        ("fake.xlsx", b"PK\x03\x04 not really a workbook", "Excelファイル"),
        # A CSV is streamed up to 512 MB; an .xlsx is read whole, up to 20 MB.
        ("huge.xlsx", b"PK" * (10 * 1024 * 1024 + 1), "Excelファイルが大きすぎます"),
        ("one-cell.csv", b"a" * (3 * 1024 * 1024), "CSVの形式が正しくありません"),
    ],
)
async def test_unreadable_files_are_refused_and_nothing_is_written(
    service: Service, filename: str, content: bytes, message: str
) -> None:
    r = await _upload(service, content, filename=filename)
    assert r.status_code == 422, r.text
    assert message in r.json()["detail"]["message"]
    assert await service.scalar("SELECT count(*) FROM customer_import_jobs") == 0
    assert await service.scalar("SELECT count(*) FROM customers") == 0


async def test_template_download_and_xlsx_import(service: Service) -> None:
    r = await service.get("/imports/template.xlsx")
    assert r.status_code == 200 and r.content.startswith(b"PK")
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for col, label in enumerate(HEADER.split(",")):
        sheet.write(0, col, label)
    sheet.write_row(
        1, 0, ["", "中村", "陽菜", "ナカムラ", "ヒナ", "09012121212", "", "hina@example.com"]
    )
    book.close()
    job = await _finished(
        service, (await _upload(service, buffer.getvalue(), filename="顧客.xlsx")).json()["id"]
    )
    assert (job["imported"], job["failed"]) == (1, 0)
    hina = await _by_email(service, "hina@example.com")
    assert hina is not None and hina["phones"] == ["090-1212-1212"]


async def test_the_templates_example_row_is_skipped_and_reported_in_xlsx_and_csv(
    service: Service,
) -> None:
    from python_calamine import CalamineWorkbook

    template = (await service.get("/imports/template.xlsx")).content
    sent_back = await _finished(
        service, (await _upload(service, template, filename="顧客.xlsx")).json()["id"]
    )
    assert (sent_back["total"], sent_back["imported"], sent_back["failed"]) == (1, 0, 0)
    [skipped] = sent_back["report"]["skipped"]
    assert sent_back["report"]["skipped_total"] == 1
    assert skipped["row"] == 2 and skipped["reason"].startswith(
        "記入例の行のため取り込みませんでした"
    )
    assert await _by_email(service, "taro@example.com") is None

    # Saved as CSV from Excel, with a customer typed below the example: only that one.
    header, example = (
        CalamineWorkbook.from_filelike(io.BytesIO(template)).get_sheet_by_index(0).to_python()
    )
    assert example[0] == "記入例"
    mine = ["", "中島", "美咲", "ナカジマ", "ミサキ", "090-3434-3434", "", "misaki@example.com",
            "", "", "105-0023", "東京都港区芝浦3-3-3"] + [""] * 7  # fmt: skip
    lines = [",".join(str(c) for c in row) for row in (header, example, mine)]
    job = await _finished(
        service, (await _upload(service, "\r\n".join(lines).encode("cp932"))).json()["id"]
    )
    assert (job["total"], job["imported"], job["report"]["skipped_total"]) == (2, 1, 1)
    assert await _by_email(service, "taro@example.com") is None
    misaki = await _by_email(service, "misaki@example.com")
    assert misaki is not None
    [home] = misaki["addresses"]
    assert (home["prefecture"], home["city"], home["street"]) == ("東京都", "港区", "芝浦3-3-3")

    # The example made a real row (its mark cleared): its address is stored once, not twice.
    real = ",".join(["", *(str(c) for c in example[1:])])
    job = await _finished(
        service,
        (await _upload(service, "\r\n".join([lines[0], real]).encode("utf-8-sig"))).json()["id"],
    )
    assert (job["imported"], job["failed"]) == (1, 0), job
    taro = await _by_email(service, "taro@example.com")
    assert taro is not None
    [home] = taro["addresses"]
    assert (home["postal_code"], home["prefecture"], home["city"], home["street"]) == (
        "1050023", "東京都", "港区", "芝浦1-1-1",
    )  # fmt: skip


async def test_utf8_with_and_without_bom(service: Service) -> None:
    rows = [",小林,結衣,コバヤシ,ユイ,090-1313-1313,,yui@example.com,,,,,,,,,,,"]
    text = "\n".join([HEADER, *rows])
    for content in (text.encode("utf-8"), text.encode("utf-8-sig")):
        job = await _finished(service, (await _upload(service, content)).json()["id"])
        assert job["failed"] == 0
    yui = await _by_email(service, "yui@example.com")
    assert yui is not None and yui["name"] == "小林 結衣"


async def test_the_job_lists_its_first_errors_and_the_report_file_has_them_all(
    service: Service,
) -> None:
    bad = [f",山田,{n},,,,,,,,,,,,,,,," for n in range(150)]  # no email: each row fails
    job = await _finished(service, (await _upload(service, sjis_csv(bad + ROWS[1:2]))).json()["id"])
    assert (job["imported"], job["failed"]) == (1, 150)
    report = job["report"]
    assert (len(report["errors"]), report["errors_total"]) == (100, 150)
    assert [e["row"] for e in report["errors"]] == list(range(2, 102))  # in file order
    assert (report["duplicates"], report["duplicates_total"]) == ([], 0)
    lines = (await service.get(f"/imports/{job['id']}/errors.csv")).content.decode("utf-8-sig")
    assert len(lines.splitlines()) == 1 + 150


def _utf8_rows(count: int, *, given: str) -> bytes:
    rows = [f",上書{n},{given},ウワガキ,タロウ,090-5{n:03d}-0000,,over{n}@example.com,,,,,,,,,,,"
            for n in range(count)]  # fmt: skip
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode()


async def test_overwrite_runs_as_a_job_in_chunks(service: Service) -> None:
    """Thousands of 既に登録済み rows take minutes to overwrite: the worker does it chunk by
    chunk, with progress, instead of one HTTP request that would time out."""
    first = await _finished(
        service, (await _upload(service, _utf8_rows(450, given="一郎"))).json()["id"]
    )
    assert first["imported"] == 450
    job = await _finished(
        service, (await _upload(service, _utf8_rows(450, given="二郎"))).json()["id"]
    )
    assert (job["imported"], job["duplicates"]) == (0, 450)
    r = await service.post(f"/imports/{job['id']}/overwrite")
    assert r.status_code == 202 and r.json() == {"overwriting": 450}
    seen = set()
    async with asyncio.timeout(60):
        while (now := (await service.get(f"/imports/{job['id']}")).json())["status"] != "finished":
            seen.add(now["duplicates"])
            await asyncio.sleep(0.02)
    assert seen - {450} <= {250, 50}  # 200 a chunk: the client sees the count go down
    assert (now["duplicates"], now["imported"], now["failed"]) == (0, 450, 0)
    assert now["report"]["overwritten"] == 450
    for n in (0, 449):
        done = await _by_email(service, f"over{n}@example.com")
        assert done is not None and done["name"] == f"上書{n} 二郎"


async def test_an_identity_email_stays_taken_after_its_customer_changed_address(
    service: Service,
) -> None:
    """The first email keeps routing inquiries to its customer (名寄せ), so nobody else may
    register with it: a clear 409, and an import counts such a row 既に登録済み."""
    created = await service.post("/customers", profile(emails=["first@example.com"]))
    customer_id = created.json()["id"]
    moved = await service.put(f"/customers/{customer_id}", profile(emails=["later@example.com"]))
    assert moved.status_code == 204, moved.text
    taken = await service.post("/customers", profile(emails=["first@example.com"]))
    assert taken.status_code == 409 and taken.json()["detail"]["code"] == "email_taken"
    row = ",初回,花子,ショカイ,ハナコ,090-1212-0000,,first@example.com,,,,,,,,,,,"
    job = await _finished(
        service, (await _upload(service, (HEADER + "\r\n" + row + "\r\n").encode())).json()["id"]
    )
    assert (job["status"], job["imported"], job["duplicates"]) == ("finished", 0, 1)
    assert job["report"]["duplicates"][0]["customer_id"] == customer_id
