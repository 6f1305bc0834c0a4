"""The CSV that Japanese Excel opens: BOM, CRLF, chunks; formulas defused, zeros kept."""

import csv
import io

from kit.excel_csv import CHUNK_BYTES, Text, cell, excel_csv


async def _rows(rows: list[list[object]]):  # type: ignore[no-untyped-def]
    for row in rows:
        yield row


async def _collect(header: list[str], rows: list[list[object]]) -> list[bytes]:
    return [chunk async for chunk in excel_csv(header, _rows(rows))]


async def test_bom_crlf_and_quoting_of_japanese_text() -> None:
    chunks = await _collect(["氏名", "メモ"], [["佐賀 太郎", '改行\nと、カンマ, と"引用"']])
    data = b"".join(chunks)
    assert data.startswith("\ufeff".encode())
    assert data.count(b"\r\n") == 2  # the newline inside the quoted cell stays \n
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows == [["氏名", "メモ"], ["佐賀 太郎", '改行\nと、カンマ, と"引用"']]


async def test_large_exports_come_in_chunks() -> None:
    rows = [[f"お客様{i:06d}", "東京都港区芝浦1-1-1"] for i in range(20_000)]
    chunks = await _collect(["氏名", "住所"], rows)
    assert len(chunks) > 2
    assert all(len(c) < CHUNK_BYTES * 4 for c in chunks)  # UTF-8: ≤ 3 bytes per character
    decoded = b"".join(chunks).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(decoded, newline="")))) == 20_001


def test_cells_that_would_run_as_formulas_are_defused() -> None:
    assert cell('=HYPERLINK("http://example.com","x")') == '\'=HYPERLINK("http://example.com","x")'
    for start in ("+81-90", "-1+1", "@SUM(A1)", "\tx", "\rx"):
        assert cell(start).startswith("'")
    assert cell("山田 太郎") == "山田 太郎"
    assert cell("090-1234-5678") == "090-1234-5678"


def test_codes_keep_their_leading_zeros_and_values_their_form() -> None:
    assert cell(Text("0123")) == '="0123"'
    assert cell(Text("123456789012")) == '="123456789012"'  # beyond Excel's exact digits
    assert cell(Text("C00000001")) == "C00000001"
    assert cell(Text("12345")) == "12345"
    assert cell("0123") == "0123"  # only codes marked as Text are guarded
    assert cell(None) == "" and cell(3) == "3"
    assert cell(True) == "○" and cell(False) == ""
