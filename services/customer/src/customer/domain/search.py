"""CUS-3 search criteria (seed 003 simple and advanced search) checked and normalised.
No I/O; the repository turns them into one SQL query."""

import re
import unicodedata
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from uuid import UUID

from kit.clock import JST
from kit.japanese import search_text

from customer.domain.errors import SearchError
from customer.domain.model import VISIT_STATUSES
from customer.domain.normalize import email_key, phone_digits

MIN_NAME_CHARS = 2  # a one-character fragment matches too much to be useful (and is slow)
MAX_PER_PAGE = 100
# Totals above this are shown as 「1,000件以上」: counting a huge result exactly would read it
# all on every page (seed 000 shows totals like 「220件中」; nobody pages 50 pages deep).
COUNT_CAP = 1_000
MAX_COUNT = 100_000  # of visits, cancels or days: more than any customer can have
SORTS = {
    "first_inquiry_desc",
    "created_desc",
    "created_asc",
    "kana_asc",
    "last_visit_desc",
    "visit_count_desc",
    "customer_number_asc",
}


@dataclass(frozen=True)
class Range:
    """Inclusive bounds; either may be missing."""

    low: object = None
    high: object = None

    @property
    def empty(self) -> bool:
        return self.low is None and self.high is None


@dataclass(frozen=True)
class SearchCriteria:
    text: str | None = None  # name, kana or LINE name (normalised); 2 chars: prefix match
    email_key: str | None = None
    phone_digits: str | None = None
    customer_number: str | None = None
    follow_up_status: str | None = None
    assignee_id: UUID | None = None
    assigned: bool | None = None
    first_inquiry: Range = Range()  # datetimes (JST day bounds)
    registered: Range = Range()
    reservation_date: Range = Range()
    last_visit: Range = Range()
    reservation_status: str | None = None
    cancel_count: Range = Range()
    reservation_count: Range = Range()
    visit_count: Range = Range()
    frequency_days: int | None = None  # average ≥ frequency_visits visits per frequency_days
    frequency_visits: int | None = None
    last_minute_cancel: bool | None = None
    line_linked: bool | None = None
    caution: bool | None = None
    blacklisted: bool | None = None
    phone_registration: bool | None = None
    withdrawn: bool = False  # the withdrawn list is separate (seed 003 退会顧客)
    menu_id: UUID | None = None  # メニュー: reserved or used it (a visit not cancelled)
    staff_member_id: UUID | None = None  # スタッフ: a visit with them, not cancelled
    last_menu_id: UUID | None = None  # 最終利用メニュー: the latest visited salon visit's
    sort: str = "first_inquiry_desc"

    def active(self) -> list[str]:
        default = SearchCriteria()
        return [f.name for f in fields(self) if getattr(self, f.name) != getattr(default, f.name)]


def day_range(low: date | None, high: date | None, *, label: str) -> Range:
    """A range of calendar days in Japan time as [start of low, start of the day after high)."""
    if low and high and low > high:
        raise SearchError(f"{label}の開始日は終了日以前の日付を指定してください。")
    start = datetime.combine(low, time(), JST) if low else None
    end = datetime.combine(high + timedelta(days=1), time(), JST) if high else None
    return Range(start, end)


def count_range(low: int | None, high: int | None, *, label: str) -> Range:
    for value in (low, high):
        if value is not None and not 0 <= value <= MAX_COUNT:
            raise SearchError(f"{label}は0以上の数で入力してください。")
    if low is not None and high is not None and low > high:
        raise SearchError(f"{label}は左側に小さい数、右側に大きい数を入力してください。")
    return Range(low, high)


def name_fragment(q: str | None) -> str | None:
    text = search_text(q) or None
    if text is not None and len(text) < MIN_NAME_CHARS:
        raise SearchError(
            f"お名前は{MIN_NAME_CHARS}文字以上で入力してください。", code="query_too_short"
        )
    return text


def phone_fragment(phone: str | None) -> str | None:
    if not phone:
        return None
    digits = phone_digits(phone)
    if not digits:
        raise SearchError("電話番号は数字で入力してください。例: 090-1234-5678", field="phone")
    return digits


def email_fragment(email: str | None) -> str | None:
    return email_key(email)


def check_status(value: str | None) -> str | None:
    if value and value not in VISIT_STATUSES:
        raise SearchError("予約ステータスの値が正しくありません。", field="reservation_status")
    return value or None


def check_sort(value: str | None) -> str:
    if value and value not in SORTS:
        raise SearchError("並び順の指定が正しくありません。", field="sort")
    return value or "first_inquiry_desc"


def check_frequency(days: int | None, visits: int | None) -> tuple[int | None, int | None]:
    if days is None and visits is None:
        return None, None
    if not days or not visits or days < 1 or visits < 1:
        raise SearchError("平均来店頻度は「〇日に〇回以上」の両方を1以上で入力してください。")
    if days > MAX_COUNT or visits > MAX_COUNT:  # past it the SQL's integers overflow
        raise SearchError(f"平均来店頻度は{MAX_COUNT:,}以下の数で入力してください。")
    return days, visits


def check_id(value: str | None, *, field: str, label: str) -> UUID | None:
    """Ids chosen from a list (menus, staff members): anything else is a mistake to say."""
    if not value:
        return None
    try:
        return UUID(value.strip())
    except ValueError:
        raise SearchError(f"{label}の指定が正しくありません。一覧から選んでください。",
                          field=field) from None  # fmt: skip


# What an operator types for a phone number: digits with any hyphen, dash or long-vowel
# mark a Japanese keyboard produces, spaces, brackets, a leading +.
_PHONE_LIKE = re.compile(r"\+?[0-9()\-‐‑‒–—―−ー\s]+")
MIN_PHONE_DIGITS = 4
# A phone term of exactly this many digits is the end of a number (「下4桁」, CUS-3).
LAST_DIGITS = 4
MAX_TERM = 100


@dataclass(frozen=True)
class Lookup:
    """One reading of the customer monitor's input (seed 002: 電話番号、顧客名で検索)."""

    matched_by: str  # "phone" | "customer_number" | "name"
    criteria: SearchCriteria


def lookup(term: str | None) -> list[Lookup]:
    """The readings of what an operator typed, most specific first: any phone number (any
    width, with or without hyphens), else a customer number (a DM reply card shows it),
    else a name, kana or LINE name. The first reading with matches wins."""
    text = unicodedata.normalize("NFKC", term or "").strip()
    if not text:
        raise SearchError("電話番号またはお名前を入力してください。", field="term")
    if len(text) > MAX_TERM:
        raise SearchError(f"{MAX_TERM}文字以内で入力してください。", field="term")
    readings = []
    if _PHONE_LIKE.fullmatch(text) and len(re.sub(r"\D", "", text)) >= MIN_PHONE_DIGITS:
        readings.append(Lookup("phone", SearchCriteria(phone_digits=phone_fragment(text))))
    if re.search(r"\d", text) and " " not in text:
        readings.append(Lookup("customer_number", SearchCriteria(customer_number=text)))
    if not readings or not _PHONE_LIKE.fullmatch(text):
        try:
            readings.append(
                Lookup("name", SearchCriteria(text=name_fragment(text), sort="kana_asc"))
            )
        except SearchError:
            if not readings:
                raise
    return readings
