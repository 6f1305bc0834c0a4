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

from gateway.clients.base import Reply
from gateway.clients.customer_histories import Action, Interaction
from gateway.clients.transport import ServiceUnavailable
from gateway.web.common.answers import back, field_errors, not_found, refusal
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
    # A refused correction: the entry ("interaction:<id>" / "action:<id>"), its form, errors.
    editing: str = ""
    edit_form: dict[str, str] = field(default_factory=dict)
    edit_errors: dict[str, str] = field(default_factory=dict)


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
                 **form: object) -> Response:  # fmt: skip
    from gateway.web.monitor.pages import show_monitor  # pages imports this module

    histories = await load_histories(customer_id, clients)
    for name, value in form.items():
        setattr(histories, name, value)
    return await show_monitor(request, staff, clients, customer_id, tab=tab,
                              histories=histories, status_code=422)  # fmt: skip


# Corrections (issue 14): the entry's author or an administrator; the service decides and
# keeps the text before. Deleting asks for a ticked confirmation (no script).
NOT_OWN = "ご自身が入力した履歴のみ修正・削除できます。"
UNCONFIRMED = "削除するには「削除します」にチェックを入れてください。"


def _answered(request: Request, staff: Any, customer_id: UUID, tab: str, reply: Reply, *,
              missing: str, done: str) -> Response | None:  # fmt: skip
    """The service's answer to a correction or a deletion, back on the entry's pane; None
    when it refused the form's values (the form is shown again with them)."""
    if reply.status_code == 404:
        return not_found(request, staff, missing)
    if reply.ok:
        return back(f"/monitor/{customer_id}", notice=done, tab=tab)
    if reply.status_code in (403, 409):
        return back(f"/monitor/{customer_id}", error=refusal(reply, NOT_OWN), tab=tab)
    return None


@router.post("/monitor/{customer_id}/interactions/{interaction_id}/edit")
async def correct_interaction(
    customer_id: UUID,
    interaction_id: UUID,
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    kind: Annotated[str, Form()] = "",
    body: Annotated[str, Form()] = "",
    next_step: Annotated[str, Form()] = "",
    next_due: Annotated[str, Form()] = "",
) -> Response:
    form = {"kind": kind, "body": body, "next_step": next_step, "next_due": next_due}
    sent = {"kind": kind, "body": body, "next_step": next_step or None,
            "next_due": next_due or None}  # fmt: skip
    reply = await clients.histories.correct_interaction(interaction_id, sent)
    answered = _answered(request, staff, customer_id, "interactions", reply,
                         missing="対応履歴が見つかりません。", done="対応履歴を修正しました。")  # fmt: skip
    if answered is not None:
        return answered
    errors = field_errors(reply, "対応履歴を修正できませんでした。")
    return await _again(request, staff, clients, customer_id, "interactions",
                        editing=f"interaction:{interaction_id}", edit_form=form,
                        edit_errors=errors)  # fmt: skip


@router.post("/monitor/{customer_id}/interactions/{interaction_id}/delete")
async def delete_interaction(
    customer_id: UUID,
    interaction_id: UUID,
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    confirm: Annotated[str, Form()] = "",
) -> Response:
    if not confirm:
        return back(f"/monitor/{customer_id}", tab="interactions", error=UNCONFIRMED)
    reply = await clients.histories.delete_interaction(interaction_id)
    return _answered(request, staff, customer_id, "interactions", reply,
                     missing="対応履歴が見つかりません。", done="対応履歴を削除しました。",
                     ) or back(f"/monitor/{customer_id}", error=refusal(reply, NOT_OWN),
                               tab="interactions")  # fmt: skip


@router.post("/monitor/{customer_id}/actions/{action_id}/edit")
async def correct_action(
    customer_id: UUID,
    action_id: int,
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    kind: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    form = {"kind": kind, "note": note}
    reply = await clients.histories.correct_action(action_id, {"kind": kind, "note": note or None})
    answered = _answered(request, staff, customer_id, "actions", reply,
                         missing="アクション履歴が見つかりません。", done="アクションを修正しました。")  # fmt: skip
    if answered is not None:
        return answered
    errors = field_errors(reply, "アクションを修正できませんでした。")
    return await _again(request, staff, clients, customer_id, "actions",
                        editing=f"action:{action_id}", edit_form=form, edit_errors=errors)  # fmt: skip


@router.post("/monitor/{customer_id}/actions/{action_id}/delete")
async def delete_action(
    customer_id: UUID,
    action_id: int,
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    confirm: Annotated[str, Form()] = "",
) -> Response:
    if not confirm:
        return back(f"/monitor/{customer_id}", tab="actions", error=UNCONFIRMED)
    reply = await clients.histories.delete_action(action_id)
    return _answered(request, staff, customer_id, "actions", reply,
                     missing="アクション履歴が見つかりません。", done="アクションを削除しました。",
                     ) or back(f"/monitor/{customer_id}", error=refusal(reply, NOT_OWN),
                               tab="actions")  # fmt: skip
