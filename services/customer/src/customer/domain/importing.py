"""CUS-8 bulk import, the parts without I/O: reading the file (CSV in UTF-8 with or without
BOM or CP932, or .xlsx), the template's columns, and one row → a profile plus the problems
of its optional fields (seed 004: those keep the required data and are reported).

A CSV is read as a stream (``iter_rows`` over a file object): a million rows pass through in
memory a block at a time. An .xlsx is read whole (its zip holds the sheet as one XML part),
so it keeps a smaller limit."""

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, BinaryIO

from charset_normalizer import from_bytes
from kit import clock

from customer.domain.errors import ProfileError
from customer.domain.profile import (
    Address,
    ProfileInput,
    build_profile,
    kana,
    parse_email,
    parse_phone,
)
from customer.domain.wishes import from_legacy

MAX_BYTES = 512 * 1024 * 1024  # a CSV: streamed (a million full rows take ~250 MB)
MAX_XLSX_BYTES = 20 * 1024 * 1024  # an .xlsx: read whole
MAX_ROWS = 1_000_000
MAX_CELL = 2_000
BLOCK = 1024 * 1024  # bytes read at a time

# The template's columns, in order (header row of 顧客情報テンプレート.xlsx).
COLUMNS: list[tuple[str, str]] = [
    ("customer_number", "お客様番号"),
    ("family_name", "姓"),
    ("given_name", "名"),
    ("family_kana", "セイ"),
    ("given_kana", "メイ"),
    ("phone1", "電話番号1"),
    ("phone2", "電話番号2"),
    ("email", "メールアドレス"),
    ("birth_date", "生年月日"),
    ("gender", "性別"),
    ("postal_code", "郵便番号"),
    ("address", "住所"),
    ("inflow_sources", "流入経路"),
    ("attributes", "顧客属性"),
    ("side", "売主・買主"),
    ("property_type", "物件種別"),
    ("desired_areas", "希望エリア"),
    ("desired_price_max", "希望価格上限(万円)"),
    ("agent_email", "担当者メールアドレス"),
]
REQUIRED = ("family_name", "email")
# The template's example row (2行目) says 「記入例」 in お客様番号: offices fill the template
# below it and send it back with it still there. Such a row is not a customer: it is skipped
# and listed as skipped (a real customer typed over it, marker left, is seen there).
EXAMPLE_MARK = "記入例"
EXAMPLE_SKIPPED = (
    "記入例の行のため取り込みませんでした。登録する場合はお客様番号の「記入例」を消してください。"
)
GENDERS = {"男性": "male", "男": "male", "女性": "female", "女": "female", "その他": "other"}
SIDES = {"買主": "buyer", "売主": "seller"}
PROPERTY_TYPES = {"マンション": "mansion", "戸建て": "house", "戸建": "house", "土地": "land"}


class FileRefused(ProfileError):
    """The file as a whole cannot be read; nothing is imported."""


@dataclass(frozen=True)
class ParsedRow:
    line: int  # row number in the file as the user sees it (header = 1)
    name: str
    email: str | None
    email_key: str | None
    profile: Any | None  # customer.domain.profile.Profile when the required data is valid
    agent_email: str | None
    error: str | None = None  # the row fails as a whole
    warnings: list[str] = field(default_factory=list)  # optional fields left out
    skipped: str | None = None  # not a customer's row (the template's example): why


def decode(content: bytes) -> str:
    """Strict UTF-8 (BOM or not), then CP932 (Japanese Excel), then charset-normalizer."""
    encoding = detect_encoding(io.BytesIO(content))
    return content.decode(encoding)


def detect_encoding(file: BinaryIO) -> str:
    """The file's encoding, read a block at a time: strict UTF-8 (BOM or not), then CP932
    (Japanese Excel), then what charset-normalizer makes of its first block. The file is
    left at its start."""
    file.seek(0)
    first = file.read(BLOCK)
    if not first.strip():
        raise FileRefused("ファイルが空です。")
    candidates = ["utf-8-sig", "cp932"]
    decoders = {name: codecs.getincrementaldecoder(name)() for name in candidates}
    block = first
    while block:
        if b"\x00" in block:
            raise FileRefused("CSVファイルとして読み取れません。ファイルの形式を確認してください。")
        for name in list(candidates):
            try:
                decoders[name].decode(block)
            except UnicodeDecodeError:
                candidates.remove(name)
        block = file.read(BLOCK)
    for name in list(candidates):
        try:
            decoders[name].decode(b"", final=True)
        except UnicodeDecodeError:
            candidates.remove(name)
    file.seek(0)
    if candidates:
        return candidates[0]
    best = from_bytes(first).best()
    if best is None or best.encoding is None:
        raise FileRefused("文字コードを判別できません。UTF-8 で保存し直してください。")
    return best.encoding


def read_rows(*, filename: str, content: bytes) -> list[tuple[str, ...]]:
    """Every data row of a file held in memory (``iter_rows`` for a file object)."""
    return list(iter_rows(filename=filename, file=io.BytesIO(content)))


def iter_rows(*, filename: str, file: BinaryIO) -> Iterator[tuple[str, ...]]:
    """Data rows (header skipped), each padded or checked against the template's width, as
    the file is read. A problem of the file as a whole raises FileRefused when it is met (the
    caller writes the rows in one transaction: a refusal at the last row writes nothing).
    Tuples: left alone by the garbage collector's full passes."""
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(0)
    if filename.lower().endswith(".xlsx"):
        if size > MAX_XLSX_BYTES:
            raise FileRefused(
                f"Excelファイルが大きすぎます（上限 {MAX_XLSX_BYTES // 1024 // 1024}MB）。"
                "大きなファイルはCSVで取り込んでください。"
            )
        rows: Iterator[list[str]] = iter(_xlsx_rows(file.read()))
    else:
        if size > MAX_BYTES:
            raise FileRefused(f"ファイルが大きすぎます（上限 {MAX_BYTES // 1024 // 1024}MB）。")
        rows = _csv_rows(file, detect_encoding(file))
    if next(rows, None) is None:  # the header
        raise FileRefused("取り込むデータがありません。2行目以降にお客様の情報を入力してください。")
    width = len(COLUMNS)
    count = 0
    for number, row in enumerate(rows, start=2):
        count += 1
        if count > MAX_ROWS:
            raise FileRefused(f"一度に取り込めるのは{MAX_ROWS:,}件までです。")
        if len(row) > width and any(c.strip() for c in row[width:]):
            raise FileRefused(f"{number}行目の列の数がテンプレートと合いません（{width}列）。")
        if any(len(c) > MAX_CELL for c in row):
            raise FileRefused(f"{number}行目に長すぎる値があります。")
        yield tuple((row + [""] * width)[:width])
    if count == 0:
        raise FileRefused("取り込むデータがありません。2行目以降にお客様の情報を入力してください。")


def _csv_rows(file: BinaryIO, encoding: str) -> Iterator[list[str]]:
    text = io.TextIOWrapper(file, encoding=encoding, newline="")
    try:
        # strict: an unbalanced quote is an error, not a row that swallows the rest of the file.
        for row in csv.reader(text, strict=True):
            if row:
                yield row
    except csv.Error as exc:
        raise FileRefused(f"CSVの形式が正しくありません（{exc}）。") from None
    except UnicodeDecodeError:  # past the block charset-normalizer judged by
        raise FileRefused("文字コードを判別できません。UTF-8 で保存し直してください。") from None
    finally:
        text.detach()  # the file stays the caller's


def _xlsx_rows(content: bytes) -> list[list[str]]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheet = book.get_sheet_by_index(0)
        return [[_cell(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
    except Exception:  # calamine raises several kinds for a file that is not a workbook
        raise FileRefused("Excelファイル（.xlsx）として読み取れません。") from None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def parse_rows(rows: Sequence[Sequence[str]], *, first_line: int) -> list[ParsedRow]:
    """Consecutive rows from ``first_line`` on: what an import's parser process is given
    (module level, so that a process pool can call it by name; ParsedRow pickles)."""
    return [parse_row(values, line=first_line + n) for n, values in enumerate(rows)]


def parse_row(values: Sequence[str], *, line: int) -> ParsedRow:
    raw = dict(zip((key for key, _ in COLUMNS), (v.strip() for v in values), strict=True))
    name = " ".join(p for p in (raw["family_name"], raw["given_name"]) if p)
    agent = raw["agent_email"] or None
    email = raw["email"] or None
    if unicodedata.normalize("NFKC", raw["customer_number"]).strip("【】[]") == EXAMPLE_MARK:
        return ParsedRow(line, name, email, None, None, agent, skipped=EXAMPLE_SKIPPED)
    missing = [label for key, label in COLUMNS if key in REQUIRED and not raw[key]]
    if missing:
        return ParsedRow(
            line, name, email, None, None, agent, error=f"{'・'.join(missing)}は必須です。"
        )
    try:
        parsed_email = parse_email(raw["email"])
    except ProfileError as exc:
        return ParsedRow(line, name, email, None, None, agent, error=exc.message)
    warnings: list[str] = []
    optional = _optional(raw, warnings)
    try:
        profile = build_profile(
            ProfileInput(
                family_name=raw["family_name"],
                given_name=raw["given_name"] or None,
                emails=[parsed_email.email],
                customer_number=raw["customer_number"] or None,
                **optional,
            ),
            required=(),
        )
    except ProfileError as exc:  # the name columns themselves are unusable
        return ParsedRow(line, name, email, None, None, agent, error=exc.message)
    return ParsedRow(line, profile.name, email, parsed_email.key, profile, agent, None, warnings)


def _optional(raw: dict[str, str], warnings: list[str]) -> dict[str, Any]:
    """Each optional column on its own: a bad value is left out and reported."""
    out: dict[str, Any] = {}

    def attempt(label: str, fn: Any) -> None:
        try:
            fn()
        except (ProfileError, ValueError, KeyError):
            warnings.append(f"{label}の値が正しくないため取り込みませんでした。")

    for key in ("family_kana", "given_kana"):
        if raw[key]:
            attempt(dict(COLUMNS)[key], lambda k=key: _kana(raw[k], out, k))
    phones = [raw[k] for k in ("phone1", "phone2") if raw[k]]
    for number in phones:
        # The parsed Phone goes on to build_profile, which keeps it as it is (parsed once).
        attempt("電話番号", lambda n=number: out.setdefault("phones", []).append(parse_phone(n)))
    if raw["birth_date"]:
        attempt("生年月日", lambda: out.__setitem__("birth_date", _date(raw["birth_date"])))
    if raw["gender"]:
        attempt("性別", lambda: out.__setitem__("gender", GENDERS[raw["gender"]]))
    if raw["side"]:
        attempt("売主・買主", lambda: out.__setitem__("side", SIDES[raw["side"]]))
    if raw["property_type"]:
        attempt(
            "物件種別",
            lambda: out.__setitem__("property_type", PROPERTY_TYPES[raw["property_type"]]),
        )
    if raw["postal_code"] or raw["address"]:
        attempt("郵便番号", lambda: out.__setitem__("addresses", [_address(raw)]))
    if raw["inflow_sources"]:
        out["inflow_sources"] = _list(raw["inflow_sources"])
    if raw["attributes"]:
        out["attributes"] = _list(raw["attributes"])
    if raw["desired_areas"] or raw["desired_price_max"]:
        attempt("希望条件", lambda: out.__setitem__("desired_conditions", _desired(raw)))
    return out


def _kana(value: str, out: dict[str, Any], key: str) -> None:
    kana(value, field_name=key)  # the profile's own rule; build_profile normalises it later
    out[key] = value


def _date(value: str) -> date:
    text = unicodedata.normalize("NFKC", value).replace("/", "-").replace(".", "-")
    parsed = date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
    if parsed > clock.today() or parsed.year < 1900:
        raise ValueError(value)
    return parsed


def _address(raw: dict[str, str]) -> Address:
    code = re.sub(r"\D", "", unicodedata.normalize("NFKC", raw["postal_code"]))
    if raw["postal_code"] and len(code) != 7:
        raise ValueError(raw["postal_code"])
    return Address(kind="home", postal_code=code or None, street=raw["address"] or None)


def _list(value: str) -> list[str]:
    return [
        p.strip()
        for p in re.split(r"[、,/／\n]", unicodedata.normalize("NFKC", value))
        if p.strip()
    ]


def _desired(raw: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if raw["desired_areas"]:
        out["areas"] = _list(raw["desired_areas"])
    if raw["desired_price_max"]:
        man = int(unicodedata.normalize("NFKC", raw["desired_price_max"]).replace(",", ""))
        if man <= 0:
            raise ValueError(man)
        out["price_max_yen"] = man * 10_000
    return from_legacy(out) or {}
