"""The carrier's re-export of issued labels (B2クラウド's 発行済データ, the same layout with 伝票番号
filled in), read back, pure: the file decoded (UTF-8 or CP932, strictly: a file in another
encoding is refused, never guessed into mojibake), each row's order number, tracking number,
phone and postal code, and the problems of each row by its line number."""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass

MAX_ROWS = 20_000


class TrackingFileError(ValueError):
    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class TrackingRow:
    line: int  # the file's line number (the header is line 1)
    order_number: str
    tracking_number: str
    phone_digits: str
    postal_digits: str


COLUMNS = {  # what we read: the column names of the layout we wrote (domain.labels)
    "order_number": "お客様管理番号",
    "tracking_number": "伝票番号",
    "phone": "お届け先電話番号",
    "postal_code": "お届け先郵便番号",
}


BAD_ENCODING = ("ファイルの文字コードを読み取れません。B2クラウドから出力したCSV（Shift_JIS）を"
                "そのまま取り込んでください。")  # fmt: skip


def _text_like(text: str) -> bool:
    """No NUL, control or private-use characters: CP932 decodes nearly any bytes (0xFF
    included), so a UTF-16 file or a binary one would pass the decoding alone."""
    return not any(
        unicodedata.category(c) in ("Cc", "Co", "Cs") and c not in "\r\n\t" for c in text
    )


def decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _text_like(text):
            return text
    raise TrackingFileError(BAD_ENCODING, code="bad_encoding")


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def read(content: bytes) -> list[TrackingRow]:
    reader = csv.reader(io.StringIO(decode(content), newline=""))
    header = [cell.strip() for cell in next(reader, [])]
    missing = [name for name in COLUMNS.values() if name not in header]
    if missing:
        raise TrackingFileError(
            f"見出し行に「{'」「'.join(missing)}」がありません。B2クラウドの発行済データを"
            "見出し行付きで出力してください（文字コードが違う場合もこのように表示されます）。",
            code="unknown_layout",
        )  # fmt: skip
    at = {key: header.index(name) for key, name in COLUMNS.items()}
    rows = []
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) == MAX_ROWS:
            raise TrackingFileError(f"{MAX_ROWS:,}件までのファイルにしてください。",
                                    code="too_many_rows")  # fmt: skip

        def cell(key: str, cells: list[str] = cells) -> str:
            i = at[key]
            return cells[i].strip() if i < len(cells) else ""

        rows.append(TrackingRow(line, cell("order_number"), _digits(cell("tracking_number")),
                                _digits(cell("phone")), _digits(cell("postal_code"))))  # fmt: skip
    if not rows:
        raise TrackingFileError("取り込む行がありません。", code="empty_file")
    return rows
