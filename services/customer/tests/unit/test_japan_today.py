"""Birth dates are judged against today in Japan, not the server's (UTC) date: at 23:30 UTC
on 1 December it is already 2 December in Japan, and a baby born that day can be registered."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from customer.domain.errors import ProfileError
from customer.domain.importing import COLUMNS, parse_row
from customer.domain.profile import ProfileInput, build_profile

LATE_UTC = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)  # 2026-12-02 08:30 in Japan


def _row(**values: str) -> list[str]:
    return [values.get(key, "") for key, _ in COLUMNS]


def test_import_accepts_a_birth_date_of_today_in_japan_at_2330_utc() -> None:
    with time_machine.travel(LATE_UTC, tick=False):
        today = parse_row(
            _row(family_name="山田", email="a@example.com", birth_date="2026/12/02"), line=2
        )
        tomorrow = parse_row(
            _row(family_name="山田", email="a@example.com", birth_date="2026/12/03"), line=3
        )
    assert today.profile is not None and today.warnings == []
    assert today.profile.columns["birth_date"] == date(2026, 12, 2)
    assert tomorrow.warnings == ["生年月日の値が正しくないため取り込みませんでした。"]


def test_profile_accepts_a_birth_date_of_today_in_japan_at_2330_utc() -> None:
    with time_machine.travel(LATE_UTC, tick=False):
        profile = build_profile(
            ProfileInput(family_name="山田", birth_date=date(2026, 12, 2)), required=()
        )
        assert profile.columns["birth_date"] == date(2026, 12, 2)
        with pytest.raises(ProfileError) as refused:
            build_profile(
                ProfileInput(family_name="山田", birth_date=date(2026, 12, 3)), required=()
            )
    assert refused.value.field == "birth_date"
