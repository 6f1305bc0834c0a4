"""Japan time (Asia/Tokyo) for every service: "today" is Japan's date whatever the machine's
zone, and a moment leaves an API as ISO 8601 with the +09:00 offset (``JstDatetime``), the
way staff and partners read it; what comes in may carry any offset."""

from datetime import UTC, date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import PlainSerializer

JST = ZoneInfo("Asia/Tokyo")


def in_japan(moment: datetime) -> datetime:
    """The same moment on Japan's clock; a naive value is taken as UTC (as stored)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(JST)


def japan_today(now: datetime) -> date:
    return in_japan(now).date()


JstDatetime = Annotated[
    datetime,
    PlainSerializer(lambda moment: in_japan(moment).isoformat(), return_type=str, when_used="json"),
]
"""A response field: ``2026-12-12T11:00:00+09:00``, never ``…02:00:00Z``."""
