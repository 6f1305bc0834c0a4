"""入金消込 (ORD-4, seed 002): the bank-transfer file uploaded (入金日,金額,振込依頼人名), each
transfer matched by the service to the one open order of its amount and kana name; the
result, and the transfers left unmatched for a person, who types the order number of the
one it pays. A file of another format is refused with each row reported; nothing is read
from it."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from gateway.web.common.answers import back, not_found
from gateway.web.common.deps import Clients, ClientsDep, StaffPage
from gateway.web.orders.common import page, reasons_of
from gateway.web.orders.files import row_errors, upload_of

router = APIRouter(include_in_schema=False)
NO_ORDER = UUID(int=0)  # names no order: the service answers unknown_order


async def _page(
    request: Request,
    staff,
    clients: Clients,
    context: dict,
    status_code: int = 200,  # type: ignore[no-untyped-def]
) -> Response:
    left = await clients.orders.payments(status="unmatched")
    base = {"staff": staff, "left": left, "result": None, "errors": [], "rows": [],
            "typed": {}, "assign_errors": {}}  # fmt: skip
    return page(request, "payments.html", {**base, **context}, status_code)


@router.get("/orders/payments", response_class=HTMLResponse)
async def payments(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    return await _page(request, staff, clients, {})


@router.post("/orders/payments", response_class=HTMLResponse)
async def bank_upload(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    content = await upload_of(request)
    if content is None:
        return await _page(
            request, staff, clients, {"errors": ["ファイルを選択してください。"]}, 422
        )
    reply = await clients.orders.import_payments(content)
    if not reply.ok:
        context = {"errors": [reasons_of(reply, "取り込めませんでした。")[0]],
                   "rows": row_errors(reply)}  # fmt: skip
        return await _page(request, staff, clients, context, 422)
    return await _page(request, staff, clients, {"result": reply.data})


@router.post("/orders/payments/{payment_id}/assign", response_class=HTMLResponse)
async def assign(
    payment_id: UUID,
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    order_number: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    typed = order_number.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if not typed.isdigit() or not 0 < int(typed) < 2**62:
        problem = "受注番号を数字で入力してください。"
    else:
        order = await clients.orders.order_numbered(int(typed))
        # No order of that number: the service is still asked (for no order), so that a
        # payment of another tenant answers 404 before anything is said of the number.
        reply = await clients.orders.assign_payment(payment_id, order.id if order else NO_ORDER)
        if reply.status_code == 404:  # another tenant's payment too
            return not_found(request, staff, "入金が見つかりません。", nav="orders")
        if reply.ok and order is not None:
            notice = f"入金を受注番号 {order.order_number} に消し込みました。"
            return back("/orders/payments", notice=notice)
        unknown = order is None and reply.code == "unknown_order"
        problem = (f"受注番号 {typed} の受注が見つかりません。" if unknown
                   else reasons_of(reply, "消し込めませんでした。")[0])  # fmt: skip
    context = {
        "typed": {str(payment_id): order_number},
        "assign_errors": {str(payment_id): problem},
    }
    return await _page(request, staff, clients, context, 422)
