"""ORD-4 returns (返品入力) and cancellations, each with a reason of the tenant's reasons
master and its event in the outbox of the same transaction. A return takes back some of an
order's goods (never more than were ordered, counting earlier returns) and refunds them at
the order's prices with tax rounded once per rate by the order's method; shipping and
discounts stay with the order (the shop decides on them). A cancellation is for an order not
yet shipped. Callers own the transaction."""

from dataclasses import dataclass
from uuid import UUID, uuid4

from contracts.orders import OrderCancelledV1, OrderReturnedV1, ReturnedLine
from kit import clock
from kit.errors import Conflict, Invalid, NotFound

from orders.adapters import orm
from orders.adapters.unit_of_work import OrdersUnitOfWork
from orders.domain.tax import Rounding, TaxedAmount, compute_totals


@dataclass(frozen=True)
class ReturnRequest:
    order_id: UUID
    reason_id: UUID
    lines: tuple[tuple[int, int], ...]  # (line_no, quantity)
    note: str = ""


async def _order(order_id: UUID, uow: OrdersUnitOfWork) -> orm.Order:
    order = await uow.after_sales.order_for_update(order_id=order_id)
    if order is None:
        raise NotFound("受注が見つかりません。")
    if order.customer_id is None:  # a web-shop order still being linked to its customer
        raise Conflict("お客様の特定が済んでいない受注です。しばらくしてからやり直してください。",
                       code="customer_pending", field="order_id")  # fmt: skip
    return order


async def _reason(reason_id: UUID, kind: str, uow: OrdersUnitOfWork) -> orm.Reason:
    reason = await uow.masters.get(orm.Reason, id=reason_id)
    if reason is None or reason.retired_at is not None or reason.kind != kind:
        words = "返品理由" if kind == "return" else "キャンセル理由"
        raise Invalid(f"{words}を解約（返品）理由マスタから選んでください。",
                      code="unknown_reason", field="reason_id")  # fmt: skip
    return reason


async def return_goods(req: ReturnRequest, *, uow: OrdersUnitOfWork) -> orm.OrderReturn:
    order = await _order(req.order_id, uow)
    if order.status == "cancelled":
        raise Conflict("キャンセル済みの受注は返品できません。", code="order_cancelled",
                       field="order_id")  # fmt: skip
    reason = await _reason(req.reason_id, "return", uow)
    if not req.lines:
        raise Invalid("返品する商品を指定してください。", code="required", field="lines")
    ordered = {ln.line_no: ln for ln in (await uow.orders.lines(order_ids=[order.id]))[order.id]}
    returned: dict[int, int] = {}
    for earlier in await uow.after_sales.returns(order_id=order.id):
        for ln in earlier.lines:
            returned[ln["line_no"]] = returned.get(ln["line_no"], 0) + ln["quantity"]
    taken, seen = [], set()
    for i, (line_no, quantity) in enumerate(req.lines):
        line = ordered.get(line_no)
        if line is None or line_no in seen:
            raise Invalid("受注にない明細です。", code="unknown_line", field=f"lines.{i}.line_no")
        seen.add(line_no)
        left = line.quantity - returned.get(line_no, 0)
        if not 1 <= quantity <= left:
            raise Invalid(f"返品できる数量は1〜{left}です。" if left else "この明細は返品済みです。",
                          code="invalid_quantity", field=f"lines.{i}.quantity")  # fmt: skip
        taken.append({"line_no": line_no, "product_id": str(line.product_id),
                      "product_name": line.product_name, "quantity": quantity,
                      "tax_rate": line.tax_rate, "amount_yen": line.unit_price_yen * quantity})  # fmt: skip
    refund = compute_totals((TaxedAmount(t["amount_yen"], t["tax_rate"]) for t in taken),
                            shipping_fee_yen=0, discount_yen=0,
                            rounding=Rounding(order.tax_rounding)).total_yen  # fmt: skip
    row = orm.OrderReturn(id=uuid4(), order_id=order.id, reason_id=reason.id,
                          reason_text=reason.text, lines=taken, refund_yen=refund,
                          note=req.note.strip()[:500], returned_at=clock.now())  # fmt: skip
    uow.after_sales.add(row)
    await uow.after_sales.flush()
    await uow.add_event(OrderReturnedV1(
        return_id=row.id, order_id=order.id, customer_id=order.customer_id,
        order_number=order.order_number, returned_at=row.returned_at, reason_id=reason.id,
        reason=reason.text, refund_yen=refund,
        lines=[ReturnedLine(product_id=UUID(t["product_id"]), product_name=t["product_name"],
                            quantity=t["quantity"], amount_yen=t["amount_yen"]) for t in taken],
    ))  # fmt: skip
    return row


async def returns_of(*, order_id: UUID, uow: OrdersUnitOfWork) -> list[orm.OrderReturn]:
    if await uow.orders.get(order_id=order_id) is None:
        raise NotFound("受注が見つかりません。")
    return await uow.after_sales.returns(order_id=order_id)


async def cancel_order(*, order_id: UUID, reason_id: UUID, uow: OrdersUnitOfWork) -> orm.Order:
    order = await _order(order_id, uow)
    if order.status == "cancelled":
        raise Conflict("この受注は既にキャンセルされています。", code="order_cancelled",
                       field="order_id")  # fmt: skip
    if await uow.after_sales.is_shipped(order_id=order.id):
        raise Conflict("出荷済みの受注はキャンセルできません。返品として入力してください。",
                       code="already_shipped", field="order_id")  # fmt: skip
    reason = await _reason(reason_id, "cancel", uow)
    order.status, order.cancelled_at, order.cancel_reason_id = "cancelled", clock.now(), reason.id
    await uow.after_sales.flush()
    await uow.add_event(OrderCancelledV1(
        order_id=order.id, customer_id=order.customer_id, order_number=order.order_number,
        cancelled_at=order.cancelled_at, reason_id=reason.id, reason=reason.text,
        total_yen=order.total_yen,
    ))  # fmt: skip
    return order
