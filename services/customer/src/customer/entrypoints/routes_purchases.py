"""購入履歴: a customer's orders as the orders events told them (CUS-13's purchases pane)."""

from datetime import datetime
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from customer.entrypoints.deps import UowDep
from customer.use_cases import purchases

router = APIRouter()


class PurchaseLine(BaseModel):
    product_name: str
    quantity: int
    amount_yen: int


class PurchaseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    order_id: UUID
    order_number: int | None
    channel: str  # phone / web / subscription
    ordered_at: datetime
    total_yen: int
    lines: list[PurchaseLine]
    subscription_id: UUID | None
    status: str  # placed / cancelled / returned


class PurchaseHistoryRead(BaseModel):
    items: list[PurchaseRead]  # newest first, at most 100
    orders: int  # that stand (not cancelled or returned)
    total_yen: int


@router.get("/customers/{customer_id}/purchases")
async def purchase_history(customer_id: UUID, uow: UowDep) -> PurchaseHistoryRead:
    found = await purchases.purchase_history(customer_id=customer_id, uow=uow)
    return PurchaseHistoryRead(
        items=[PurchaseRead.model_validate(p) for p in found.items],
        orders=found.orders, total_yen=found.total_yen,
    )  # fmt: skip
