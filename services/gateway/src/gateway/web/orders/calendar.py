"""定期の設定 (ORD-3, seed 002's 機能一覧): the tenant's delivery calendar (closed weekdays,
第N△曜日, 祝日, closure periods such as 年末年始 and お盆, special open days, the shift of a
delivery that falls on a closed day, the order lead in calendar or business days) with the
closed days of the coming months; 年末年始チェック, the subscriptions the closures make late;
日次処理, the daily run's last record and the admin's 今すぐ実行. Staff read; the admin
changes (the service's rule, refused in Japanese)."""

import asyncio
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from kit import clock

from gateway.clients.base import Reply
from gateway.web.common.answers import back
from gateway.web.common.deps import Clients, ClientsDep, StaffPage, tenant_uow
from gateway.web.orders.common import WEEKDAYS, field_errors, page, reasons_of

router = APIRouter(include_in_schema=False)
PREVIEW_DAYS = 92  # the closed days of about three months are shown
SPARE_ROWS = 2  # blank rows under the entries of each list
MAX_NAMED = 200  # customers named on the year-end check (the rest: —)


def _rows(form: dict[str, str], prefix: str, names: tuple[str, ...]) -> list[dict[str, str]]:
    rows, i = [], 0
    while any(f"{prefix}_{i}_{n}" in form for n in names):
        rows.append({n: form.get(f"{prefix}_{i}_{n}", "").strip() for n in names})
        i += 1
    return rows


def _body(form: dict[str, Any], weekdays: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The settings as the service takes them; what the form cannot read, by field."""
    errors: dict[str, str] = {}
    nth = [{"nth": int(r["nth"]), "weekday": int(r["weekday"])}
           for r in _rows(form, "nth", ("nth", "weekday"))
           if r["nth"].isdigit() and r["weekday"].isdigit()]  # fmt: skip
    periods = []
    for r in _rows(form, "period", ("starts_on", "ends_on", "label")):
        if not (r["starts_on"] or r["ends_on"]):
            continue
        index = len(periods)
        for name in ("starts_on", "ends_on"):
            if not r[name]:
                errors[f"closed_periods.{index}.{name}"] = "開始日と終了日を入力してください。"
        periods.append({"starts_on": r["starts_on"] or None, "ends_on": r["ends_on"] or None,
                        "label": r["label"] or "休業期間"})  # fmt: skip
    open_days = [r["day"] for r in _rows(form, "open", ("day",)) if r["day"]]
    lead = str(form.get("order_lead_days", "")).strip()
    if not lead.isdigit():
        errors["order_lead_days"] = "受注日は出荷の何日前かを数字で入力してください。"
    body = {
        "closed_weekdays": sorted({int(w) for w in weekdays if w.isdigit()}),
        "closed_nth_weekdays": nth, "closed_on_holidays": form.get("closed_on_holidays") == "on",
        "closed_periods": periods, "open_days": open_days,
        "shift": "later" if form.get("shift") == "later" else "earlier",
        "order_lead_days": int(lead) if lead.isdigit() else 0,
        "lead_in_business_days": form.get("lead_in_business_days") == "business",
        "allow_consecutive_skips": form.get("allow_consecutive_skips") == "on",
    }  # fmt: skip
    return body, errors


async def _settings_page(
    request: Request, staff: Any, clients: Clients, settings: dict[str, Any] | None,
    errors: dict[str, str], status_code: int = 200,
) -> Response:  # fmt: skip
    today = clock.today()
    closed = await clients.orders.closed_days(today, today + timedelta(days=PREVIEW_DAYS))
    months: dict[tuple[int, int], list[Any]] = {}
    for c in closed or []:
        months.setdefault((c.day.year, c.day.month), []).append(c)
    context = {"staff": staff, "s": settings, "errors": errors, "weekdays": WEEKDAYS,
               "months": months, "closed": closed, "spare": SPARE_ROWS}  # fmt: skip
    return page(request, "calendar.html", context, status_code, nav="subscriptions")


@router.get("/subscriptions/settings", response_class=HTMLResponse)
async def settings(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    return await _settings_page(request, staff, clients, await clients.orders.calendar(), {})


@router.post("/subscriptions/settings", response_class=HTMLResponse)
async def save_settings(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    weekdays = [w for w in raw.getlist("closed_weekdays") if isinstance(w, str)]
    body, errors = _body(form, weekdays)
    if not errors:
        reply = await clients.orders.put_calendar(body)
        if reply.ok:
            return back("/subscriptions/settings", notice="定期の設定を保存しました。")
        errors = field_errors(reply) or {"": reasons_of(reply, "保存できませんでした。")[0]}
        if reply.status_code == 403:  # a 一般 user: the service's words
            errors = {"": reasons_of(reply, "設定を変更できるのは管理者だけです。")[0]}
            return await _settings_page(request, staff, clients, body, errors, 403)
    return await _settings_page(request, staff, clients, body, errors, 422)


def _window(first: str, last: str) -> tuple[date, date, str | None]:
    """年末年始 by default: from Japan's today's 12/20 to 1/10 of the next year."""
    today = clock.today()
    try:
        return (date.fromisoformat(first) if first else date(today.year, 12, 20),
                date.fromisoformat(last) if last else date(today.year + 1, 1, 10), None)  # fmt: skip
    except ValueError:
        return date(today.year, 12, 20), date(today.year + 1, 1, 10), (
            "日付は 2026-01-31 の形で入力してください。")  # fmt: skip


@router.get("/subscriptions/year-end", response_class=HTMLResponse)
async def year_end(
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    first: Annotated[str, Query(max_length=10)] = "",
    last: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    start, end, error = _window(first, last)
    found = None if error else await clients.orders.year_end_check(start, end)
    if isinstance(found, Reply):
        error, found = reasons_of(found, "確認できませんでした。")[0], None
    ids = list({x.customer_id for x in found or []})[:MAX_NAMED]
    customers = await asyncio.gather(*(clients.customer.customer(i) for i in ids))
    names = {c.id: c.name for c in customers if c is not None}
    context = {"staff": staff, "first": start, "last": end, "error": error, "items": found,
               "names": names}  # fmt: skip
    return page(request, "year_end.html", context, nav="subscriptions")


@router.get("/subscriptions/runs", response_class=HTMLResponse)
async def runs(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    run = await clients.orders.last_run()
    starter = None
    if run is not None and run.started_by is not None:  # the member of staff, by name
        async with tenant_uow(request, staff) as uow:
            user = await uow.accounts.user(user_id=run.started_by)
            starter = user.display_name if user else "（削除されたアカウント）"
    context = {"staff": staff, "run": run, "starter": starter, "today": clock.today()}
    return page(request, "runs.html", context, nav="subscriptions")


@router.post("/subscriptions/runs")
async def run_now(staff: StaffPage, clients: ClientsDep) -> Response:
    reply = await clients.orders.run_now()
    if not reply.ok:
        return back("/subscriptions/runs", error=reasons_of(reply, "実行できませんでした。")[0])
    data = reply.data
    notice = f"日次処理を実行しました（受注作成 {data['created']}件・スキップ {data['skipped']}件" + (
        f"・失敗 {data['failed']}件）。" if data["failed"] else "）。")  # fmt: skip
    return back("/subscriptions/runs", notice=notice)
