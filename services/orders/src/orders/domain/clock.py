"""'Today' is Japan's date, whatever the machine's zone."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")


def japan_date(moment: datetime) -> date:
    return moment.astimezone(JST).date()
