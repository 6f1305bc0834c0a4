"""What the inquiry list shows and the CSV carries (INQ-4): one definition for both."""

from dataclasses import dataclass
from datetime import date, datetime

from contracts.inquiry import INQUIRY_KIND_LABELS
from kit.clock import JST
from kit.excel_csv import Text

KIND_LABELS = INQUIRY_KIND_LABELS
CSV_HEADER = (
    "受付日時", "媒体", "種別", "店舗", "お客様名", "フリガナ", "メールアドレス", "電話番号",
    "住所", "物件コード", "物件名", "物件所在地", "価格（円）", "来場希望日時", "来場希望終了",
    "お問い合わせ内容", "反響ID",
)  # fmt: skip


@dataclass(frozen=True)
class InquiryFilter:
    medium: str | None = None
    kind: str | None = None
    property_text: str | None = None  # normalised code or name fragment
    contact_text: str | None = None  # normalised name / kana fragment
    received_from: date | None = None  # Japan dates, inclusive
    received_to: date | None = None
    customer_id: object | None = None
    store_id: object | None = None

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """The date range as instants: a Japanese user's 'to 11/25' includes all of 11/25."""
        start = (
            datetime.combine(self.received_from, datetime.min.time(), JST)
            if self.received_from
            else None
        )
        end = (
            datetime.combine(self.received_to, datetime.max.time(), JST)
            if self.received_to
            else None
        )
        return start, end


def _jst(value: datetime | None) -> str:
    return value.astimezone(JST).strftime("%Y/%m/%d %H:%M") if value else ""


def csv_row(row: object, *, medium_name: str, store_name: str) -> list[str]:
    """Phones and property codes as :class:`Text`: Excel keeps their leading zeros."""
    contact = getattr(row, "contact", None) or {}
    prop = getattr(row, "property", None) or {}
    price = prop.get("price_yen")
    return [
        _jst(row.received_at),  # type: ignore[attr-defined]
        medium_name,
        KIND_LABELS.get(row.kind, row.kind),  # type: ignore[attr-defined]
        store_name,
        contact.get("name") or "",
        contact.get("name_kana") or "",
        contact.get("email") or "",
        Text(contact.get("phone") or ""),
        contact.get("address") or "",
        Text(prop.get("code") or ""),
        prop.get("name") or "",
        prop.get("address") or "",
        "" if price is None else str(price),
        _jst(row.requested_visit_starts_at),  # type: ignore[attr-defined]
        _jst(row.requested_visit_ends_at),  # type: ignore[attr-defined]
        row.message or "",  # type: ignore[attr-defined]
        str(row.id),  # type: ignore[attr-defined]
    ]
