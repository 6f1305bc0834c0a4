"""処理できなかったイベント: each service's dead letters of the signed-in 管理者's own tenant
(a payload holds customers' personal data, and another tenant's is never shown: 404, for
anyone, before the role), one shown with its message, and a re-drive of one or all after a
confirmation on a page of its own (the form posts again with ``confirm=1``). 一般 users get
the 403 page. The gateway reads
the DLQs through its own bus: the in-memory one the embedded mode shares, or RabbitMQ."""

import asyncio
import json
from collections.abc import Awaitable
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import Response
from kit.dead_letters import SERVICES, DeadLetter, DeadLetterInspector

from gateway.use_cases.accounts import Staff
from gateway.web.common.answers import SERVICE_NAMES, back, forbidden, not_found
from gateway.web.common.deps import StaffPage
from gateway.web.common.templating import render

router = APIRouter(include_in_schema=False)
BASE = "/admin/dead-letters"
ADMIN_ONLY = "この画面は管理者のみ利用できます。"
UNAVAILABLE = "ただいまイベントの情報を表示できません。しばらくしてから再度お試しください。"
NOT_FOUND = "該当するイベントが見つかりません。すでに再送された可能性があります。"
NAMES = {**SERVICE_NAMES, "gateway": "ゲートウェイ"}
BUS_TIMEOUT_S = 15.0
T = TypeVar("T")


class _BusDown(Exception):
    pass


async def _bounded(work: Awaitable[T]) -> T:
    try:
        return await asyncio.wait_for(work, BUS_TIMEOUT_S)
    except Exception as exc:  # the broker down or slow: a page that says so
        raise _BusDown from exc


def _inspector(request: Request) -> DeadLetterInspector:
    return DeadLetterInspector(request.app.state.runtime.bus)


def _page(request: Request, staff: Staff, template: str, context: dict[str, Any],
          status_code: int = 200) -> Response:  # fmt: skip
    base = {"staff": staff, "nav": "dead-letters", "names": NAMES}
    return render(request, template, {**base, **context}, status_code)


def _unavailable(request: Request, staff: Staff) -> Response:
    return render(request, "unavailable.html", {"staff": staff, "message": UNAVAILABLE}, 503)


@router.get(BASE)
async def dead_letters_page(request: Request, staff: StaffPage) -> Response:
    if not staff.is_admin:
        return forbidden(request, staff, ADMIN_ONLY)
    try:
        letters = await _bounded(_inspector(request).list(tenant_id=staff.tenant_id))
    except _BusDown:
        return _unavailable(request, staff)
    by_service = {s: [d for d in letters if d.service == s] for s in SERVICES}
    return _page(request, staff, "dead_letters.html",
                 {"letters": letters, "by_service": by_service})  # fmt: skip


async def _letter(request: Request, staff: Staff, service: str, event_id: str) -> DeadLetter | None:
    if service not in SERVICES:
        return None
    inspector = _inspector(request)
    return await _bounded(inspector.show(event_id, service=service, tenant_id=staff.tenant_id))


@router.get(BASE + "/{service}/{event_id}")
async def dead_letter_page(
    request: Request, staff: StaffPage, service: str, event_id: str
) -> Response:
    try:
        letter = await _letter(request, staff, service, event_id)
    except _BusDown:
        return _unavailable(request, staff)
    if letter is None:
        return not_found(request, staff, NOT_FOUND)
    if not staff.is_admin:
        return forbidden(request, staff, ADMIN_ONLY)
    body = json.dumps(letter.body, ensure_ascii=False, indent=2, sort_keys=True)
    return _page(request, staff, "dead_letter.html", {"d": letter, "body": body})


@router.post(BASE + "/{service}/{event_id}/redrive")
async def redrive_one(request: Request, staff: StaffPage, service: str, event_id: str) -> Response:
    try:
        letter = await _letter(request, staff, service, event_id)
        if letter is None:
            return not_found(request, staff, NOT_FOUND)
        if not staff.is_admin:
            return forbidden(request, staff, ADMIN_ONLY)
        if (await request.form()).get("confirm") != "1":
            return _page(request, staff, "dead_letter_confirm.html", {
                "what": f"{NAMES[service]}の「{letter.event_type or letter.routing_key}」1件",
                "action": f"{BASE}/{service}/{event_id}/redrive",
                "cancel_href": f"{BASE}/{service}/{event_id}"})  # fmt: skip
        inspector = _inspector(request)
        sent = await _bounded(inspector.redrive(event_id=event_id, service=service,
                                                tenant_id=staff.tenant_id))  # fmt: skip
    except _BusDown:
        return _unavailable(request, staff)
    return back(BASE, notice=f"{sent}件を再送しました。")


@router.post(BASE + "/redrive")
async def redrive_all(request: Request, staff: StaffPage) -> Response:
    if not staff.is_admin:
        return forbidden(request, staff, ADMIN_ONLY)
    try:
        if (await request.form()).get("confirm") != "1":
            count = len(await _bounded(_inspector(request).list(tenant_id=staff.tenant_id)))
            if not count:
                return back(BASE, notice="再送するイベントはありません。")
            return _page(request, staff, "dead_letter_confirm.html", {
                "what": f"すべてのサービスの{count}件", "action": f"{BASE}/redrive",
                "cancel_href": BASE})  # fmt: skip
        sent = await _bounded(_inspector(request).redrive(tenant_id=staff.tenant_id))
    except _BusDown:
        return _unavailable(request, staff)
    return back(BASE, notice=f"{sent}件を再送しました。")
