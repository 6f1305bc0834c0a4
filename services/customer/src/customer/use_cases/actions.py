"""アクション履歴 (CUS-9): approaches to the customer — entered by staff (電話営業, DM, メルマガ,
カタログ送付) or recorded from the leads service's mail sends (EmailSent) — and which of them
led to a sale: OrderPlaced credits the customer's latest uncredited action within
``ATTRIBUTION_DAYS`` before the order (last touch, one order per action; subscription runs
credit nothing). アクション別売上集計 counts the credited orders that still stand."""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from contracts import EmailSentV1, Envelope, OrderPlacedV1
from kit import clock
from kit.errors import NotFound

from customer.adapters.histories import japan_day_bounds
from customer.adapters.orm_histories import CustomerAction
from customer.adapters.unit_of_work import CustomerUnitOfWork
from customer.domain import histories
from customer.domain.errors import HistoryError
from customer.use_cases.notify import contact_recorded

TIMELINE_LIMIT = 200
MAX_REPORT_DAYS = 366
MESSAGE_KINDS = {"newsletter": "newsletter", "broadcast": "newsletter"}


async def add_action(
    *,
    customer_id: UUID,
    kind: str,
    note: str | None,
    occurred_at: datetime | None,
    by: UUID | None,
    uow: CustomerUnitOfWork,
) -> CustomerAction:
    now = clock.now()
    histories.check_moment(occurred_at, now=now)
    text = histories.check_action(kind=kind, note=note)
    customer_id = await uow.merges.resolve(customer_id=customer_id)
    if await uow.customers.row(customer_id=customer_id) is None:
        raise NotFound("お客様が見つかりません。")
    at = occurred_at or now
    row = await uow.actions.add(values={
        "customer_id": customer_id, "kind": kind, "occurred_at": at, "staff_id": by,
        "source": "staff", "note": text,
    })  # fmt: skip
    assert row is not None  # staff actions carry no source_ref
    await uow.activity.touch(customer_id=customer_id, at=at, kind=f"action:{kind}")
    await contact_recorded(row, uow=uow)
    return row


async def record_email_sent(
    event: EmailSentV1, *, envelope: Envelope, uow: CustomerUnitOfWork
) -> None:
    """A newsletter or a mail of the leads service sent to the customer: an action."""
    customer_id = await uow.merges.resolve(customer_id=event.customer_id)
    if await uow.customers.row(customer_id=customer_id) is None:
        return  # deleted since: nothing to record it on
    kind = MESSAGE_KINDS.get(event.message_kind, "mail")
    row = await uow.actions.add(values={
        "customer_id": customer_id, "kind": kind, "occurred_at": event.sent_at,
        "source": "leads", "source_ref": f"mail:{event.message_id}:{event.customer_id}",
        "note": event.subject,
    })  # fmt: skip
    if row is not None:  # a redelivered send was recorded (and published) already
        await uow.activity.touch(customer_id=customer_id, at=event.sent_at, kind=f"action:{kind}")
        await contact_recorded(row, uow=uow, causation_id=envelope.event_id)


async def credit_order(event: OrderPlacedV1, *, customer_id: UUID, uow: CustomerUnitOfWork) -> None:
    if event.subscription_id is not None or event.channel == "subscription":
        return  # a subscription run is the customer's standing order, no action's success
    since, until = histories.attribution_window(event.ordered_at)
    await uow.actions.credit_order(
        customer_id=customer_id, order_id=event.order_id, since=since, until=until
    )


async def timeline(*, customer_id: UUID, uow: CustomerUnitOfWork) -> list[CustomerAction]:
    if await uow.customers.row(customer_id=customer_id) is None:
        raise NotFound("お客様が見つかりません。")
    return await uow.actions.of_customer(customer_id=customer_id, limit=TIMELINE_LIMIT)


@dataclass(frozen=True)
class SalesByAction:
    kind: str
    label: str
    actions: int
    led_to_sale: int
    sales_yen: int


async def sales_by_action(
    *, start: date | None, end: date | None, uow: CustomerUnitOfWork
) -> tuple[date, date, list[SalesByAction]]:
    """Actions taken from ``start`` to ``end`` (Japan dates, both included; the last 30 days
    by default) per kind, with the orders credited to them."""
    end = end or clock.today()
    start = start or date.fromordinal(end.toordinal() - 29)
    if start > end:
        message = "終了日は開始日と同じか、それより後の日付を指定してください。"
        raise HistoryError(message, code="range_reversed", field="to", errors=[
            {"code": "range_reversed", "field": "to", "message": message},
            {"code": "range_reversed", "field": "from", "message": "開始日は終了日以前の日付を指定してください。"},
        ])  # fmt: skip
    if (end - start).days >= MAX_REPORT_DAYS:
        message = f"集計期間は{MAX_REPORT_DAYS}日（1年）以内で指定してください。"
        raise HistoryError(message, code="range_too_long", field="from",
                           errors=[{"code": "range_too_long", "field": "from", "message": message}])  # fmt: skip
    rows = await uow.actions.sales_by_kind(
        start=japan_day_bounds(start)[0], end=japan_day_bounds(end)[1]
    )
    found = {r[0]: r for r in rows}
    items = [
        SalesByAction(kind=k, label=label, actions=int(found[k][1]) if k in found else 0,
                      led_to_sale=int(found[k][2]) if k in found else 0,
                      sales_yen=int(found[k][3]) if k in found else 0)
        for k, label in histories.ACTION_KINDS.items()
    ]  # fmt: skip
    return start, end, items
