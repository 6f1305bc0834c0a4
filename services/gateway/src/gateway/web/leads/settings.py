"""The office's hot-lead settings (LEAD-2; seed 001: 指標は管理者のみ — a 一般 user sees them
without the button) with every change kept, and conversion by level with next month's
forecast (LEAD-8, its method stated on the page)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from gateway.use_cases.staff_directory import staff_of_tenant
from gateway.web.common.answers import back
from gateway.web.common.deps import ClientsDep, StaffPage, tenant_uow
from gateway.web.leads.common import LEVELS, page

router = APIRouter(include_in_schema=False)
SOURCES = {"views": "物件詳細・周辺売出しレポートの閲覧", "opens": "提案・ステップメールの開封"}
PRESETS = {"standard": "標準（提案メールあり）", "no_proposals": "提案メールを使わない事業所"}
FIELDS = ("source", "period_days", "min_count", "min_dwell_s")


@router.get("/hot-leads/settings", response_class=HTMLResponse)
async def settings_page(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    client = clients.leads
    current, changes = await client.settings(), await client.settings_changes()
    async with tenant_uow(request, staff) as uow:
        names = {s.user_id: s.display_name for s in await staff_of_tenant(uow=uow)}
    context = {"staff": staff, "current": current, "changes": changes or [], "names": names,
               "sources": SOURCES, "presets": PRESETS,
               "errors": {}, "error": request.query_params.get("error")}  # fmt: skip
    return page(request, "lead_settings.html", context)


@router.post("/hot-leads/settings")
async def change_settings(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    form = await request.form()
    preset = str(form.get("preset") or "")
    if preset:
        body: dict = {"preset": preset}
    else:
        body = {"rules": {lv: {f: form.get(f"{lv}.{f}") for f in FIELDS if form.get(f"{lv}.{f}")}
                          for lv in LEVELS}}  # fmt: skip
    reply = await clients.leads.change_settings(body)
    if not reply.ok:
        return back("/hot-leads/settings", error=reply.message or _field_errors(reply.data))
    return back("/hot-leads/settings", notice="ホットリードの指標を変更しました。")


def _field_errors(data: object) -> str:
    detail = data.get("detail") if isinstance(data, dict) else None
    errors = detail.get("errors", []) if isinstance(detail, dict) else []
    words = [f"{LEVELS.get(str(e.get('field', '')).split('.')[0], '')} {e.get('message', '')}"
             for e in errors]  # fmt: skip
    return "、".join(w.strip() for w in words) or "入力内容を確認してください。"


@router.get("/hot-leads/conversion", response_class=HTMLResponse)
async def conversion_page(
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    days: Annotated[int, Query(ge=1, le=180)] = 30,
) -> Response:
    found = await clients.leads.conversion(days=days)
    return page(request, "lead_conversion.html", {"staff": staff, "c": found, "days": days})
