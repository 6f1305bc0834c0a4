"""Payment reconciliation (入金消込), pure: a bank-transfer file read and each transfer's
payer name put in the form orders are matched by.

The file format (documented in docs/orders.md): CSV, UTF-8 or CP932, a header row
「入金日,金額,振込依頼人名」, then one transfer a line: the date (2027-06-07, 2027/06/07 or
20270607), the amount in yen (digits, commas allowed), the payer's name as the bank gives it
(half-width kana, e.g. ｻｶﾞ ﾀﾛｳ). Any line of another shape refuses the file, with every such
line listed."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from kit.japanese import search_text

from orders.domain.tracking import TrackingFileError, decode

HEADER = ("入金日", "金額", "振込依頼人名")
MAX_ROWS = 20_000
# Bank names carry no small kana (全銀: ｯ is written ﾂ), and a 株式会社 is ｶ) or (ｶ: the
# same name either way once small kana are large and the legal-form marks are gone.
_SMALL = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")
_LEGAL_FORMS = re.compile(r"^\(?(カ|ユ|ド|シャ|ザイ|ガク)\)|\((カ|ユ|ド|シャ|ザイ|ガク)\)?$")
_KANA = re.compile(r"^[\u30a0-\u30ff\uff61-\uff9f\s()（）.\-ー]+$")


class BankFileError(TrackingFileError):
    def __init__(self, message: str, *, code: str, errors: list[dict[str, str]] | None = None):
        super().__init__(message, code=code)
        self.errors = errors or []


@dataclass(frozen=True)
class Transfer:
    line: int
    paid_on: date
    amount_yen: int
    payer: str  # as written
    payer_key: str  # matching form


def payer_key(name: str) -> str:
    """A payer's kana name in the form both sides are compared in."""
    text = search_text(name).upper().translate(_SMALL)
    return _LEGAL_FORMS.sub("", text).replace("ー", "")


def _day(text: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _problem(line: int, message: str) -> dict[str, str]:
    return {"code": "bad_row", "field": f"rows.{line}", "message": f"{line}行目: {message}"}


def read(content: bytes) -> list[Transfer]:
    try:
        text = decode(content)
    except TrackingFileError as exc:
        raise BankFileError(exc.message.replace("B2クラウドから出力した", "銀行の"),
                            code=exc.code) from None  # fmt: skip
    reader = csv.reader(io.StringIO(text, newline=""))
    header = tuple(cell.strip() for cell in next(reader, []))
    if header != HEADER:
        raise BankFileError(
            f"見出し行は「{','.join(HEADER)}」にしてください。", code="unknown_layout"
        )
    transfers, problems = [], []
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != 3:
            problems.append(
                _problem(line, f"列の数が{len(cells)}です（入金日・金額・振込依頼人名の3列）。")
            )
            continue
        day, amount, payer = (c.strip() for c in cells)
        paid_on = _day(day)
        digits = amount.replace(",", "")
        if paid_on is None:
            problems.append(_problem(line, f"入金日「{day}」が日付ではありません。"))
        elif not digits.isdigit() or not 0 < int(digits) <= 100_000_000:
            problems.append(_problem(line, f"金額「{amount}」が正しくありません。"))
        elif not payer or not _KANA.match(payer):
            problems.append(_problem(line, f"振込依頼人名「{payer}」がカナではありません。"))
        else:
            transfers.append(Transfer(line, paid_on, int(digits), payer, payer_key(payer)))
        if len(transfers) + len(problems) > MAX_ROWS:
            raise BankFileError(
                f"{MAX_ROWS:,}件までのファイルにしてください。", code="too_many_rows"
            )
    if problems:
        raise BankFileError(f"{len(problems)}行が入金データの形式ではありません。何も取り込んでいません。",
                            code="bank_rows_refused", errors=problems)  # fmt: skip
    if not transfers:
        raise BankFileError("取り込む行がありません。", code="empty_file")
    return transfers
