"""Japan's clock. The users are in Japan: "today" is the date in Asia/Tokyo, whatever zone the
server (or CI, usually UTC) runs in; between 15:00 and 24:00 UTC the two dates differ."""

from datetime import UTC, date, datetime, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import PlainSerializer

JST = ZoneInfo("Asia/Tokyo")


def now() -> datetime:
    """The current moment, aware, in Japan time."""
    return datetime.now(JST)


def today() -> date:
    """Today's date in Japan."""
    return now().date()


def local(moment: datetime) -> datetime:
    """The same moment on Japan's clock; a naive value is taken as UTC (as stored)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(JST)


def japan_date(moment: datetime) -> date:
    """The date in Japan of an aware moment (an order placed at 23:30 UTC is tomorrow's)."""
    return local(moment).date()


JstDatetime = Annotated[
    datetime,
    PlainSerializer(lambda moment: local(moment).isoformat(), return_type=str, when_used="json"),
]
"""A response field: ``2026-12-12T11:00:00+09:00``, never ``…02:00:00Z``; what comes in may
carry any offset."""


class Clock:
    """The time a worker goes by: ``runtime.clock`` (the system's), which a test replaces by
    a :class:`ManualClock` to move time on (retry schedules of days in a second)."""

    def now(self) -> datetime:
        return now()


class ManualClock(Clock):
    """A clock that stands still until told: ``advance(timedelta(minutes=5))``."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or now()

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        self._now = self._now + delta
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = moment


SYSTEM = Clock()
