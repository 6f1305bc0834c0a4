"""Japan's clock. The users are in Japan: "today" is the date in Asia/Tokyo, whatever zone the
server (or CI, usually UTC) runs in; between 15:00 and 24:00 UTC the two dates differ."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")


def now() -> datetime:
    """The current moment, aware, in Japan time."""
    return datetime.now(JST)


def today() -> date:
    """Today's date in Japan."""
    return now().date()


def local(moment: datetime) -> datetime:
    """An aware moment shown in Japan time."""
    return moment.astimezone(JST)


def japan_date(moment: datetime) -> date:
    """The date in Japan of an aware moment (an order placed at 23:30 UTC is tomorrow's)."""
    return local(moment).date()
