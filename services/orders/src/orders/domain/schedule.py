"""ORD-3 subscription schedule (定期), pure: the nominal delivery dates of a cycle, moved off
the tenant's closed days, earlier (前倒し) or later (後ろ倒し), each move with its reason.

Nominal dates follow the cycle from its start, never from a moved date, so that a holiday
does not make the schedule drift."""

import calendar
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import cache

import holidays

WEEKDAYS = "月火水木金土日"
MAX_SHIFT_DAYS = 62  # a calendar closed longer than this is a configuration error


class ScheduleError(ValueError):
    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Unit(StrEnum):
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"


MAX_EVERY = {Unit.DAYS: 365, Unit.WEEKS: 52, Unit.MONTHS: 12}
UNIT_WORDS = {Unit.DAYS: "日", Unit.WEEKS: "週", Unit.MONTHS: "か月"}


class Shift(StrEnum):
    EARLIER = "earlier"  # 前倒し
    LATER = "later"  # 後ろ倒し


@dataclass(frozen=True)
class Cycle:
    """Every ``every`` days/weeks/months; monthly cycles fall on ``day_of_month`` (a day the
    month lacks becomes its last day), on the last day (末日), or on the ``nth_week``-th
    ``weekday`` (第N週△曜日, Monday = 0)."""

    unit: Unit
    every: int = 1
    day_of_month: int | None = None
    last_day: bool = False
    nth_week: int | None = None
    weekday: int | None = None

    def __post_init__(self) -> None:
        if self.every < 1:
            raise ScheduleError("周期は1以上で指定してください。", field="every")
        if self.every > MAX_EVERY[self.unit]:
            raise ScheduleError(
                f"周期は{MAX_EVERY[self.unit]}{UNIT_WORDS[self.unit]}以内で指定してください。",
                field="every",
            )
        if self.unit is not Unit.MONTHS:
            # A day of the month means nothing to a cycle counted in days or weeks: refused
            # rather than ignored, so that 「毎週・31日」 is never saved as plain weekly.
            for name in ("day_of_month", "nth_week", "weekday"):
                if getattr(self, name) is not None:
                    raise ScheduleError(
                        f"{UNIT_WORDS[self.unit]}ごとの周期には日付・曜日を指定できません。",
                        field=name,
                    )
            if self.last_day:
                raise ScheduleError(
                    f"{UNIT_WORDS[self.unit]}ごとの周期には末日を指定できません。", field="last_day"
                )
            return
        anchors = [self.day_of_month is not None, self.last_day, self.nth_week is not None]
        if sum(anchors) != 1:
            raise ScheduleError(
                "毎月の日付・末日・第N週のいずれか1つを指定してください。", field="day_of_month"
            )
        if self.day_of_month is not None and not 1 <= self.day_of_month <= 31:
            raise ScheduleError("日付は1〜31で指定してください。", field="day_of_month")
        if self.nth_week is not None:
            if not 1 <= self.nth_week <= 4:  # a fifth weekday is missing in most months
                raise ScheduleError("第N週は1〜4で指定してください。", field="nth_week")
            if self.weekday is None or not 0 <= self.weekday <= 6:
                raise ScheduleError("曜日を指定してください。", field="weekday")


@dataclass(frozen=True)
class ClosedPeriod:
    starts_on: date
    ends_on: date
    label: str = "休業期間"


@dataclass(frozen=True)
class TenantCalendar:
    closed_weekdays: frozenset[int] = frozenset()  # 定休日 (Monday = 0)
    closed_nth_weekdays: frozenset[tuple[int, int]] = frozenset()  # (第N, 曜日): 第2水曜 = (2, 2)
    closed_on_holidays: bool = True  # 祝日 (holidays.JP, substitute holidays included)
    closed_periods: tuple[ClosedPeriod, ...] = ()  # 年末年始, お盆 …
    open_days: frozenset[date] = field(default_factory=frozenset)  # 臨時営業日: open regardless

    def routine(self) -> "TenantCalendar":
        """The same calendar without its holidays and closed periods: the weekly closures
        alone (the year-end check compares against it)."""
        return TenantCalendar(self.closed_weekdays, self.closed_nth_weekdays, False, (),
                              self.open_days)  # fmt: skip

    def closed_because(self, day: date) -> str | None:
        """Why the day has no delivery, or None when it has."""
        if day in self.open_days:
            return None
        if self.closed_on_holidays and day in _holidays(day.year):
            return "祝日"
        for period in self.closed_periods:
            if period.starts_on <= day <= period.ends_on:
                return period.label
        if day.weekday() in self.closed_weekdays:
            return f"{WEEKDAYS[day.weekday()]}曜定休日"
        nth = (day.day - 1) // 7 + 1
        if (nth, day.weekday()) in self.closed_nth_weekdays:
            return f"第{nth}{WEEKDAYS[day.weekday()]}曜休業日"
        return None


@cache
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.JP(years=year)


@dataclass(frozen=True)
class Delivery:
    nominal: date  # where the cycle puts it
    delivers_on: date  # where the calendar lets it go
    reason: str | None = None  # why it moved (or why the cycle's day does not exist)


def _md(day: date) -> str:
    return f"{day.month}/{day.day}"


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def _in_month(cycle: Cycle, year: int, month: int) -> tuple[date, str | None]:
    last = calendar.monthrange(year, month)[1]
    if cycle.last_day:
        return date(year, month, last), None
    if cycle.nth_week is not None:
        first = date(year, month, 1)
        offset = (cycle.weekday - first.weekday()) % 7  # type: ignore[operator]
        return first + timedelta(days=offset + 7 * (cycle.nth_week - 1)), None
    assert cycle.day_of_month is not None
    if cycle.day_of_month > last:
        return date(
            year, month, last
        ), f"{month}月に{cycle.day_of_month}日はないため月末 {month}/{last}"
    return date(year, month, cycle.day_of_month), None


def nominal_dates(cycle: Cycle, *, start: date) -> Iterator[tuple[date, str | None]]:
    """The cycle's dates on or after ``start`` (the first delivery day asked for)."""
    if cycle.unit is not Unit.MONTHS:
        step = timedelta(days=cycle.every * (7 if cycle.unit is Unit.WEEKS else 1))
        day = start
        while True:
            yield day, None
            day += step
    k = 0 if _in_month(cycle, start.year, start.month)[0] >= start else cycle.every
    while True:
        yield _in_month(cycle, *_add_months(start.year, start.month, k))
        k += cycle.every


def move(day: date, *, calendar_: TenantCalendar, shift: Shift) -> tuple[date, str | None]:
    """The nearest open day in the shift's direction, and the reason for the move."""
    why = calendar_.closed_because(day)
    if why is None:
        return day, None
    step = timedelta(days=-1 if shift is Shift.EARLIER else 1)
    moved = day
    for _ in range(MAX_SHIFT_DAYS):
        moved += step
        if calendar_.closed_because(moved) is None:
            verb = "前倒し" if shift is Shift.EARLIER else "後ろ倒し"
            return moved, f"{_md(day)} {why}のため {_md(moved)} に{verb}"
    raise ScheduleError(
        "配送できる日が見つかりません。休業日の設定を確認してください。", field="calendar"
    )


def preview(
    cycle: Cycle, *, start: date, count: int, calendar_: TenantCalendar, shift: Shift
) -> list[Delivery]:
    """The next ``count`` deliveries from ``start`` (e.g. Japan's today or the next due day)."""
    deliveries = []
    for nominal, note in nominal_dates(cycle, start=start):
        if len(deliveries) == count:
            break
        delivers_on, why = move(nominal, calendar_=calendar_, shift=shift)
        reason = "、".join(r for r in (note, why) if r) or None
        deliveries.append(Delivery(nominal, delivers_on, reason))
    return deliveries


def first_on_or_after(cycle: Cycle, day: date) -> tuple[date, str | None]:
    """The cycle's first nominal date on or after ``day`` (a cycle in days or weeks starts on
    it; a monthly one waits for its day of the month)."""
    return next(nominal_dates(cycle, start=day))


def following(cycle: Cycle, nominal: date) -> date:
    """The nominal date after ``nominal`` (a date of this cycle, or the one it followed
    before a change of cycle, so that a change takes effect from the one after next)."""
    if cycle.unit is not Unit.MONTHS:
        return nominal + timedelta(days=cycle.every * (7 if cycle.unit is Unit.WEEKS else 1))
    # Monthly: the next slot counted from the month of ``nominal``, whatever its day.
    year, month = _add_months(nominal.year, nominal.month, 0)
    this_month = _in_month(cycle, year, month)[0]
    k = cycle.every if this_month <= nominal else 0
    while True:
        candidate = _in_month(cycle, *_add_months(year, month, k))[0]
        if candidate > nominal:
            return candidate
        k += cycle.every


def order_day(
    delivers_on: date, *, lead_days: int, business_days: bool, calendar_: TenantCalendar
) -> date:
    """The day the delivery's order is made: ``lead_days`` before it, counted in calendar
    days or in the tenant's open days."""
    if not business_days:
        return delivers_on - timedelta(days=lead_days)
    day, left = delivers_on, lead_days
    for _ in range(lead_days + MAX_SHIFT_DAYS * 4):
        if left == 0:
            return day
        day -= timedelta(days=1)
        if calendar_.closed_because(day) is None:
            left -= 1
    raise ScheduleError(
        "受注日を決められません。休業日の設定を確認してください。", field="order_lead_days"
    )


def _note(cycle: Cycle, nominal: date) -> str | None:
    if cycle.unit is not Unit.MONTHS or cycle.day_of_month is None:
        return None
    slot, note = _in_month(cycle, nominal.year, nominal.month)
    return note if slot == nominal else None


def upcoming(
    cycle: Cycle, *, next_on: date, count: int, calendar_: TenantCalendar, shift: Shift
) -> list[Delivery]:
    """The next ``count`` deliveries of a subscription whose next one is due on ``next_on``
    (kept as it is even when the cycle changed since: the change counts from the one after)."""
    deliveries, nominal = [], next_on
    for _ in range(count):
        delivers_on, why = move(nominal, calendar_=calendar_, shift=shift)
        reason = "、".join(r for r in (_note(cycle, nominal), why) if r) or None
        deliveries.append(Delivery(nominal, delivers_on, reason))
        nominal = following(cycle, nominal)
    return deliveries


def late_by_closures(nominal: date, *, calendar_: TenantCalendar, shift: Shift) -> bool:
    """Whether the holidays and closed periods (年末年始, お盆 …) deliver later than the weekly
    closures alone would."""
    actual = move(nominal, calendar_=calendar_, shift=shift)[0]
    return (
        actual > nominal and actual > move(nominal, calendar_=calendar_.routine(), shift=shift)[0]
    )
