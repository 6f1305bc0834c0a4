"""The mails of LEAD-6 from the staff's side: a newsletter (メールマガジン) scheduled for a date
and time in Japan, a step-mail sequence, and a proposal of chosen properties to one customer.
The leads service sends them (to opted-in customers, with an unsubscribe link)."""

import asyncio
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from gateway.use_cases.salon_catalog import tenant_stores
from gateway.web.common.answers import back, not_found
from gateway.web.common.deps import ClientsDep, StaffPage, tenant_uow
from gateway.web.leads.common import page

router = APIRouter(include_in_schema=False)
STEPS = 5  # rows of the sequence form; empty rows are left out


@router.get("/hot-leads/mails", response_class=HTMLResponse)
async def mails_page(request: Request, staff: StaffPage) -> Response:
    return page(request, "lead_mails.html", {"staff": staff, "steps": range(STEPS)})


@router.post("/hot-leads/mails/newsletter")
async def schedule_newsletter(
    staff: StaffPage,
    clients: ClientsDep,
    subject: Annotated[str, Form(max_length=200)] = "",
    body: Annotated[str, Form(max_length=20_000)] = "",
    send_date: Annotated[str, Form(max_length=10)] = "",
    send_time: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """配信日時 is Japan's (a time without an offset is read so by the leads service)."""
    if not (subject.strip() and body.strip() and send_date and send_time):
        return back("/hot-leads/mails", error="件名・本文・配信日時を入力してください。")
    payload = {"subject": subject, "body": body, "send_at": f"{send_date}T{send_time}:00"}
    reply = await clients.leads.schedule_newsletter(payload)
    if not reply.ok:
        return back("/hot-leads/mails", error=reply.message or "配信日時を確認してください。")
    return back(
        "/hot-leads/mails", notice=f"メールマガジンを {send_date} {send_time} に予約しました。"
    )


@router.post("/hot-leads/mails/sequence")
async def create_sequence(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    form = await request.form()
    steps = [
        {"day_offset": form.get(f"day_offset.{n}"), "subject": form.get(f"subject.{n}"),
         "body": form.get(f"body.{n}")}
        for n in range(STEPS) if str(form.get(f"subject.{n}") or "").strip()
    ]  # fmt: skip
    name = str(form.get("name") or "").strip()
    if not name or not steps:
        return back("/hot-leads/mails", error="シナリオ名と1通目の件名・本文を入力してください。")
    reply = await clients.leads.create_sequence({"name": name, "steps": steps})
    if not reply.ok:
        return back(
            "/hot-leads/mails",
            error=reply.message or "日数（0〜365）・件名・本文を確認してください。",
        )
    return back("/hot-leads/mails", notice=f"ステップメール「{name}」を登録しました。")


@router.get("/hot-leads/{customer_id}/proposal", response_class=HTMLResponse)
async def proposal_form(
    customer_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    if await clients.customer.customer(customer_id) is None:  # another tenant's id too
        return not_found(request, staff, "お客様が見つかりません。", nav="leads")
    async with tenant_uow(request, staff) as uow:
        stores = await tenant_stores(uow=uow)
    found = await asyncio.gather(*(clients.booking.properties(s.id) for s in stores))
    properties = [p for listed in found for p in listed or []]
    context = {"staff": staff, "customer_id": customer_id, "properties": properties}
    return page(request, "lead_proposal.html", context)


@router.post("/hot-leads/{customer_id}/proposal")
async def send_proposal(
    customer_id: UUID,
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    property_ids: Annotated[list[str], Form(max_length=20)] = [],  # noqa: B006
    message: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    where = f"/hot-leads/{customer_id}"
    if not property_ids:
        return back(f"{where}/proposal", error="提案する物件を選んでください。")
    body = {"property_ids": property_ids, **({"message": message} if message.strip() else {})}
    reply = await clients.leads.propose(customer_id, body)
    if reply.status_code == 404:  # the customer: another tenant's too
        return not_found(request, staff, "お客様が見つかりません。", nav="leads")
    if not reply.ok:
        return back(f"{where}/proposal", error=reply.message or "送信できませんでした。")
    return back(where, notice="提案メールを送信しました。")
