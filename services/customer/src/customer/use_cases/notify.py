"""What other services keep of a customer (booking: name, ❗ caution, blacklist; orders: the
contacts of 離脱分析), sent in the same transaction as the change."""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from contracts import CustomerProfileChangedV1, CustomerWishesChangedV1
from contracts.customer import ContactRecordedV1
from contracts.listings import DesiredConditions

from customer.adapters.orm_histories import CustomerAction, Interaction
from customer.adapters.unit_of_work import CustomerUnitOfWork
from customer.domain.histories import ACTION_KINDS, INTERACTION_KINDS


async def profile_changed(
    customer_id: UUID, *, uow: CustomerUnitOfWork, causation_id: UUID | None = None
) -> None:
    row = await uow.customers.row(customer_id=customer_id)
    if row is None:
        return
    await new_profile(
        customer_id=row.id,
        name=row.name,
        name_kana=row.name_kana,
        store_id=row.store_id,
        caution=row.caution,
        blacklisted=row.blacklisted,
        withdrawn=row.withdrawn_at is not None,
        uow=uow,
        causation_id=causation_id,
    )


async def new_profile(
    *,
    customer_id: UUID,
    name: str,
    name_kana: str | None,
    store_id: UUID | None,
    uow: CustomerUnitOfWork,
    caution: bool = False,
    blacklisted: bool = False,
    withdrawn: bool = False,
    causation_id: UUID | None = None,
) -> None:
    """The event from values at hand (a new customer: no need to read the row back)."""
    await uow.add_event(
        profile_event(
            customer_id=customer_id,
            name=name,
            name_kana=name_kana,
            store_id=store_id,
            caution=caution,
            blacklisted=blacklisted,
            withdrawn=withdrawn,
        ),
        causation_id=causation_id,
    )


def profile_event(
    *,
    customer_id: UUID,
    name: str,
    name_kana: str | None,
    store_id: UUID | None,
    caution: bool = False,
    blacklisted: bool = False,
    withdrawn: bool = False,
) -> CustomerProfileChangedV1:
    return CustomerProfileChangedV1(
        customer_id=customer_id,
        name=name,
        name_kana=name_kana,
        store_id=store_id,
        caution=caution,
        blacklisted=blacklisted,
        withdrawn=withdrawn,
        changed_at=datetime.now(UTC),
    )


def wishes_event(
    *, customer_id: UUID, columns: dict[str, Any], email: str | None
) -> CustomerWishesChangedV1:
    """What leads needs to propose and to mail: 希望条件, delivery setting, opt-in, address
    (``email`` is the first real one; a phone registration's placeholder is none)."""
    return CustomerWishesChangedV1(
        customer_id=customer_id,
        name=columns["name"],
        email=email,
        side=columns.get("side"),
        conditions=DesiredConditions.model_validate(columns.get("desired_conditions") or {}),
        proposal_delivery=columns.get("proposal_delivery") or "manual",
        newsletter_opt_in=bool(columns.get("newsletter_opt_in")),
        changed_at=datetime.now(UTC),
    )


async def contact_recorded(
    row: Interaction | CustomerAction, *, uow: CustomerUnitOfWork, causation_id: UUID | None = None
) -> None:
    """An interaction or action as it stands after its addition, correction or deletion
    (``deleted`` once it has a tombstone): the orders service's 離脱分析 reads the last one."""
    entry = "interaction" if isinstance(row, Interaction) else "action"
    labels = INTERACTION_KINDS if entry == "interaction" else ACTION_KINDS
    event = ContactRecordedV1(
        contact_id=f"{entry}:{row.id}", entry=entry, customer_id=row.customer_id, kind=row.kind,
        kind_label=labels.get(row.kind, row.kind), occurred_at=row.occurred_at,
        deleted=row.deleted_at is not None, changed_at=datetime.now(UTC),
    )  # fmt: skip
    await uow.add_event(event, causation_id=causation_id)
