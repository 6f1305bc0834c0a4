"""Japanese notation for the web client (UI.md): dates in Japan time, 様, 円 and 万円."""

from datetime import datetime
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")
WEEKDAYS = "月火水木金土日"

FOLLOW_UP = {"following": "追客中", "stopped": "追客停止", "contracted": "成約"}
INQUIRY_KINDS = {
    "visit_reservation": "来場予約",
    "document_request": "資料請求",
    "question": "お問い合わせ",
    "other": "その他",
}
MEDIA = {"portal": "ポータル", "phone": "電話", "walk_in": "来店", "own_site": "自社サイト"}


def _parse(value: str | datetime | None) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.astimezone(JST)


def jdate(value: str | datetime | None) -> str:
    """2026/11/25(水)"""
    d = _parse(value)
    return f"{d:%Y/%m/%d}({WEEKDAYS[d.weekday()]})" if d else ""


def jdatetime(value: str | datetime | None) -> str:
    """2026/11/25(水) 10:00"""
    d = _parse(value)
    return f"{jdate(d)} {d:%H:%M}" if d else ""


def yen(value: int | None) -> str:
    return "" if value is None else f"{value:,}円"


def man_yen(value: int | None) -> str:
    """Real-estate prices: 70,000,000 → 7,000万円."""
    if value is None:
        return ""
    if value % 10_000 == 0:
        return f"{value // 10_000:,}万円"
    return f"{value / 10_000:,.1f}万円"


FILTERS = {
    "jdate": jdate,
    "jdatetime": jdatetime,
    "yen": yen,
    "man_yen": man_yen,
    "follow_up": lambda v: FOLLOW_UP.get(v, v),
    "inquiry_kind": lambda v: INQUIRY_KINDS.get(v, v),
    "medium": lambda v: MEDIA.get(v, v),
}
