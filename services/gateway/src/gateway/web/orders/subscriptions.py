"""定期 (ORD-3): the subscriptions (by status) and one subscription's page with the preview of
its next deliveries, each with the reason its date moved (「1/1 祝日のため…」), and its steps:
skip the next delivery, pause, resume, cancel with a reason, and 周期の変更: the cycle form of the
new subscription's page, the deliveries after the change previewed (the next one keeps its
date; the new cycle counts from the one after next), then saved."""

import asyncio
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from gateway.use_cases.accounts import Staff
from gateway.web.common.answers import back, not_found
from gateway.web.common.deps import Clients, ClientsDep, StaffPage
from gateway.web.orders.common import (
    SUBSCRIPTION_STATUS,
    UNITS,
    WEEKDAYS,
    cycle_form,
    cycle_label,
    field_errors,
    page,
    read_cycle,
    reasons_of,
)

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


async def _subscription(
    request: Request, staff: Staff, clients: Clients, subscription_id: UUID,
    form: dict[str, str] | None = None, errors: dict[str, str] | None = None,
    changed: list[Any] | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    """The page; ``form``/``errors``/``changed`` are the 周期の変更 as typed, its refusals
    beside the fields and the deliveries after the change (before it is saved)."""
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
               "cancel_reasons": [r for r in reasons or [] if r.kind == "cancel"],
               "form": form or cycle_form(sub.cycle), "errors": errors or {},
               "changed": changed, "units": UNITS, "weekdays": WEEKDAYS}  # fmt: skip
    return page(request, "subscription.html", context, status_code, nav="subscriptions")


@router.get("/subscriptions/{subscription_id}", response_class=HTMLResponse)
async def subscription_page(
    subscription_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    return await _subscription(request, staff, clients, subscription_id)


@router.post("/subscriptions/{subscription_id}/cycle", response_class=HTMLResponse)
async def change_cycle(
    subscription_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    """action=preview: the deliveries after the change; action=save: the change itself."""
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    errors: dict[str, str] = {}
    cycle = read_cycle(form, errors)
    found = await clients.orders.cycle_preview(subscription_id, cycle)
    if found.status_code == 404:  # another tenant's id too
        return not_found(request, staff, "定期が見つかりません。", nav="subscriptions")
    changed = found.data if found.ok else None
    if not found.ok:
        errors = {**field_errors(found), **errors} or {
            "": reasons_of(found, "確認できませんでした。")[0]
        }
    if errors or form.get("action") != "save":
        return await _subscription(request, staff, clients, subscription_id, form, errors,
                                   changed, 422 if errors else 200)  # fmt: skip
    reply = await clients.orders.change_cycle(subscription_id, cycle)
    if not reply.ok:
        errors = field_errors(reply) or {"": reasons_of(reply, "変更できませんでした。")[0]}
        return await _subscription(request, staff, clients, subscription_id, form, errors,
                                   changed, 422)  # fmt: skip
    return back(f"/subscriptions/{subscription_id}",
                notice=f"周期を「{cycle_label(cycle)}」に変更しました。次々回のお届けから変わります。")  # fmt: skip


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
