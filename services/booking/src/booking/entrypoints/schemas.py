from datetime import date, datetime, time
from typing import Annotated, Any
from uuid import UUID

from contracts.listings import ListingFacts
from kit.clock import JstDatetime
from kit.inputs import Day
from pydantic import BaseModel, ConfigDict, Field

from booking.domain.visits import LABELS, CancelReason, VisitKind, VisitStatus
from booking.use_cases.availability import Calendar
from booking.use_cases.stores import facts_of


class VisitRequestRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    inquiry_id: UUID
    store_id: UUID | None
    customer_id: UUID | None
    property_code: str | None
    property_name: str | None
    starts_at: JstDatetime
    ends_at: JstDatetime
    status: str
    received_at: JstDatetime


class VisitRequestPage(BaseModel):
    items: list[VisitRequestRead]
    total: int
    page: int
    per_page: int


class StoreSettingsWrite(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    staff_count: Annotated[int, Field(ge=0, le=100)]  # 同時接客可能人数
    slot_minutes: Annotated[int, Field(ge=10, le=240)] = 60
    # Monday = 0 … Sunday = 6 → [opens, closes]; a missing weekday is a closed day.
    hours: dict[Annotated[int, Field(ge=0, le=6)], tuple[time, time]]
    closed_dates: list[Day] = []
    closed_on_holidays: bool = False
    last_minute_cancel_hours: Annotated[int, Field(ge=0, le=720)] = 24
    prepayment: bool = False


class StoreSettingsRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    store_id: UUID
    name: str
    staff_count: int
    slot_minutes: int
    hours: dict[int, tuple[str, str]]
    closed_dates: list[date]
    closed_on_holidays: bool
    last_minute_cancel_hours: int
    prepayment: bool


class PropertyWrite(BaseModel):
    store_id: UUID
    name: Annotated[str, Field(min_length=1, max_length=200)]
    code: Annotated[str | None, Field(max_length=50)] = None
    concurrent_groups: Annotated[int, Field(ge=0, le=100)] = 1  # 同時案内組数
    portal_listed: bool = True
    facts: ListingFacts | None = None  # 種別・所在地・価格・間取り・面積 (LEAD-6)


class PropertyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    store_id: UUID
    code: str | None
    name: str
    concurrent_groups: int
    portal_listed: bool
    facts: ListingFacts | None = None
    retired_at: datetime | None = None  # 廃止: not offered for new visits

    @classmethod
    def of(cls, prop: Any) -> "PropertyRead":
        return cls.model_validate(prop).model_copy(update={"facts": facts_of(prop)})


class VisitCreate(BaseModel):
    kind: VisitKind
    store_id: UUID
    customer_id: UUID
    property_id: UUID | None = None
    menu_id: UUID | None = None  # salon
    staff_member_id: UUID | None = None  # salon
    starts_at: datetime
    ends_at: datetime | None = None  # salon: from the menu's duration
    tentative: bool = False
    memo: Annotated[str | None, Field(max_length=2000)] = None
    allow_overlap: bool = False  # the customer may have another visit then (confirmed)
    # A visit that has already begun is refused unless staff record it knowingly as 来店済み
    # (added within the API's version: optional, off by default).
    record_as_visited: bool = Field(
        default=False,
        description="開始日時が過去の接客を「来店済み」として記録する（確認のうえ）",
    )


class VisitMove(BaseModel):
    starts_at: datetime
    ends_at: datetime | None = None  # omitted: a salon menu's duration, else the same length
    property_id: UUID | None = None  # omitted: the visit keeps its property


class VisitStatusWrite(BaseModel):
    status: VisitStatus


class VisitCancel(BaseModel):
    reason: CancelReason = CancelReason.CUSTOMER


class VisitRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    kind: VisitKind
    store_id: UUID
    property_id: UUID | None
    customer_id: UUID
    starts_at: JstDatetime
    ends_at: JstDatetime
    status: VisitStatus
    conflict: bool
    conflict_reason: str | None
    source_inquiry_id: UUID | None
    menu_id: UUID | None = None
    staff_member_id: UUID | None = None
    memo: str | None
    last_minute_cancel: bool
    no_show: bool
    cancelled_at: JstDatetime | None
    customer_name: str | None = None
    customer_caution: bool = False
    customer_blacklisted: bool = False  # existing visits stay; the calendar marks them

    @property
    def status_label(self) -> str:
        return LABELS[self.status]


class CounterRead(BaseModel):
    capacity: int
    booked: int
    remaining: int


class PropertySlotRead(BaseModel):
    property_id: UUID
    capacity: int
    remaining: int


class MemberSlotRead(BaseModel):
    staff_member_id: UUID
    remaining: int


class SlotRead(BaseModel):
    starts_at: JstDatetime
    ends_at: JstDatetime
    staff: CounterRead
    properties: list[PropertySlotRead]
    members: list[MemberSlotRead] = []


class MenuFields(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    duration_minutes: Annotated[int, Field(ge=5, le=600)]
    price_yen: Annotated[int, Field(ge=0, le=10_000_000)]


class MenuWrite(MenuFields):
    store_id: UUID


class MenuRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    store_id: UUID
    name: str
    duration_minutes: int
    price_yen: int
    retired_at: datetime | None = None  # 廃止: not offered for new reservations


class StaffMemberFields(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    hours: dict[Annotated[int, Field(ge=0, le=6)], tuple[time, time]] | None = None


class StaffMemberWrite(StaffMemberFields):
    store_id: UUID


class StaffMemberRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    store_id: UUID
    name: str
    hours: dict[int, tuple[str, str]] | None
    retired_at: datetime | None = None


class DayRead(BaseModel):
    day: date
    open: bool
    slots: list[SlotRead]


class CalendarRead(BaseModel):
    store_id: UUID
    store_name: str
    slot_minutes: int
    properties: list[PropertyRead]
    staff_members: list[StaffMemberRead] = []
    days: list[DayRead]
    visits: list[VisitRead]

    @classmethod
    def of(cls, calendar: Calendar, *, visits: list[VisitRead]) -> "CalendarRead":
        days = [
            DayRead(
                day=d.day,
                open=d.open,
                slots=[
                    SlotRead(
                        starts_at=s.starts_at,
                        ends_at=s.ends_at,
                        staff=CounterRead(
                            capacity=s.staff.capacity,
                            booked=s.staff.booked,
                            remaining=s.staff.remaining,
                        ),
                        properties=[PropertySlotRead(**vars(p)) for p in s.properties],
                        members=[MemberSlotRead(**vars(m)) for m in s.members],
                    )
                    for s in d.slots
                ],
            )
            for d in calendar.days
        ]
        return cls(
            store_id=calendar.store_id,
            store_name=calendar.store_name,
            slot_minutes=calendar.slot_minutes,
            properties=[PropertyRead.of(p) for p in calendar.properties],
            staff_members=[StaffMemberRead.model_validate(m) for m in calendar.staff_members],
            days=days,
            visits=visits,
        )
