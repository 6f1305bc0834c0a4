"""店舗設定 (予約): 基本設定 (hours, staff count, slots, holidays; properties), メニュー and
スタッフ for salons, and 通知先一覧 (seed 000: where new reservations are notified, not user
accounts). Changing settings, properties, menus and staff is for admins (the booking service
refuses others); every member of staff may keep the notification destinations."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from gateway.use_cases.accounts import Staff
from gateway.web.booking.common import HINT, not_found, number, render, tenant_store_name
from gateway.web.common.answers import back, refusal
from gateway.web.common.deps import Clients, ClientsDep, StaffPage

router = APIRouter(include_in_schema=False)
Message = Annotated[str, Query(max_length=200)]
MENU_HINT = "メニュー名、所要時間（5〜600分）、料金（0円以上）を確認してください。"
STAFF_HINT = "スタッフ名と勤務時間（開始より後の終了時刻）を確認してください。"
TARGET_HINT = "名前とメールアドレスを確認してください。例: tamachi@example.com"
SETTINGS_HINT = "同時接客可能人数と直前キャンセルの時間を数字で入力してください。"
PROPERTY_HINT = "物件名と同時案内組数（0〜100）を確認してください。"


async def _page(
    request: Request,
    staff: Staff,
    clients: Clients,
    store_id: UUID,
    *,
    tab: str,
    template: str,
    context: dict[str, Any],
    status_code: int = 200,
) -> Response:
    name = await tenant_store_name(request, staff, store_id)
    if name is None:
        return not_found(request, staff, "店舗が見つかりません。")
    current = await clients.booking.store(store_id)
    base = {"staff": staff, "store_id": store_id, "store_name": name, "current": current,
            "tab": tab}  # fmt: skip
    return render(request, template, {**base, **context}, status_code)


def _done(store_id: UUID, page: str, **message: str) -> RedirectResponse:
    """Back to the settings tab with 「…しました。」 (notice) or the service's reason (error)."""
    return back(f"/booking/stores/{store_id}/{page}", **message)


@router.get("/booking/properties")
async def properties_of_current_store(staff: StaffPage) -> Response:
    """The header's 物件: the properties of the store the member of staff works in now."""
    if staff.store is None:
        return RedirectResponse("/booking", status_code=303)
    return RedirectResponse(f"/booking/stores/{staff.store.id}/settings#properties", 303)


@router.get("/booking/stores/{store_id}/settings")
async def store_settings(
    store_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    props = await clients.booking.properties(store_id, retired=True) or []
    context = {"properties": [p for p in props if p.retired_at is None],
               "retired": [p for p in props if p.retired_at is not None]}  # fmt: skip
    return await _page(request, staff, clients, store_id, tab="settings",
                       template="booking_settings.html", context=context)  # fmt: skip


@router.post("/booking/stores/{store_id}/settings")
async def save_store_settings(
    store_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    if await tenant_store_name(request, staff, store_id) is None:
        return not_found(request, staff, "店舗が見つかりません。")
    form = await request.form()
    body = {
        "name": form.get("name") or "店舗",
        "staff_count": number(form.get("staff_count")),
        "slot_minutes": number(form.get("slot_minutes")),
        "hours": _hours(form, check="open", opens="opens", closes="closes"),
        "closed_on_holidays": bool(form.get("closed_on_holidays")),
        "last_minute_cancel_hours": number(form.get("last_minute_cancel_hours")),
        "prepayment": bool(form.get("prepayment")),
    }
    outcome = await clients.booking.save_store(store_id, body)
    if outcome.ok:
        return _done(store_id, "settings", notice="店舗設定を保存しました。")
    return _done(store_id, "settings", error=refusal(outcome, SETTINGS_HINT))


@router.post("/booking/stores/{store_id}/properties")
async def add_property(
    store_id: UUID,
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    name: Annotated[str, Form()],
    concurrent_groups: Annotated[str, Form()] = "1",
    code: Annotated[str, Form()] = "",
    portal_listed: Annotated[str, Form()] = "",
) -> Response:
    if await tenant_store_name(request, staff, store_id) is None:
        return not_found(request, staff, "店舗が見つかりません。")
    body = {"store_id": str(store_id), "name": name, "code": code or None,
            "concurrent_groups": number(concurrent_groups),
            "portal_listed": bool(portal_listed)}  # fmt: skip
    outcome = await clients.booking.add_property(body)
    if outcome.ok:
        return _done(store_id, "settings", notice="物件を登録しました。")
    return _done(store_id, "settings", error=refusal(outcome, PROPERTY_HINT))


@router.get("/booking/stores/{store_id}/menus")
async def menus_page(
    store_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    return await _menus(request, staff, clients, store_id, entered={})


@router.post("/booking/stores/{store_id}/menus")
async def add_menu(
    store_id: UUID,
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    name: Annotated[str, Form(max_length=200)] = "",
    duration_minutes: Annotated[str, Form(max_length=20)] = "",
    price_yen: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    entered = {"name": name, "duration_minutes": duration_minutes, "price_yen": price_yen}
    if await tenant_store_name(request, staff, store_id) is None:
        return not_found(request, staff, "店舗が見つかりません。")
    body = {"store_id": str(store_id), "name": name.strip(),
            "duration_minutes": number(duration_minutes), "price_yen": number(price_yen)}  # fmt: skip
    outcome = await clients.booking.add_menu(body)
    if outcome.ok:
        return _done(store_id, "menus", notice=f"メニュー「{body['name']}」を登録しました。")
    return await _menus(request, staff, clients, store_id, entered=entered,
                        error=refusal(outcome, MENU_HINT), status_code=outcome.status_code)  # fmt: skip


async def _menus(
    request: Request, staff: Staff, clients: Clients, store_id: UUID, *,
    entered: dict, error: str | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    menus = await clients.booking.menus(store_id, retired=True) or []
    context = {"menus": [m for m in menus if m.retired_at is None], "entered": entered,
               "retired": [m for m in menus if m.retired_at is not None], "form_error": error}  # fmt: skip
    return await _page(request, staff, clients, store_id, tab="menus",
                       template="booking_menus.html", context=context,
                       status_code=status_code)  # fmt: skip


@router.get("/booking/stores/{store_id}/staff")
async def staff_page(
    store_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    return await _members(request, staff, clients, store_id, entered={})


@router.post("/booking/stores/{store_id}/staff")
async def add_staff_member(
    store_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    if await tenant_store_name(request, staff, store_id) is None:
        return not_found(request, staff, "店舗が見つかりません。")
    form = await request.form()
    name = str(form.get("name") or "").strip()
    own_hours = form.get("hours_mode") == "own"
    hours = _hours(form, check="work", opens="from", closes="to") if own_hours else None
    body = {"store_id": str(store_id), "name": name, "hours": hours}
    outcome = await clients.booking.add_staff_member(body)
    if outcome.ok:
        return _done(store_id, "staff", notice=f"スタッフ「{name}」を登録しました。")
    return await _members(request, staff, clients, store_id, entered=dict(form),
                          error=refusal(outcome, STAFF_HINT), status_code=outcome.status_code)  # fmt: skip


async def _members(
    request: Request, staff: Staff, clients: Clients, store_id: UUID, *,
    entered: dict, error: str | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    members = await clients.booking.staff_members(store_id, retired=True) or []
    context = {"members": [m for m in members if m.retired_at is None], "entered": entered,
               "retired": [m for m in members if m.retired_at is not None],
               "form_error": error}  # fmt: skip
    return await _page(request, staff, clients, store_id, tab="staff",
                       template="booking_staff.html", context=context,
                       status_code=status_code)  # fmt: skip


@router.get("/booking/stores/{store_id}/notification-targets")
async def targets_page(
    store_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    return await _targets(request, staff, clients, store_id, entered={})


@router.post("/booking/stores/{store_id}/notification-targets")
async def add_target(
    store_id: UUID,
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    name: Annotated[str, Form(max_length=200)] = "",
    email: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    if await tenant_store_name(request, staff, store_id) is None:
        return not_found(request, staff, "店舗が見つかりません。")
    body = {"name": name.strip(), "email": email.strip()}
    outcome = await clients.booking.add_notification_target(store_id, body)
    if outcome.ok:
        return _done(
            store_id, "notification-targets", notice=f"通知先「{body['name']}」を追加しました。"
        )
    return await _targets(request, staff, clients, store_id, entered=body,
                          error=refusal(outcome, TARGET_HINT), status_code=outcome.status_code)  # fmt: skip


@router.post("/booking/stores/{store_id}/notification-targets/{target_id}/delete")
async def delete_target(
    store_id: UUID, target_id: UUID, request: Request, staff: StaffPage, clients: ClientsDep
) -> Response:
    if await tenant_store_name(request, staff, store_id) is None:
        return not_found(request, staff, "店舗が見つかりません。")
    outcome = await clients.booking.delete_notification_target(target_id)
    if outcome.ok:
        return _done(store_id, "notification-targets", notice="通知先を削除しました。")
    return _done(store_id, "notification-targets", error=refusal(outcome, HINT))


async def _targets(
    request: Request, staff: Staff, clients: Clients, store_id: UUID, *,
    entered: dict, error: str | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    targets = await clients.booking.notification_targets(store_id) or []
    history = await clients.booking.store_notifications(store_id, limit=30)
    context = {"targets": targets, "history": history or [], "entered": entered,
               "form_error": error}  # fmt: skip
    return await _page(request, staff, clients, store_id, tab="targets",
                       template="booking_targets.html", context=context,
                       status_code=status_code)  # fmt: skip


def _hours(form: FormData, *, check: str, opens: str, closes: str) -> dict[str, list]:
    """Weekday (月 = 0) → [from, to] for each ticked day; an unticked day is a day off."""
    return {
        str(d): [form.get(f"{opens}_{d}"), form.get(f"{closes}_{d}")]
        for d in range(7)
        if form.get(f"{check}_{d}") and form.get(f"{opens}_{d}") and form.get(f"{closes}_{d}")
    }
