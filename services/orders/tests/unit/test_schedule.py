"""The subscription schedule over two years (Dec 2026 – Nov 2028) against a tenant calendar:
Sundays and the second Wednesday closed, 祝日 (holidays.JP), 年末年始 12/30–1/3, and
2027-05-03 open as a special day. Expected dates checked by hand against the calendar."""

from datetime import date, timedelta
from itertools import pairwise

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
    move,
    nominal_dates,
    preview,
)

SUN, WED, MON = 6, 2, 0
CAL = TenantCalendar(
    closed_weekdays=frozenset({SUN}),
    closed_nth_weekdays=frozenset({(2, WED)}),
    closed_periods=(
        ClosedPeriod(date(2026, 12, 30), date(2027, 1, 3), "年末年始休業"),
        ClosedPeriod(date(2027, 12, 30), date(2028, 1, 3), "年末年始休業"),
    ),
    open_days=frozenset({date(2027, 5, 3)}),
)

# nominal, earlier (前倒し), later (後ろ倒し), the reason's cause
TABLE = [
    (date(2026, 12, 31), date(2026, 12, 29), date(2027, 1, 4), "12/31 年末年始休業"),
    (date(2027, 1, 1), date(2026, 12, 29), date(2027, 1, 4), "1/1 祝日"),
    (date(2027, 1, 31), date(2027, 1, 30), date(2027, 2, 1), "1/31 日曜定休日"),
    (date(2027, 2, 28), date(2027, 2, 27), date(2027, 3, 1), "2/28 日曜定休日"),
    (date(2027, 3, 21), date(2027, 3, 20), date(2027, 3, 23), "3/21 祝日"),  # 3/22 振替休日
    (date(2027, 4, 14), date(2027, 4, 13), date(2027, 4, 15), "4/14 第2水曜休業日"),
    (date(2027, 4, 29), date(2027, 4, 28), date(2027, 4, 30), "4/29 祝日"),
    (date(2027, 5, 3), date(2027, 5, 3), date(2027, 5, 3), None),  # 臨時営業日
    (date(2027, 5, 4), date(2027, 5, 3), date(2027, 5, 6), "5/4 祝日"),
    (date(2027, 12, 31), date(2027, 12, 29), date(2028, 1, 4), "12/31 年末年始休業"),
    (date(2028, 2, 29), date(2028, 2, 29), date(2028, 2, 29), None),
    (date(2028, 5, 3), date(2028, 5, 2), date(2028, 5, 6), "5/3 祝日"),
    (date(2028, 5, 5), date(2028, 5, 2), date(2028, 5, 6), "5/5 祝日"),
]


@pytest.mark.parametrize(("nominal", "earlier", "later", "cause"), TABLE)
def test_moves_off_closed_days_in_both_directions_with_the_reason(
    nominal, earlier, later, cause
) -> None:  # type: ignore[no-untyped-def]
    for shift, expected, verb in (
        (Shift.EARLIER, earlier, "前倒し"),
        (Shift.LATER, later, "後ろ倒し"),
    ):
        day, reason = move(nominal, calendar_=CAL, shift=shift)
        assert day == expected, shift
        if cause is None:
            assert reason is None
        else:
            assert reason == f"{cause}のため {expected.month}/{expected.day} に{verb}"


def test_the_new_year_example() -> None:
    [first] = preview(Cycle(Unit.MONTHS, day_of_month=1), start=date(2027, 1, 1), count=1,
                      calendar_=CAL, shift=Shift.EARLIER)  # fmt: skip
    assert (first.delivers_on, first.reason) == (
        date(2026, 12, 29),
        "1/1 祝日のため 12/29 に前倒し",
    )


MONTH_ENDS = [date(2026, 12, 31)] + [
    date(y, m, d)
    for y, months in ((2027, range(1, 13)), (2028, range(1, 12)))
    for m in months
    for d in [[31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] + (y == 2028 and m == 2)]
]


def test_the_31st_and_the_last_day_fall_on_each_months_end_for_two_years() -> None:
    start = date(2026, 12, 1)
    on_31 = preview(Cycle(Unit.MONTHS, day_of_month=31), start=start, count=24, calendar_=CAL,
                    shift=Shift.LATER)  # fmt: skip
    last = preview(Cycle(Unit.MONTHS, last_day=True), start=start, count=24, calendar_=CAL,
                   shift=Shift.LATER)  # fmt: skip
    assert [d.nominal for d in on_31] == [d.nominal for d in last] == MONTH_ENDS
    february = on_31[2]
    assert february.reason == "2月に31日はないため月末 2/28、2/28 日曜定休日のため 3/1 に後ろ倒し"
    assert on_31[14].reason == "2月に31日はないため月末 2/29" and on_31[14].delivers_on == date(
        2028, 2, 29
    )
    assert last[2].reason == "2/28 日曜定休日のため 3/1 に後ろ倒し"
    # Moves never make the schedule drift: April is still the 30th after March moved.
    assert on_31[4].nominal == date(2027, 4, 30)


def test_nth_weekday_every_two_months_and_a_start_after_this_months_day() -> None:
    first_monday = Cycle(Unit.MONTHS, every=2, nth_week=1, weekday=MON)
    got = [d for d, _ in _take(nominal_dates(first_monday, start=date(2027, 1, 1)), 4)]
    assert got == [date(2027, 1, 4), date(2027, 3, 1), date(2027, 5, 3), date(2027, 7, 5)]
    second_wed = preview(Cycle(Unit.MONTHS, nth_week=2, weekday=WED), start=date(2027, 4, 1),
                         count=2, calendar_=CAL, shift=Shift.EARLIER)  # fmt: skip
    assert [(d.nominal, d.delivers_on) for d in second_wed] == [
        (date(2027, 4, 14), date(2027, 4, 13)), (date(2027, 5, 12), date(2027, 5, 11))]  # fmt: skip
    on_15 = Cycle(Unit.MONTHS, day_of_month=15)
    assert next(nominal_dates(on_15, start=date(2027, 1, 20)))[0] == date(2027, 2, 15)
    assert next(nominal_dates(on_15, start=date(2027, 1, 15)))[0] == date(2027, 1, 15)


def test_day_and_week_cycles() -> None:
    every_10 = [
        d for d, _ in _take(nominal_dates(Cycle(Unit.DAYS, every=10), start=date(2026, 12, 25)), 3)
    ]
    assert every_10 == [date(2026, 12, 25), date(2027, 1, 4), date(2027, 1, 14)]
    weeks = preview(Cycle(Unit.WEEKS, every=3), start=date(2026, 12, 10), count=2, calendar_=CAL,
                    shift=Shift.LATER)  # fmt: skip
    assert [(d.nominal, d.delivers_on) for d in weeks] == [
        (date(2026, 12, 10), date(2026, 12, 10)), (date(2026, 12, 31), date(2027, 1, 4))]  # fmt: skip


@pytest.mark.parametrize(
    ("cycle", "field"),
    [
        (dict(unit=Unit.DAYS, every=0), "every"),
        (dict(unit=Unit.MONTHS), "day_of_month"),
        (dict(unit=Unit.MONTHS, day_of_month=32), "day_of_month"),
        (dict(unit=Unit.MONTHS, nth_week=5, weekday=MON), "nth_week"),
        (dict(unit=Unit.MONTHS, nth_week=2), "weekday"),
        (dict(unit=Unit.MONTHS, day_of_month=1, last_day=True), "day_of_month"),
    ],
)  # fmt: skip
def test_bad_cycles_name_their_field(cycle, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ScheduleError) as caught:
        Cycle(**cycle)
    assert caught.value.field == field


def test_a_calendar_without_open_days_is_an_error_not_a_loop() -> None:
    closed = TenantCalendar(closed_weekdays=frozenset(range(7)))
    with pytest.raises(ScheduleError):
        move(date(2027, 1, 1), calendar_=closed, shift=Shift.LATER)


cycles = st.one_of(
    st.builds(Cycle, unit=st.sampled_from([Unit.DAYS, Unit.WEEKS]), every=st.integers(1, 8)),
    st.builds(Cycle, unit=st.just(Unit.MONTHS), every=st.integers(1, 3),
              day_of_month=st.integers(1, 31)),
    st.builds(Cycle, unit=st.just(Unit.MONTHS), every=st.integers(1, 3), last_day=st.just(True)),
    st.builds(Cycle, unit=st.just(Unit.MONTHS), every=st.integers(1, 3),
              nth_week=st.integers(1, 4), weekday=st.integers(0, 6)),
)  # fmt: skip


@given(cycle=cycles, start=st.dates(date(2026, 12, 1), date(2028, 11, 30)),
       shift=st.sampled_from(list(Shift)))  # fmt: skip
def test_property_every_delivery_is_an_open_day_moved_the_right_way(cycle, start, shift) -> None:  # type: ignore[no-untyped-def]
    deliveries = preview(cycle, start=start, count=8, calendar_=CAL, shift=shift)
    assert deliveries[0].nominal >= start
    assert all(a.nominal < b.nominal for a, b in pairwise(deliveries))
    for d in deliveries:
        assert CAL.closed_because(d.delivers_on) is None
        gap = d.delivers_on - d.nominal
        assert gap <= timedelta(0) if shift is Shift.EARLIER else gap >= timedelta(0)
        assert (d.delivers_on != d.nominal) <= (d.reason is not None)


def _take(iterator, n):  # type: ignore[no-untyped-def]
    return [next(iterator) for _ in range(n)]
