"""CUS-7 統合: preview, then an irreversible merge of the source (deleted) into the target
(kept). Other services move their records on CustomerMerged; events that still name the
source later are redirected here by the merge log (see visits.py and linking.py)."""

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from contracts import CustomerMergedV1
from kit.errors import NotFound

from customer.adapters.orm import Customer
from customer.adapters.repository import CustomerView
from customer.adapters.unit_of_work import CustomerUnitOfWork
from customer.domain.errors import MergeRefused
from customer.domain.merging import check_merge
from customer.use_cases.notify import profile_changed
from customer.use_cases.ranks import recompute as recompute_rank


@dataclass(frozen=True)
class MergePreview:
    source: CustomerView  # with emails and phones: what staff compare before merging
    target: CustomerView
    moves: dict[str, int]  # what the source brings: inquiries, phones, emails, addresses, visits
    allowed: bool
    reason: str | None


async def preview_merge(
    *, source_id: UUID, target_id: UUID, uow: CustomerUnitOfWork
) -> MergePreview:
    source, target = await _pair(source_id, target_id, uow=uow, lock=False)
    moves = await uow.merges.count_movable(customer_id=source.id)
    moves["visits"] = source.reservation_count
    views = await uow.customers.with_contacts(rows=[source, target])
    try:
        _check(source, target)
    except MergeRefused as refused:
        return MergePreview(*views, moves, allowed=False, reason=refused.message)
    return MergePreview(*views, moves, allowed=True, reason=None)


async def merge_customers(
    *, source_id: UUID, target_id: UUID, merged_by: UUID | None, uow: CustomerUnitOfWork
) -> dict[str, int]:
    source, target = await _pair(source_id, target_id, uow=uow, lock=True)
    _check(source, target)
    moved = await uow.merges.count_movable(customer_id=source.id)
    await uow.merges.move_contacts(source_id=source.id, target_id=target.id)
    await uow.site_accounts.follow_merge(source_id=source.id, target_id=target.id)
    moved["visits"] = await uow.visits.move(source_id=source.id, target_id=target.id)
    moved["purchases"] = await uow.purchases.move(source_id=source.id, target_id=target.id)
    moved["interactions"] = await uow.interactions.move(source_id=source.id, target_id=target.id)
    moved["actions"] = await uow.actions.move(source_id=source.id, target_id=target.id)
    await uow.activity.take_later(source=source, target_id=target.id)
    await uow.customers.update(customer_id=target.id, values=_combined(source, target))
    await uow.merges.record(
        source_id=source.id,
        target_id=target.id,
        source_name=source.name,
        target_name=target.name,
        source_identity_email=source.identity_email,
        merged_by=merged_by,
        moved=moved,
    )
    await uow.customers.delete(customer_id=source.id)
    await uow.visits.recompute(customer_id=target.id)
    await recompute_rank(uow=uow, customer_id=target.id)  # the purchases of both
    await uow.add_event(
        CustomerMergedV1(
            source_customer_id=source.id,
            target_customer_id=target.id,
            merged_at=datetime.now(UTC),
            merged_by=merged_by,
        )
    )
    await profile_changed(target.id, uow=uow)
    return moved


def _check(source: Customer, target: Customer) -> None:
    check_merge(
        source_id=source.id, target_id=target.id, source_name=source.name, target_name=target.name
    )
    if source.withdrawn_at or target.withdrawn_at:
        raise MergeRefused("退会済みのお客様は統合できません。", code="withdrawn")


def _combined(source: Customer, target: Customer) -> dict[str, object]:
    """The target keeps its own profile; it gains the source's flags (a blacklisted
    duplicate must not be laundered by a merge) and its earlier first inquiry."""
    values: dict[str, object] = {
        "caution": target.caution or source.caution,
        "caution_memo": _join(target.caution_memo, source.caution_memo),
        "blacklisted": target.blacklisted or source.blacklisted,
        "blacklist_memo": _join(target.blacklist_memo, source.blacklist_memo),
        "alert": _join(target.alert, source.alert),
        "karte_notes": _join(target.karte_notes, source.karte_notes),
        "portal_linked": target.portal_linked or source.portal_linked,
        # 郵送DM不要 asked by either: a merge must not post to someone who said no.
        "dm_opt_out": target.dm_opt_out or source.dm_opt_out,
        "attributes": list(dict.fromkeys([*target.attributes, *source.attributes])),
        "inflow_sources": list(dict.fromkeys([*target.inflow_sources, *source.inflow_sources])),
    }
    firsts = [t for t in (target.first_inquiry_at, source.first_inquiry_at) if t]
    if firsts:
        values["first_inquiry_at"] = min(firsts)
    for column in ("name_kana", "kana_search", "birth_date", "gender", "line_name", "assignee_id"):
        if not getattr(target, column) and getattr(source, column):
            values[column] = getattr(source, column)
    return values


def _join(first: str | None, second: str | None) -> str | None:
    parts = [p for p in (first, second) if p]
    return "\n".join(dict.fromkeys(parts)) or None


async def _pair(
    source_id: UUID, target_id: UUID, *, uow: CustomerUnitOfWork, lock: bool
) -> tuple[Customer, Customer]:
    if source_id == target_id:
        raise MergeRefused("統合元と統合先に同じお客様は選べません。", code="same_customer")
    # Lock in id order so that two merges of the same pair cannot deadlock.
    rows = {}
    for customer_id in sorted((source_id, target_id)):
        rows[customer_id] = await uow.customers.row(customer_id=customer_id, for_update=lock)
    if rows[source_id] is None or rows[target_id] is None:
        raise NotFound("お客様が見つかりません。統合済みの可能性があります。")
    return rows[source_id], rows[target_id]


async def merge_log(*, uow: CustomerUnitOfWork) -> list:
    return await uow.merges.log()
