"""The hot-lead list (LEAD-3: by level then recent activity, counts per level, exclusion in
bulk) and a customer's activity (LEAD-4/5: level and why, reactions, browsing history,
the weekday × hour heat map of when to call, proposal open rate, the timeline)."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from gateway.web.common.answers import back, not_found
from gateway.web.common.deps import ClientsDep, StaffPage
from gateway.web.leads.common import LEVELS, customers_by_id, page

router = APIRouter(include_in_schema=False)
PER_PAGE = 50
WEEKDAYS = "月火水木金土日"


@router.get("/hot-leads", response_class=HTMLResponse)
async def hot_leads(
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    level: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    chosen = level if level in LEVELS else None
    found = await clients.leads.hot_leads(level=chosen)
    items = found.items[:PER_PAGE] if found else []
    names = await customers_by_id(clients, [i.customer_id for i in items])
    context = {"staff": staff, "found": found, "items": items, "names": names, "level": chosen,
               "shown_of": len(found.items) if found else 0}  # fmt: skip
    return page(request, "leads.html", context)


@router.post("/hot-leads/exclusions")
async def exclude(
    staff: StaffPage,
    clients: ClientsDep,
    customer_ids: Annotated[list[str], Form(max_length=PER_PAGE)] = [],  # noqa: B006
) -> Response:
    """ホットリード除外 of the checked rows."""
    if not customer_ids:
        return back("/hot-leads", error="除外するお客様を選んでください。")
    reply = await clients.leads.exclude(customer_ids)
    if not reply.ok:
        return back("/hot-leads", error=reply.message or "除外できませんでした。")
    return back("/hot-leads", notice=f"{len(customer_ids)}件をホットリードから除外しました。")


@router.get("/hot-leads/{customer_id}", response_class=HTMLResponse)
async def customer_activity(
    customer_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    customer = await clients.customer.customer(customer_id)
    if customer is None:  # another tenant's id too
        return not_found(request, staff, "お客様が見つかりません。", nav="leads")
    client = clients.leads
    engagement, activities = (
        await client.engagement(customer_id),
        await client.activities(customer_id),
    )
    context = {"staff": staff, "customer": customer, "e": engagement,
               "activities": activities.items if activities else [], "weekdays": WEEKDAYS}  # fmt: skip
    return page(request, "lead_customer.html", context)


@router.post("/hot-leads/{customer_id}/target")
async def set_target(
    customer_id: UUID,
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    target: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """ホットリード対象 ON/OFF for one customer."""
    on = target == "on"
    reply = await clients.leads.set_target(customer_id, target=on)
    where = f"/hot-leads/{customer_id}"
    if reply.status_code == 404:  # another tenant's customer too
        return not_found(request, staff, "お客様が見つかりません。", nav="leads")
    if not reply.ok:
        return back(where, error=reply.message or "変更できませんでした。")
    return back(
        where, notice="ホットリードの対象にしました。" if on else "ホットリードから除外しました。"
    )
