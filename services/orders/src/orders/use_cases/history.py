"""ORD-2 reorder from purchase history in one step (再注文), ORD-7 survey answers entered with
an order (アンケート入力) and the presents history (プレゼント履歴). Callers own the
transaction."""

from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from contracts.orders import SurveyAnswer, SurveyAnsweredV1, SurveyProduct
from kit.errors import Conflict, Invalid, NotFound

from orders.adapters import orm
from orders.adapters.unit_of_work import OrdersUnitOfWork
from orders.use_cases.order_sets import BundleRequest
from orders.use_cases.placing import Delivery, LineRequest, PlacedOrder, PlaceOrder, place_order

MAX_ANSWER = 500


async def reorder(
    *, order_id: UUID, staff_id: UUID | None, medium_id: UUID | None, uow: OrdersUnitOfWork
) -> PlacedOrder:
    """A new order of the same products and bundles to the same address, placed as a phone
    order today: today's prices, products and campaigns (companions and gifts are worked out
    again, not copied)."""
    order = await uow.orders.get(order_id=order_id)
    if order is None:
        raise NotFound("受注が見つかりません。")
    if order.customer_id is None:  # a web-shop order still being linked to its customer
        raise Conflict("お客様の特定が済んでいない受注です。しばらくしてからやり直してください。",
                       code="customer_pending", field="order_id")  # fmt: skip
    lines = (await uow.orders.lines(order_ids=[order.id]))[order.id]
    cmd = PlaceOrder(
        customer_id=order.customer_id,
        lines=tuple(LineRequest(ln.product_id, ln.quantity) for ln in lines if ln.kind == "product"),
        bundles=tuple(BundleRequest(ln.product_id, ln.quantity) for ln in lines if ln.kind == "bundle"),
        delivery=Delivery(**order.delivery), staff_id=staff_id or order.staff_id,
        medium_id=medium_id or order.medium_id, payer_kana=order.payer_kana,
    )  # fmt: skip
    return await place_order(cmd, uow=uow)


async def record_answers(
    *, placed: PlacedOrder, answers: list[tuple[UUID, str]], uow: OrdersUnitOfWork
) -> list[orm.SurveyAnswer]:
    """Each answer to a current question, once; a choice must be one of the question's.
    ``SurveyAnswered`` goes out with them (アンケート集計表), the order's products beside."""
    order_id = placed.order.id
    found = await uow.masters.many(orm.SurveyQuestion, ids={q for q, _ in answers})
    rows, seen = [], set()
    for i, (question_id, answer) in enumerate(answers):
        question = found.get(question_id)
        field = f"survey_answers.{i}"
        if question is None or question.retired_at is not None or question_id in seen:
            raise Invalid("指定された設問が見つかりません。", code="unknown_question",
                          field=f"{field}.question_id")  # fmt: skip
        seen.add(question_id)
        answer = answer.strip()
        if not answer or len(answer) > MAX_ANSWER:
            raise Invalid(f"回答を{MAX_ANSWER}文字以内で入力してください。", code="required",
                          field=f"{field}.answer")  # fmt: skip
        if question.answer_kind == "choice" and answer not in question.choices:
            raise Invalid("回答は設問の選択肢から選んでください。", code="invalid_choice",
                          field=f"{field}.answer")  # fmt: skip
        row = orm.SurveyAnswer(id=uuid4(), order_id=order_id, question_id=question.id,
                               question_text=question.text, answer=answer)  # fmt: skip
        uow.masters.add(row)
        rows.append(row)
    await uow.masters.flush()
    if rows:
        await uow.add_event(_answered(placed, rows))
    return rows


def _answered(placed: PlacedOrder, rows: list[orm.SurveyAnswer]) -> SurveyAnsweredV1:
    order, products = placed.order, {ln.product_id: ln.product_name for ln in placed.lines}
    return SurveyAnsweredV1(
        order_id=order.id, customer_id=order.customer_id, ordered_at=order.ordered_at,
        products=[SurveyProduct(product_id=k, product_name=v) for k, v in products.items()],
        answers=[SurveyAnswer(question_id=r.question_id, question_text=r.question_text,
                              answer=r.answer) for r in rows],
    )  # fmt: skip


async def answers_of(*, order_id: UUID, uow: OrdersUnitOfWork) -> list[orm.SurveyAnswer]:
    if await uow.orders.get(order_id=order_id) is None:
        raise NotFound("受注が見つかりません。")
    return await uow.orders.survey_answers(order_id=order_id)


@dataclass(frozen=True)
class Present:
    order_id: UUID
    order_number: int
    ordered_on: date
    product_id: UUID
    product_name: str
    quantity: int
    by_campaign: bool  # a campaign's gift (同梱), else a present product that was ordered


async def presents(*, customer_id: UUID, uow: OrdersUnitOfWork) -> list[Present]:
    """プレゼント履歴: what the customer was given, newest first (campaign gifts and products
    of the master's present flag), cancelled orders left out."""
    return [
        Present(
            o.id,
            o.order_number,
            o.ordered_on,
            ln.product_id,
            ln.product_name,
            ln.quantity,
            ln.is_gift,
        )
        for o, ln in await uow.orders.presents(customer_id=customer_id)
    ]
