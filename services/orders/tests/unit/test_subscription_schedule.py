"""The pieces of the schedule a stored subscription moves by: the cycle after a date (also
after a change of cycle), the order day in calendar or business days, the preview from a
stored next date, the refusals of day-of-month fields on a weekly cycle, and what the
year-end check counts as late."""

import itertools
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from orders.domain.schedule import (
    ClosedPeriod,
    Cycle,
    ScheduleError,
    Shift,
    TenantCalendar,
    Unit,
    first_on_or_after,
    following,
    late_by_closures,
    nominal_dates,
    order_day,
    upcoming,
)

SUN = 6
CAL = TenantCalendar(
    closed_weekdays=frozenset({SUN}),
    closed_periods=(ClosedPeriod(date(2027, 12, 29), date(2028, 1, 4), "年末年始休業"),),
)


@pytest.mark.parametrize(
    ("cycle", "after", "expected"),
    [
        (Cycle(Unit.DAYS, 10), date(2027, 1, 25), date(2027, 2, 4)),
        (Cycle(Unit.WEEKS, 2), date(2027, 12, 24), date(2028, 1, 7)),
        (Cycle(Unit.MONTHS, 1, day_of_month=31), date(2027, 1, 31), date(2027, 2, 28)),
        (Cycle(Unit.MONTHS, 1, day_of_month=31), date(2027, 2, 28), date(2027, 3, 31)),
        (Cycle(Unit.MONTHS, 2, day_of_month=15), date(2027, 1, 15), date(2027, 3, 15)),
        (Cycle(Unit.MONTHS, 1, last_day=True), date(2028, 1, 31), date(2028, 2, 29)),
        (Cycle(Unit.MONTHS, 1, nth_week=1, weekday=0), date(2027, 5, 3), date(2027, 6, 7)),
        # after a change of cycle: from a date that is not on the new cycle
        (Cycle(Unit.MONTHS, 1, day_of_month=10), date(2027, 6, 1), date(2027, 6, 10)),
        (Cycle(Unit.MONTHS, 1, day_of_month=10), date(2027, 6, 20), date(2027, 7, 10)),
    ],
)
def test_following(cycle: Cycle, after: date, expected: date) -> None:
    assert following(cycle, after) == expected


@given(
    every=st.integers(1, 12),
    day=st.integers(1, 31),
    start=st.dates(date(2026, 1, 1), date(2030, 12, 31)),
)
def test_following_walks_the_same_dates_as_the_cycle_from_its_start(
    every: int, day: int, start: date
) -> None:
    cycle = Cycle(Unit.MONTHS, every, day_of_month=day)
    dates = nominal_dates(cycle, start=start)
    walked = [next(dates)[0] for _ in range(6)]
    assert walked[0] == first_on_or_after(cycle, start)[0]
    for a, b in itertools.pairwise(walked):
        assert following(cycle, a) == b


def test_order_day_in_calendar_and_business_days() -> None:
    assert order_day(date(2028, 1, 5), lead_days=3, business_days=False, calendar_=CAL) == date(
        2028, 1, 2
    )
    # open days before 1/5: 12/28 (Tue), 12/27 (Mon), 12/25 (Sat) — 12/26 is a Sunday
    assert order_day(date(2028, 1, 5), lead_days=3, business_days=True, calendar_=CAL) == date(
        2027, 12, 25
    )
    assert order_day(date(2028, 1, 5), lead_days=0, business_days=True, calendar_=CAL) == date(
        2028, 1, 5
    )


def test_upcoming_keeps_the_stored_next_date_and_says_why() -> None:
    found = upcoming(Cycle(Unit.WEEKS, 1), next_on=date(2027, 12, 26), count=3, calendar_=CAL,
                     shift=Shift.EARLIER)  # fmt: skip
    assert [(d.nominal, d.delivers_on, d.reason) for d in found] == [
        (date(2027, 12, 26), date(2027, 12, 25), "12/26 日曜定休日のため 12/25 に前倒し"),
        (date(2028, 1, 2), date(2027, 12, 28), "1/2 年末年始休業のため 12/28 に前倒し"),
        (date(2028, 1, 9), date(2028, 1, 8), "1/9 日曜定休日のため 1/8 に前倒し"),
    ]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"day_of_month": 31}, "day_of_month"),
        ({"nth_week": 2}, "nth_week"),
        ({"weekday": 3}, "weekday"),
        ({"last_day": True}, "last_day"),
        ({"every": 0}, "every"),
        ({"every": 53}, "every"),
    ],
)
def test_a_weekly_cycle_refuses_days_of_the_month(fields: dict, field: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        Cycle(Unit.WEEKS, **fields)
    assert caught.value.field == field


def test_late_by_closures_leaves_out_the_weekly_closed_day() -> None:
    later = Shift.LATER
    assert late_by_closures(date(2027, 12, 30), calendar_=CAL, shift=later)  # → 1/5
    assert not late_by_closures(date(2028, 1, 30), calendar_=CAL, shift=later)  # Sunday → Mon
    assert not late_by_closures(date(2027, 12, 27), calendar_=CAL, shift=later)  # open
    assert not late_by_closures(date(2027, 12, 30), calendar_=CAL, shift=Shift.EARLIER)
