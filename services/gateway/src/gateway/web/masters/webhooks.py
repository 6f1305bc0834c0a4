"""設定 > Webhook (issue 16): the administrator's endpoints, each with its event types
(checkboxes, in Japanese), its secret shown once with a copy button (at creation and at
rotation, on the answer page itself: never in a URL or a cookie), 削除 after a confirmation,
a replay by days, and its delivery log (attempts, status, latency). A disabled endpoint is
announced at the top of the list. 一般 users get the 403 page; another tenant's endpoint is
404 for anyone."""

from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response
from kit import clock
from kit.clock import JST
from kit.errors import DomainError, Invalid

from gateway.domain import webhooks
from gateway.use_cases import webhooks as use_cases
from gateway.use_cases.accounts import Staff
from gateway.web.common.answers import back, not_found
from gateway.web.common.deps import StaffPage, tenant_uow
from gateway.web.common.templating import render

router = APIRouter(include_in_schema=False)
LIST = "/settings/webhooks"
STATUS = {"pending": "再送待ち", "delivered": "配信済み", "failed": "失敗"}


def _kinds() -> list[tuple[str, str]]:
    return [(k, webhooks.event_label(k)) for k in webhooks.event_types()]


def _view(e: Any) -> SimpleNamespace:
    """An endpoint as plain values (the unit's end expires its row)."""
    return SimpleNamespace(
        id=e.id, url=e.url, description=e.description, event_types=list(e.event_types),
        status=e.status, disabled_reason=e.disabled_reason, disabled_at=e.disabled_at,
        failing_since=e.failing_since, previous_secret_until=e.previous_secret_until,
    )  # fmt: skip


def _page(
    request: Request, staff: Staff, template: str, context: dict, status: int = 200
) -> Response:
    base = {"staff": staff, "nav": "settings", "tab": "webhooks", "kinds": _kinds(),
            "labels": dict(_kinds()), "statuses": STATUS}  # fmt: skip
    return render(request, template, {**base, **context}, status)


def _forbidden(request: Request, staff: Staff) -> Response:
    context = {"staff": staff, "message": use_cases.ADMIN_ONLY, "title": "表示できません"}
    return render(request, "not_found.html", context, 403)


def _runtime(request: Request) -> Any:
    return request.app.state.runtime


async def _list(request: Request, staff: Staff, *, entered: dict | None = None,
                errors: dict | None = None, status: int = 200) -> Response:  # fmt: skip
    async with tenant_uow(request, staff) as uow:
        rows = [_view(e) for e in await uow.webhooks.endpoints()]
    return _page(request, staff, "settings_webhooks.html", {
        "rows": rows, "disabled": [r for r in rows if r.status == "disabled"],
        "entered": entered or {"event_types": []}, "errors": errors or {}}, status)  # fmt: skip


def _errors(exc: DomainError) -> dict[str, str]:
    found: dict[str, str] = {}
    for error in exc.errors or [{"field": exc.field or "", "message": exc.message}]:
        found.setdefault(str(error.get("field") or ""), error["message"])
    return found


async def _entered(request: Request) -> dict:
    form = await request.form()
    return {"url": str(form.get("url") or "").strip()[:2000],
            "description": str(form.get("description") or "").strip()[:200],
            "event_types": [str(v) for v in form.getlist("event_types")][:100],
            "active": form.get("active") == "on"}  # fmt: skip


def _change(entered: dict) -> use_cases.EndpointChange:
    return use_cases.EndpointChange(entered["url"], entered["event_types"],
                                    entered["description"], entered["active"])  # fmt: skip


def _secret_page(request: Request, staff: Staff, endpoint: SimpleNamespace, secret: str, *,
                 rotated: bool) -> Response:  # fmt: skip
    return _page(request, staff, "webhook_secret.html",
                 {"endpoint": endpoint, "secret": secret, "rotated": rotated,
                  "grace_hours": int(webhooks.ROTATION_GRACE.total_seconds() // 3600)})  # fmt: skip


@router.get(LIST)
async def webhooks_page(request: Request, staff: StaffPage) -> Response:
    if not staff.is_admin:
        return _forbidden(request, staff)
    return await _list(request, staff)


@router.post(LIST)
async def add_webhook(request: Request, staff: StaffPage) -> Response:
    if not staff.is_admin:
        return _forbidden(request, staff)
    entered = {**await _entered(request), "active": True}
    runtime = _runtime(request)

    async def work(uow: Any) -> tuple[SimpleNamespace, str]:
        found, secret = await use_cases.create_endpoint(
            _change(entered), allow_http=runtime.settings.webhook_allow_http,
            now=runtime.clock.now(), uow=uow)  # fmt: skip
        return _view(found), secret

    try:
        endpoint, secret = await runtime.transactions(tenant_id=staff.tenant_id).run(work)
    except Invalid as exc:
        return await _list(request, staff, entered=entered, errors=_errors(exc), status=422)
    return _secret_page(request, staff, endpoint, secret, rotated=False)


async def _detail(request: Request, staff: Staff, endpoint_id: UUID, *,
                  entered: dict | None = None, errors: dict | None = None,
                  status: int = 200) -> Response:  # fmt: skip
    async with tenant_uow(request, staff) as uow:
        found = await uow.webhooks.endpoint(endpoint_id=endpoint_id)
        if found is None:
            return not_found(request, staff, use_cases.NOT_FOUND)
        if not staff.is_admin:
            return _forbidden(request, staff)
        endpoint = _view(found)
        log = await use_cases.delivery_log(endpoint_id, admin=True, limit=50, uow=uow)
        deliveries = [SimpleNamespace(
            event_id=r.delivery.event_id, kind=r.delivery.routing_key, status=r.delivery.status,
            replayed=r.delivery.replay_id is not None, next_attempt_at=r.delivery.next_attempt_at,
            created_at=r.delivery.created_at,
            attempts=[SimpleNamespace(at=a.attempted_at, code=a.status_code, error=a.error,
                                      latency_ms=a.latency_ms) for a in r.attempts],
        ) for r in log]  # fmt: skip
        replays = [SimpleNamespace(start=r.range_from, end=r.range_to, enqueued=r.enqueued,
                                   finished=r.finished_at is not None)
                   for r in await uow.webhooks.replays(endpoint_id=endpoint_id)]  # fmt: skip
    today = clock.today()
    shown = entered or {"url": endpoint.url, "description": endpoint.description,
                        "event_types": endpoint.event_types,
                        "active": endpoint.status == "active"}  # fmt: skip
    return _page(request, staff, "webhook_detail.html", {
        "endpoint": endpoint, "entered": shown, "errors": errors or {}, "deliveries": deliveries,
        "replays": replays, "replay_from": (today - timedelta(days=1)).isoformat(),
        "replay_to": today.isoformat()}, status)  # fmt: skip


@router.get(LIST + "/{endpoint_id}")
async def webhook_page(endpoint_id: UUID, request: Request, staff: StaffPage) -> Response:
    return await _detail(request, staff, endpoint_id)


async def _run(request: Request, staff: Staff, work: Any) -> Any:
    return await _runtime(request).transactions(tenant_id=staff.tenant_id).run(work)


def _refused(request: Request, staff: Staff, exc: DomainError) -> Response | None:
    if exc.status_code == 404:
        return not_found(request, staff, use_cases.NOT_FOUND)
    if exc.status_code == 403:
        return _forbidden(request, staff)
    return None


@router.post(LIST + "/{endpoint_id}")
async def save_webhook(endpoint_id: UUID, request: Request, staff: StaffPage) -> Response:
    entered = await _entered(request)
    runtime = _runtime(request)
    try:
        await _run(request, staff, lambda uow: use_cases.update_endpoint(
            endpoint_id, _change(entered), admin=staff.is_admin,
            allow_http=runtime.settings.webhook_allow_http, now=runtime.clock.now(), uow=uow))  # fmt: skip
    except DomainError as exc:
        if (answer := _refused(request, staff, exc)) is not None:
            return answer
        return await _detail(request, staff, endpoint_id, entered=entered, errors=_errors(exc),
                             status=422)  # fmt: skip
    return back(f"{LIST}/{endpoint_id}", notice="送信先を保存しました。")


@router.post(LIST + "/{endpoint_id}/rotate")
async def rotate_webhook_secret(endpoint_id: UUID, request: Request, staff: StaffPage) -> Response:
    async def work(uow: Any) -> tuple[SimpleNamespace, str]:
        found, secret = await use_cases.rotate_secret(
            endpoint_id, admin=staff.is_admin, now=_runtime(request).clock.now(), uow=uow)  # fmt: skip
        return _view(found), secret

    try:
        endpoint, secret = await _run(request, staff, work)
    except DomainError as exc:
        return _refused(request, staff, exc) or back(f"{LIST}/{endpoint_id}", error=exc.message)
    return _secret_page(request, staff, endpoint, secret, rotated=True)


@router.post(LIST + "/{endpoint_id}/delete")
async def delete_webhook(endpoint_id: UUID, request: Request, staff: StaffPage) -> Response:
    if (await request.form()).get("confirm") != "1":
        async with tenant_uow(request, staff) as uow:
            found = await uow.webhooks.endpoint(endpoint_id=endpoint_id)
            url = found.url if found is not None else None
        if url is None:
            return not_found(request, staff, use_cases.NOT_FOUND)
        if not staff.is_admin:
            return _forbidden(request, staff)
        return _page(
            request, staff, "webhook_delete.html", {"endpoint_id": endpoint_id, "url": url}
        )
    try:
        await _run(request, staff, lambda uow: use_cases.delete_endpoint(
            endpoint_id, admin=staff.is_admin, uow=uow))  # fmt: skip
    except DomainError as exc:
        return _refused(request, staff, exc) or back(LIST, error=exc.message)
    return back(LIST, notice="送信先を削除しました。")


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@router.post(LIST + "/{endpoint_id}/replay")
async def replay_webhook(endpoint_id: UUID, request: Request, staff: StaffPage) -> Response:
    """By Japan days: from the first day's 0:00 to the end of the last."""
    form = await request.form()
    first, last = _day(str(form.get("from") or "")), _day(str(form.get("to") or ""))
    if first is None or last is None:
        start = end = None
    else:
        start = datetime.combine(first, time(), JST)
        end = datetime.combine(last + timedelta(days=1), time(), JST)
    try:
        if start is None or end is None:
            raise Invalid("再送する期間の日付を入力してください。", code="invalid", field="from")
        _, count = await _run(request, staff, lambda uow: use_cases.replay(
            endpoint_id, admin=staff.is_admin, start=start, end=end,
            now=_runtime(request).clock.now(), requested_by=staff.user_id, uow=uow))  # fmt: skip
    except DomainError as exc:
        return _refused(request, staff, exc) or back(f"{LIST}/{endpoint_id}", error=exc.message)
    return back(
        f"{LIST}/{endpoint_id}",
        notice=f"{count}件のイベントを再送します。元のイベントIDのまま、順に送信します。",
    )
