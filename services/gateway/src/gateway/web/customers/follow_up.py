"""追客 on the customer page: 追客状況を変更, 担当を設定, メモ (form posts, then back)."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from gateway.use_cases import customer_master
from gateway.use_cases.accounts import Staff
from gateway.web.common.answers import back, not_found, refusal
from gateway.web.common.deps import ClientsDep, StaffPage, tenant_uow

router = APIRouter(include_in_schema=False)


def _to_follow_up(customer_id: UUID, **message: str) -> RedirectResponse:
    return back(f"/customers/{customer_id}", anchor="#follow-up", **message)


@router.post("/customers/{customer_id}/follow-up")
async def follow_up_form(
    customer_id: UUID,
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    status: Annotated[str | None, Form()] = None,
    assignee_id: Annotated[str | None, Form()] = None,
) -> Response:
    body: dict[str, Any] = {} if status is None else {"status": status}
    if assignee_id is not None:  # the rep's form: an empty choice is 設定なし
        body["assignee_id"] = assignee_id or None
    if unknown := await _unknown_rep(request, staff, body):
        return _to_follow_up(customer_id, error=unknown)
    response = await clients.customer.change_follow_up(customer_id, body)
    if response.status_code == 404:  # another tenant's customer
        return not_found(request, staff, "お客様が見つかりません。")
    if response.status_code != 204:
        return _to_follow_up(
            customer_id, error=refusal(response, "追客状況・担当を変更できませんでした。")
        )
    return _to_follow_up(
        customer_id,
        notice="追客状況を変更しました。" if status is not None else "担当を設定しました。",
    )


@router.post("/customers/{customer_id}/memos")
async def memo_form(
    customer_id: UUID,
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    body: Annotated[str, Form()] = "",
) -> Response:
    result = await clients.customer.add_memo(customer_id, body=body)
    if result.status_code == 404:
        return not_found(request, staff, "お客様が見つかりません。")
    if result.status_code != 201:
        return _to_follow_up(customer_id, error=refusal(result, "メモを保存できませんでした。"))
    return _to_follow_up(customer_id, notice="メモを追加しました。")


async def _unknown_rep(request: Request, staff: Staff, body: dict) -> str | None:
    """The gateway's own refusal of a rep who is not one of the tenant's staff."""
    async with tenant_uow(request, staff) as uow:
        refused = await customer_master.assignee_refusal(body, uow=uow)
    return refused["detail"]["message"] if refused else None
