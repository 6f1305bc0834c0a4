"""What other services keep of a customer (booking: name, ❗ caution, blacklist), sent in
the same transaction as the change."""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from contracts import CustomerProfileChangedV1, CustomerWishesChangedV1
from contracts.listings import DesiredConditions

from customer.adapters.unit_of_work import CustomerUnitOfWork


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
