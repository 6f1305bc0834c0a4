"""営業報告 (sales reports after a service) and 回数券 (coupon tickets) pages (BKG-9)."""

import unicodedata
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from kit.inputs import Day

from gateway.web.booking.common import customer_profile, not_found, render
from gateway.web.common.answers import refusal
from gateway.web.common.deps import PageServicesDep, StaffPage

router = APIRouter(include_in_schema=False)


@router.get("/booking/reports", response_class=HTMLResponse)
async def reports_page(
    request: Request,
    staff: StaffPage,
    services: PageServicesDep,
    name: Annotated[str, Query(max_length=100)] = "",
    date_from: Day | None = None,
    date_to: Day | None = None,
) -> Response:
    params = {"name": name, "date_from": date_from, "date_to": date_to}
    result = await services.call(
        "booking", "GET", "/sales-reports", principal=staff.principal(), params=params
    )
    error = None if result.status_code == 200 else "検索条件を確認してください。"
    context = {
        "staff": staff,
        "reports": result.json() if not error else [],
        "error": error,
        "query": {"name": name, "date_from": date_from or "", "date_to": date_to or ""},
    }
    return render(request, "booking_reports.html", context)


@router.get("/booking/visits/{visit_id}/report", response_class=HTMLResponse)
async def report_form(
    visit_id: UUID, request: Request, staff: StaffPage, services: PageServicesDep
) -> Response:
    return await _report_form(request, staff, services, visit_id, body=None, error=None)


@router.post("/booking/visits/{visit_id}/report", response_class=HTMLResponse)
async def write_report(
    visit_id: UUID,
    request: Request,
    staff: StaffPage,
    services: PageServicesDep,
    body: Annotated[str, Form()] = "",
) -> Response:
    if not body.strip():
        return await _report_form(
            request,
            staff,
            services,
            visit_id,
            body=body,
            error="営業報告の内容を入力してください。",
            status_code=422,
        )
    result = await services.call(
        "booking",
        "PUT",
        f"/visits/{visit_id}/sales-report",
        principal=staff.principal(),
        json={"body": body},
    )
    if result.status_code != 200:
        message = refusal(result, "営業報告を保存できませんでした。")
        return await _report_form(
            request,
            staff,
            services,
            visit_id,
            body=body,
            error=message,
            status_code=result.status_code,
        )
    return RedirectResponse("/booking/reports?saved=1", status_code=303)


async def _report_form(
    request: Request,
    staff: Any,
    services: Any,
    visit_id: UUID,
    *,
    body: str | None,
    error: str | None,
    status_code: int = 200,
) -> Response:
    visit = await services.call(
        "booking", "GET", f"/visits/{visit_id}", principal=staff.principal()
    )
    if visit.status_code != 200:
        return not_found(request, staff, "接客予定が見つかりません。")
    context = {"staff": staff, "visit": visit.json(), "body": body, "error": error}
    return render(request, "booking_report_form.html", context, status_code)


@router.get("/booking/tickets", response_class=HTMLResponse)
async def tickets_page(
    request: Request, staff: StaffPage, services: PageServicesDep, customer_id: UUID
) -> Response:
    return await _tickets(request, staff, services, customer_id, error=None)


@router.post("/booking/tickets", response_class=HTMLResponse)
async def issue_ticket(
    request: Request,
    staff: StaffPage,
    services: PageServicesDep,
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
    result = await services.call(
        "booking", "POST", "/coupon-tickets", principal=staff.principal(), json=body
    )
    if result.status_code != 201:
        error = refusal(result, "回数券の名称・回数（1〜100）・有効期限を確認してください。")
        return await _tickets(request, staff, services, customer_id, error=error, status_code=422)
    return RedirectResponse(f"/booking/tickets?customer_id={customer_id}", status_code=303)


@router.post("/booking/tickets/{ticket_id}/use", response_class=HTMLResponse)
async def use_ticket(
    ticket_id: UUID,
    request: Request,
    staff: StaffPage,
    services: PageServicesDep,
    customer_id: Annotated[UUID, Form()],
    visit_id: Annotated[str, Form()] = "",
) -> Response:
    if not visit_id:
        return await _tickets(
            request,
            staff,
            services,
            customer_id,
            error="使用する接客予定を選んでください。",
            status_code=422,
        )
    result = await services.call(
        "booking",
        "POST",
        f"/coupon-tickets/{ticket_id}/use",
        principal=staff.principal(),
        json={"visit_id": visit_id},
    )
    if result.status_code != 200:
        message = refusal(result, "回数券を使用できませんでした。")
        return await _tickets(
            request, staff, services, customer_id, error=message, status_code=result.status_code
        )
    return RedirectResponse(f"/booking/tickets?customer_id={customer_id}", status_code=303)


async def _tickets(
    request: Request,
    staff: Any,
    services: Any,
    customer_id: UUID,
    *,
    error: str | None,
    status_code: int = 200,
) -> Response:
    customer = await customer_profile(services, staff, str(customer_id))
    if customer is None:  # another tenant's customer: no tickets form
        return not_found(request, staff, "お客様が見つかりません。")
    principal = staff.principal()
    tickets = await services.call(
        "booking",
        "GET",
        "/coupon-tickets",
        principal=principal,
        params={"customer_id": customer_id},
    )
    visits = await services.call(
        "booking", "GET", "/visits", principal=principal, params={"customer_id": customer_id}
    )
    context = {
        "staff": staff,
        "customer_id": customer_id,
        "customer": customer,
        "error": error,
        "tickets": tickets.json() if tickets.status_code == 200 else [],
        "visits": visits.json() if visits.status_code == 200 else [],
    }
    return render(request, "booking_tickets.html", context, status_code)
