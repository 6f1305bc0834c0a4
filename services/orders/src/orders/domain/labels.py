"""Label data for the carriers' label software (送り状発行データ), pure: one row per order in
the carrier's fixed column order, the header row its template names, CP932 and CRLF.

- Yamato B2クラウド: the 42 columns of 「B2クラウド 送り状発行データレイアウト 入出力用」 (Yamato's
  new_exchange1.pdf, as its column list is quoted by the EC-CUBE B2 plugin and the
  yamato_b2_cloud gem; read through the search tool, not from the PDF itself). 送り状種別 0
  (発払), お客様管理番号 = our order number (the tracking import matches on it).
- Sagawa e飛伝Ⅱ: the 42 columns of its 標準取込みパターン (「【e飛伝Ⅱ 便種対応版】出荷データCSV入力
  項目レイアウト」 as quoted by several shops' exporters); addresses and names in 16-character
  fields, お客様管理ナンバー = our order number.

Every text is checked before a row is made: a character outside JIS X 0208 or a field over
the carrier's length is a problem of that order, reported; the file is never written with a
character replaced."""

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from orders.domain.jis import cp932_bytes, for_label, outside_jis


class Carrier(StrEnum):
    YAMATO_B2 = "yamato_b2"
    SAGAWA_EHIDEN = "sagawa_ehiden"


B2_HEADER = (
    "お客様管理番号", "送り状種別", "クール区分", "伝票番号", "出荷予定日", "お届け予定（指定）日",
    "配達時間帯", "お届け先コード", "お届け先電話番号", "お届け先電話番号枝番", "お届け先郵便番号",
    "お届け先住所", "お届け先住所（アパートマンション名）", "お届け先会社・部門名１",
    "お届け先会社・部門名２", "お届け先名", "お届け先名略称カナ", "敬称", "ご依頼主コード",
    "ご依頼主電話番号", "ご依頼主電話番号枝番", "ご依頼主郵便番号", "ご依頼主住所",
    "ご依頼主住所（アパートマンション名）", "ご依頼主名", "ご依頼主略称カナ", "品名コード１", "品名１",
    "品名コード２", "品名２", "荷扱い１", "荷扱い２", "記事", "コレクト代金引換額（税込）",
    "コレクト内消費税額等", "営業所止置き", "営業所コード", "発行枚数", "個数口枠の印字",
    "ご請求先顧客コード", "ご請求先分類コード", "運賃管理番号",
)  # fmt: skip

EHIDEN_HEADER = (
    "住所録コード", "お届け先電話番号", "お届け先郵便番号", "お届け先住所１（必須）", "お届け先住所２",
    "お届け先住所３", "お届け先名称１（必須）", "お届け先名称２", "お客様管理ナンバー", "お客様コード",
    "部署・担当者", "荷送人電話番号", "ご依頼主電話番号", "ご依頼主郵便番号", "ご依頼主住所１",
    "ご依頼主住所２", "ご依頼主名称１", "ご依頼主名称２", "荷姿コード", "品名１", "品名２", "品名３",
    "品名４", "品名５", "出荷個数", "便種（スピードで選択）", "便種（商品）", "配達日", "配達指定時間帯",
    "配達指定時間（時分）", "代引金額", "消費税", "決済種別", "保険金額", "保険金額印字", "指定シール①",
    "指定シール②", "指定シール③", "営業店止め", "ＳＲＣ区分", "営業店コード", "元着区分",
)  # fmt: skip

HEADERS = {Carrier.YAMATO_B2: B2_HEADER, Carrier.SAGAWA_EHIDEN: EHIDEN_HEADER}


@dataclass(frozen=True)
class Shipper:
    """ご依頼主: the tenant, as its labels name it."""

    name: str
    phone: str
    postal_code: str
    address: str
    yamato_billing_code: str = ""  # ご請求先顧客コード (10–12 digits)
    yamato_billing_class: str = ""  # ご請求先分類コード
    yamato_freight_number: str = "01"  # 運賃管理番号
    sagawa_customer_code: str = ""  # お客様コード


@dataclass(frozen=True)
class Parcel:
    order_number: int
    ships_on: date
    name: str
    phone: str
    postal_code: str
    prefecture: str
    address: str
    items: tuple[str, ...]  # product names with quantities, e.g. 「健康トニック×2」


@dataclass(frozen=True)
class Problem:
    order_number: int
    field: str  # the label's column
    message: str


def _split(text: str, limit_bytes: int, parts: int) -> list[str] | None:
    """The text cut into ``parts`` fields of at most ``limit_bytes`` CP932 bytes each (at a
    character), or None when it does not fit."""
    pieces, current = [], ""
    for char in text:
        if cp932_bytes(current + char) > limit_bytes:
            pieces.append(current)
            current = char
        else:
            current += char
    pieces.append(current)
    if len(pieces) > parts:
        return None
    return pieces + [""] * (parts - len(pieces))


@dataclass
class _Checked:
    order_number: int
    problems: list[Problem]

    def text(self, column: str, value: str, limit_bytes: int, parts: int = 1) -> list[str]:
        value = for_label(value.strip())
        bad = outside_jis(value)
        if bad:
            chars = "」「".join(bad)
            self.problems.append(Problem(self.order_number, column,
                                         f"{column}に送り状で使えない文字「{chars}」があります。"))  # fmt: skip
            return [""] * parts
        pieces = _split(value, limit_bytes, parts)
        if pieces is None:
            self.problems.append(Problem(self.order_number, column,
                                         f"{column}が長すぎます（全角{limit_bytes * parts // 2}文字まで）。"))  # fmt: skip
            return [""] * parts
        return pieces


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _hyphenated_postal(value: str) -> str:
    digits = _digits(value)
    return f"{digits[:3]}-{digits[3:]}" if len(digits) == 7 else value


def _required(checked: _Checked, column: str, value: str) -> None:
    if not value.strip():
        checked.problems.append(Problem(checked.order_number, column, f"{column}がありません。"))


def b2_row(parcel: Parcel, shipper: Shipper, problems: list[Problem]) -> list[str]:
    c = _Checked(parcel.order_number, problems)
    [address, building] = c.text("お届け先住所", parcel.prefecture + parcel.address, 64, 2)
    [name] = c.text("お届け先名", parcel.name, 32)
    [item1] = c.text("品名１", parcel.items[0] if parcel.items else "", 50)
    rest = "、".join(parcel.items[1:])
    [item2] = c.text("品名２", rest if cp932_bytes(rest) <= 50 else "ほか", 50)
    for column, value in (("お届け先電話番号", parcel.phone), ("お届け先郵便番号", parcel.postal_code),
                          ("品名１", item1)):  # fmt: skip
        _required(c, column, value)
    row = [""] * len(B2_HEADER)
    row[0], row[1] = str(parcel.order_number), "0"  # 送り状種別 0: 発払
    row[4] = parcel.ships_on.strftime("%Y/%m/%d")
    row[8], row[10] = parcel.phone.strip(), _hyphenated_postal(parcel.postal_code)
    row[11], row[12], row[15], row[17] = address, building, name, "様"
    row[19], row[21] = shipper.phone, _hyphenated_postal(shipper.postal_code)
    [row[22], row[23]] = c.text("ご依頼主住所", shipper.address, 64, 2)
    [row[24]] = c.text("ご依頼主名", shipper.name, 32)
    row[27], row[29] = item1, item2
    row[39], row[40], row[41] = (shipper.yamato_billing_code, shipper.yamato_billing_class,
                                 shipper.yamato_freight_number)  # fmt: skip
    return row


def ehiden_row(parcel: Parcel, shipper: Shipper, problems: list[Problem]) -> list[str]:
    c = _Checked(parcel.order_number, problems)
    row = [""] * len(EHIDEN_HEADER)
    row[1], row[2] = parcel.phone.strip(), _hyphenated_postal(parcel.postal_code)
    row[3:6] = c.text("お届け先住所", parcel.prefecture + parcel.address, 32, 3)
    row[6:8] = c.text("お届け先名称", parcel.name, 32, 2)
    for column, value in (
        ("お届け先電話番号", parcel.phone),
        ("お届け先郵便番号", parcel.postal_code),
    ):
        _required(c, column, value)
    row[8], row[9] = str(parcel.order_number), shipper.sagawa_customer_code
    row[12], row[13] = shipper.phone, _hyphenated_postal(shipper.postal_code)
    row[14:16] = c.text("ご依頼主住所", shipper.address, 32, 2)
    row[16:18] = c.text("ご依頼主名称", shipper.name, 32, 2)
    items = list(parcel.items[:5]) + [""] * (5 - min(len(parcel.items), 5))
    for i, item in enumerate(items):
        [row[19 + i]] = c.text(f"品名{'１２３４５'[i]}", item, 32)
    _required(c, "品名１", row[19])
    row[18], row[24] = "001", "1"  # 荷姿 箱類, one parcel
    row[41] = "1"  # 元着区分 1: 元払
    return row


ROWS = {Carrier.YAMATO_B2: b2_row, Carrier.SAGAWA_EHIDEN: ehiden_row}


def label_rows(
    carrier: Carrier, parcels: Sequence[Parcel], shipper: Shipper
) -> tuple[list[list[str]], list[Problem]]:
    """The rows of the parcels without problems, and every problem found."""
    rows, problems = [], []
    for parcel in parcels:
        found: list[Problem] = []
        row = ROWS[carrier](parcel, shipper, found)
        if found:
            problems.extend(found)
        else:
            rows.append(row)
    return rows, problems


def label_file(carrier: Carrier, rows: Sequence[Sequence[str]]) -> bytes:
    """The header and rows in CP932 with CRLF line ends; every cell was checked."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(HEADERS[carrier])
    writer.writerows(rows)
    return buffer.getvalue().encode("cp932")
