"""ORD-4 returns (返品入力), cancellations and payment reconciliation (入金管理)."""

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import JSONResponse
from kit.clock import JstDatetime
from kit.http import CSV, raw_body
from pydantic import BaseModel, ConfigDict, Field

from orders.entrypoints.deps import StaffOnly, TxDep, UowDep
from orders.entrypoints.schemas import OrderRead
from orders.use_cases import payments, returns
from orders.use_cases.orders import get_order

router = APIRouter(dependencies=[StaffOnly])
MAX_BANK_FILE_BYTES = 5 * 1024 * 1024


class ReturnLineWrite(BaseModel):
    line_no: int
    quantity: int


class ReturnWrite(BaseModel):
    reason_id: UUID  # a return reason of the reasons master
    lines: list[ReturnLineWrite] = Field(max_length=200)
    note: str = Field("", max_length=500)


class ReturnedLineRead(BaseModel):
    line_no: int
    product_id: UUID
    product_name: str
    quantity: int
    tax_rate: int
    amount_yen: int


class ReturnRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    order_id: UUID
    reason_id: UUID
    reason_text: str
    lines: list[ReturnedLineRead]
    refund_yen: int
    note: str
    returned_at: JstDatetime


class CancelOrder(BaseModel):
    reason_id: UUID  # a cancel reason of the reasons master


class ReconciledRead(BaseModel):
    import_id: UUID
    rows: int
    matched: int
    unmatched: int


class PaymentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    line: int
    paid_on: date
    amount_yen: int
    payer: str
    status: str  # matched | unmatched | assigned
    order_id: UUID | None
    note: str | None


class PaymentPage(BaseModel):
    items: list[PaymentRead]
    total: int
    page: int
    per_page: int


class AssignWrite(BaseModel):
    order_id: UUID


@router.post("/orders/{order_id}/returns", status_code=status.HTTP_201_CREATED)
async def return_goods(order_id: UUID, body: ReturnWrite, tx: TxDep) -> ReturnRead:
    req = returns.ReturnRequest(order_id=order_id, reason_id=body.reason_id, note=body.note,
                                lines=tuple((ln.line_no, ln.quantity) for ln in body.lines))  # fmt: skip
    return ReturnRead.model_validate(await tx.run(lambda uow: returns.return_goods(req, uow=uow)))


@router.get("/orders/{order_id}/returns")
async def list_returns(order_id: UUID, uow: UowDep) -> list[ReturnRead]:
    return [
        ReturnRead.model_validate(r) for r in await returns.returns_of(order_id=order_id, uow=uow)
    ]


@router.post("/orders/{order_id}/cancel")
async def cancel_order(order_id: UUID, body: CancelOrder, tx: TxDep) -> OrderRead:
    async def work(uow):  # type: ignore[no-untyped-def]
        await returns.cancel_order(order_id=order_id, reason_id=body.reason_id, uow=uow)
        return await get_order(order_id=order_id, uow=uow)

    return OrderRead.of(await tx.run(work))


@router.post(
    "/payment-imports",
    responses={200: {"model": ReconciledRead}},
    openapi_extra=raw_body(CSV, "銀行の入金明細 (入金日,金額,振込依頼人名)"),
)
async def import_bank_file(request: Request, tx: TxDep) -> JSONResponse:
    """A bank-transfer CSV as the raw body (入金日,金額,振込依頼人名; see docs/orders.md)."""
    content = await request.body()
    if len(content) > MAX_BANK_FILE_BYTES:
        detail = {
            "code": "too_large",
            "message": "ファイルが大きすぎます（5MBまで）。",
            "field": "file",
        }
        return JSONResponse({"detail": detail}, status_code=413)
    done = await tx.run(lambda uow: payments.import_bank_file(content=content, uow=uow))
    read = ReconciledRead(import_id=done.import_id, rows=done.rows, matched=done.matched,
                          unmatched=done.unmatched)  # fmt: skip
    return JSONResponse(read.model_dump(mode="json"))


@router.get("/payments")
async def list_payments(
    uow: UowDep,
    status: Annotated[str | None, Query(pattern="^(matched|unmatched|assigned)$")] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 50,
) -> PaymentPage:
    """``status=unmatched``: the transfers left for a person."""
    found, total = await uow.after_sales.payments(status=status, limit=per_page,
                                                  offset=(page - 1) * per_page)  # fmt: skip
    items = [PaymentRead.model_validate(p) for p in found]
    return PaymentPage(items=items, total=total, page=page, per_page=per_page)


@router.post("/payments/{payment_id}/assign")
async def assign_payment(payment_id: UUID, body: AssignWrite, tx: TxDep) -> PaymentRead:
    found = await tx.run(
        lambda uow: payments.assign(payment_id=payment_id, order_id=body.order_id, uow=uow)
    )
    return PaymentRead.model_validate(found)
