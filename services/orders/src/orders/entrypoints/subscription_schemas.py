"""Bodies and answers of subscriptions (定期), the delivery calendar and the daily run."""

from datetime import date
from typing import Any
from uuid import UUID

from kit.clock import JstDatetime
from kit.inputs import Day
from pydantic import BaseModel, ConfigDict, Field

from orders.entrypoints.schemas import DeliveryWrite, LineWrite


class CycleWrite(BaseModel):
    """Every ``every`` days / weeks / months; a monthly cycle on ``day_of_month`` (31: the
    month's last day where it has none), ``last_day`` (末日) or the ``nth_week``-th
    ``weekday`` (第N△曜日, Monday = 0)."""

    unit: str  # days | weeks | months
    every: int = 1
    day_of_month: int | None = None
    last_day: bool = False
    nth_week: int | None = None
    weekday: int | None = None


class CycleRead(CycleWrite):
    pass


class SubscriptionCreate(BaseModel):
    """From an order (``from_order_id``: its customer, address and lines, where not given)
    or from products (``customer_id``, ``lines``, ``delivery``)."""

    customer_id: UUID | None = None
    from_order_id: UUID | None = None
    lines: list[LineWrite] = Field(default_factory=list, max_length=100)
    delivery: DeliveryWrite | None = None
    cycle: CycleWrite
    starts_on: Day | None = None  # the first delivery wanted; default: the soonest possible
    staff_id: UUID | None = None
    medium_id: UUID | None = None


class SubscriptionLine(BaseModel):
    product_id: UUID
    quantity: int


class SubscriptionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    customer_id: UUID
    status: str  # active | paused | cancelled
    lines: list[SubscriptionLine]
    delivery: dict[str, Any]
    cycle: CycleRead
    staff_id: UUID | None
    medium_id: UUID | None
    source_order_id: UUID | None
    next_cycle_no: int
    next_on: date  # the cycle's date of the next delivery
    next_delivers_on: date  # where the calendar moves it
    next_order_on: date  # the day the daily run makes its order
    last_skipped_cycle_no: int | None
    paused_at: JstDatetime | None
    cancelled_at: JstDatetime | None
    cancel_reason_id: UUID | None
    created_at: JstDatetime


class SubscriptionPage(BaseModel):
    items: list[SubscriptionRead]
    total: int
    page: int
    per_page: int


class DeliveryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    cycle_no: int
    status: str  # ordered | skipped | missed | failed
    nominal_on: date
    delivers_on: date
    order_id: UUID | None
    note: str | None


class SubscriptionDetail(SubscriptionRead):
    deliveries: list[DeliveryRead] = []  # 定期の配送履歴


class CancelWrite(BaseModel):
    reason_id: UUID  # a cancel reason of the reasons master (解約理由)


class CycleChange(BaseModel):
    cycle: CycleWrite


class PreviewItem(BaseModel):
    cycle_no: int
    nominal_on: date
    delivers_on: date
    order_on: date
    reason: str | None  # e.g. 「1/1 祝日のため 12/29 に前倒し」


class SubscriptionDraft(BaseModel):
    """A subscription not yet made, for the preview of its first deliveries."""

    cycle: CycleWrite
    starts_on: Day | None = None
    count: int = Field(6, ge=1, le=24)


class ClosedDay(BaseModel):
    day: date
    reason: str  # 祝日, 年末年始, 水曜定休日 …


class LateDelivery(BaseModel):
    subscription_id: UUID
    customer_id: UUID
    cycle_no: int
    nominal_on: date
    delivers_on: date
    days_late: int
    reason: str | None


class ClosedPeriodModel(BaseModel):
    starts_on: Day
    ends_on: Day
    label: str = Field("休業期間", max_length=40)  # 年末年始, お盆 …


class NthWeekday(BaseModel):
    nth: int  # 第N (1–5)
    weekday: int  # Monday = 0


class CalendarSettings(BaseModel):
    """The delivery calendar and the daily run's settings (PUT replaces them all)."""

    closed_weekdays: list[int] = Field(default_factory=list, max_length=7)
    closed_nth_weekdays: list[NthWeekday] = Field(default_factory=list, max_length=35)
    closed_on_holidays: bool = True
    closed_periods: list[ClosedPeriodModel] = Field(default_factory=list, max_length=400)
    open_days: list[Day] = Field(default_factory=list, max_length=400)  # win over closures
    shift: str = "earlier"  # earlier (前倒し) | later (後ろ倒し)
    order_lead_days: int = 3  # the order is made this many days before shipping
    lead_in_business_days: bool = False  # counted in open days instead of calendar days
    allow_consecutive_skips: bool = False


class RunRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    run_on: date
    started_at: JstDatetime
    finished_at: JstDatetime | None  # none: stopped midway; the next run does the rest
    created: int
    skipped: int
    failed: int
    error: str | None
    replica: str | None = None  # the process that ran it (host:pid)
    started_by: UUID | None = None  # the user who pressed 今すぐ実行; None: the worker's pass


class ShipmentRead(BaseModel):
    """One line of the day's subscription shipping list (定期発送一覧)."""

    order_id: UUID
    order_number: int
    subscription_id: UUID
    cycle_no: int
    customer_id: UUID
    delivers_on: date
    delivery: dict[str, Any]
    items: str  # 「健康トニック×2、黒酢ドリンク×1」
    total_yen: int
