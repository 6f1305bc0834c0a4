"""The slot model of seed 000 (予約カレンダーとの自動連携), as pure rules.

Time is cut into fixed slots per store (``slot_minutes``, Japan time). A visit covers every
slot it overlaps. Two kinds of counters exist per slot:

- a property's counter (capacity 同時案内組数), taken by a tour of a portal-listed property;
- the store's counter (capacity 同時接客可能人数), taken by a tour of a non-listed property
  or an in-store consultation.

A listed property is bookable at a slot only while the store still has a free staff slot:
when the store's counter is full, every property of the store is closed at that time.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import holidays
from kit.clock import JST

from booking.domain.errors import InvalidVisitTime

WEEKDAYS = "月火水木金土日"


@dataclass(frozen=True)
class OpeningHours:
    opens: time
    closes: time


@dataclass(frozen=True)
class StoreRules:
    """What booking needs to know of a store (the gateway owns the store itself)."""

    staff_count: int = 2
    slot_minutes: int = 60
    # Monday = 0; a weekday missing from the map is a regular closed day (定休日).
    hours: dict[int, OpeningHours] = field(default_factory=dict)
    closed_dates: frozenset[date] = frozenset()
    closed_on_holidays: bool = False
    last_minute_cancel_hours: int = 24
    prepayment: bool = False

    def is_open_on(self, day: date) -> bool:
        if day in self.closed_dates or day.weekday() not in self.hours:
            return False
        return not (self.closed_on_holidays and day in _JP_HOLIDAYS)


_JP_HOLIDAYS = holidays.JP()


def local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise InvalidVisitTime(
            "日時にはタイムゾーンを含めてください。例: 2026-12-12T11:00:00+09:00"
        )
    return moment.astimezone(JST)


def moment(at: datetime) -> str:
    """2026/12/12(土) 11:00, in Japan time."""
    local_at = local(at)
    return f"{local_at:%Y/%m/%d}({WEEKDAYS[local_at.weekday()]}) {local_at:%H:%M}"


def time_span(starts_at: datetime, ends_at: datetime) -> str:
    """2026/12/12(土) 11:00〜12:00, in Japan time."""
    start, end = local(starts_at), local(ends_at)
    return f"{start:%Y/%m/%d}({WEEKDAYS[start.weekday()]}) {start:%H:%M}〜{end:%H:%M}"


def slots_between(*, starts_at: datetime, ends_at: datetime, slot_minutes: int) -> list[datetime]:
    """Starts (Japan time) of the slots a visit covers; an end inside a slot covers it."""
    start, end = local(starts_at), local(ends_at)
    step = timedelta(minutes=slot_minutes)
    midnight = start.replace(hour=0, minute=0, second=0, microsecond=0)
    first = midnight + ((start - midnight) // step) * step
    slots = []
    cursor = first
    while cursor < end:
        slots.append(cursor)
        cursor += step
    return slots


def check_visit_time(rules: StoreRules, *, starts_at: datetime, ends_at: datetime) -> None:
    """Refuse a time the store cannot take, with a message staff can act on."""
    start, end = local(starts_at), local(ends_at)
    if end <= start:
        raise InvalidVisitTime("終了時刻は開始時刻より後にしてください。", field="ends_at")
    if end.date() != start.date() and end.time() != time(0):
        raise InvalidVisitTime("日をまたぐ予定は登録できません。", field="ends_at")
    if not rules.is_open_on(start.date()):
        raise InvalidVisitTime(
            f"{start:%Y/%m/%d}({WEEKDAYS[start.weekday()]})は休業日のため予約できません。",
            field="starts_at",
        )
    hours = rules.hours[start.weekday()]
    if start.time() < hours.opens or end.time() > hours.closes or end.date() != start.date():
        raise InvalidVisitTime(
            f"営業時間外です。{hours.opens:%H:%M}〜{hours.closes:%H:%M}の間で指定してください。",
            field="starts_at",
        )


def day_slots(rules: StoreRules, *, day: date) -> list[datetime]:
    """Every slot start of an open day, in Japan time; none on a closed day."""
    if not rules.is_open_on(day):
        return []
    hours = rules.hours[day.weekday()]
    start = datetime.combine(day, hours.opens, tzinfo=JST)
    end = datetime.combine(day, hours.closes, tzinfo=JST)
    step = timedelta(minutes=rules.slot_minutes)
    slots = []
    while start + step <= end:
        slots.append(start)
        start += step
    return slots


@dataclass(frozen=True)
class Counter:
    capacity: int
    booked: int

    @property
    def remaining(self) -> int:
        return max(0, self.capacity - self.booked)


def listed_property_remaining(*, property_slot: Counter, store_slot: Counter) -> int:
    """A listed property's free groups at a slot: zero whenever the store is full."""
    return property_slot.remaining if store_slot.remaining > 0 else 0


def is_last_minute(*, starts_at: datetime, now: datetime, hours: int) -> bool:
    """A cancellation within the tenant's N hours before the start (直前キャンセル)."""
    return starts_at - now < timedelta(hours=hours)
