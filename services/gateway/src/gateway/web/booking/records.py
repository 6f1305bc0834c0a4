"""営業報告 (sales reports after a service) and 回数券 (coupon tickets) pages (BKG-9)."""

import unicodedata
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from kit.inputs import Day

from gateway.use_cases.accounts import Staff
from gateway.web.booking.common import not_found, render
from gateway.web.common.answers import refusal
from gateway.web.common.deps import Clients, ClientsDep, StaffPage

router = APIRouter(include_in_schema=False)


@router.get("/booking/reports", response_class=HTMLResponse)
async def reports_page(
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    name: Annotated[str, Query(max_length=100)] = "",
    date_from: Day | None = None,
    date_to: Day | None = None,
) -> Response:
    params = {"name": name, "date_from": date_from, "date_to": date_to}
    reports = await clients.booking.sales_reports(params)
    error = None if reports is not None else "検索条件を確認してください。"
    context = {
        "staff": staff,
        "reports": reports or [],
        "error": error,
        "query": {"name": name, "date_from": date_from or "", "date_to": date_to or ""},
    }
    return render(request, "booking_reports.html", context)


@router.get("/booking/visits/{visit_id}/report", response_class=HTMLResponse)
async def report_form(
    visit_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    return await _report_form(request, staff, clients, visit_id, body=None, error=None)


@router.post("/booking/visits/{visit_id}/report", response_class=HTMLResponse)
async def write_report(
    visit_id: UUID,
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    body: Annotated[str, Form()] = "",
) -> Response:
    if not body.strip():
        return await _report_form(
            request,
            staff,
            clients,
            visit_id,
            body=body,
            error="営業報告の内容を入力してください。",
            status_code=422,
        )
    result = await clients.booking.write_sales_report(visit_id, body=body)
    if result.status_code != 200:
        message = refusal(result, "営業報告を保存できませんでした。")
        return await _report_form(
            request,
            staff,
            clients,
            visit_id,
            body=body,
            error=message,
            status_code=result.status_code,
        )
    return RedirectResponse("/booking/reports?saved=1", status_code=303)


async def _report_form(
    request: Request,
    staff: Staff,
    clients: Clients,
    visit_id: UUID,
    *,
    body: str | None,
    error: str | None,
    status_code: int = 200,
) -> Response:
    visit = await clients.booking.visit(visit_id)
    if visit is None:
        return not_found(request, staff, "接客予定が見つかりません。")
    context = {"staff": staff, "visit": visit, "body": body, "error": error}
    return render(request, "booking_report_form.html", context, status_code)


@router.get("/booking/tickets", response_class=HTMLResponse)
async def tickets_page(
    request: Request, staff: StaffPage, clients: ClientsDep, customer_id: UUID
) -> Response:
    return await _tickets(request, staff, clients, customer_id, error=None)


@router.post("/booking/tickets", response_class=HTMLResponse)
async def issue_ticket(
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    customer_id: Annotated[UUID, Form()],
    name: Annotated[str, Form()] = "",
    count: Annotated[str, Form()] = "",
    expires_on: Annotated[str, Form()] = "",
) -> Response:
    body = {
        "customer_id": str(customer_id),
        "name": name.strip(),
        # Staff type full-width digits as often as half-width ones (５ = 5).
        "count": unicodedata.normalize("NFKC", count).strip(),
        "expires_on": expires_on,
    }
    result = await clients.booking.issue_ticket(body)
    if result.status_code != 201:
        error = refusal(result, "回数券の名称・回数（1〜100）・有効期限を確認してください。")
        return await _tickets(request, staff, clients, customer_id, error=error, status_code=422)
    return RedirectResponse(f"/booking/tickets?customer_id={customer_id}", status_code=303)


@router.post("/booking/tickets/{ticket_id}/use", response_class=HTMLResponse)
async def use_ticket(
    ticket_id: UUID,
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    customer_id: Annotated[UUID, Form()],
    visit_id: Annotated[str, Form()] = "",
) -> Response:
    if not visit_id:
        return await _tickets(
            request,
            staff,
            clients,
            customer_id,
            error="使用する接客予定を選んでください。",
            status_code=422,
        )
    result = await clients.booking.use_ticket(ticket_id, visit_id=visit_id)
    if result.status_code != 200:
        message = refusal(result, "回数券を使用できませんでした。")
        return await _tickets(
            request, staff, clients, customer_id, error=message, status_code=result.status_code
        )
    return RedirectResponse(f"/booking/tickets?customer_id={customer_id}", status_code=303)


async def _tickets(
    request: Request,
    staff: Staff,
    clients: Clients,
    customer_id: UUID,
    *,
    error: str | None,
    status_code: int = 200,
) -> Response:
    customer = await clients.customer.customer(customer_id)
    if customer is None:  # another tenant's customer: no tickets form
        return not_found(request, staff, "お客様が見つかりません。")
    tickets = await clients.booking.coupon_tickets(customer_id)
    visits = await clients.booking.visits_of(customer_id)
    context = {
        "staff": staff,
        "customer_id": customer_id,
        "customer": customer,
        "error": error,
        "tickets": tickets or [],
        "visits": visits or [],
    }
    return render(request, "booking_tickets.html", context, status_code)
