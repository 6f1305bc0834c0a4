"""The tenant's delivery calendar (休業日: closed weekdays, 第N△曜日, 祝日, closed periods such
as 年末年始 or お盆, special open days that win) and how the daily run makes orders (the
shift direction, the order lead in calendar or business days, skips in a row). A change
moves the next dates of every open subscription at once. Callers own the transaction."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from kit.errors import Invalid

from orders.adapters import orm
from orders.adapters.unit_of_work import OrdersUnitOfWork
from orders.domain.schedule import (
    ClosedPeriod,
    ScheduleError,
    Shift,
    TenantCalendar,
    move,
    order_day,
)

MAX_LEAD_DAYS = 30
MAX_ENTRIES = 400  # closed periods or open days: a few years of them


@dataclass(frozen=True)
class Plan:
    """The calendar and the run's settings, as the domain takes them."""

    calendar: TenantCalendar
    shift: Shift
    lead_days: int
    business_days: bool
    allow_consecutive_skips: bool

    def place(self, sub: orm.Subscription) -> None:
        """Where the calendar moves the next delivery, and the day its order is made."""
        try:
            sub.next_delivers_on = move(sub.next_on, calendar_=self.calendar, shift=self.shift)[0]
            sub.next_order_on = order_day(
                sub.next_delivers_on, lead_days=self.lead_days,
                business_days=self.business_days, calendar_=self.calendar,
            )  # fmt: skip
        except ScheduleError as exc:
            raise Invalid(exc.message, code="calendar_closed", field=exc.field) from None


def defaults(tenant_id: Any) -> orm.SubscriptionSettings:
    return orm.SubscriptionSettings(
        tenant_id=tenant_id, closed_weekdays=[], closed_nth_weekdays=[], closed_on_holidays=True,
        closed_periods=[], open_days=[], shift=str(Shift.EARLIER), order_lead_days=3,
        lead_in_business_days=False, allow_consecutive_skips=False,
    )  # fmt: skip


async def get_settings(*, uow: OrdersUnitOfWork) -> orm.SubscriptionSettings:
    return await uow.subscriptions.settings() or defaults(uow.tenant_id)


def plan_of(row: orm.SubscriptionSettings) -> Plan:
    calendar = TenantCalendar(
        closed_weekdays=frozenset(row.closed_weekdays),
        closed_nth_weekdays=frozenset((n, w) for n, w in row.closed_nth_weekdays),
        closed_on_holidays=row.closed_on_holidays,
        closed_periods=tuple(
            ClosedPeriod(
                date.fromisoformat(p["starts_on"]),
                date.fromisoformat(p["ends_on"]),
                p.get("label") or "休業期間",
            )
            for p in row.closed_periods
        ),
        open_days=frozenset(date.fromisoformat(d) for d in row.open_days),
    )
    return Plan(calendar, Shift(row.shift), row.order_lead_days, row.lead_in_business_days,
                row.allow_consecutive_skips)  # fmt: skip


def fields_of(row: orm.SubscriptionSettings) -> dict[str, Any]:
    """The settings as the API shows them."""
    return {
        "closed_weekdays": row.closed_weekdays,
        "closed_nth_weekdays": [{"nth": n, "weekday": w} for n, w in row.closed_nth_weekdays],
        "closed_on_holidays": row.closed_on_holidays, "closed_periods": row.closed_periods,
        "open_days": row.open_days, "shift": row.shift, "order_lead_days": row.order_lead_days,
        "lead_in_business_days": row.lead_in_business_days,
        "allow_consecutive_skips": row.allow_consecutive_skips,
    }  # fmt: skip


async def current_plan(*, uow: OrdersUnitOfWork) -> Plan:
    return plan_of(await get_settings(uow=uow))


def _check(fields: dict[str, Any]) -> None:
    for i, day in enumerate(fields["closed_weekdays"]):
        if not 0 <= day <= 6:
            raise Invalid("曜日は0（月）〜6（日）で指定してください。", code="invalid_weekday",
                          field=f"closed_weekdays.{i}")  # fmt: skip
    for i, pair in enumerate(fields["closed_nth_weekdays"]):
        if not 1 <= pair["nth"] <= 5:
            raise Invalid("第N週は1〜5で指定してください。", code="invalid_nth_week",
                          field=f"closed_nth_weekdays.{i}.nth")  # fmt: skip
        if not 0 <= pair["weekday"] <= 6:
            raise Invalid("曜日は0（月）〜6（日）で指定してください。", code="invalid_weekday",
                          field=f"closed_nth_weekdays.{i}.weekday")  # fmt: skip
    for name in ("closed_periods", "open_days"):
        if len(fields[name]) > MAX_ENTRIES:
            raise Invalid(f"{MAX_ENTRIES}件までにしてください。", code="too_many", field=name)
    for i, period in enumerate(fields["closed_periods"]):
        if period["ends_on"] < period["starts_on"]:
            raise Invalid("終了日は開始日以降の日付にしてください。", code="invalid_period",
                          field=f"closed_periods.{i}.ends_on")  # fmt: skip
        if (period["ends_on"] - period["starts_on"]).days > 60:
            raise Invalid("休業期間は60日以内にしてください。", code="period_too_long",
                          field=f"closed_periods.{i}.ends_on")  # fmt: skip
    if fields["shift"] not in tuple(Shift):
        raise Invalid("休業日の配送は 前倒し（earlier）か 後ろ倒し（later）です。",
                      code="invalid_choice", field="shift")  # fmt: skip
    if not 0 <= fields["order_lead_days"] <= MAX_LEAD_DAYS:
        raise Invalid(f"受注日は出荷の0〜{MAX_LEAD_DAYS}日前で指定してください。",
                      code="invalid_lead_days", field="order_lead_days")  # fmt: skip


async def put_settings(
    *, fields: dict[str, Any], uow: OrdersUnitOfWork
) -> orm.SubscriptionSettings:
    """Replaces the calendar and settings; every open subscription's next delivery and order
    day are placed again on the new calendar."""
    _check(fields)
    row = await uow.subscriptions.settings()
    if row is None:
        row = defaults(uow.tenant_id)
        uow.subscriptions.add(row)
    row.closed_weekdays = sorted(set(fields["closed_weekdays"]))
    row.closed_nth_weekdays = sorted(
        {(p["nth"], p["weekday"]) for p in fields["closed_nth_weekdays"]}
    )
    row.closed_on_holidays = fields["closed_on_holidays"]
    row.closed_periods = [
        {
            "starts_on": p["starts_on"].isoformat(),
            "ends_on": p["ends_on"].isoformat(),
            "label": (p.get("label") or "休業期間").strip()[:40] or "休業期間",
        }
        for p in fields["closed_periods"]
    ]
    row.open_days = sorted({d.isoformat() for d in fields["open_days"]})
    row.shift = fields["shift"]
    row.order_lead_days = fields["order_lead_days"]
    row.lead_in_business_days = fields["lead_in_business_days"]
    row.allow_consecutive_skips = fields["allow_consecutive_skips"]
    plan = plan_of(row)
    for sub in await uow.subscriptions.open_ones(lock=True):
        plan.place(sub)
    await uow.subscriptions.flush()
    return row


def closed_days(plan: Plan, *, first: date, last: date) -> list[tuple[date, str]]:
    """The days between ``first`` and ``last`` with no delivery, each with why (祝日, 年末年始,
    水曜定休日 …): the settings page's preview of the coming months."""
    found, day = [], first
    while day <= last:
        why = plan.calendar.closed_because(day)
        if why is not None:
            found.append((day, why))
        day += timedelta(days=1)
    return found
