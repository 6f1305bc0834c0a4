"""反響 pages of the web client: the inquiry list with its search and CSV, and registration
of an inquiry from another medium (電話, 来店, 他ポータル …)."""

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from kit import clock
from kit.inputs import Day

from gateway.clients.inquiry import InquiryPage
from gateway.entrypoints.streaming import relay_download
from gateway.use_cases.accounts import Staff
from gateway.web.common.answers import back
from gateway.web.common.deps import Clients, ClientsDep, PageServicesDep, StaffPage
from gateway.web.common.formatting import INQUIRY_KINDS
from gateway.web.common.paging import pager
from gateway.web.common.templating import render

router = APIRouter(include_in_schema=False)
PER_PAGE = 20
FILTER_KEYS = ("medium", "kind", "property", "name", "received_from", "received_to")


def _query(request: Request) -> dict[str, str]:
    return {k: v for k in FILTER_KEYS if (v := request.query_params.get(k, "").strip())}


@router.get("/inquiries/today-count", response_class=PlainTextResponse)
async def today_count(clients: ClientsDep) -> Response:
    """The header's 反響 badge: how many inquiries came in today (Japan), the list's own
    total for one page of one; empty when the inquiry service does not answer."""
    today = clock.today().isoformat()
    found = await clients.inquiry.inquiries(
        {"received_from": today, "received_to": today, "per_page": 1}
    )
    return PlainTextResponse(str(found.total) if found else "")


@router.get("/inquiries", response_class=HTMLResponse)
async def inquiries_page(
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    context = await _list(staff, clients, query=_query(request), page=page)
    context["created"] = request.query_params.get("created") == "1"
    return render(request, "inquiries.html", context)


async def _list(staff: Staff, clients: Clients, *, query: dict[str, str], page: int) -> dict:
    found = await clients.inquiry.inquiries({**query, "page": page, "per_page": PER_PAGE})
    error = None
    if found is None:
        error = (
            "検索条件を確認してください。（期間は開始日が終了日以前になるように指定してください）"
        )
    data = found or InquiryPage(items=[], total=0)
    media = await clients.inquiry.media() or []
    total = data.total
    return {
        "staff": staff,
        "items": data.items,
        "total": total,
        "query": query,
        "error": error,
        "media": media,
        "media_names": {m.code: m.name for m in media},
        "kinds": INQUIRY_KINDS,
        "csv_url": "/inquiries/export?" + urlencode(query),
        **pager("/inquiries", query, page=page, per_page=PER_PAGE, total=total),
    }


@router.get("/inquiries/export")
async def export_page(request: Request, staff: StaffPage, services: PageServicesDep) -> Response:
    query = _query(request)
    upstream = await services.stream(
        "inquiry", "/inquiries.csv", principal=staff.principal(), params=query
    )
    if upstream.status_code == 200:
        return await relay_download(upstream)
    await upstream.aclose()  # a refusal: the list with the same filters says what is wrong
    return back("/inquiries", **query)


@router.get("/inquiries/new", response_class=HTMLResponse)
async def new_inquiry_page(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    return await _form(request, staff, clients, values={}, errors=[])


@router.post("/inquiries/new", response_class=HTMLResponse)
async def register_inquiry(
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    medium: Annotated[str, Form()],
    kind: Annotated[str, Form()],
    name: Annotated[str, Form()],
    name_kana: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
    phone: Annotated[str, Form()] = "",
    address: Annotated[str, Form()] = "",
    received_date: Annotated[Day | None, Form()] = None,
    message: Annotated[str, Form()] = "",
) -> Response:
    values = {"medium": medium, "kind": kind, "name": name, "name_kana": name_kana,
              "email": email, "phone": phone, "address": address, "message": message,
              "received_date": received_date.isoformat() if received_date else ""}  # fmt: skip
    body = _inquiry(values)
    result = await clients.inquiry.register(body)
    if result.status_code in (200, 202):
        return RedirectResponse("/inquiries?created=1", status_code=303)
    return await _form(
        request, staff, clients, values=values, errors=_messages(result.data), status_code=422
    )


def _inquiry(values: dict[str, str]) -> dict[str, Any]:
    """The form as the inquiry service takes it: empty fields are absent; a received date is
    09:00 Japan time of that day."""
    body: dict[str, Any] = {
        "medium": values["medium"],
        "kind": values["kind"],
        "message": values["message"] or None,
        "customer": {k: values[k] or None for k in ("name_kana", "email", "phone", "address")}
        | {"name": values["name"]},
    }
    if values["received_date"]:
        body["received_at"] = f"{values['received_date']}T09:00:00+09:00"
    return body


async def _form(
    request: Request,
    staff: Staff,
    clients: Clients,
    *,
    values: dict,
    errors: list[str],
    status_code: int = 200,
) -> Response:
    media = [m for m in await clients.inquiry.media() or [] if m.active and not m.auto_linked]
    context = {
        "staff": staff,
        "media": media,
        "kinds": INQUIRY_KINDS,
        "values": values,
        "errors": errors,
    }
    return render(request, "inquiry_new.html", context, status_code)


FIELD_LABELS = {
    "name": "お客様名",
    "email": "メールアドレス",
    "phone": "電話番号",
    "name_kana": "フリガナ",
    "medium": "媒体",
    "kind": "種別",
    "address": "住所",
}


def _messages(data: Any) -> list[str]:
    """The service's 422 in words a member of staff can act on."""
    detail = data.get("detail") if isinstance(data, dict) else None
    if not isinstance(detail, dict):
        return ["入力内容を確認してください。"]
    if "errors" not in detail:
        return [detail.get("message", "入力内容を確認してください。")]
    messages = []
    for error in detail["errors"]:
        parts = str(error.get("field", "")).split(".")
        field = next((FIELD_LABELS[p] for p in reversed(parts) if p in FIELD_LABELS), None)
        if field == "メールアドレス":
            messages.append("メールアドレスの形式が正しくありません。例: hanako@example.com")
        elif field == "電話番号":
            messages.append("電話番号の形式が正しくありません。例: 090-1234-5678")
        elif field:
            messages.append(f"{field}を確認してください。")
        else:  # a rule across fields, in the service's words
            messages.append(error.get("message") or "入力内容を確認してください。")
    return messages or ["入力内容を確認してください。"]
