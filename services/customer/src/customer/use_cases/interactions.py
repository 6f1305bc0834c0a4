"""CUS-9 対応履歴: an interaction entered in seconds while on the phone (who is the caller's
token, when defaults to now), the customer's timeline, the day's interactions of all
customers for the leader (対応履歴一覧表) with the leader's instruction for the next day."""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from kit import clock
from kit.auth import Principal, require_admin
from kit.errors import NotFound

from customer.adapters.histories import japan_day_bounds
from customer.adapters.orm_histories import Interaction, StaffInstruction
from customer.adapters.unit_of_work import CustomerUnitOfWork
from customer.domain import histories
from customer.use_cases.notify import contact_recorded

LEADER_ONLY = "対応履歴一覧表と翌日の指示は管理者（リーダー）のみ扱えます。"
TIMELINE_LIMIT = 200
DAILY_LIMIT = 2000


@dataclass(frozen=True)
class NewInteraction:
    customer_id: UUID
    kind: str
    body: str
    occurred_at: datetime | None = None
    next_step: str | None = None
    next_due: date | None = None


async def add_interaction(
    cmd: NewInteraction, *, by: UUID | None, uow: CustomerUnitOfWork
) -> Interaction:
    now = clock.now()
    histories.check_moment(cmd.occurred_at, now=now)
    body, step = histories.check_interaction(
        kind=cmd.kind, body=cmd.body, next_step=cmd.next_step, next_due=cmd.next_due,
        today=clock.today(),
    )  # fmt: skip
    customer_id = await uow.merges.resolve(customer_id=cmd.customer_id)
    if await uow.customers.row(customer_id=customer_id) is None:  # another tenant's too
        raise NotFound("お客様が見つかりません。")
    at = cmd.occurred_at or now
    row = await uow.interactions.add(values={
        "customer_id": customer_id, "kind": cmd.kind, "occurred_at": at, "staff_id": by,
        "body": body, "next_step": step, "next_due": cmd.next_due if step else None,
    })  # fmt: skip
    await uow.activity.touch(customer_id=customer_id, at=at, kind=f"interaction:{cmd.kind}")
    await contact_recorded(row, uow=uow)
    return row


async def timeline(*, customer_id: UUID, uow: CustomerUnitOfWork) -> list[Interaction]:
    if await uow.customers.row(customer_id=customer_id) is None:
        raise NotFound("お客様が見つかりません。")
    return await uow.interactions.of_customer(customer_id=customer_id, limit=TIMELINE_LIMIT)


async def daily(*, day: date | None, uow: CustomerUnitOfWork) -> tuple[date, list]:
    """The Japan day's interactions (today by default), oldest first, with the names."""
    day = day or clock.today()
    start, end = japan_day_bounds(day)
    return day, await uow.interactions.between(start=start, end=end, limit=DAILY_LIMIT)


async def instruct(
    *, interaction_id: UUID, instruction: str | None, principal: Principal, uow: CustomerUnitOfWork
) -> Interaction:
    """The leader's instruction for the next day (empty clears it)."""
    row = await uow.interactions.get(interaction_id=interaction_id, for_update=True)
    if row is None:
        raise NotFound("対応履歴が見つかりません。")
    require_admin(principal, LEADER_ONLY)
    text = histories.check_instruction(instruction)
    by = principal.user_id
    row.instruction = text
    row.instruction_by = by if text else None
    row.instruction_at = clock.now() if text else None
    await uow.session.flush()
    return row


async def instruct_staff(
    *, staff_id: UUID, day: date | None, instruction: str | None, principal: Principal,
    uow: CustomerUnitOfWork,
) -> date:  # fmt: skip
    """The leader's instruction to one staff member about ``day`` (today by default), read
    by that member the next day; one per member and day, empty clears it."""
    require_admin(principal, LEADER_ONLY)
    day = day or clock.today()
    text = histories.check_instruction(instruction)
    await uow.interactions.put_staff_instruction(staff_id=staff_id, day=day, instruction=text,
                                                 by=principal.user_id)  # fmt: skip
    return day


async def staff_instructions(*, day: date, uow: CustomerUnitOfWork) -> list[StaffInstruction]:
    return await uow.interactions.staff_instructions(day=day)


async def my_instruction(*, principal: Principal, uow: CustomerUnitOfWork
                         ) -> tuple[date, StaffInstruction | None]:  # fmt: skip
    """What the leader wrote for the caller on the previous Japan day."""
    yesterday = date.fromordinal(clock.today().toordinal() - 1)
    found = await uow.interactions.staff_instructions(day=yesterday, staff_id=principal.user_id)
    return yesterday, (found[0] if found else None)
