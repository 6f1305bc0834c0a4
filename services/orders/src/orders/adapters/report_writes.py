"""The reporting model's writes: one order's facts, and signed deltas added to the monthly
aggregates by upsert (``x = x + excluded.x``), keys sorted so that two events of one month
lock their rows in the same order. Every statement names the tenant itself (Core upserts
bypass the session's tenant hook)."""

from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from contracts import Envelope
from kit.customer_refs import lock_key
from sqlalchemy.dialects.postgresql import insert

from orders.adapters.orm import OrderLine, Product
from orders.adapters.report_orm import (
    ReportContact,
    ReportCustomerMerge,
    ReportCustomerMonth,
    ReportFreshness,
    ReportOrder,
    ReportOrderMonth,
    ReportProductMonth,
    ReportSurveyMonth,
)
from orders.adapters.rows import TenantRows
from orders.domain.bundles import Component, SetLine, component
from orders.domain.reporting import Deltas, LineFact, OrderFact


def _line(stored: dict[str, Any]) -> LineFact:
    ids = {k: UUID(stored[k]) for k in ("product_id", "set_id") if stored.get(k)}
    return LineFact(**{**stored, **ids})


def _stored(line: LineFact) -> dict[str, Any]:
    ids = {k: str(v) for k in ("product_id", "set_id") if (v := getattr(line, k)) is not None}
    return asdict(line) | ids


def _fact(row: ReportOrder) -> OrderFact:
    lines = tuple(_line(ln) for ln in row.lines)
    return OrderFact(
        order_id=row.order_id, customer_id=row.customer_id, ordered_at=row.ordered_at,
        medium_key=row.medium_key, staff_key=row.staff_key, prefecture=row.prefecture,
        discount_yen=row.discount_yen, shipping_yen=row.shipping_yen, lines=lines,
        status=row.status, outcome=row.outcome,
    )  # fmt: skip


_MERGE = (
    "UPDATE report_orders SET customer_id = :t WHERE tenant_id = :tenant AND customer_id = :s",
    """INSERT INTO report_customer_months (tenant_id, month, customer_id, orders, sales_yen, cost_yen)
       SELECT tenant_id, month, :t, orders, sales_yen, cost_yen FROM report_customer_months
       WHERE tenant_id = :tenant AND customer_id = :s
       ON CONFLICT (tenant_id, month, customer_id) DO UPDATE
       SET orders = report_customer_months.orders + excluded.orders,
           sales_yen = report_customer_months.sales_yen + excluded.sales_yen,
           cost_yen = report_customer_months.cost_yen + excluded.cost_yen""",
    "DELETE FROM report_customer_months WHERE tenant_id = :tenant AND customer_id = :s",
    "UPDATE report_contacts SET customer_id = :t WHERE tenant_id = :tenant AND customer_id = :s",
    # earlier merges into the source now lead to the survivor too (chains stay one step)
    """UPDATE report_customer_merges SET survivor_id = :t
       WHERE tenant_id = :tenant AND survivor_id = :s""",
    """INSERT INTO report_customer_merges (tenant_id, merged_id, survivor_id)
       VALUES (:tenant, :s, :t)
       ON CONFLICT (tenant_id, merged_id) DO UPDATE SET survivor_id = excluded.survivor_id""",
)
CUSTOMER_LOCK = "orders.reports.customer"


async def components_of(conn: Any, tenant_id: UUID, lines: list[Any]) -> list[list[Component]]:
    """Each bundle order line's items (rows with ``components``; a session or a connection):
    the list price and cost the line kept, else (orders from before they were kept) the
    product master's now, read in one statement."""
    parts = [c for ln in lines for c in ln.components or []]
    lacking = {UUID(str(c["product_id"])) for c in parts
               if c.get("unit_price_yen") is None or c.get("unit_cost_yen") is None}  # fmt: skip
    master: dict[UUID, Any] = {}
    if lacking:
        query = sa.select(Product.id, Product.price_yen, Product.cost_yen).where(
            Product.tenant_id == tenant_id, Product.id.in_(lacking)
        )
        master = {p.id: p for p in (await conn.execute(query)).all()}
    return [[component(c, master) for c in ln.components or []] for ln in lines]


class ReportWrites(TenantRows):
    async def order(self, *, order_id: UUID) -> OrderFact | None:
        """The order as the reporting model has it, locked for this event's change."""
        query = sa.select(ReportOrder).where(ReportOrder.order_id == order_id).with_for_update()
        row = await self._session.scalar(query)
        return None if row is None else _fact(row)

    async def bundle_lines(self, *, order_id: UUID) -> list[tuple[SetLine, list[Component]]]:
        """The order's bundle lines with their items, in line order, from this service's own
        order lines (OrderPlaced names a bundle as one line)."""
        rows = list(await self._session.scalars(
            sa.select(OrderLine).where(OrderLine.tenant_id == self._tenant_id,
                                       OrderLine.order_id == order_id, OrderLine.kind == "bundle")
            .order_by(OrderLine.line_no)
        ))  # fmt: skip
        items = await components_of(self._session, self._tenant_id, rows)
        return [(SetLine(r.product_id, r.product_name, r.line_no, r.quantity, r.amount_yen), c)
                for r, c in zip(rows, items, strict=True)]  # fmt: skip

    async def put_order(self, fact: OrderFact) -> None:
        lines = [_stored(ln) for ln in fact.lines]
        values = dict(
            tenant_id=self._tenant_id, order_id=fact.order_id, customer_id=fact.customer_id,
            ordered_at=fact.ordered_at, month=fact.month, medium_key=fact.medium_key,
            staff_key=fact.staff_key, prefecture=fact.prefecture, status=fact.status,
            outcome=fact.outcome, lines=lines, sales_yen=fact.sales_yen, cost_yen=fact.cost_yen,
            shipping_yen=fact.shipping_yen, discount_yen=fact.discount_yen,
        )  # fmt: skip
        stmt = insert(ReportOrder).values(values)
        keep = {
            k: stmt.excluded[k] for k in ("status", "outcome", "lines", "sales_yen", "cost_yen")
        }
        await self._session.execute(
            stmt.on_conflict_do_update(index_elements=["order_id"], set_=keep)
        )

    async def apply(self, fact: OrderFact, deltas: Deltas) -> None:
        month, d = fact.month, deltas.order
        await self._add(ReportOrderMonth, {"month": month, "medium_key": fact.medium_key,
                        "staff_key": fact.staff_key, "prefecture": fact.prefecture},
                        orders=d.orders, sales_yen=d.sales_yen, cost_yen=d.cost_yen,
                        shipping_yen=d.shipping_yen)  # fmt: skip
        await self._add(ReportCustomerMonth, {"month": month, "customer_id": fact.customer_id},
                        orders=d.orders, sales_yen=d.sales_yen, cost_yen=d.cost_yen)  # fmt: skip
        for p in sorted(deltas.products, key=lambda p: p.product_id):
            await self._add(
                ReportProductMonth, {"month": month, "product_id": p.product_id,
                "medium_key": fact.medium_key, "prefecture": fact.prefecture},
                names={"product_name": p.product_name}, quantity=p.quantity,
                returned_quantity=p.returned_quantity, sales_yen=p.sales_yen, cost_yen=p.cost_yen,
            )  # fmt: skip

    async def count_answers(self, *, month: date, rows: list[dict[str, Any]]) -> None:
        for row in sorted(rows, key=lambda r: (r["question_id"], r["answer"], r["product_id"])):
            keys = {k: row[k] for k in ("question_id", "answer", "product_id")}
            names = {k: row[k] for k in ("question_text", "product_name")}
            await self._add(ReportSurveyMonth, {"month": month, **keys}, names=names, answers=1)

    async def put_contact(self, contact: dict[str, Any]) -> None:
        """A contact as its event states it, unless the row holds a later change already
        (an older event redelivered or overtaken): the later ``changed_at`` wins."""
        stmt = insert(ReportContact).values(tenant_id=self._tenant_id, **contact)
        table = ReportContact.__table__
        keep = {k: stmt.excluded[k] for k in contact if k != "contact_id"}
        await self._session.execute(stmt.on_conflict_do_update(
            index_elements=["tenant_id", "contact_id"], set_=keep,
            where=stmt.excluded.changed_at > table.c.changed_at,
        ))  # fmt: skip

    async def survivor(self, *, customer_id: UUID) -> UUID:
        """The customer the id counts under: the survivor of its merges, or itself. Holds the
        survivor's merge lock (shared) until commit, so a merge of it waits for this event's
        rows and then moves them; an event that waited on a merge reads where it went."""
        while True:
            key = lock_key(CUSTOMER_LOCK, customer_id)
            await self._session.execute(sa.select(sa.func.pg_advisory_xact_lock_shared(key)))
            now = await self._survivor_of(customer_id)
            if now == customer_id:
                return now
            customer_id = now

    async def merge_customer(self, *, source_id: UUID, target_id: UUID) -> None:
        """統合: the source's orders, monthly sums and contacts become the survivor's (added to
        its own), and the source is remembered as merged into it. Idempotent."""
        for customer in sorted({source_id, target_id}):
            key = lock_key(CUSTOMER_LOCK, customer)
            await self._session.execute(sa.select(sa.func.pg_advisory_xact_lock(key)))
        target_id = await self._survivor_of(target_id)  # merged away itself earlier
        if target_id == source_id:
            return
        ids = {"tenant": self._tenant_id, "s": source_id, "t": target_id}
        for sql in _MERGE:
            await self._session.execute(sa.text(sql), ids)

    async def _survivor_of(self, customer_id: UUID) -> UUID:
        merges = ReportCustomerMerge.__table__
        found = await self._session.scalar(
            sa.select(merges.c.survivor_id).where(
                merges.c.tenant_id == self._tenant_id, merges.c.merged_id == customer_id
            )
        )
        return found or customer_id

    async def seen(self, envelope: Envelope) -> None:
        """The freshness line: this event is the last one applied."""
        values = dict(tenant_id=self._tenant_id, last_event_id=envelope.event_id,
                      last_event_type=envelope.event_type, last_occurred_at=envelope.occurred_at,
                      applied_at=datetime.now(UTC), events_applied=1)  # fmt: skip
        stmt = insert(ReportFreshness).values(values)
        table = ReportFreshness.__table__
        later = stmt.excluded.last_occurred_at >= table.c.last_occurred_at
        set_: dict[str, Any] = {
            k: sa.case((later, stmt.excluded[k]), else_=table.c[k])
            for k in ("last_event_id", "last_event_type", "last_occurred_at")
        }
        set_ |= {"applied_at": stmt.excluded.applied_at,
                 "events_applied": table.c.events_applied + 1}  # fmt: skip
        await self._session.execute(
            stmt.on_conflict_do_update(index_elements=["tenant_id"], set_=set_)
        )

    async def _add(
        self, model: type, keys: dict[str, Any], *, names: dict[str, Any] | None = None,
        **amounts: int,
    ) -> None:  # fmt: skip
        table = model.__table__  # type: ignore[attr-defined]
        stmt = insert(model).values(tenant_id=self._tenant_id, **keys, **(names or {}), **amounts)
        set_ = {k: table.c[k] + stmt.excluded[k] for k in amounts} | {
            k: stmt.excluded[k] for k in names or {}
        }
        index = ["tenant_id", *keys]
        await self._session.execute(stmt.on_conflict_do_update(index_elements=index, set_=set_))
