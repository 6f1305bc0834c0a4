"""ORD-4 payment reconciliation (入金消込): a bank-transfer file is read (any row of another
shape refuses it, listing each), each transfer matched to the one open order of the same
total whose payer kana is the same once normalised; a matched order is marked paid, anything
else (no order, several) is left unmatched for a person, who assigns it. The same file twice
is refused. Callers own the transaction."""

import hashlib
from dataclasses import dataclass
from uuid import UUID, uuid4, uuid5

from kit import clock
from kit.errors import Conflict, Invalid, NotFound

from orders.adapters import orm
from orders.adapters.unit_of_work import OrdersUnitOfWork
from orders.domain import payments

_FILES = UUID("5a3c7f0e-7d1b-4f3c-9a55-0f6f4c1b2e77")  # namespace of file digests


@dataclass(frozen=True)
class Reconciled:
    import_id: UUID
    rows: int
    matched: int
    unmatched: int


def _pay(order: orm.Order, payment: orm.Payment) -> None:
    order.paid_at, order.payment_id = clock.now(), payment.id
    payment.order_id = order.id


async def import_bank_file(*, content: bytes, uow: OrdersUnitOfWork) -> Reconciled:
    try:
        transfers = payments.read(content)
    except payments.BankFileError as exc:
        raise Invalid(exc.message, code=exc.code, field="file", errors=exc.errors or None) from None
    import_id = uuid5(_FILES, f"{uow.tenant_id}:{hashlib.sha256(content).hexdigest()}")
    if await uow.after_sales.import_seen(import_id=import_id):
        raise Conflict(
            "このファイルは既に取り込まれています。", code="already_imported", field="file"
        )
    candidates = await uow.after_sales.open_orders(amounts={t.amount_yen for t in transfers})
    taken: set[UUID] = set()
    matched = 0
    for t in transfers:
        fits = [o for o in candidates if o.total_yen == t.amount_yen and o.payer_kana
                and o.payer_kana == t.payer_key and o.id not in taken]  # fmt: skip
        payment = orm.Payment(id=uuid4(), import_id=import_id, line=t.line, paid_on=t.paid_on,
                              amount_yen=t.amount_yen, payer=t.payer, payer_key=t.payer_key,
                              status="unmatched")  # fmt: skip
        if len(fits) == 1:
            payment.status = "matched"
            _pay(fits[0], payment)
            taken.add(fits[0].id)
            matched += 1
        elif fits:
            numbers = "、".join(str(o.order_number) for o in fits)
            payment.note = f"金額と名義の合う受注が複数あります（受注番号 {numbers}）"
        else:
            payment.note = "金額と名義の合う未入金の受注がありません"
        uow.after_sales.add(payment)
    await uow.after_sales.flush()
    return Reconciled(import_id, len(transfers), matched, len(transfers) - matched)


async def assign(*, payment_id: UUID, order_id: UUID, uow: OrdersUnitOfWork) -> orm.Payment:
    """A person's match of a transfer left unmatched."""
    payment = await uow.after_sales.payment_for_update(payment_id=payment_id)
    if payment is None:
        raise NotFound("入金が見つかりません。")
    if payment.status != "unmatched":
        raise Conflict("この入金は既に消込済みです。", code="already_matched", field="payment_id")
    order = await uow.after_sales.order_for_update(order_id=order_id)
    if order is None:
        raise Invalid("指定された受注が見つかりません。", code="unknown_order", field="order_id")
    if order.status != "placed" or order.paid_at is not None:
        raise Conflict("この受注は入金済みかキャンセル済みです。", code="order_not_open",
                       field="order_id")  # fmt: skip
    payment.status, payment.note = "assigned", None
    _pay(order, payment)
    await uow.after_sales.flush()
    return payment
