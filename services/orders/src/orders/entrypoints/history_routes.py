"""ORD-2 reorder from purchase history, ORD-7 survey answers and the presents history."""

from datetime import date
from uuid import UUID

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict

from orders.entrypoints.deps import StaffOnly, TxDep, UowDep
from orders.entrypoints.schemas import OrderRead
from orders.use_cases import history

router = APIRouter(dependencies=[StaffOnly])


class ReorderWrite(BaseModel):
    staff_id: UUID | None = None  # who takes the new order (default: as before)
    medium_id: UUID | None = None


class SurveyAnswerRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    question_id: UUID
    question_text: str
    answer: str


class PresentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    order_id: UUID
    order_number: int
    ordered_on: date
    product_id: UUID
    product_name: str
    quantity: int
    by_campaign: bool


@router.post("/orders/{order_id}/reorder", status_code=status.HTTP_201_CREATED)
async def reorder(order_id: UUID, tx: TxDep, body: ReorderWrite | None = None) -> OrderRead:
    """再注文: the same products to the same address, as a new order placed today."""
    body = body or ReorderWrite()
    placed = await tx.run(lambda uow: history.reorder(
        order_id=order_id, staff_id=body.staff_id, medium_id=body.medium_id, uow=uow))  # fmt: skip
    return OrderRead.of(placed)


@router.get("/orders/{order_id}/survey-answers")
async def survey_answers(order_id: UUID, uow: UowDep) -> list[SurveyAnswerRead]:
    found = await history.answers_of(order_id=order_id, uow=uow)
    return [SurveyAnswerRead.model_validate(a) for a in found]


@router.get("/presents")
async def presents(customer_id: UUID, uow: UowDep) -> list[PresentRead]:
    """プレゼント履歴 of a customer."""
    found = await history.presents(customer_id=customer_id, uow=uow)
    return [PresentRead.model_validate(p) for p in found]
