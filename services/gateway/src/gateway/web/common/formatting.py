"""Japanese notation for the web client (UI.md): dates in Japan time, 様, 円 and 万円; the
filters of the one template environment (every area's templates use them)."""

from datetime import date, datetime

from contracts.booking import VISIT_KIND_LABELS, VISIT_STATUS_LABELS
from contracts.inquiry import INQUIRY_KIND_LABELS
from contracts.listings import PROPERTY_KIND_LABELS
from kit import clock
from kit.clock import JST

WEEKDAYS = "月火水木金土日"

FOLLOW_UP = {"following": "追客中", "stopped": "追客停止", "contracted": "成約"}
INQUIRY_KINDS = INQUIRY_KIND_LABELS
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


def jst(value: str | datetime) -> datetime:
    """A service's instant (an ISO string, or a client model's datetime) in Japan time."""
    return (datetime.fromisoformat(value) if isinstance(value, str) else value).astimezone(JST)


def _day(value: str | date) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def day_label(day: date) -> str:
    """2026/12/12(土): a calendar day, no time zone involved."""
    return f"{day:%Y/%m/%d}({WEEKDAYS[day.weekday()]})"


def minutes_label(minutes: int) -> str:
    """所要時間: 90 → 1時間30分, 60 → 60分 (salon menus are read in minutes up to an hour)."""
    if minutes <= 60:
        return f"{minutes}分"
    hours, rest = divmod(minutes, 60)
    return f"{hours}時間{rest}分" if rest else f"{hours}時間"


def relative_day(value: str | datetime | None, *, today: date | None = None) -> str:
    """今日 / 昨日 / 3日前 / 明日 / 5日後, by calendar days in Japan time."""
    d = _parse(value)
    if d is None:
        return ""
    days = (d.date() - (today or clock.today())).days
    named = {0: "今日", -1: "昨日", 1: "明日"}
    if days in named:
        return named[days]
    return f"{-days}日前" if days < 0 else f"{days}日後"


def yen(value: int | None) -> str:
    return "" if value is None else f"{value:,}円"


def man_yen(value: int | None) -> str:
    """Real-estate prices: 70,000,000 → 7,000万円."""
    if value is None:
        return ""
    if value % 10_000 == 0:
        return f"{value // 10_000:,}万円"
    return f"{value / 10_000:,.1f}万円"


# Customer master labels (issue 5).
LABELS = {
    "visit_status": VISIT_STATUS_LABELS,
    "visit_kind": VISIT_KIND_LABELS,
    "gender": {"male": "男性", "female": "女性", "other": "その他"},
    "side": {"buyer": "買主", "seller": "売主"},
    "property_type": {"mansion": "マンション", "house": "戸建て", "land": "土地"},
    "phone_kind": {"mobile": "携帯", "landline": "固定", "other": "その他"},
    "address_kind": {"home": "自宅", "office": "勤務先", "gift": "ギフト送付先"},
}  # fmt: skip


# The parts of a profile the customer's history names (names only, never the values).
PROFILE_PARTS = {
    "family_name": "姓", "given_name": "名", "family_kana": "セイ", "given_kana": "メイ",
    "birth_date": "生年月日", "gender": "性別", "customer_number": "お客様番号",
    "line_name": "LINE名", "line_icon_url": "LINEアイコン", "attributes": "顧客属性",
    "inflow_sources": "流入経路", "side": "売主・買主", "property_type": "物件種別",
    "desired_conditions": "希望条件", "owned_property": "所有物件",
    "proposal_delivery": "提案メールの配信設定", "newsletter_opt_in": "メールマガジン",
    "dm_opt_out": "郵送DM",
    "phones": "電話番号", "emails": "メールアドレス", "addresses": "住所", "store_id": "所属店舗",
}  # fmt: skip


def profile_parts(value: str | None) -> str:
    """「line_name,phones」 → 「LINE名、電話番号」."""
    return "、".join(PROFILE_PARTS.get(p, p) for p in (value or "").split(",") if p)


def _label(kind: str):  # type: ignore[no-untyped-def]
    return lambda v: LABELS[kind].get(v, v or "")


# What a hot lead's timeline shows (the leads service's activity kinds).
ACTIVITY_KINDS = {"inquiry": "反響", "visit": "来場・来店の予約", "order": "ご注文",
                  "follow_up": "追客状況の変更"}  # fmt: skip

FILTERS = {
    "jdate": jdate,
    "jdatetime": jdatetime,
    "jdatetime_s": lambda v: f"{jdatetime(v)}:{jst(v):%S}" if v else "",  # a webhook's attempts
    "relative_day": relative_day,
    "yen": yen,
    "man_yen": man_yen,
    "follow_up": lambda v: FOLLOW_UP.get(v, v),
    "inquiry_kind": lambda v: INQUIRY_KINDS.get(v, v),
    "medium": lambda v: MEDIA.get(v, v),
    **{kind: _label(kind) for kind in LABELS},
    # 予約
    "booking_status": lambda v: VISIT_STATUS_LABELS.get(v, v),
    "jtime": lambda v: f"{jst(v):%H:%M}",  # 10:00, Japan time
    "jday": lambda v: jst(v).date().isoformat(),  # for links and date inputs
    "jdate_only": lambda v: day_label(_day(v)),
    "jmonthday": lambda v: day_label(_day(v))[5:],  # 12/16(水): week columns
    "minutes": minutes_label,
    "activity_kind": lambda v: ACTIVITY_KINDS.get(v, "その他"),
    "property_kind": lambda v: PROPERTY_KIND_LABELS.get(v, ""),
    "profile_parts": profile_parts,
    "jmonthday_time": lambda v: f"{jdate(v)[5:]} {jst(v):%H:%M}" if v else "",  # 12/12(土) 11:00
}
