"""The monitor's 対応履歴 and アクション履歴 panes (CUS-9, issue 14): each a timeline with a
form at its top, entered in seconds while on the phone; a refused form comes back with every
error beside its field and the typed text kept. The rank is the customer's own field."""

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from kit.clock import JST

from gateway.clients.customer_histories import Action, Interaction
from gateway.clients.transport import ServiceUnavailable
from gateway.web.common.answers import back, field_errors, not_found
from gateway.web.common.deps import ClientsDep, StaffPage

router = APIRouter(include_in_schema=False)
INTERACTION_KINDS = {
    "call_in": "電話受信", "call_out": "電話発信", "inquiry": "問合せ",
    "complaint": "クレーム", "sales_talk": "商談", "other": "その他",
}  # fmt: skip
ACTION_KINDS = {"phone_sales": "電話営業", "dm": "DM", "newsletter": "メルマガ",
                "catalogue": "カタログ送付"}  # fmt: skip


@dataclass
class Histories:
    interactions: list[Interaction] | None  # None: the customer service did not answer
    actions: list[Action] | None
    interaction_form: dict[str, str] = field(default_factory=dict)
    interaction_errors: dict[str, str] = field(default_factory=dict)
    action_form: dict[str, str] = field(default_factory=dict)
    action_errors: dict[str, str] = field(default_factory=dict)
    interaction_kinds: dict[str, str] = field(default_factory=lambda: INTERACTION_KINDS)
    action_kinds: dict[str, str] = field(default_factory=lambda: ACTION_KINDS)


async def load_histories(customer_id: UUID, clients: Any) -> Histories:
    interactions, actions = await asyncio.gather(
        _unless_down(clients.histories.interactions(customer_id)),
        _unless_down(clients.histories.actions(customer_id)),
    )
    return Histories(interactions=interactions, actions=actions)


async def _unless_down(read: Any) -> Any:
    try:
        return await read
    except ServiceUnavailable:
        return None


def _moment(value: str) -> str | None:
    """A datetime-local input (Japan time) as the service reads it; empty: now."""
    if not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip()).replace(tzinfo=JST).isoformat()
    except ValueError:
        return value  # the service words the refusal


@router.post("/monitor/{customer_id}/interactions")
async def add_interaction(
    customer_id: UUID,
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    kind: Annotated[str, Form()] = "",
    body: Annotated[str, Form()] = "",
    occurred_at: Annotated[str, Form()] = "",
    next_step: Annotated[str, Form()] = "",
    next_due: Annotated[str, Form()] = "",
) -> Response:
    form = {"kind": kind, "body": body, "occurred_at": occurred_at, "next_step": next_step,
            "next_due": next_due}  # fmt: skip
    sent = {"kind": kind, "body": body, "occurred_at": _moment(occurred_at),
            "next_step": next_step or None, "next_due": next_due or None}  # fmt: skip
    reply = await clients.histories.add_interaction(customer_id, sent)
    if reply.status_code == 404:
        return not_found(request, staff, "お客様が見つかりません。")
    if reply.ok:
        return back(f"/monitor/{customer_id}", notice="対応履歴を登録しました。",
                    tab="interactions")  # fmt: skip
    errors = field_errors(reply, "対応履歴を登録できませんでした。")
    return await _again(request, staff, clients, customer_id, "interactions",
                        interaction_form=form, interaction_errors=errors)  # fmt: skip


@router.post("/monitor/{customer_id}/actions")
async def add_action(
    customer_id: UUID,
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    kind: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    occurred_at: Annotated[str, Form()] = "",
) -> Response:
    form = {"kind": kind, "note": note, "occurred_at": occurred_at}
    sent = {"kind": kind, "note": note or None, "occurred_at": _moment(occurred_at)}
    reply = await clients.histories.add_action(customer_id, sent)
    if reply.status_code == 404:
        return not_found(request, staff, "お客様が見つかりません。")
    if reply.ok:
        return back(f"/monitor/{customer_id}", notice="アクションを登録しました。", tab="actions")
    errors = field_errors(reply, "アクションを登録できませんでした。")
    return await _again(request, staff, clients, customer_id, "actions",
                        action_form=form, action_errors=errors)  # fmt: skip


async def _again(request: Request, staff: Any, clients: Any, customer_id: UUID, tab: str,
                 **form: dict[str, str]) -> Response:  # fmt: skip
    from gateway.web.monitor.pages import show_monitor  # pages imports this module

    histories = await load_histories(customer_id, clients)
    for name, value in form.items():
        setattr(histories, name, value)
    return await show_monitor(request, staff, clients, customer_id, tab=tab,
                              histories=histories, status_code=422)  # fmt: skip
