"""追客 on the customer page: 追客状況を変更, 担当を設定, メモ (form posts, then back)."""

import json
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from kit.errors import refusal_message

from gateway.entrypoints.customers_api import change_follow_up
from gateway.entrypoints.deps import OptionalStaff, ServicesDep
from gateway.web.pages import not_found

router = APIRouter(include_in_schema=False)


def _back(customer_id: UUID, **message: str) -> RedirectResponse:
    return RedirectResponse(f"/customers/{customer_id}?{urlencode(message)}#follow-up", 303)


def _message(body: bytes, fallback: str) -> str:
    """The service's own words for a refusal, else the fallback (field errors)."""
    try:
        data = json.loads(body)
    except ValueError:
        return fallback
    return refusal_message(data) or fallback


@router.post("/customers/{customer_id}/follow-up")
async def follow_up_form(
    customer_id: UUID,
    request: Request,
    staff: OptionalStaff,
    services: ServicesDep,
    status: Annotated[str | None, Form()] = None,
    assignee_id: Annotated[str | None, Form()] = None,
) -> Response:
    if staff is None:
        return RedirectResponse("/login", status_code=303)
    body: dict[str, Any] = {}
    if status is not None:
        body["status"] = status
    if assignee_id is not None:  # the rep's form: an empty choice is 設定なし
        body["assignee_id"] = assignee_id or None
    response = await change_follow_up(customer_id, body, request, staff, services)
    if response.status_code == 404:  # another tenant's customer
        return not_found(request, staff, "お客様が見つかりません。")
    if response.status_code != 204:
        return _back(
            customer_id, error=_message(response.body, "追客状況・担当を変更できませんでした。")
        )
    done = "追客状況を変更しました。" if status is not None else "担当を設定しました。"
    return _back(customer_id, notice=done)


@router.post("/customers/{customer_id}/memos")
async def memo_form(
    customer_id: UUID,
    request: Request,
    staff: OptionalStaff,
    services: ServicesDep,
    body: Annotated[str, Form()] = "",
) -> Response:
    if staff is None:
        return RedirectResponse("/login", status_code=303)
    result = await services.call(
        "customer",
        "POST",
        f"/customers/{customer_id}/memos",
        principal=staff.principal(),
        json={"body": body},
    )
    if result.status_code == 404:
        return not_found(request, staff, "お客様が見つかりません。")
    if result.status_code != 201:
        return _back(customer_id, error=_message(result.content, "メモを保存できませんでした。"))
    return _back(customer_id, notice="メモを追加しました。")
