"""CUS-2 follow-up (追客): status 追客中 / 追客停止 / 成約 and the rep (お客様担当), each change
kept with who and when (a status change is also FollowUpChanged, through the outbox); memos
appended with their history (seed 000: every media)."""

from dataclasses import dataclass
from uuid import UUID

from contracts import FollowUpChangedV1
from kit import clock
from kit.errors import Conflict, NotFound

from customer.adapters.orm import CustomerMemo, FollowUpChange
from customer.adapters.unit_of_work import CustomerUnitOfWork
from customer.domain.errors import ProfileError
from customer.domain.model import FollowUpStatus

MAX_MEMO = 2000
_UNSET = object()


@dataclass(frozen=True)
class FollowUp:
    status: str
    assignee_id: UUID | None
    history: list[FollowUpChange]
    memos: list[CustomerMemo]
    unassigned: int


async def change_follow_up(
    customer_id: UUID,
    *,
    status: str | None = None,
    assignee_id: UUID | object | None = _UNSET,
    by: UUID | None,
    uow: CustomerUnitOfWork,
) -> None:
    """Only what is given changes; setting the same value again records nothing. A withdrawn
    (退会) customer is followed up no more (docs/decisions.md 72); a memo may still be kept."""
    row = await uow.customers.row(customer_id=customer_id, for_update=True)
    if row is None:
        raise NotFound("お客様が見つかりません。")
    if row.withdrawn_at is not None:
        raise Conflict(
            "退会済みのお客様の追客状況・担当は変更できません。退会を取り消してから変更してください。",
            code="customer_withdrawn",
        )
    values: dict[str, object] = {}
    if status is not None and status != row.follow_up_status:
        if status not in {s.value for s in FollowUpStatus}:
            raise ProfileError(
                "追客状況は 追客中・追客停止・成約 から選んでください。", field="status"
            )
        uow.follow_up.record(
            customer_id=customer_id, field="status", old=row.follow_up_status, new=status, by=by
        )
        values["follow_up_status"] = status
        # Others date a contract (成約) by it: leads' conversion by hot-lead level.
        await uow.add_event(
            FollowUpChangedV1(
                customer_id=customer_id,
                status=status,  # type: ignore[arg-type]  # checked just above
                previous_status=row.follow_up_status,  # type: ignore[arg-type]
                changed_at=clock.now(),
                changed_by=by,
            )
        )
    if assignee_id is not _UNSET and assignee_id != row.assignee_id:
        uow.follow_up.record(
            customer_id=customer_id,
            field="assignee",
            old=_text(row.assignee_id),
            new=_text(assignee_id),
            by=by,
        )
        values["assignee_id"] = assignee_id
    if values:
        await uow.customers.update(customer_id=customer_id, values=values)


async def add_memo(
    customer_id: UUID, *, body: str, by: UUID | None, uow: CustomerUnitOfWork
) -> CustomerMemo:
    text = body.strip()
    if not text:
        raise ProfileError("メモを入力してください。", field="body")
    if len(text) > MAX_MEMO:
        raise ProfileError(f"メモは{MAX_MEMO}文字以内で入力してください。", field="body")
    if await uow.customers.row(customer_id=customer_id) is None:
        raise NotFound("お客様が見つかりません。")
    return await uow.follow_up.add_memo(customer_id=customer_id, body=text, by=by)


async def show_follow_up(customer_id: UUID, *, uow: CustomerUnitOfWork) -> FollowUp:
    row = await uow.customers.row(customer_id=customer_id)
    if row is None:
        raise NotFound("お客様が見つかりません。")
    return FollowUp(
        status=row.follow_up_status,
        assignee_id=row.assignee_id,
        history=await uow.follow_up.history(customer_id=customer_id),
        memos=await uow.follow_up.memos(customer_id=customer_id),
        unassigned=await uow.follow_up.unassigned_count(),
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)
