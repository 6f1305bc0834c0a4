"""対応履歴一覧表 (today's interactions of all customers, printable, with the leader's
instruction for the next day), 長期放置 (printable, by rank and days); アクション別売上集計 is
one of the 帳票 pages now (web/reports)."""

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from kit import clock

from gateway.clients.base import Reply
from gateway.use_cases.staff_directory import UNKNOWN_STAFF, is_active_staff, staff_of_tenant
from gateway.web.common.answers import back, not_found, refusal
from gateway.web.common.deps import ClientsDep, StaffPage, tenant_uow
from gateway.web.common.paging import pager
from gateway.web.common.templating import render

router = APIRouter(include_in_schema=False)
NEGLECT_DAYS = (30, 60, 90, 180, 365)
PER_PAGE = 50


@router.get("/histories", response_class=HTMLResponse)
async def hub(request: Request, staff: StaffPage) -> Response:
    return render(request, "histories_hub.html", {"staff": staff, "nav": "histories"})


@router.get("/histories/interactions", response_class=HTMLResponse)
async def daily(
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    day: Annotated[str, Query(max_length=20)] = "",  # an emptied date input sends ""
    notice: Annotated[str, Query(max_length=200)] = "",
    refused: Annotated[str, Query(alias="error", max_length=200)] = "",
) -> Response:
    chosen = date.fromisoformat(day) if _is_day(day) else None
    found = await clients.histories.daily(chosen)
    context = {"staff": staff, "nav": "histories", "notice": notice, "refused": refused,
               "day": chosen or clock.today(), "error": None}  # fmt: skip
    if isinstance(found, Reply):
        context["error"] = refusal(found, "対応履歴一覧表を表示できませんでした。",
                                   invalid="日付を確認してください。")  # fmt: skip
        return render(request, "histories_daily.html", context, found.status_code)
    async with tenant_uow(request, staff) as uow:
        names = {str(s.user_id): s.display_name for s in await staff_of_tenant(uow=uow)}
    # One instruction per staff member for the next day: those who took a call that day,
    # and any already written.
    told = {str(i.staff_id): i.instruction for i in found.staff_instructions}
    worked = list(dict.fromkeys(str(i.staff_id) for i in found.items if i.staff_id))
    members = [m for m in names if m in worked or m in told]
    context.update(found=found, names=names, day=found.day, told=told, members=members)
    return render(request, "histories_daily.html", context)


@router.post("/histories/staff-instructions")
async def instruct_staff(
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    staff_id: Annotated[str, Form()] = "",
    instruction: Annotated[str, Form()] = "",
    day: Annotated[str, Form()] = "",
) -> Response:
    path = f"/histories/interactions?day={day}" if _is_day(day) else "/histories/interactions"
    try:
        member = UUID(staff_id)
    except ValueError:
        return back(path, error="スタッフを選んでください。")
    async with tenant_uow(request, staff) as uow:
        if not await is_active_staff(user_id=member, uow=uow):
            return back(path, error=UNKNOWN_STAFF)
    on = date.fromisoformat(day) if _is_day(day) else clock.today()
    reply = await clients.histories.instruct_staff(staff_id=member, day=on, instruction=instruction)
    if not reply.ok:
        return back(path, error=refusal(reply, "指示を保存できませんでした。"))
    return back(path, notice="スタッフへの翌日の指示を保存しました。", anchor="#staff-instructions")


@router.post("/histories/interactions/{interaction_id}/instruction")
async def instruct(
    interaction_id: UUID,
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    instruction: Annotated[str, Form()] = "",
    day: Annotated[str, Form()] = "",
) -> Response:
    reply = await clients.histories.instruct(interaction_id, instruction=instruction)
    if reply.status_code == 404:
        return not_found(request, staff, "対応履歴が見つかりません。")
    path = f"/histories/interactions?day={day}" if _is_day(day) else "/histories/interactions"
    if not reply.ok:
        return back(path, error=refusal(reply, "指示を保存できませんでした。"))
    return back(path, notice="翌日の指示を保存しました。", anchor=f"#i-{interaction_id}")


def _is_day(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


@router.get("/histories/neglected", response_class=HTMLResponse)
async def neglected(
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    min_days: Annotated[int, Query(ge=0, le=3650)] = 90,
    rank_id: Annotated[str, Query(max_length=40)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    """長期放置: ``rank_id`` a rank's id, ``none`` for customers of no rank, empty for all."""
    params: dict[str, object] = {"min_days": min_days, "page": page, "per_page": PER_PAGE}
    if rank_id == "none":
        params["no_rank"] = True
    elif rank_id:
        try:
            params["rank_id"] = str(UUID(rank_id))
        except ValueError:
            return not_found(request, staff, "ランクが見つかりません。")
    found = await clients.histories.neglected(params)
    if isinstance(found, Reply) and found.status_code == 404:
        return not_found(request, staff, "ランクが見つかりません。")
    master = await clients.histories.rank_master()
    context = {"staff": staff, "nav": "histories", "min_days": min_days, "rank_id": rank_id,
               "ranks": master.ranks if master else [], "choices": NEGLECT_DAYS,
               "found": None, "error": None}  # fmt: skip
    if isinstance(found, Reply):
        context["error"] = refusal(found, "長期放置の一覧を表示できませんでした。")
        return render(request, "histories_neglected.html", context, 422)
    query = {"min_days": str(min_days), "rank_id": rank_id}
    context.update(found=found, **pager("/histories/neglected", query, page=page,
                                        per_page=PER_PAGE, total=found.total))  # fmt: skip
    return render(request, "histories_neglected.html", context)


@router.get("/histories/action-sales")
async def action_sales(request: Request) -> Response:
    """Moved to the 帳票 pages (chart, table, CSV): a bookmark of the old address follows."""
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"/reports/action-sales{query}", status_code=308)
