"""予約: the booking calendar per store (day / week, remaining capacity per slot), visit
creation from a customer, change of status, cancellation, the conflict list and the store's
booking settings. Server-rendered on the booking service's API."""

from datetime import date, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from gateway.adapters.services import ServiceClients
from gateway.entrypoints.booking_api import tenant_store_ids
from gateway.entrypoints.deps import OptionalStaff, ServicesDep
from gateway.use_cases.accounts import Staff
from gateway.web.formatting import JST, WEEKDAYS
from gateway.web.pages import templates

router = APIRouter(include_in_schema=False)

KINDS = {
    "listed_property_tour": "物件見学・入稿物件",
    "unlisted_property_tour": "物件見学・入稿なし物件",
    "store_consultation": "店舗接客",
    "salon": "サロン予約",
}
STATUSES = {
    "tentative": "仮予約",
    "prepayment_unpaid": "事前決済未払い",
    "reserved": "予約中来店前",
    "prepaid": "事前決済支払い済み",
    "visited": "来店済み",
    "cancel_fee_unpaid": "キャンセル料未払い",
    "store_cancelled": "事前決済店舗都合キャンセル",
    "cancelled": "キャンセル",
}


def _jst(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(JST)


templates.env.filters.update(
    visit_kind=lambda v: KINDS.get(v, v),
    booking_status=lambda v: STATUSES.get(v, v),
    jtime=lambda v: f"{_jst(v):%H:%M}",  # 10:00, Japan time
    jday=lambda v: _jst(v).date().isoformat(),  # for links
    jdate_only=lambda v: _day_label(v if isinstance(v, date) else date.fromisoformat(v)),
    jmonthday=lambda v: _day_label(date.fromisoformat(v))[5:],  # 12/16(水): week columns
)


def _day_label(day: date) -> str:
    """2026/12/12(土): a calendar day, no time zone involved."""
    return f"{day:%Y/%m/%d}({WEEKDAYS[day.weekday()]})"


def _login(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/login?{urlencode({'next': request.url.path})}", status_code=303)


async def _get(services: ServiceClients, staff: Staff, path: str, **params: Any) -> Any:
    result = await services.call("booking", "GET", path, principal=staff.principal(), params=params)
    return result.json() if result.status_code == 200 else None


async def _send(
    services: ServiceClients, staff: Staff, method: str, path: str, body: dict
) -> tuple[bool, str | None]:
    result = await services.call("booking", method, path, principal=staff.principal(), json=body)
    if result.status_code < 300:
        return True, None
    detail = result.json().get("detail")
    if isinstance(detail, dict):
        return False, detail.get("message")
    return False, "入力内容を確認してください。"  # pydantic's field errors: a generic hint


def _render(request: Request, name: str, context: dict, status_code: int = 200) -> Response:
    return templates.TemplateResponse(
        request, name, {"nav": "booking", **context}, status_code=status_code
    )


@router.get("/booking")
async def booking_home(request: Request, staff: OptionalStaff, services: ServicesDep) -> Response:
    if staff is None:
        return _login(request)
    settings = {s["store_id"]: s for s in await _get(services, staff, "/stores") or []}
    runtime = request.app.state.runtime
    async with runtime.uow(tenant_id=staff.tenant_id) as uow:
        stores = [(str(s.id), s.name) for s in await uow.accounts.stores()]
    conflicts = await _get(services, staff, "/conflicts") or []
    context = {"staff": staff, "stores": stores, "settings": settings, "conflicts": conflicts}
    return _render(request, "booking_home.html", context)


@router.get("/booking/calendar")
async def calendar(
    request: Request,
    staff: OptionalStaff,
    services: ServicesDep,
    store_id: UUID,
    day: date | None = None,
    view: Annotated[str, Query(pattern="^(day|week)$")] = "day",
    notice: str | None = None,
) -> Response:
    if staff is None:
        return _login(request)
    day = day or datetime.now(JST).date()
    days = 7 if view == "week" else 1
    data = await _get(
        services, staff, "/availability",
        store_id=store_id, day=day.isoformat(), days=days, with_visits="true",
    )  # fmt: skip
    if data is None:
        message = "この店舗の予約設定がありません。管理者が店舗設定を登録してください。"
        return _render(request, "not_found.html", {"staff": staff, "message": message}, 404)
    step = timedelta(days=days)
    context = {
        "staff": staff,
        "cal": data,
        "view": view,
        "day": day,
        "prev_day": day - step,
        "next_day": day + step,
        "names": {p["id"]: p["name"] for p in data["properties"]},
        "week_times": sorted(
            {f"{_jst(s['starts_at']):%H:%M}" for d in data["days"] for s in d["slots"]}
        ),
        "notice": notice,
    }
    return _render(request, "booking_calendar.html", context)


@router.get("/booking/visits/new")
async def new_visit(
    request: Request,
    staff: OptionalStaff,
    services: ServicesDep,
    store_id: UUID,
    day: date | None = None,
    start: Annotated[str, Query(pattern=r"^\d{2}:\d{2}$")] = "10:00",
    customer_id: UUID | None = None,
    q: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    if staff is None:
        return _login(request)
    form = {"store_id": str(store_id), "day": (day or datetime.now(JST).date()).isoformat(),
            "start": start, "end": _plus_hour(start), "customer_id": str(customer_id or ""),
            "kind": "store_consultation", "property_id": "", "memo": ""}  # fmt: skip
    return await _visit_form(request, staff, services, form=form, q=q, error=None)


@router.post("/booking/visits")
async def create_visit(
    request: Request,
    staff: OptionalStaff,
    services: ServicesDep,
    store_id: Annotated[str, Form()],
    day: Annotated[str, Form()],
    start: Annotated[str, Form()],
    end: Annotated[str, Form()],
    kind: Annotated[str, Form()],
    customer_id: Annotated[str, Form()] = "",
    property_id: Annotated[str, Form()] = "",
    memo: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    if staff is None:
        return _login(request)
    form = {"store_id": store_id, "day": day, "start": start, "end": end, "kind": kind,
            "customer_id": customer_id, "property_id": property_id, "memo": memo}  # fmt: skip
    if not customer_id:
        return await _visit_form(request, staff, services, form=form, q="",
                                 error="お客様を選んでください。")  # fmt: skip
    body = {
        "kind": kind,
        "store_id": store_id,
        "customer_id": customer_id,
        "property_id": property_id or None,
        "starts_at": f"{day}T{start}:00+09:00",
        "ends_at": f"{day}T{end}:00+09:00",
        "memo": memo or None,
    }
    ok, error = await _send(services, staff, "POST", "/visits", body)
    if not ok:
        return await _visit_form(request, staff, services, form=form, q="", error=error)
    query = urlencode({"store_id": store_id, "day": day, "notice": "予定を追加しました。"})
    return RedirectResponse(f"/booking/calendar?{query}", status_code=303)


@router.post("/booking/visits/{visit_id}/cancel")
async def cancel_visit(
    visit_id: UUID,
    request: Request,
    staff: OptionalStaff,
    services: ServicesDep,
    back: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "customer",
) -> Response:
    if staff is None:
        return _login(request)
    ok, error = await _send(
        services, staff, "POST", f"/visits/{visit_id}/cancel", {"reason": reason}
    )
    return _back(back, "予定をキャンセルしました。" if ok else error)


@router.post("/booking/visits/{visit_id}/status")
async def change_status(
    visit_id: UUID,
    request: Request,
    staff: OptionalStaff,
    services: ServicesDep,
    back: Annotated[str, Form()],
    status: Annotated[str, Form()],
) -> Response:
    if staff is None:
        return _login(request)
    ok, error = await _send(
        services, staff, "POST", f"/visits/{visit_id}/status", {"status": status}
    )
    return _back(back, "ステータスを変更しました。" if ok else error)


@router.post("/booking/visits/{visit_id}/move")
async def move_visit(
    visit_id: UUID,
    request: Request,
    staff: OptionalStaff,
    services: ServicesDep,
    back: Annotated[str, Form()],
    day: Annotated[str, Form(pattern=r"^\d{4}-\d{2}-\d{2}$")],
    start: Annotated[str, Form(pattern=r"^\d{2}:\d{2}$")],
    end: Annotated[str, Form(pattern=r"^\d{2}:\d{2}$")],
) -> Response:
    """日時変更: also how staff resolve a portal conflict (the move takes real slots)."""
    if staff is None:
        return _login(request)
    body = {"starts_at": f"{day}T{start}:00+09:00", "ends_at": f"{day}T{end}:00+09:00"}
    ok, error = await _send(services, staff, "PATCH", f"/visits/{visit_id}", body)
    return _back(back, "日時を変更しました。" if ok else error)


@router.get("/booking/stores/{store_id}/settings")
async def store_settings(
    store_id: UUID, request: Request, staff: OptionalStaff, services: ServicesDep
) -> Response:
    if staff is None:
        return _login(request)
    if store_id not in await tenant_store_ids(request, staff):
        return _render(
            request, "not_found.html", {"staff": staff, "message": "店舗が見つかりません。"}, 404
        )
    current = await _get(services, staff, f"/stores/{store_id}")
    props = await _get(services, staff, "/properties", store_id=store_id) or []
    context = {"staff": staff, "store_id": store_id, "current": current, "properties": props,
               "error": request.query_params.get("error"),
               "notice": request.query_params.get("notice")}  # fmt: skip
    return _render(request, "booking_settings.html", context)


@router.post("/booking/stores/{store_id}/settings")
async def save_store_settings(
    store_id: UUID, request: Request, staff: OptionalStaff, services: ServicesDep
) -> Response:
    if staff is None:
        return _login(request)
    form = await request.form()
    hours = {
        str(d): [form.get(f"opens_{d}"), form.get(f"closes_{d}")]
        for d in range(7)
        if form.get(f"open_{d}") and form.get(f"opens_{d}") and form.get(f"closes_{d}")
    }
    body = {
        "name": form.get("name") or "店舗",
        "staff_count": _int(form.get("staff_count")),
        "slot_minutes": _int(form.get("slot_minutes")),
        "hours": hours,
        "closed_on_holidays": bool(form.get("closed_on_holidays")),
        "last_minute_cancel_hours": _int(form.get("last_minute_cancel_hours")),
        "prepayment": bool(form.get("prepayment")),
    }
    if store_id not in await tenant_store_ids(request, staff):
        return _render(
            request, "not_found.html", {"staff": staff, "message": "店舗が見つかりません。"}, 404
        )
    ok, error = await _send(services, staff, "PUT", f"/stores/{store_id}", body)
    key, text = ("notice", "店舗設定を保存しました。") if ok else ("error", error or "")
    return RedirectResponse(f"/booking/stores/{store_id}/settings?{urlencode({key: text})}", 303)


@router.post("/booking/stores/{store_id}/properties")
async def add_property(
    store_id: UUID,
    request: Request,
    staff: OptionalStaff,
    services: ServicesDep,
    name: Annotated[str, Form()],
    concurrent_groups: Annotated[int, Form()] = 1,
    code: Annotated[str, Form()] = "",
    portal_listed: Annotated[str, Form()] = "",
) -> Response:
    if staff is None:
        return _login(request)
    body = {"store_id": str(store_id), "name": name, "concurrent_groups": concurrent_groups,
            "code": code or None, "portal_listed": bool(portal_listed)}  # fmt: skip
    ok, error = await _send(services, staff, "POST", "/properties", body)
    key, text = ("notice", "物件を登録しました。") if ok else ("error", error or "")
    return RedirectResponse(f"/booking/stores/{store_id}/settings?{urlencode({key: text})}", 303)


async def _visit_form(
    request: Request,
    staff: Staff,
    services: ServiceClients,
    *,
    form: dict,
    q: str,
    error: str | None,
) -> Response:
    props = await _get(services, staff, "/properties", store_id=form["store_id"]) or []
    found = []
    if q:
        result = await services.call(
            "customer",
            "GET",
            "/customers",
            principal=staff.principal(),
            params={"q": q, "per_page": 20},
        )
        found = result.json().get("items", []) if result.status_code == 200 else []
    context = {"staff": staff, "form": form, "properties": props, "q": q, "found": found,
               "kinds": {k: v for k, v in KINDS.items() if k != "salon"}, "error": error}  # fmt: skip
    return _render(request, "booking_visit_form.html", context, 422 if error else 200)


def _back(back: str, message: str | None) -> RedirectResponse:
    target = back if back.startswith("/booking") else "/booking"
    sep = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{sep}{urlencode({'notice': message or ''})}", 303)


def _plus_hour(start: str) -> str:
    hour, minute = (int(x) for x in start.split(":"))
    return f"{min(hour + 1, 23):02d}:{minute:02d}"


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return -1  # the booking service answers with the reason
