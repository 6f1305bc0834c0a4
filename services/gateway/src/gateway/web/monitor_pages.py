"""The customer monitor (顧客モニタ, CUS-13, seed 002): reached by typing any phone number
or a name while the phone rings; one match opens the monitor, several make a short pick
list. The monitor is one screen with tabs (UI.md); the lookup field stays on top, focused,
for the next call."""

from typing import Annotated
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from kit.errors import refusal_message

from gateway.adapters.services import ServiceUnavailable
from gateway.entrypoints.deps import OptionalStaff, ServicesDep
from gateway.use_cases.customer_monitor import CustomerNotFound, load_monitor
from gateway.web.pages import templates

router = APIRouter(include_in_schema=False)
PICK_LIST = 10
TABS = {
    "basic": "基本情報", "interactions": "対応履歴", "actions": "アクション履歴",
    "subscriptions": "定期", "purchases": "購入履歴", "visits": "予約", "inquiries": "反響",
}  # fmt: skip


@router.get("/monitor", response_class=HTMLResponse)
async def lookup(
    request: Request,
    staff: OptionalStaff,
    services: ServicesDep,
    q: Annotated[str, Query(max_length=1000)] = "",  # the customer service says what is too long
) -> Response:
    if staff is None:
        return _login(request)
    context = {"staff": staff, "q": q, "found": None, "error": None}
    if not q.strip():
        return templates.TemplateResponse(request, "monitor_lookup.html", context)
    r = await services.call("customer", "GET", "/customers/lookup", principal=staff.principal(),
                            params={"term": q, "limit": PICK_LIST})  # fmt: skip
    if r.status_code != 200:
        context["error"] = _message(r) or "電話番号またはお名前を確認してください。"
        return templates.TemplateResponse(request, "monitor_lookup.html", context, status_code=422)
    found = r.json()
    if found["total"] == 1:
        return RedirectResponse(f"/monitor/{found['items'][0]['id']}", status_code=303)
    context["found"] = found
    return templates.TemplateResponse(request, "monitor_lookup.html", context)


@router.get("/monitor/{customer_id}", response_class=HTMLResponse)
async def monitor(
    customer_id: UUID,
    request: Request,
    staff: OptionalStaff,
    services: ServicesDep,
    tab: str = "basic",
) -> Response:
    if staff is None:
        return _login(request)
    try:
        async with request.app.state.runtime.uow(tenant_id=staff.tenant_id) as uow:
            data = await load_monitor(
                customer_id, principal=staff.principal(), services=services, uow=uow
            )
    except CustomerNotFound:
        context = {"staff": staff, "message": "お客様が見つかりません。"}
        return templates.TemplateResponse(request, "not_found.html", context, status_code=404)
    except ServiceUnavailable:
        context = {"staff": staff, "message": "ただいま顧客情報を表示できません。しばらくしてから再度お試しください。"}  # fmt: skip
        return templates.TemplateResponse(request, "not_found.html", context, status_code=503)
    context = {"staff": staff, "m": data, "c": data.customer, "q": "",
               "tabs": TABS, "tab": tab if tab in TABS else "basic"}  # fmt: skip
    return templates.TemplateResponse(request, "monitor.html", context)


def _message(response) -> str | None:  # type: ignore[no-untyped-def]
    try:
        return refusal_message(response.json())
    except ValueError:
        return None


def _login(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?{urlencode({'next': target})}", status_code=303)
