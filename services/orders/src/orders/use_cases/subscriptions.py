"""ORD-3 subscriptions (定期): made from an order or from products, on a cycle of days, weeks
or months (a day of the month, 末日, 第N△曜日); the next delivery skipped (never twice in a
row unless the tenant allows it), paused, resumed without a burst of orders, cancelled with
a reason of the master, its cycle changed from the one after next; a preview of the next
deliveries saying why each date moved; the year-end check. Callers own the transaction."""

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

from kit import clock
from kit.errors import Conflict, Invalid, NotFound

from orders.adapters import orm
from orders.adapters.unit_of_work import OrdersUnitOfWork
from orders.domain.schedule import (
    Cycle,
    Delivery,
    ScheduleError,
    Unit,
    first_on_or_after,
    following,
    late_by_closures,
    order_day,
    upcoming,
)
from orders.use_cases.masters import MAX_QUANTITY
from orders.use_cases.placing import Delivery as Address
from orders.use_cases.placing import check_delivery
from orders.use_cases.subscription_calendar import Plan, current_plan

MAX_PREVIEW = 24


@dataclass(frozen=True)
class NewSubscription:
    customer_id: UUID | None
    cycle: dict[str, Any]
    lines: tuple[tuple[UUID, int], ...] = ()
    delivery: Address | None = None
    from_order_id: UUID | None = None
    starts_on: date | None = None  # the first delivery wanted; default: as soon as possible
    staff_id: UUID | None = None
    medium_id: UUID | None = None


def cycle_of(fields: dict[str, Any], *, prefix: str = "cycle") -> Cycle:
    """The domain's cycle, or a 422 naming the field (``cycle.every``)."""
    try:
        unit = Unit(fields.get("unit"))
    except ValueError:
        raise Invalid("周期の単位は days・weeks・months のいずれかです。", code="invalid_choice",
                      field=f"{prefix}.unit") from None  # fmt: skip
    try:
        return Cycle(unit=unit, every=fields.get("every", 1),
                     day_of_month=fields.get("day_of_month"), last_day=bool(fields.get("last_day")),
                     nth_week=fields.get("nth_week"), weekday=fields.get("weekday"))  # fmt: skip
    except ScheduleError as exc:
        raise Invalid(exc.message, code="invalid_cycle", field=f"{prefix}.{exc.field}") from None


def stored_cycle(sub: orm.Subscription) -> Cycle:
    return cycle_of(sub.cycle)


async def _lines(lines: tuple[tuple[UUID, int], ...], uow: OrdersUnitOfWork) -> list[dict]:
    if not lines:
        raise Invalid("商品を1つ以上指定してください。", code="required", field="lines")
    found = await uow.masters.many(orm.Product, ids={product_id for product_id, _ in lines})
    for i, (product_id, quantity) in enumerate(lines):
        product = found.get(product_id)
        if not 1 <= quantity <= MAX_QUANTITY:
            raise Invalid(f"数量は1〜{MAX_QUANTITY:,}で入力してください。",
                          code="invalid_quantity", field=f"lines.{i}.quantity")  # fmt: skip
        if product is None:
            raise Invalid("指定された商品が見つかりません。", code="unknown_product",
                          field=f"lines.{i}.product_id")  # fmt: skip
        if product.retired_at is not None or product.discontinued:
            raise Invalid(f"「{product.name}」は販売を終了しています。",
                          code="product_discontinued", field=f"lines.{i}.product_id")  # fmt: skip
        if not product.subscription_eligible:
            raise Invalid(f"「{product.name}」は定期の対象商品ではありません。",
                          code="not_subscription_product", field=f"lines.{i}.product_id")  # fmt: skip
    return [{"product_id": str(p), "quantity": q} for p, q in lines]


async def _from_order(cmd: NewSubscription, uow: OrdersUnitOfWork) -> NewSubscription:
    """An order's customer, address and (paid, not gift) lines, where the request gives none."""
    order = await uow.orders.get(order_id=cmd.from_order_id)  # type: ignore[arg-type]
    if order is None:
        raise Invalid("指定された受注が見つかりません。", code="unknown_order",
                      field="from_order_id")  # fmt: skip
    lines = (await uow.orders.lines(order_ids=[order.id]))[order.id]
    return NewSubscription(
        customer_id=order.customer_id, cycle=cmd.cycle,
        lines=cmd.lines or tuple((ln.product_id, ln.quantity) for ln in lines if not ln.is_gift),
        delivery=cmd.delivery or Address(**order.delivery), starts_on=cmd.starts_on,
        staff_id=cmd.staff_id or order.staff_id, medium_id=cmd.medium_id or order.medium_id,
    )  # fmt: skip


def earliest_delivery(plan: Plan, today: date) -> date:
    """The first day a delivery can be wanted without its order being late: the order lead
    and one day for the run."""
    return today + timedelta(days=plan.lead_days + 1)


async def create(cmd: NewSubscription, *, uow: OrdersUnitOfWork) -> orm.Subscription:
    source = cmd.from_order_id
    if source is not None:
        cmd = await _from_order(cmd, uow)
    if cmd.customer_id is None:
        raise Invalid("顧客を指定してください。", code="required", field="customer_id")
    # another tenant's customer, or an id no customer has: 404 (kit.customer_refs)
    customer_id = await uow.customer_refs.require(customer_id=cmd.customer_id)
    if cmd.delivery is None:
        raise Invalid("お届け先を指定してください。", code="required", field="delivery")
    check_delivery(cmd.delivery)
    cycle = cycle_of(cmd.cycle)
    lines = await _lines(cmd.lines, uow)
    plan = await current_plan(uow=uow)
    soonest = earliest_delivery(plan, clock.today())
    if cmd.starts_on is not None and cmd.starts_on < soonest:
        raise Invalid(f"初回のお届けは {soonest.month}/{soonest.day} 以降で指定してください。",
                      code="starts_too_soon", field="starts_on")  # fmt: skip
    sub = orm.Subscription(
        id=uuid4(), customer_id=customer_id, status="active", lines=lines,
        delivery=asdict(cmd.delivery), cycle=_cycle_fields(cycle), staff_id=cmd.staff_id,
        medium_id=cmd.medium_id, source_order_id=source, next_cycle_no=1,
        next_on=first_on_or_after(cycle, cmd.starts_on or soonest)[0],
    )  # fmt: skip
    plan.place(sub)
    uow.subscriptions.add(sub)
    await uow.subscriptions.flush()
    return sub


def _cycle_fields(cycle: Cycle) -> dict[str, Any]:
    return {"unit": str(cycle.unit), "every": cycle.every, "day_of_month": cycle.day_of_month,
            "last_day": cycle.last_day, "nth_week": cycle.nth_week, "weekday": cycle.weekday}  # fmt: skip


async def get(
    *, subscription_id: UUID, uow: OrdersUnitOfWork, lock: bool = False
) -> orm.Subscription:
    sub = await uow.subscriptions.get(subscription_id=subscription_id, lock=lock)
    if sub is None:
        raise NotFound("定期が見つかりません。")
    return sub


async def _open(subscription_id: UUID, uow: OrdersUnitOfWork, *, status: str) -> orm.Subscription:
    sub = await get(subscription_id=subscription_id, uow=uow, lock=True)
    if sub.status != status:
        words = {"active": "継続中", "paused": "休止中", "cancelled": "解約済み"}
        raise Conflict(f"この定期は{words[sub.status]}のため、この操作はできません。",
                       code="invalid_status", field="status")  # fmt: skip
    return sub


async def skip_next(*, subscription_id: UUID, uow: OrdersUnitOfWork) -> orm.Subscription:
    """The next delivery is not sent (its cycle is recorded as skipped); the one after it
    becomes the next."""
    sub = await _open(subscription_id, uow, status="active")
    plan = await current_plan(uow=uow)
    if not plan.allow_consecutive_skips and sub.last_skipped_cycle_no == sub.next_cycle_no - 1:
        raise Conflict("前回もスキップしているため、2回続けてスキップできません。",
                       code="skip_twice", field="subscription_id")  # fmt: skip
    if await uow.subscriptions.claim_cycle(sub, status="skipped",
                                           delivers_on=sub.next_delivers_on) is None:  # fmt: skip
        raise Conflict("次回分は既に受注済みのためスキップできません。", code="already_ordered",
                       field="subscription_id")  # fmt: skip
    sub.last_skipped_cycle_no = sub.next_cycle_no
    advance(sub, plan)
    await uow.subscriptions.flush()
    return sub


def advance(sub: orm.Subscription, plan: Plan) -> None:
    """The cycle after the next one becomes the next."""
    sub.next_cycle_no += 1
    sub.next_on = following(stored_cycle(sub), sub.next_on)
    plan.place(sub)


async def pause(*, subscription_id: UUID, uow: OrdersUnitOfWork) -> orm.Subscription:
    sub = await _open(subscription_id, uow, status="active")
    sub.status, sub.paused_at = "paused", clock.now()
    await uow.subscriptions.flush()
    return sub


async def resume(
    *, subscription_id: UUID, uow: OrdersUnitOfWork, today: date | None = None
) -> orm.Subscription:
    """The next delivery is the later of the stored one and the soonest one an order can
    still be made for (resume + lead + 1 day), on the cycle: the deliveries missed while
    paused are not made up in a burst."""
    sub = await _open(subscription_id, uow, status="paused")
    plan = await current_plan(uow=uow)
    soonest = earliest_delivery(plan, today or clock.today())
    if sub.next_on < soonest:
        sub.next_on = first_on_or_after(stored_cycle(sub), soonest)[0]
    sub.status, sub.paused_at = "active", None
    plan.place(sub)
    await uow.subscriptions.flush()
    return sub


async def cancel(
    *, subscription_id: UUID, reason_id: UUID, uow: OrdersUnitOfWork
) -> orm.Subscription:
    sub = await get(subscription_id=subscription_id, uow=uow, lock=True)
    if sub.status == "cancelled":
        raise Conflict("この定期は既に解約されています。", code="invalid_status", field="status")
    reason = await uow.masters.get(orm.Reason, id=reason_id)
    if reason is None or reason.retired_at is not None or reason.kind != "cancel":
        raise Invalid("解約理由を解約理由マスタから選んでください。", code="unknown_reason",
                      field="reason_id")  # fmt: skip
    sub.status, sub.cancelled_at, sub.cancel_reason_id = "cancelled", clock.now(), reason_id
    await uow.subscriptions.flush()
    return sub


async def change_cycle(
    *, subscription_id: UUID, cycle: dict[str, Any], uow: OrdersUnitOfWork
) -> orm.Subscription:
    """The next delivery keeps its date; the new cycle counts from it, so the one after next
    is the first on the new cycle."""
    sub = await get(subscription_id=subscription_id, uow=uow, lock=True)
    if sub.status == "cancelled":
        raise Conflict("解約済みの定期は変更できません。", code="invalid_status", field="status")
    sub.cycle = _cycle_fields(cycle_of(cycle))
    await uow.subscriptions.flush()
    return sub


async def change_preview(
    *, subscription_id: UUID, cycle: dict[str, Any], count: int, uow: OrdersUnitOfWork
) -> list[tuple[int, Delivery, date]]:
    """The next ``count`` deliveries were the cycle changed as ``change_cycle`` would (the next
    one kept, the new cycle from the one after): nothing is saved."""
    sub = await get(subscription_id=subscription_id, uow=uow)
    if sub.status == "cancelled":
        raise Conflict("解約済みの定期は変更できません。", code="invalid_status", field="status")
    changed = orm.Subscription(cycle=_cycle_fields(cycle_of(cycle)), next_on=sub.next_on,
                               next_cycle_no=sub.next_cycle_no)  # fmt: skip
    plan = await current_plan(uow=uow)
    try:
        return _preview(changed, plan, count)
    except ScheduleError as exc:
        raise Invalid(exc.message, code="calendar_closed", field=exc.field) from None


async def preview(
    *, subscription_id: UUID, count: int, uow: OrdersUnitOfWork
) -> list[tuple[int, Delivery, date]]:
    """The next ``count`` deliveries: cycle number, the delivery (nominal, moved, why) and
    the day its order is made."""
    sub = await get(subscription_id=subscription_id, uow=uow)
    plan = await current_plan(uow=uow)
    return _preview(sub, plan, count)


def _preview(sub: orm.Subscription, plan: Plan, count: int) -> list[tuple[int, Delivery, date]]:
    found = upcoming(stored_cycle(sub), next_on=sub.next_on, count=count,
                     calendar_=plan.calendar, shift=plan.shift)  # fmt: skip
    return [
        (
            sub.next_cycle_no + i,
            d,
            order_day(
                d.delivers_on,
                lead_days=plan.lead_days,
                business_days=plan.business_days,
                calendar_=plan.calendar,
            ),
        )
        for i, d in enumerate(found)
    ]


def draft_preview(
    *, cycle: dict[str, Any], starts_on: date | None, count: int, plan: Plan
) -> list[tuple[int, Delivery, date]]:
    """The first ``count`` deliveries of a subscription not yet made (the new-subscription
    form shows them before saving): the same cycle and first-day rules as ``create``."""
    found = cycle_of(cycle)
    soonest = earliest_delivery(plan, clock.today())
    if starts_on is not None and starts_on < soonest:
        raise Invalid(f"初回のお届けは {soonest.month}/{soonest.day} 以降で指定してください。",
                      code="starts_too_soon", field="starts_on")  # fmt: skip
    first = first_on_or_after(found, starts_on or soonest)[0]
    sub = orm.Subscription(cycle=_cycle_fields(found), next_on=first, next_cycle_no=1)
    try:
        return _preview(sub, plan, count)
    except ScheduleError as exc:
        raise Invalid(exc.message, code="calendar_closed", field=exc.field) from None


MAX_WINDOW_DAYS = 366


def check_window(first: date, last: date) -> None:
    if last < first:
        raise Invalid(
            "終了日は開始日以降の日付にしてください。", code="invalid_period", field="last"
        )
    if (last - first).days > MAX_WINDOW_DAYS:
        raise Invalid("期間は1年以内で指定してください。", code="period_too_long", field="last")


async def year_end_check(
    *, first: date, last: date, uow: OrdersUnitOfWork
) -> list[tuple[orm.Subscription, int, Delivery]]:
    """The active subscriptions with a delivery nominally between ``first`` and ``last``
    that holidays and closed periods deliver later than the weekly closures alone would
    (遅配 over 年末年始, お盆 …): each with the cycle number and the move."""
    plan = await current_plan(uow=uow)
    late = []
    for sub in await uow.subscriptions.active_until(last=last):
        cycle, nominal, no = stored_cycle(sub), sub.next_on, sub.next_cycle_no
        while nominal <= last:
            if nominal >= first:
                [d] = upcoming(cycle, next_on=nominal, count=1, calendar_=plan.calendar,
                               shift=plan.shift)  # fmt: skip
                if late_by_closures(nominal, calendar_=plan.calendar, shift=plan.shift):
                    late.append((sub, no, d))
            nominal, no = following(cycle, nominal), no + 1
    return late
