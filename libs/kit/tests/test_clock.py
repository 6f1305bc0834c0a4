"""Japan's date, whatever the machine's zone: CI runs in UTC, where the dates differ from
15:00 to 24:00."""

from datetime import UTC, date, datetime, timedelta

import time_machine
from kit import clock


def test_today_is_japans_date_at_2330_utc() -> None:
    with time_machine.travel(datetime(2026, 12, 1, 23, 30, tzinfo=UTC), tick=False):
        assert datetime.now(UTC).date() == date(2026, 12, 1)  # the machine's (UTC) date
        assert clock.today() == date(2026, 12, 2)
        assert clock.now() == datetime(2026, 12, 2, 8, 30, tzinfo=clock.JST)
        assert clock.now().utcoffset() == timedelta(hours=9)


def test_local_shows_a_moment_in_japan_time() -> None:
    moment = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
    assert clock.local(moment).isoformat() == "2026-12-02T00:00:00+09:00"
