"""接客予定: 予定を追加 (store visits, property tours and salon reservations with a menu and a
staff member), a visit's page (its notifications, 日時変更), status change and cancellation."""

from datetime import datetime, timedelta
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response
from kit import clock

from gateway.use_cases.accounts import Staff
from gateway.web.booking.common import (
    KINDS,
    Outcome,
    back_to,
    customer_or_unavailable,
    customer_profile,
    get_json,
    not_found,
    render,
    send,
    tenant_store_name,
)
from gateway.web.common.deps import PageServices, PageServicesDep, StaffPage
from gateway.web.common.formatting import jst

router = APIRouter(include_in_schema=False)
TIME = r"^\d{2}:\d{2}$"


@router.get("/booking/visits/new")
async def new_visit(
    request: Request,
    staff: StaffPage,
    services: PageServicesDep,
    store_id: UUID,
    day: Annotated[str, Query(pattern=r"^(\d{4}-\d{2}-\d{2})?$")] = "",
    start: Annotated[str, Query(pattern=TIME)] = "10:00",
    customer_id: UUID | None = None,
    q: Annotated[str, Query(max_length=100)] = "",
    kind: Annotated[str, Query(max_length=40)] = "",
    menu_id: Annotated[str, Query(max_length=40)] = "",
    staff_member_id: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    form = {"store_id": str(store_id), "day": day or clock.today().isoformat(),
            "start": start, "end": _plus_hour(start), "customer_id": str(customer_id or ""),
            "kind": kind, "property_id": "", "menu_id": menu_id,
            "staff_member_id": staff_member_id, "memo": ""}  # fmt: skip
    return await _visit_form(request, staff, services, form=form, q=q)


@router.post("/booking/visits")
async def create_visit(
    request: Request,
    staff: StaffPage,
    services: PageServicesDep,
    store_id: Annotated[str, Form()],
    day: Annotated[str, Form()],
    start: Annotated[str, Form()],
    kind: Annotated[str, Form()],
    end: Annotated[str, Form()] = "",
    customer_id: Annotated[str, Form()] = "",
    property_id: Annotated[str, Form()] = "",
    menu_id: Annotated[str, Form()] = "",
    staff_member_id: Annotated[str, Form()] = "",
    memo: Annotated[str, Form(max_length=2000)] = "",
    allow_overlap: Annotated[str, Form(max_length=1)] = "",
) -> Response:
    form = {"store_id": store_id, "day": day, "start": start, "end": end, "kind": kind,
            "customer_id": customer_id, "property_id": property_id, "menu_id": menu_id,
            "staff_member_id": staff_member_id, "memo": memo}  # fmt: skip
    missing = _missing(form)
    if missing:
        return await _visit_form(request, staff, services, form=form, q="", error=missing)
    body = {"kind": kind, "store_id": store_id, "customer_id": customer_id,
            "starts_at": f"{day}T{start}:00+09:00", "memo": memo or None,
            "allow_overlap": allow_overlap == "1"}  # fmt: skip
    if kind == "salon":  # the end follows from the menu, in the booking service
        body |= {"menu_id": menu_id, "staff_member_id": staff_member_id}
    else:
        body |= {"property_id": property_id or None, "ends_at": f"{day}T{end}:00+09:00"}
    outcome = await send(services, staff, "POST", "/visits", body)
    if not outcome.ok:
        return await _visit_form(request, staff, services, form=form, q="", outcome=outcome)
    return back_to(
        f"/booking/calendar?store_id={store_id}&day={day}", outcome, done="予定を追加しました。"
    )


@router.get("/booking/visits/{visit_id}")
async def visit_page(
    visit_id: UUID,
    request: Request,
    staff: StaffPage,
    services: PageServicesDep,
    notice: Annotated[str, Query(max_length=200)] = "",
    error: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    return await _visit_page(request, staff, services, visit_id, notice=notice, error=error)


@router.post("/booking/visits/{visit_id}/move")
async def move_visit(
    visit_id: UUID,
    request: Request,
    staff: StaffPage,
    services: PageServicesDep,
    day: Annotated[str, Form(pattern=r"^\d{4}-\d{2}-\d{2}$")],
    start: Annotated[str, Form(pattern=TIME)],
    end: Annotated[str, Form(pattern=r"^(\d{2}:\d{2})?$")] = "",
    back: Annotated[str, Form()] = "",
) -> Response:
    """日時変更: also how staff resolve a portal conflict (the move takes real slots). A salon
    reservation sends no end: the booking service keeps the menu's duration."""
    body = {"starts_at": f"{day}T{start}:00+09:00"}
    if end:
        body["ends_at"] = f"{day}T{end}:00+09:00"
    outcome = await send(services, staff, "PATCH", f"/visits/{visit_id}", body)
    if outcome.ok:
        return back_to(back or f"/booking/visits/{visit_id}", outcome, done="日時を変更しました。")
    moved = {"day": day, "start": start, "end": end}
    return await _visit_page(request, staff, services, visit_id, move=moved, outcome=outcome)


@router.post("/booking/visits/{visit_id}/cancel")
async def cancel_visit(
    visit_id: UUID,
    request: Request,
    staff: StaffPage,
    services: PageServicesDep,
    back: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "customer",
) -> Response:
    path = f"/visits/{visit_id}/cancel"
    outcome = await send(services, staff, "POST", path, {"reason": reason})
    if outcome.status_code == 404:  # another tenant's visit: no redirect back with an error
        return not_found(request, staff, outcome.message or "接客予定が見つかりません。")
    return back_to(back, outcome, done="予定をキャンセルしました。")


@router.post("/booking/visits/{visit_id}/status")
async def change_status(
    visit_id: UUID,
    request: Request,
    staff: StaffPage,
    services: PageServicesDep,
    back: Annotated[str, Form()],
    status: Annotated[str, Form()],
) -> Response:
    path = f"/visits/{visit_id}/status"
    outcome = await send(services, staff, "POST", path, {"status": status})
    if outcome.status_code == 404:
        return not_found(request, staff, outcome.message or "接客予定が見つかりません。")
    return back_to(back, outcome, done="ステータスを変更しました。")


async def _visit_form(
    request: Request,
    staff: Staff,
    services: PageServices,
    *,
    form: dict,
    q: str,
    error: str | None = None,
    outcome: Outcome | None = None,
) -> Response:
    store_id = form["store_id"]
    # No form for a store or a customer this staff cannot load (another tenant's ids).
    if await tenant_store_name(request, staff, store_id) is None:
        return not_found(request, staff, "店舗が見つかりません。")
    chosen = await customer_profile(services, staff, form["customer_id"])
    if form["customer_id"] and chosen is None:
        return not_found(request, staff, "お客様が見つかりません。")
    props = await get_json(services, staff, "/properties", store_id=store_id) or []
    menus = await get_json(services, staff, "/menus", store_id=store_id) or []
    members = await get_json(services, staff, "/staff-members", store_id=store_id) or []
    salon = bool(menus and members)
    if not form["kind"]:  # a salon's store has menus and no properties
        form["kind"] = "salon" if salon and not props else "store_consultation"
    found = []
    if q:
        result = await services.call(
            "customer", "GET", "/customers", principal=staff.principal(),
            params={"q": q, "per_page": 20},
        )  # fmt: skip
        found = result.json().get("items", []) if result.status_code == 200 else []
    chosen = None if found else chosen
    menu = next((m for m in menus if m["id"] == form["menu_id"]), menus[0] if menus else None)
    context = {
        "staff": staff, "form": form, "properties": props, "menus": menus, "members": members,
        "q": q, "found": found, "chosen": chosen, "salon_end": _salon_end(form, menu),
        "kinds": {k: v for k, v in KINDS.items() if salon or k != "salon"},
        "error": error or (outcome.message if outcome else None),
        # The customer has another visit then: the form offers to book it anyway.
        "overlap": outcome is not None and outcome.code == "visit_overlap",
    }  # fmt: skip
    status = outcome.status_code if outcome else (422 if error else 200)
    return render(request, "booking_visit_form.html", context, status)


async def _visit_page(
    request: Request,
    staff: Staff,
    services: PageServices,
    visit_id: UUID,
    *,
    notice: str = "",
    error: str = "",
    move: dict | None = None,
    outcome: Outcome | None = None,
) -> Response:
    visit = await get_json(services, staff, f"/visits/{visit_id}")
    if visit is None:
        return not_found(request, staff, "接客予定が見つかりません。")
    store_id = visit["store_id"]
    notifications = await get_json(services, staff, f"/visits/{visit_id}/notifications") or []
    store = await get_json(services, staff, f"/stores/{store_id}")
    menu = member = prop = None
    if visit["kind"] == "salon":
        menus = await get_json(services, staff, "/menus", store_id=store_id) or []
        members = await get_json(services, staff, "/staff-members", store_id=store_id) or []
        menu = next((m for m in menus if m["id"] == visit["menu_id"]), None)
        member = next((m for m in members if m["id"] == visit["staff_member_id"]), None)
    elif visit["property_id"]:
        prop = await get_json(services, staff, f"/properties/{visit['property_id']}")
    starts, ends = jst(visit["starts_at"]), jst(visit["ends_at"])
    context = {
        "staff": staff, "visit": visit, "store": store, "menu": menu, "member": member,
        "prop": prop, "notifications": notifications, "notice": notice,
        "error": error, "move_error": outcome.message if outcome else None,
        "customer": await customer_or_unavailable(services, staff, visit["customer_id"]),
        "move": move or {"day": starts.date().isoformat(), "start": f"{starts:%H:%M}",
                         "end": f"{ends:%H:%M}"},
    }  # fmt: skip
    return render(request, "booking_visit.html", context, outcome.status_code if outcome else 200)


def _missing(form: dict) -> str | None:
    """What the form itself must have before the booking service is asked."""
    if not form["customer_id"]:
        return "お客様を選んでください。"
    if form["kind"] == "salon" and not (form["menu_id"] and form["staff_member_id"]):
        return "メニューとスタッフを選んでください。"
    if form["kind"] != "salon" and not form["end"]:
        return "終了時刻を入力してください。"
    return None


def _salon_end(form: dict, menu: dict | None) -> str | None:
    """終了予定 shown beside the start: the menu's duration (the service decides the same)."""
    try:
        start = datetime.strptime(form["start"], "%H:%M")
    except ValueError:
        return None
    if menu is None:
        return None
    return f"{start + timedelta(minutes=menu['duration_minutes']):%H:%M}"


def _plus_hour(start: str) -> str:
    hour, minute = (int(x) for x in start.split(":"))
    return f"{min(hour + 1, 23):02d}:{minute:02d}"
