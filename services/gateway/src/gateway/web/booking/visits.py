"""接客予定: 予定を追加 (store visits, property tours and salon reservations with a menu and a
staff member), a visit's page (its notifications, 日時変更), status change and cancellation."""

from datetime import datetime, timedelta
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response
from kit import clock

from gateway.clients.base import Reply
from gateway.clients.booking import Menu
from gateway.clients.customer import CustomerPage
from gateway.use_cases.account_admin import RETIRED_STORE
from gateway.use_cases.accounts import Staff
from gateway.web.booking.common import (
    HINT,
    KINDS,
    back_to,
    customer_or_unavailable,
    customer_profile,
    not_found,
    render,
    store_retired,
    tenant_store_name,
)
from gateway.web.common.answers import refusal
from gateway.web.common.business import uses
from gateway.web.common.deps import Clients, ClientsDep, StaffPage
from gateway.web.common.formatting import jst

router = APIRouter(include_in_schema=False)
TIME = r"^\d{2}:\d{2}$"


@router.get("/booking/visits/new")
async def new_visit(
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
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
    return await _visit_form(request, staff, clients, form=form, q=q)


@router.post("/booking/visits")
async def create_visit(
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
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
    record_as_visited: Annotated[str, Form(max_length=1)] = "",
) -> Response:
    form = {"store_id": store_id, "day": day, "start": start, "end": end, "kind": kind,
            "customer_id": customer_id, "property_id": property_id, "menu_id": menu_id,
            "staff_member_id": staff_member_id, "memo": memo,
            "record_as_visited": record_as_visited == "1"}  # fmt: skip
    missing = _missing(form)
    if not missing and await store_retired(request, staff, store_id):
        missing = RETIRED_STORE
    if missing:
        return await _visit_form(request, staff, clients, form=form, q="", error=missing)
    body = {"kind": kind, "store_id": store_id, "customer_id": customer_id,
            "starts_at": f"{day}T{start}:00+09:00", "memo": memo or None,
            "allow_overlap": allow_overlap == "1",
            "record_as_visited": record_as_visited == "1"}  # fmt: skip
    if kind == "salon":  # the end follows from the menu, in the booking service
        body |= {"menu_id": menu_id, "staff_member_id": staff_member_id}
    else:
        body |= {"property_id": property_id or None, "ends_at": f"{day}T{end}:00+09:00"}
    outcome = await clients.booking.add_visit(body)
    if not outcome.ok:
        return await _visit_form(request, staff, clients, form=form, q="", outcome=outcome)
    done = "来店済みとして記録しました。" if record_as_visited == "1" else "予定を追加しました。"
    return back_to(f"/booking/calendar?store_id={store_id}&day={day}", outcome, done=done)


@router.get("/booking/visits/{visit_id}")
async def visit_page(
    visit_id: UUID,
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
) -> Response:
    return await _visit_page(request, staff, clients, visit_id)


@router.post("/booking/visits/{visit_id}/move")
async def move_visit(
    visit_id: UUID,
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
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
    outcome = await clients.booking.move_visit(visit_id, body)
    if outcome.ok:
        return back_to(back or f"/booking/visits/{visit_id}", outcome, done="日時を変更しました。")
    moved = {"day": day, "start": start, "end": end}
    return await _visit_page(request, staff, clients, visit_id, move=moved, outcome=outcome)


@router.post("/booking/visits/{visit_id}/cancel")
async def cancel_visit(
    visit_id: UUID,
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    back: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "customer",
) -> Response:
    outcome = await clients.booking.cancel_visit(visit_id, reason=reason)
    if outcome.status_code == 404:  # another tenant's visit: no redirect back with an error
        return not_found(request, staff, refusal(outcome, "接客予定が見つかりません。"))
    return back_to(back, outcome, done="予定をキャンセルしました。")


@router.post("/booking/visits/{visit_id}/status")
async def change_status(
    visit_id: UUID,
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    back: Annotated[str, Form()],
    status: Annotated[str, Form()],
) -> Response:
    outcome = await clients.booking.set_visit_status(visit_id, status=status)
    if outcome.status_code == 404:
        return not_found(request, staff, refusal(outcome, "接客予定が見つかりません。"))
    return back_to(back, outcome, done="ステータスを変更しました。")


async def _visit_form(
    request: Request,
    staff: Staff,
    clients: Clients,
    *,
    form: dict,
    q: str,
    error: str | None = None,
    outcome: Reply | None = None,
) -> Response:
    store_id = form["store_id"]
    # No form for a store or a customer this staff cannot load (another tenant's ids).
    if await tenant_store_name(request, staff, store_id) is None:
        return not_found(request, staff, "店舗が見つかりません。")
    chosen = await customer_profile(clients, form["customer_id"])
    if form["customer_id"] and chosen is None:
        return not_found(request, staff, "お客様が見つかりません。")
    booking, store = clients.booking, UUID(store_id)  # the tenant's: a well-formed id
    props = await booking.properties(store) or []
    menus = await booking.menus(store) or []
    members = await booking.staff_members(store) or []
    # The kinds the store offers and the tenant's business types use (no tours for a salon).
    salon = bool(menus and members) and uses(staff.business_types, "menus")
    tours = uses(staff.business_types, "properties")
    if not form["kind"]:  # a salon's store has menus and no properties
        form["kind"] = "salon" if salon and (not props or not tours) else "store_consultation"
    found = await clients.customer.customers({"q": q, "per_page": 20}) if q else None
    found = found.items if isinstance(found, CustomerPage) else []
    chosen = None if found else chosen
    menu = next((m for m in menus if str(m.id) == form["menu_id"]), menus[0] if menus else None)
    context = {
        "staff": staff, "form": form, "properties": props, "menus": menus, "members": members,
        "q": q, "found": found, "chosen": chosen, "salon_end": _salon_end(form, menu),
        "kinds": {k: v for k, v in KINDS.items() if (salon if k == "salon" else tours)},
        "error": error or (refusal(outcome, HINT) if outcome else None),
        # The customer has another visit then: the form offers to book it anyway.
        "overlap": outcome is not None and outcome.code == "visit_overlap",
        # The start has passed: the form offers to record it knowingly as 来店済み.
        "past": outcome is not None and outcome.code == "visit_in_past",
    }  # fmt: skip
    status = outcome.status_code if outcome else (422 if error else 200)
    return render(request, "booking_visit_form.html", context, status)


async def _visit_page(
    request: Request,
    staff: Staff,
    clients: Clients,
    visit_id: UUID,
    *,
    error: str = "",
    move: dict | None = None,
    outcome: Reply | None = None,
) -> Response:
    booking = clients.booking
    visit = await booking.visit(visit_id)
    if visit is None:
        return not_found(request, staff, "接客予定が見つかりません。")
    store_id = visit.store_id
    notifications = await booking.visit_notifications(visit_id) or []
    store = await booking.store(store_id)
    menu = member = prop = None
    if visit.kind == "salon":
        # A retired menu or staff member is still named on the visits that had it.
        menus = await booking.menus(store_id, retired=True) or []
        members = await booking.staff_members(store_id, retired=True) or []
        menu = next((m for m in menus if m.id == visit.menu_id), None)
        member = next((m for m in members if m.id == visit.staff_member_id), None)
    elif visit.property_id:
        prop = await booking.property(visit.property_id)
    starts, ends = jst(visit.starts_at), jst(visit.ends_at)
    context = {
        "staff": staff, "visit": visit, "store": store, "menu": menu, "member": member,
        "prop": prop, "notifications": notifications,
        "error": error, "move_error": refusal(outcome, HINT) if outcome else None,
        "customer": await customer_or_unavailable(clients, visit.customer_id),
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


def _salon_end(form: dict, menu: Menu | None) -> str | None:
    """終了予定 shown beside the start: the menu's duration (the service decides the same)."""
    try:
        start = datetime.strptime(form["start"], "%H:%M")
    except ValueError:
        return None
    if menu is None:
        return None
    return f"{start + timedelta(minutes=menu.duration_minutes):%H:%M}"


def _plus_hour(start: str) -> str:
    hour, minute = (int(x) for x in start.split(":"))
    return f"{min(hour + 1, 23):02d}:{minute:02d}"
