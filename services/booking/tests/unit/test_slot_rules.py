"""The slot rules of seed 000 and the statuses of seed 003, without I/O."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from booking.domain.errors import InvalidVisitTime, NotAllowedTransition
from booking.domain.slots import (
    Counter,
    OpeningHours,
    StoreRules,
    check_visit_time,
    day_slots,
    is_last_minute,
    listed_property_remaining,
    slots_between,
)
from booking.domain.visits import (
    CancelReason,
    Resource,
    VisitKind,
    VisitStatus,
    cancel_outcome,
    check_transition,
    initial_status,
    resource_taken,
)
from kit.clock import JST

TEN_TO_SIX = OpeningHours(time(10), time(18))
RULES = StoreRules(
    staff_count=2,
    slot_minutes=30,
    hours={d: TEN_TO_SIX for d in range(6)},  # closed on Sundays
    closed_dates=frozenset({date(2026, 12, 31)}),
    closed_on_holidays=True,
)


def jst(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=JST)


def test_a_visit_covers_every_slot_it_overlaps() -> None:
    slots = slots_between(
        starts_at=jst(2026, 12, 12, 11), ends_at=jst(2026, 12, 12, 12, 10), slot_minutes=30
    )
    assert slots == [jst(2026, 12, 12, 11), jst(2026, 12, 12, 11, 30), jst(2026, 12, 12, 12)]


def test_slots_are_cut_in_japan_time_whatever_the_input_zone() -> None:
    utc_start = jst(2026, 12, 12, 11, 15).astimezone(UTC)
    slots = slots_between(starts_at=utc_start, ends_at=jst(2026, 12, 12, 11, 45), slot_minutes=60)
    assert slots == [jst(2026, 12, 12, 11)]


def test_listed_property_tour_takes_the_property_others_take_staff() -> None:
    assert resource_taken(VisitKind.LISTED_PROPERTY_TOUR) is Resource.PROPERTY
    assert resource_taken(VisitKind.UNLISTED_PROPERTY_TOUR) is Resource.STORE
    assert resource_taken(VisitKind.STORE_CONSULTATION) is Resource.STORE
    assert resource_taken(VisitKind.SALON) is Resource.STAFF_MEMBER


def test_a_full_store_closes_every_listed_property() -> None:
    free = Counter(capacity=2, booked=0)
    assert listed_property_remaining(property_slot=free, store_slot=Counter(2, 1)) == 2
    assert listed_property_remaining(property_slot=free, store_slot=Counter(2, 2)) == 0
    assert listed_property_remaining(property_slot=Counter(1, 1), store_slot=free) == 0
    assert Counter(capacity=1, booked=3).remaining == 0  # capacity lowered below bookings


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (jst(2026, 12, 12, 11), jst(2026, 12, 12, 11), "ends_at"),  # end before/at start
        (jst(2026, 12, 12, 9, 30), jst(2026, 12, 12, 10, 30), "starts_at"),  # before opening
        (jst(2026, 12, 12, 17, 30), jst(2026, 12, 12, 18, 30), "starts_at"),  # after closing
        (jst(2026, 12, 13, 11), jst(2026, 12, 13, 12), "starts_at"),  # Sunday: closed
        (jst(2026, 12, 31, 11), jst(2026, 12, 31, 12), "starts_at"),  # closed date
        (jst(2027, 1, 1, 11), jst(2027, 1, 1, 12), "starts_at"),  # 元日: holiday
        (jst(2026, 12, 12, 17), jst(2026, 12, 13, 10), "ends_at"),  # across midnight
    ],
)
def test_times_the_store_cannot_take_are_refused_with_a_reason(
    start: datetime, end: datetime, field: str
) -> None:
    with pytest.raises(InvalidVisitTime) as refused:
        check_visit_time(RULES, starts_at=start, ends_at=end)
    assert refused.value.field == field
    assert refused.value.message  # a Japanese sentence staff can act on


def test_naive_times_are_refused() -> None:
    with pytest.raises(InvalidVisitTime):
        check_visit_time(RULES, starts_at=datetime(2026, 12, 12, 11), ends_at=jst(2026, 12, 12, 12))


def test_within_business_hours_is_accepted() -> None:
    check_visit_time(RULES, starts_at=jst(2026, 12, 12, 10), ends_at=jst(2026, 12, 12, 18))


def test_day_slots_follow_hours_and_closed_days() -> None:
    slots = day_slots(RULES, day=date(2026, 12, 12))
    assert len(slots) == 16 and slots[0] == jst(2026, 12, 12, 10)
    assert slots[-1] == jst(2026, 12, 12, 17, 30)
    assert day_slots(RULES, day=date(2026, 12, 13)) == []


def test_last_minute_is_within_the_tenants_hours() -> None:
    start = jst(2026, 12, 12, 11)
    assert is_last_minute(starts_at=start, now=start - timedelta(hours=23), hours=24)
    assert not is_last_minute(starts_at=start, now=start - timedelta(hours=25), hours=24)


def test_initial_status_follows_prepayment() -> None:
    assert initial_status(tentative=False, prepayment=False) is VisitStatus.RESERVED
    assert initial_status(tentative=False, prepayment=True) is VisitStatus.PREPAYMENT_UNPAID
    assert initial_status(tentative=True, prepayment=True) is VisitStatus.TENTATIVE


def test_allowed_and_refused_transitions() -> None:
    check_transition(VisitStatus.TENTATIVE, VisitStatus.RESERVED, prepayment=False)
    check_transition(VisitStatus.RESERVED, VisitStatus.VISITED, prepayment=False)
    check_transition(VisitStatus.PREPAYMENT_UNPAID, VisitStatus.PREPAID, prepayment=True)
    with pytest.raises(NotAllowedTransition):
        check_transition(VisitStatus.VISITED, VisitStatus.RESERVED, prepayment=False)
    with pytest.raises(NotAllowedTransition):
        check_transition(VisitStatus.CANCELLED, VisitStatus.RESERVED, prepayment=False)
    with pytest.raises(NotAllowedTransition, match="事前決済"):
        check_transition(VisitStatus.TENTATIVE, VisitStatus.PREPAYMENT_UNPAID, prepayment=False)


def test_cancellations_map_to_the_seed_statuses() -> None:
    plain = cancel_outcome(
        current=VisitStatus.RESERVED,
        reason=CancelReason.CUSTOMER,
        last_minute=False,
        prepayment=False,
    )
    assert plain.status is VisitStatus.CANCELLED and not plain.last_minute
    late = cancel_outcome(
        current=VisitStatus.RESERVED,
        reason=CancelReason.CUSTOMER,
        last_minute=True,
        prepayment=False,
    )
    assert late.status is VisitStatus.CANCEL_FEE_UNPAID and late.last_minute
    no_show = cancel_outcome(
        current=VisitStatus.RESERVED,
        reason=CancelReason.NO_SHOW,
        last_minute=True,
        prepayment=False,
    )
    assert no_show.status is VisitStatus.CANCEL_FEE_UNPAID and no_show.no_show
    store = cancel_outcome(
        current=VisitStatus.PREPAID, reason=CancelReason.STORE, last_minute=True, prepayment=True
    )
    assert store.status is VisitStatus.STORE_CANCELLED and not store.last_minute
    with pytest.raises(NotAllowedTransition):
        cancel_outcome(
            current=VisitStatus.VISITED,
            reason=CancelReason.CUSTOMER,
            last_minute=False,
            prepayment=False,
        )
