"""CUS-14 exports as plain data: the customer CSV's columns and the DM list's (宛名リスト),
the region of a DM list, and the rules of what may be written. No I/O.

Not written on purpose: the caution and blacklist memos, alerts and karte notes (karte
notes hold allergies and illnesses, 要配慮個人情報; a spreadsheet travels further than the
system), and the placeholder address of a phone registration (it is no address)."""

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from kit.clock import JST
from kit.excel_csv import Text
from kit.japanese import PREFECTURES

from customer.domain.errors import SearchError
from customer.domain.model import FOLLOW_UP_LABELS
from customer.domain.normalize import email_key
from customer.domain.profile import is_placeholder
from customer.domain.search import SearchCriteria

# The addresses that are the customer's own (a gift recipient's is not).
OWN_ADDRESS_KINDS = ("home", "office")

CUSTOMER_HEADER = (
    "お客様番号", "氏名", "フリガナ", "電話番号", "その他の電話番号", "メールアドレス",
    "その他のメールアドレス", "郵便番号", "住所", "生年月日", "性別", "追客状況", "担当", "店舗",
    "初回反響日", "登録日", "予約回数", "来店回数", "キャンセル回数", "最終来店日",
    "最終利用メニュー", "要注意人物", "ブラックリスト", "LINE名", "流入経路", "顧客属性",
    "売主・買主", "物件種別", "退会日", "退会理由",
)  # fmt: skip
DM_HEADER = ("お客様番号", "郵便番号", "都道府県", "住所1", "住所2", "宛名", "送付先")
_GENDER = {"male": "男性", "female": "女性", "other": "その他"}
_SIDE = {"buyer": "買主", "seller": "売主"}
_PROPERTY_TYPE = {"mansion": "マンション", "house": "戸建て", "land": "土地"}
_ADDRESS_KIND = {"home": "自宅", "office": "勤務先"}


@dataclass(frozen=True)
class AddressParts:
    kind: str
    postal_code: str | None
    prefecture: str | None
    city: str | None
    street: str | None
    building: str | None


@dataclass(frozen=True)
class ExportRecord:
    """One customer as the export reads it: the row, its contacts, its own address."""

    customer: Any  # the customer's columns (attribute access)
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    address: AddressParts | None = None


@dataclass(frozen=True)
class Directory:
    """Names the customer service does not own: staff (the gateway's accounts), stores."""

    staff: dict[str, str] = field(default_factory=dict)
    stores: dict[str, str] = field(default_factory=dict)


# The longest order period a DM list reads (注文日): three years, so a typo (2016 for 2026)
# is said rather than answered with a decade of customers.
MAX_ORDER_SPAN_DAYS = 3 * 366
MAX_PRODUCTS = 20
PRODUCT_MATCHES = ("any", "all")


@dataclass(frozen=True)
class Region:
    """DM lists by region — of the address the DM is sent to (the customer's own, home
    first): one or more prefectures, or one prefecture with the start of a city (「横浜市」
    covers 横浜市中区 and the other wards) — and by purchase: orders that stand (not
    cancelled or returned) placed in the period (Japan days), with any or all of the
    products (their names as the orders events carried them, compared as product_key)."""

    prefectures: tuple[str, ...] = ()
    city: str | None = None
    ordered_from: date | None = None
    ordered_to: date | None = None
    products: tuple[str, ...] = ()  # product keys
    product_match: str = "any"

    @property
    def prefecture(self) -> str | None:
        """The one prefecture (for the file name), if a single one was asked for."""
        return self.prefectures[0] if len(self.prefectures) == 1 else None

    @property
    def by_purchase(self) -> bool:
        return bool(self.ordered_from or self.products)


def product_key(name: str) -> str:
    """A product name as lists compare it: NFKC (full/half width), spaces of any width
    removed, lower case — 「ｻﾌﾟﾘ　A」 and 「サプリA」 are one product."""
    text = unicodedata.normalize("NFKC", name or "")
    return "".join(text.split()).lower()


def region(
    *,
    prefecture: str | list[str] | None,
    city: str | None,
    ordered_from: date | None = None,
    ordered_to: date | None = None,
    products: list[str] | None = None,
    product_match: str | None = None,
    today: date | None = None,
) -> Region:
    """Every mistake at once (each with its field), in Japanese."""
    errors: list[dict[str, str]] = []

    def bad(message: str, field: str, code: str = "invalid") -> None:
        errors.append({"code": code, "message": message, "field": field})

    raw = [prefecture] if isinstance(prefecture, str) else list(prefecture or [])
    prefs: list[str] = []
    for value in raw:
        pref = unicodedata.normalize("NFKC", value or "").strip()
        if not pref:
            continue
        if pref not in PREFECTURES:
            bad("都道府県の指定が正しくありません。例: 東京都", "prefecture")
        elif pref not in prefs:
            prefs.append(pref)
    town = unicodedata.normalize("NFKC", city or "").replace(" ", "").strip() or None
    if town is not None and not prefs:
        bad("市区町村で絞り込むときは都道府県も選んでください。", "city")
    elif town is not None and len(prefs) > 1:
        bad("市区町村で絞り込むときは都道府県を1つだけ選んでください。", "city")
    if ordered_to is not None and ordered_from is None:
        bad("注文日の開始日を入力してください。", "ordered_from")
    if ordered_from is not None:
        end = ordered_to or today or ordered_from
        if end < ordered_from:
            for name in ("ordered_from", "ordered_to"):
                bad("注文日の終了日は開始日以降の日付にしてください。", name, "reversed_range")
        elif (end - ordered_from).days >= MAX_ORDER_SPAN_DAYS:
            for name in ("ordered_from", "ordered_to"):
                bad("注文日の期間は3年以内で指定してください。", name, "range_too_long")
    keys: list[str] = []
    for name in products or []:
        key = product_key(name)
        if key and key not in keys:
            keys.append(key)
    if len(keys) > MAX_PRODUCTS:
        bad(f"商品は{MAX_PRODUCTS}件まで指定できます。", "product")
    match = product_match or "any"
    if match not in PRODUCT_MATCHES:
        bad("商品の条件は「いずれか」か「すべて」を選んでください。", "product_match")
    if errors:
        raise SearchError(errors[0]["message"], code=errors[0]["code"],
                          field=errors[0]["field"], errors=errors)  # fmt: skip
    return Region(
        prefectures=tuple(prefs), city=town, ordered_from=ordered_from,
        ordered_to=(ordered_to or today) if ordered_from else None,
        products=tuple(keys), product_match=match,
    )  # fmt: skip


def check_dm_criteria(criteria: SearchCriteria) -> None:
    """A DM list never reaches withdrawn or blacklisted customers; asking for them is a
    mistake worth saying rather than an empty file."""
    if criteria.withdrawn or criteria.blacklisted:
        raise SearchError(
            "DM宛名リストには退会済み・ブラックリストのお客様は含められません。",
            field="withdrawn" if criteria.withdrawn else "blacklisted",
        )


def check_size(count: int, *, max_rows: int, label: str) -> None:
    """An export longer than ``max_rows`` is refused before it starts, never cut off."""
    if count > max_rows:
        raise SearchError(
            f"{label}は{max_rows:,}件までです。検索条件を絞り込んでください。",
            code="export_too_large",
        )


def customer_row(record: ExportRecord, *, names: Directory) -> list[object]:
    c = record.customer
    emails = [e for e in record.emails if not is_placeholder(email_key(e) or "")]
    a = record.address
    return [
        Text(c.customer_number or ""),
        c.name,
        c.name_kana or "",
        Text(record.phones[0]) if record.phones else "",
        "、".join(record.phones[1:]),
        emails[0] if emails else "",
        "、".join(emails[1:]),
        postal(a.postal_code) if a else "",
        street_address(a, with_building=True) if a else "",
        _day(c.birth_date),
        _GENDER.get(c.gender or "", ""),
        FOLLOW_UP_LABELS.get(c.follow_up_status, c.follow_up_status),
        names.staff.get(str(c.assignee_id), "") if c.assignee_id else "",
        names.stores.get(str(c.store_id), "") if c.store_id else "",
        _day(c.first_inquiry_at),
        _day(c.created_at),
        c.reservation_count,
        c.visit_count,
        c.cancel_count,
        _day(c.last_visit_at),
        c.last_menu_name or "",
        bool(c.caution),
        bool(c.blacklisted),
        c.line_name or "",
        "、".join(c.inflow_sources or []),
        "、".join(c.attributes or []),
        _SIDE.get(c.side or "", ""),
        _PROPERTY_TYPE.get(c.property_type or "", ""),
        _day(c.withdrawn_at),
        c.withdrawal_reason or "",
    ]


def dm_row(record: ExportRecord) -> list[object]:
    """宛名: 〒, the address in two lines (as labels print it) and 「氏名 様」."""
    c, a = record.customer, record.address
    assert a is not None  # the DM query joins a mailable address
    return [
        Text(c.customer_number or ""),
        f"〒{postal(a.postal_code)}",
        a.prefecture or "",
        street_address(a, with_building=False),
        a.building or "",
        f"{c.name} 様",
        _ADDRESS_KIND.get(a.kind, ""),
    ]


def postal(code: str | None) -> str:
    """1050023 → 105-0023 (also keeps Excel from making it a number)."""
    if not code:
        return ""
    return f"{code[:3]}-{code[3:]}" if len(code) == 7 else code


def street_address(a: AddressParts, *, with_building: bool) -> str:
    line = f"{a.prefecture or ''}{a.city or ''}{a.street or ''}"
    if with_building and a.building:
        line = f"{line} {a.building}"
    return line


def _day(value: date | datetime | None) -> str:
    """2026/11/25, in Japan time for instants."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(JST).date()
    return value.strftime("%Y/%m/%d")
