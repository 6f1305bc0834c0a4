"""Japan's date, whatever the machine's zone: CI runs in UTC, where the dates differ from
15:00 to 24:00."""

from datetime import UTC, date, datetime, timedelta, timezone

import time_machine
from kit import clock
from kit.clock import JstDatetime, japan_date, local
from pydantic import BaseModel


def test_today_is_japans_date_at_2330_utc() -> None:
    with time_machine.travel(datetime(2026, 12, 1, 23, 30, tzinfo=UTC), tick=False):
        assert datetime.now(UTC).date() == date(2026, 12, 1)  # the machine's (UTC) date
        assert clock.today() == date(2026, 12, 2)
        assert clock.now() == datetime(2026, 12, 2, 8, 30, tzinfo=clock.JST)
        assert clock.now().utcoffset() == timedelta(hours=9)


def test_local_shows_a_moment_in_japan_time() -> None:
    moment = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
    assert clock.local(moment).isoformat() == "2026-12-02T00:00:00+09:00"


class _Read(BaseModel):
    at: JstDatetime
    maybe: JstDatetime | None = None


def test_a_moment_goes_out_with_the_japan_offset() -> None:
    read = _Read(at=datetime(2026, 12, 12, 2, 0, tzinfo=UTC))
    assert read.model_dump(mode="json") == {"at": "2026-12-12T11:00:00+09:00", "maybe": None}
    other = datetime(2026, 12, 12, 3, 0, tzinfo=timezone(timedelta(hours=1)))
    assert _Read(at=other).model_dump_json() == '{"at":"2026-12-12T11:00:00+09:00","maybe":null}'


def test_python_mode_keeps_the_datetime() -> None:
    moment = datetime(2026, 12, 12, 2, 0, tzinfo=UTC)
    assert _Read(at=moment).model_dump()["at"] == moment


def test_a_moment_late_in_the_utc_day_is_already_tomorrow_in_japan() -> None:
    late_utc = datetime(2026, 12, 31, 16, 0, tzinfo=UTC)  # already 1 January in Tokyo
    assert japan_date(late_utc).isoformat() == "2027-01-01"
    assert local(datetime(2026, 12, 31, 16, 0)).isoformat() == "2027-01-01T01:00:00+09:00"
