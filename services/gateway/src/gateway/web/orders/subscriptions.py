"""定期 (ORD-3): the subscriptions (by status) and one subscription's page with the preview of
its next deliveries, each with the reason its date moved (「1/1 祝日のため…」), and its steps:
skip the next delivery, pause, resume, cancel with a reason."""

import asyncio
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from gateway.web.common.answers import back, not_found
from gateway.web.common.deps import ClientsDep, StaffPage
from gateway.web.orders.common import SUBSCRIPTION_STATUS, cycle_label, page, reasons_of

router = APIRouter(include_in_schema=False)
STEPS = {"skip": "次回の配送をスキップしました。", "pause": "定期を休止しました。",
         "resume": "定期を再開しました。", "cancel": "定期を解約しました。"}  # fmt: skip


@router.get("/subscriptions", response_class=HTMLResponse)
async def subscription_list(
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    status: Annotated[str, Query(max_length=10)] = "active",
) -> Response:
    chosen = status if status in SUBSCRIPTION_STATUS else None
    found = await clients.orders.subscriptions(status=chosen)
    items = found.items if found else []
    customers = await asyncio.gather(*(clients.customer.customer(i)
                                       for i in {s.customer_id for s in items}))  # fmt: skip
    names = {c.id: c.name for c in customers if c is not None}
    context = {"staff": staff, "items": items, "found": found, "status": chosen, "names": names,
               "cycle_label": cycle_label}  # fmt: skip
    return page(request, "subscriptions.html", context, nav="subscriptions")


@router.get("/subscriptions/{subscription_id}", response_class=HTMLResponse)
async def subscription_page(
    subscription_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    sub = await clients.orders.subscription(subscription_id)
    if sub is None:  # another tenant's id too
        return not_found(request, staff, "定期が見つかりません。", nav="subscriptions")
    preview, customer, reasons = await asyncio.gather(
        clients.orders.preview(subscription_id), clients.customer.customer(sub.customer_id),
        clients.orders.reasons(),
    )  # fmt: skip
    products = {str(p.id): p.name for p in await clients.orders.products() or []}
    context = {"staff": staff, "s": sub, "preview": preview or [], "customer": customer,
               "cycle": cycle_label(sub.cycle), "products": products,
               "cancel_reasons": [r for r in reasons or [] if r.kind == "cancel"]}  # fmt: skip
    return page(request, "subscription.html", context, nav="subscriptions")


def _step_route(step: str) -> None:
    """POST /subscriptions/{id}/<step>: one route per step, so that every path is known."""

    async def subscription_step(
        subscription_id: UUID,
        request: Request,
        staff: StaffPage,
        clients: ClientsDep,
        reason_id: Annotated[str, Form(max_length=40)] = "",
    ) -> Response:
        where = f"/subscriptions/{subscription_id}"
        if step == "cancel" and not reason_id:
            return back(where, error="解約の理由を選んでください。")
        body = {"reason_id": reason_id} if step == "cancel" else None
        reply = await clients.orders.subscription_step(subscription_id, step, body)
        if reply.status_code == 404:  # another tenant's id too
            return not_found(request, staff, "定期が見つかりません。", nav="subscriptions")
        if not reply.ok:
            return back(where, error=" ".join(reasons_of(reply, "変更できませんでした。")))
        return back(where, notice=STEPS[step])

    router.add_api_route(f"/subscriptions/{{subscription_id}}/{step}", subscription_step,
                         methods=["POST"], name=f"subscription_{step}")  # fmt: skip


for _step in STEPS:
    _step_route(_step)
