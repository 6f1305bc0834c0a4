"""What a customer may do to a reservation on the booking site by themselves (BKG-10): change
or cancel it until the store's N hours before its start — the same N that makes a staff
cancellation 直前キャンセル (``last_minute_cancel_hours``), so that a customer can never
cancel late without the store knowing. Later, the site says to call the store."""

from datetime import datetime, timedelta

from kit.errors import Conflict

from booking.domain.slots import local
from booking.domain.visits import HOLDING, VisitKind, VisitStatus

WEEKDAYS = "月火水木金土日"


class TooLate(Conflict):
    code = "too_late"


class NotChangeable(Conflict):
    code = "not_changeable"


def deadline(*, starts_at: datetime, hours: int) -> datetime:
    return starts_at - timedelta(hours=hours)


def changeable(*, kind: str, status: str, starts_at: datetime, now: datetime, hours: int) -> bool:
    return (
        kind == VisitKind.SALON.value
        and VisitStatus(status) in HOLDING
        and status != VisitStatus.VISITED.value
        and now < deadline(starts_at=starts_at, hours=hours)
    )


def check_changeable(
    *, kind: str, status: str, starts_at: datetime, now: datetime, hours: int
) -> None:
    if (
        kind != VisitKind.SALON.value
        or VisitStatus(status) not in HOLDING
        or status == VisitStatus.VISITED.value
    ):
        raise NotChangeable("このご予約は予約サイトから変更・キャンセルできません。")
    last = deadline(starts_at=starts_at, hours=hours)
    if now >= last:
        t = local(last)
        raise TooLate(
            f"ご予約の変更・キャンセルは{hours}時間前（{t:%Y/%m/%d}({WEEKDAYS[t.weekday()]}) "
            f"{t:%H:%M}）までです。お手数ですが、店舗へお電話でご連絡ください。"
        )
