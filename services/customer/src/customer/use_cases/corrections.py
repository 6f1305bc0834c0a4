"""CUS-9 対応履歴 and アクション履歴 corrected or deleted by staff: an administrator may change
anyone's entry, a 一般 user only their own; actions recorded from events (the leads service's
mail sends) are facts and stay as they are. Every change is kept — who, when and the text
before — and a deleted entry stays as a tombstone that the lists leave out (decision 92).
Each change is also ContactRecorded (deleted: true for a deletion), for 離脱分析 (decision 93)."""

from datetime import date
from uuid import UUID

from kit import clock
from kit.auth import Principal
from kit.errors import Conflict, Forbidden, NotFound

from customer.adapters.orm_histories import CustomerAction, HistoryChange, Interaction
from customer.adapters.unit_of_work import CustomerUnitOfWork
from customer.domain import histories
from customer.use_cases.notify import contact_recorded

OWN_ONLY = "ご自身が入力した履歴のみ修正・削除できます（他の方の履歴は管理者が修正します）。"
EVENT_RECORDED = "メール配信など自動で記録されたアクションは修正・削除できません。"


def _may_change(staff_id: UUID | None, principal: Principal) -> None:
    if not principal.is_admin and staff_id != principal.user_id:
        raise Forbidden(OWN_ONLY, code="not_own_entry")


async def _interaction(interaction_id: UUID, principal: Principal, uow: CustomerUnitOfWork
                       ) -> Interaction:  # fmt: skip
    row = await uow.interactions.get(interaction_id=interaction_id, for_update=True)
    if row is None or row.deleted_at is not None:  # another tenant's too
        raise NotFound("対応履歴が見つかりません。")
    _may_change(row.staff_id, principal)
    return row


def _interaction_before(row: Interaction) -> dict:
    return {"kind": row.kind, "body": row.body, "next_step": row.next_step,
            "next_due": row.next_due.isoformat() if row.next_due else None}  # fmt: skip


async def correct_interaction(
    *, interaction_id: UUID, kind: str, body: str, next_step: str | None,
    next_due: date | None, principal: Principal, uow: CustomerUnitOfWork,
) -> Interaction:  # fmt: skip
    row = await _interaction(interaction_id, principal, uow)
    text, step = histories.check_interaction(
        kind=kind,
        body=body,
        next_step=next_step,
        next_due=None if next_due == row.next_due else next_due,
        today=clock.today(),
    )  # fmt: skip  (an unchanged due date may have passed since)
    before = _interaction_before(row)
    await uow.interactions.record_change(entry="interaction", entry_id=row.id, change="corrected",
                                         by=principal.user_id, before=before)  # fmt: skip
    row.kind, row.body, row.next_step = kind, text, step
    row.next_due = next_due if step else None
    row.corrected_at, row.corrected_by = clock.now(), principal.user_id
    await uow.session.flush()
    await contact_recorded(row, uow=uow)
    return row


async def delete_interaction(
    *, interaction_id: UUID, principal: Principal, uow: CustomerUnitOfWork
) -> None:
    row = await _interaction(interaction_id, principal, uow)
    await uow.interactions.record_change(entry="interaction", entry_id=row.id, change="deleted",
                                         by=principal.user_id, before=_interaction_before(row))  # fmt: skip
    row.deleted_at, row.deleted_by = clock.now(), principal.user_id
    await uow.session.flush()
    await contact_recorded(row, uow=uow)


async def _action(action_id: int, principal: Principal, uow: CustomerUnitOfWork) -> CustomerAction:
    row = await uow.actions.get(action_id=action_id, for_update=True)
    if row is None or row.deleted_at is not None:
        raise NotFound("アクション履歴が見つかりません。")
    if row.source != "staff":
        raise Conflict(EVENT_RECORDED, code="recorded_from_event")
    _may_change(row.staff_id, principal)
    return row


async def correct_action(
    *, action_id: int, kind: str, note: str | None, principal: Principal, uow: CustomerUnitOfWork
) -> CustomerAction:
    row = await _action(action_id, principal, uow)
    text = histories.check_action(kind=kind, note=note)
    await uow.actions.record_change(entry="action", entry_id=row.id, change="corrected",
                                    by=principal.user_id, before={"kind": row.kind, "note": row.note})  # fmt: skip
    row.kind, row.note = kind, text
    row.corrected_at, row.corrected_by = clock.now(), principal.user_id
    await uow.session.flush()
    await contact_recorded(row, uow=uow)
    return row


async def delete_action(*, action_id: int, principal: Principal, uow: CustomerUnitOfWork) -> None:
    """A deleted action no longer counts in アクション別売上集計; an order it was credited
    with stays credited to it (the sale happened) but is no longer counted either."""
    row = await _action(action_id, principal, uow)
    await uow.actions.record_change(entry="action", entry_id=row.id, change="deleted",
                                    by=principal.user_id, before={"kind": row.kind, "note": row.note})  # fmt: skip
    row.deleted_at, row.deleted_by = clock.now(), principal.user_id
    await uow.session.flush()
    await contact_recorded(row, uow=uow)


async def changes(*, entry: str, entry_id: object, uow: CustomerUnitOfWork) -> list[HistoryChange]:
    return await uow.interactions.changes(entry=entry, entry_id=entry_id)


async def history_of(
    *, entry: str, entry_id: UUID | int, principal: Principal, uow: CustomerUnitOfWork
) -> tuple[Interaction | CustomerAction, list[HistoryChange]]:
    """The corrections and deletion of one entry, oldest first (decision 94): the same rule
    as changing it — an administrator anyone's, a 一般 user their own; a deleted entry's
    history stays readable. Another tenant's entry (or none) is 404 before the role."""
    if entry == "interaction":
        row = await uow.interactions.get(interaction_id=entry_id)  # type: ignore[arg-type]
        missing = "対応履歴が見つかりません。"
    else:
        row = await uow.actions.get(action_id=entry_id)  # type: ignore[arg-type]
        missing = "アクション履歴が見つかりません。"
    if row is None:
        raise NotFound(missing)
    if not principal.is_admin and row.staff_id != principal.user_id:
        raise Forbidden("ご自身が入力した履歴の修正履歴のみ閲覧できます。", code="not_own_entry")
    return row, await uow.interactions.changes(entry=entry, entry_id=row.id)
