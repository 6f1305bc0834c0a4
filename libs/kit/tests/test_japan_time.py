from datetime import UTC, datetime, timedelta, timezone

from kit.japan_time import JstDatetime, in_japan, japan_today
from pydantic import BaseModel


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


def test_today_is_japans_date() -> None:
    late_utc = datetime(2026, 12, 31, 16, 0, tzinfo=UTC)  # already 1 January in Tokyo
    assert japan_today(late_utc).isoformat() == "2027-01-01"
    assert in_japan(datetime(2026, 12, 31, 16, 0)).isoformat() == "2027-01-01T01:00:00+09:00"
