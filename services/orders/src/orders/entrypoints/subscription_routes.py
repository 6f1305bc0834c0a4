"""ORD-3 subscriptions (定期), the delivery calendar, the daily run's record and the day's
shipping list. Paths without an id are declared before ``/subscriptions/{id}``."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, status
from fastapi.responses import StreamingResponse
from kit import clock
from kit.auth import CurrentPrincipal
from kit.http import CSV, file_answer
from kit.inputs import Day

from orders.entrypoints.deps import AdminOnly, StaffOnly, TxDep, UowDep
from orders.entrypoints.subscription_schemas import (
    CalendarSettings,
    CancelWrite,
    ClosedDay,
    CycleChange,
    DeliveryRead,
    LateDelivery,
    PreviewItem,
    RunRead,
    ShipmentRead,
    SubscriptionCreate,
    SubscriptionDetail,
    SubscriptionDraft,
    SubscriptionPage,
    SubscriptionRead,
)
from orders.entrypoints.subscription_worker import run_tenant
from orders.use_cases import subscription_calendar as calendar
from orders.use_cases import subscription_shipments as shipping
from orders.use_cases import subscriptions as subs
from orders.use_cases.placing import Delivery

router = APIRouter(dependencies=[StaffOnly])


@router.get("/subscription-settings")
async def get_calendar(uow: UowDep) -> CalendarSettings:
    row = await calendar.get_settings(uow=uow)
    return CalendarSettings.model_validate(calendar.fields_of(row))


@router.put("/subscription-settings", dependencies=[AdminOnly])
async def put_calendar(body: CalendarSettings, tx: TxDep) -> CalendarSettings:
    row = await tx.run(lambda uow: calendar.put_settings(fields=body.model_dump(), uow=uow))
    return CalendarSettings.model_validate(calendar.fields_of(row))


@router.get("/subscription-settings/closed-days")
async def closed_days(uow: UowDep, first: Day, last: Day) -> list[ClosedDay]:
    """The days between ``first`` and ``last`` (a year at most) with no delivery, and why."""
    subs.check_window(first, last)
    plan = await calendar.current_plan(uow=uow)
    return [ClosedDay(day=d, reason=why) for d, why in calendar.closed_days(plan, first=first,
                                                                           last=last)]  # fmt: skip


@router.post("/subscriptions/preview")
async def preview_draft(body: SubscriptionDraft, uow: UowDep) -> list[PreviewItem]:
    """The first deliveries of a subscription not yet made (nothing is saved)."""
    plan = await calendar.current_plan(uow=uow)
    found = subs.draft_preview(cycle=body.cycle.model_dump(), starts_on=body.starts_on,
                               count=body.count, plan=plan)  # fmt: skip
    return [PreviewItem(cycle_no=no, nominal_on=d.nominal, delivers_on=d.delivers_on,
                        order_on=order_on, reason=d.reason) for no, d, order_on in found]  # fmt: skip


@router.post("/subscriptions", status_code=status.HTTP_201_CREATED)
async def create_subscription(body: SubscriptionCreate, tx: TxDep) -> SubscriptionRead:
    cmd = subs.NewSubscription(
        customer_id=body.customer_id, cycle=body.cycle.model_dump(),
        lines=tuple((ln.product_id, ln.quantity) for ln in body.lines),
        delivery=Delivery(**body.delivery.model_dump()) if body.delivery else None,
        from_order_id=body.from_order_id, starts_on=body.starts_on, staff_id=body.staff_id,
        medium_id=body.medium_id,
    )  # fmt: skip
    return SubscriptionRead.model_validate(await tx.run(lambda uow: subs.create(cmd, uow=uow)))


@router.get("/subscriptions")
async def list_subscriptions(
    uow: UowDep,
    customer_id: UUID | None = None,
    status: Annotated[str | None, Query(pattern="^(active|paused|cancelled)$")] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> SubscriptionPage:
    found, total = await uow.subscriptions.search(
        customer_id=customer_id, status=status, limit=per_page, offset=(page - 1) * per_page
    )
    items = [SubscriptionRead.model_validate(s) for s in found]
    return SubscriptionPage(items=items, total=total, page=page, per_page=per_page)


@router.get("/subscriptions/year-end-check")
async def year_end_check(uow: UowDep, first: Day, last: Day) -> list[LateDelivery]:
    """The active subscriptions whose deliveries between ``first`` and ``last`` the
    calendar's closures (年末年始 …) make late."""
    subs.check_window(first, last)
    found = await subs.year_end_check(first=first, last=last, uow=uow)
    return [
        LateDelivery(
            subscription_id=s.id,
            customer_id=s.customer_id,
            cycle_no=no,
            nominal_on=d.nominal,
            delivers_on=d.delivers_on,
            days_late=(d.delivers_on - d.nominal).days,
            reason=d.reason,
        )
        for s, no, d in found
    ]


@router.post("/subscription-runs", dependencies=[AdminOnly])
async def run_now(tx: TxDep, principal: CurrentPrincipal) -> RunRead:
    """The daily run for this tenant now (the worker does it on its own every few minutes)."""
    run = await run_tenant(tx, today=clock.today(), started_by=principal.user_id)
    return RunRead.model_validate(run)


@router.get("/subscription-runs/last")
async def last_run(uow: UowDep) -> RunRead:
    return RunRead.model_validate(await shipping.last_run(uow=uow))


@router.get("/subscription-shipments")
async def day_shipments(uow: UowDep, day: Day) -> list[ShipmentRead]:
    """定期発送一覧: the subscription orders to be delivered on ``day``."""
    return [ShipmentRead.model_validate(s, from_attributes=True)
            for s in await shipping.shipments(day=day, uow=uow)]  # fmt: skip


@router.get("/subscription-shipments.csv", **file_answer(CSV, "定期発送一覧表 (UTF-8 BOM)"))
async def day_shipments_csv(uow: UowDep, day: Day) -> StreamingResponse:
    """定期発送一覧表, for Excel (UTF-8 with BOM, CRLF)."""
    body = await shipping.shipments_csv(day=day, uow=uow)
    name = f"subscription-shipments-{day.isoformat()}.csv"
    return StreamingResponse(body, media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


@router.get("/subscriptions/{subscription_id}")
async def get_subscription(subscription_id: UUID, uow: UowDep) -> SubscriptionDetail:
    sub = await subs.get(subscription_id=subscription_id, uow=uow)
    read = SubscriptionDetail.model_validate(sub)
    found = await uow.subscriptions.deliveries(subscription_id=sub.id)
    read.deliveries = [DeliveryRead.model_validate(d) for d in found]
    return read


@router.get("/subscriptions/{subscription_id}/preview")
async def preview(
    subscription_id: UUID, uow: UowDep, count: Annotated[int, Query(ge=1, le=subs.MAX_PREVIEW)] = 6
) -> list[PreviewItem]:
    found = await subs.preview(subscription_id=subscription_id, count=count, uow=uow)
    return [PreviewItem(cycle_no=no, nominal_on=d.nominal, delivers_on=d.delivers_on,
                        order_on=order_on, reason=d.reason) for no, d, order_on in found]  # fmt: skip


@router.post("/subscriptions/{subscription_id}/cycle/preview")
async def preview_cycle_change(
    subscription_id: UUID,
    body: CycleChange,
    uow: UowDep,
    count: Annotated[int, Query(ge=1, le=subs.MAX_PREVIEW)] = 6,
) -> list[PreviewItem]:
    """The next deliveries were the cycle changed (PUT .../cycle): the next one as it is, the
    new cycle from the one after next. Nothing is saved."""
    found = await subs.change_preview(subscription_id=subscription_id,
                                      cycle=body.cycle.model_dump(), count=count, uow=uow)  # fmt: skip
    return [PreviewItem(cycle_no=no, nominal_on=d.nominal, delivers_on=d.delivers_on,
                        order_on=order_on, reason=d.reason) for no, d, order_on in found]  # fmt: skip


@router.post("/subscriptions/{subscription_id}/skip")
async def skip(subscription_id: UUID, tx: TxDep) -> SubscriptionRead:
    found = await tx.run(lambda uow: subs.skip_next(subscription_id=subscription_id, uow=uow))
    return SubscriptionRead.model_validate(found)


@router.post("/subscriptions/{subscription_id}/pause")
async def pause(subscription_id: UUID, tx: TxDep) -> SubscriptionRead:
    found = await tx.run(lambda uow: subs.pause(subscription_id=subscription_id, uow=uow))
    return SubscriptionRead.model_validate(found)


@router.post("/subscriptions/{subscription_id}/resume")
async def resume(subscription_id: UUID, tx: TxDep) -> SubscriptionRead:
    found = await tx.run(lambda uow: subs.resume(subscription_id=subscription_id, uow=uow))
    return SubscriptionRead.model_validate(found)


@router.post("/subscriptions/{subscription_id}/cancel")
async def cancel(subscription_id: UUID, body: CancelWrite, tx: TxDep) -> SubscriptionRead:
    found = await tx.run(
        lambda uow: subs.cancel(subscription_id=subscription_id, reason_id=body.reason_id, uow=uow)
    )
    return SubscriptionRead.model_validate(found)


@router.put("/subscriptions/{subscription_id}/cycle")
async def change_cycle(subscription_id: UUID, body: CycleChange, tx: TxDep) -> SubscriptionRead:
    cycle = body.cycle.model_dump()
    found = await tx.run(
        lambda uow: subs.change_cycle(subscription_id=subscription_id, cycle=cycle, uow=uow)
    )
    return SubscriptionRead.model_validate(found)
