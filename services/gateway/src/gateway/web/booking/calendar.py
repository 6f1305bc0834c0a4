"""予約: 予約管理 (stores and the conflict list) and the booking calendar per store (day:
slots × 店舗スタッフ, each property and each salon staff member; week: the staff's remaining
per day). Server-rendered on the booking service's API; visits, settings and records have
their own modules."""

from datetime import date, timedelta
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from kit import clock
from kit.inputs import Day

from gateway.clients.booking import Calendar, Menu
from gateway.web.booking.common import not_found, render
from gateway.web.common.deps import ClientsDep, StaffPage
from gateway.web.common.formatting import jst

router = APIRouter(include_in_schema=False)


@router.get("/booking")
async def booking_home(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    settings = {str(s.store_id): s for s in await clients.booking.stores() or []}
    runtime = request.app.state.runtime
    async with runtime.uow(tenant_id=staff.tenant_id) as uow:
        stores = [(str(s.id), s.label) for s in await uow.accounts.stores()]
    conflicts = await clients.booking.conflicts() or []
    context = {"staff": staff, "stores": stores, "settings": settings, "conflicts": conflicts}
    return render(request, "booking_home.html", context)


@router.get("/booking/calendar")
async def calendar(
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    store_id: UUID,
    day: Day | None = None,
    view: Annotated[str, Query(pattern="^(day|week)$")] = "day",
) -> Response:
    day = day or clock.today()
    days = 7 if view == "week" else 1
    data = await clients.booking.calendar(store_id, day=day, days=days, with_visits=True)
    if data is None:
        return not_found(
            request, staff, "この店舗の予約設定がありません。管理者が店舗設定を登録してください。"
        )
    menus = await clients.booking.menus(store_id, retired=True) or []  # names old visits too
    context = _context(data, menus, view=view, day=day, days=days)
    if any(v.property_id and v.property_id not in context["names"] for v in data.visits):
        retired = await clients.booking.properties(store_id, retired=True) or []  # 廃止 since
        context["names"] = {p.id: p.name for p in retired} | context["names"]
    if any(v.staff_member_id and v.staff_member_id not in context["members"] for v in data.visits):
        members = await clients.booking.staff_members(store_id, retired=True) or []
        context["members"] = {m.id: m.name for m in members} | context["members"]
    context |= {"staff": staff}
    return render(request, "booking_calendar.html", context)


def _context(data: Calendar, menus: list[Menu], *, view: str, day: date, days: int) -> dict:
    step = timedelta(days=days)
    return {
        "cal": data,
        "view": view,
        "day": day,
        "prev_day": day - step,
        "next_day": day + step,
        "names": {p.id: p.name for p in data.properties},
        "menus": {m.id: m for m in menus},
        "members": {m.id: m.name for m in data.staff_members},
        "member_cells": member_cells(data) if view == "day" else [],
        "week_times": sorted({f"{jst(s.starts_at):%H:%M}" for d in data.days for s in d.slots}),
    }


def member_cells(data: Calendar) -> list[list[dict[str, Any]]]:
    """Per slot of the day, per staff member: what the member's column shows — free (空き),
    the salon visit there (the customer's name on its first slot), or ×."""
    salon = [v for v in data.visits if v.kind == "salon" and v.staff_member_id]
    rows = []
    for slot in data.days[0].slots:
        starts, ends = slot.starts_at, slot.ends_at
        remaining = {m.staff_member_id: m.remaining for m in slot.members}
        row = []
        for member in data.staff_members:
            visit = next(
                (
                    v for v in salon
                    if v.staff_member_id == member.id
                    and v.starts_at < ends and v.ends_at > starts
                ),
                None,
            )  # fmt: skip
            first = visit is not None and visit.starts_at >= starts
            row.append(
                {"member": member, "remaining": remaining.get(member.id, 0),
                 "visit": visit, "first": first}
            )  # fmt: skip
        rows.append(row)
    return rows
