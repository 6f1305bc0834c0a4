"""ORD-6's rebuild (backfill) of the reporting model from the service's own tables: a tenant's
orders, lines, cancellations, returns and survey answers, in set-based SQL, one transaction
per tenant (decision 91).

Consistent with events consumed concurrently:

- The rebuild holds the tenant's reporting lock exclusively (a session advisory lock taken
  *before* its transaction begins); every reporting handler takes it shared before its inbox
  claim (``ReportInbox``). So no handler is half-way through while the rebuild reads, and
  none writes the model until the rebuild has committed.
- The rebuild reads in one REPEATABLE READ snapshot taken after the lock: the orders tables
  and the outbox as of one moment. The outbox is written in the transaction of the change
  (kit.outbox), so the tenant's OrderPlaced/OrderCancelled/OrderReturned/SurveyAnswered rows
  in that snapshot are exactly the events whose effect the snapshot's tables hold.
- Those events are claimed in the inbox under the handlers' consumer names, in the same
  transaction: a later (or redelivered) delivery of one is skipped; an event of a change
  committed after the snapshot is not claimed, and its handler applies it as usual.

Cost per line: the unit cost its OrderPlaced event carried (the outbox), else the product
master's cost as of now (a bundle's as its items' sum): older events lack it. The delivery
prefecture is the order's ``delivery``'s. The customer is the survivor of its merges
(``report_customer_merges``, kept by the rebuild: the merge events are not replayed).

Kept as they are, not rebuilt: ``report_customer_merges`` and ``report_contacts`` (the
customers' contacts of 離脱分析, decision 93). Both are fed by the customer service's events,
which no table here holds; the rebuild deletes neither (it reads the merges for each order's
customer), and a contact's customer stays the survivor its handler or a later merge gave it."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from contracts.orders import OrderCancelledV1, OrderPlacedV1, OrderReturnedV1, SurveyAnsweredV1
from kit.customer_refs import lock_key
from sqlalchemy.ext.asyncio import AsyncEngine

from orders.adapters.report_writes import components_of
from orders.domain import bundles
from orders.domain import reporting as model
from orders.domain.bundles import SetLine

PLACED = OrderPlacedV1.routing_key()
NONE = "00000000-0000-0000-0000-000000000000"
LOCK_KIND = "orders.reports"

# routing key → the consumer name of its reporting handler (kit.consumer: service.handler)
REPORTED = {
    OrderPlacedV1.routing_key(): "orders.report_order_placed",
    OrderCancelledV1.routing_key(): "orders.report_order_cancelled",
    OrderReturnedV1.routing_key(): "orders.report_order_returned",
    SurveyAnsweredV1.routing_key(): "orders.report_survey_answered",
}
# the reporting handlers of the customer service's events: not rebuilt, but they write the
# model, so they too wait for a rebuild (and it for them)
REPORT_CONSUMERS = frozenset(REPORTED.values()) | {
    "orders.report_customer_merged",
    "orders.report_contact_recorded",
}


def report_lock(tenant_id: UUID) -> int:
    return lock_key(LOCK_KIND, tenant_id)


@dataclass(frozen=True)
class Rebuilt:
    tenant_id: UUID
    orders: int
    events: int  # the outbox events the rebuilt model reflects (claimed in the inbox)
    rebuilt_at: datetime


_TABLES = ("report_orders", "report_order_months", "report_product_months",
           "report_customer_months", "report_survey_months")  # fmt: skip

_LINES = f"""
CREATE TEMP TABLE rb_lines ON COMMIT DROP AS
WITH event_costs AS (
    SELECT (x.envelope->'payload'->>'order_id')::uuid AS order_id,
           (l->>'product_id')::uuid AS product_id, max((l->>'cost_yen')::bigint) AS unit_cost
    FROM outbox x, jsonb_array_elements(x.envelope->'payload'->'lines') l
    WHERE x.tenant_id = :tenant AND x.routing_key = '{PLACED}'
      AND l->>'cost_yen' IS NOT NULL
    GROUP BY 1, 2
), back AS (
    SELECT r.order_id, (x->>'line_no')::int AS line_no, sum((x->>'quantity')::bigint) AS qty,
           sum((x->>'amount_yen')::bigint) AS yen
    FROM order_returns r, jsonb_array_elements(r.lines) x
    WHERE r.tenant_id = :tenant GROUP BY 1, 2
)
SELECT o.id AS order_id, coalesce(m.survivor_id, o.customer_id) AS customer_id, o.ordered_at,
       date_trunc('month', o.ordered_at AT TIME ZONE 'Asia/Tokyo')::date AS month,
       coalesce(o.medium_id, '{NONE}'::uuid) AS medium_key,
       coalesce(o.staff_id, '{NONE}'::uuid) AS staff_key,
       coalesce(o.delivery->>'prefecture', '') AS prefecture,
       o.status, o.discount_yen, o.shipping_fee_yen,
       l.line_no, l.product_id, l.product_name, l.quantity::bigint AS quantity, l.amount_yen,
       coalesce(ec.unit_cost, CASE WHEN coalesce(jsonb_array_length(l.components), 0) = 0
           THEN (SELECT p.cost_yen FROM products p WHERE p.id = l.product_id)
           ELSE (SELECT sum(coalesce(p.cost_yen, 0) * (c->>'quantity')::bigint)
                 FROM jsonb_array_elements(l.components) c
                 LEFT JOIN products p ON p.id = (c->>'product_id')::uuid) END, 0)::bigint
           AS unit_cost_yen,
       coalesce(b.qty, 0)::bigint AS returned_quantity, coalesce(b.yen, 0)::bigint AS returned_yen,
       l.kind, l.components
FROM orders o
JOIN order_lines l ON l.order_id = o.id
LEFT JOIN event_costs ec ON ec.order_id = o.id AND ec.product_id = l.product_id
LEFT JOIN back b ON b.order_id = o.id AND b.line_no = l.line_no
LEFT JOIN report_customer_merges m ON m.tenant_id = :tenant AND m.merged_id = o.customer_id
WHERE o.tenant_id = :tenant AND o.customer_id IS NOT NULL
"""

# The lines as the model keeps them: a product line as it is, a bundle line's items added by
# ``_add_bundle_items`` (the split is the handlers' rule, ``domain/bundles.py``).
_ITEMS = """
CREATE TEMP TABLE rb_items ON COMMIT DROP AS
SELECT order_id, customer_id, ordered_at, month, medium_key, staff_key, prefecture, status,
       discount_yen, shipping_fee_yen, line_no, product_id, product_name, quantity, amount_yen,
       unit_cost_yen, returned_quantity, returned_yen, NULL::uuid AS set_id, ''::text AS set_name,
       0::int AS set_line, 1 AS per_set
FROM rb_lines WHERE NOT (kind = 'bundle' AND coalesce(jsonb_array_length(components), 0) > 0)
"""
_BUNDLES = """
SELECT order_id, line_no, product_id, product_name, quantity, amount_yen, returned_quantity,
       returned_yen, components
FROM rb_lines WHERE kind = 'bundle' AND coalesce(jsonb_array_length(components), 0) > 0
"""
_ADD_ITEM = """
INSERT INTO rb_items
SELECT l.order_id, l.customer_id, l.ordered_at, l.month, l.medium_key, l.staff_key, l.prefecture,
       l.status, l.discount_yen, l.shipping_fee_yen, l.line_no, CAST(:product_id AS uuid),
       CAST(:product_name AS text), CAST(:quantity AS bigint), CAST(:amount_yen AS bigint),
       CAST(:unit_cost_yen AS bigint), CAST(:returned_quantity AS bigint),
       CAST(:returned_yen AS bigint), CAST(:set_id AS uuid), CAST(:set_name AS text), l.line_no,
       CAST(:per_set AS int)
FROM rb_lines l WHERE l.order_id = :order_id AND l.line_no = CAST(:set_line AS int)
"""

# One row per order: its own figures (whatever its status, as the handlers keep them), and
# what it adds to the aggregates (nothing once cancelled: the keys stay, at zero).
_ORDERS = """
CREATE TEMP TABLE rb_orders ON COMMIT DROP AS
SELECT l.order_id, min(l.customer_id::text)::uuid AS customer_id, min(l.ordered_at) AS ordered_at,
       min(l.month) AS month, min(l.medium_key::text)::uuid AS medium_key,
       min(l.staff_key::text)::uuid AS staff_key, min(l.prefecture) AS prefecture,
       min(l.status) AS status, min(l.shipping_fee_yen) AS shipping_yen,
       min(l.discount_yen) AS discount_yen,
       sum(l.amount_yen - l.returned_yen) - min(l.discount_yen) AS sales_yen,
       sum(l.unit_cost_yen * (l.quantity - l.returned_quantity)) AS cost_yen,
       jsonb_agg(jsonb_strip_nulls(jsonb_build_object('product_id', l.product_id,
           'product_name', l.product_name, 'quantity', l.quantity, 'amount_yen', l.amount_yen,
           'unit_cost_yen', l.unit_cost_yen, 'returned_quantity', l.returned_quantity,
           'returned_yen', l.returned_yen, 'set_id', l.set_id, 'set_name', l.set_name,
           'set_line', l.set_line, 'per_set', l.per_set))
           ORDER BY l.line_no, l.product_id) AS lines
FROM rb_items l GROUP BY l.order_id
"""

_FILL = (
    """INSERT INTO report_orders (tenant_id, order_id, customer_id, ordered_at, month, medium_key,
           staff_key, prefecture, status, outcome, lines, sales_yen, cost_yen, shipping_yen,
           discount_yen)
       SELECT :tenant, o.order_id, o.customer_id, o.ordered_at, o.month, o.medium_key,
              o.staff_key, o.prefecture, o.status,
              CASE WHEN o.status = 'cancelled' THEN 'キャンセル: ' || coalesce(c.text, '')
                   WHEN r.reason_text IS NOT NULL THEN '返品: ' || r.reason_text ELSE '' END,
              o.lines, o.sales_yen, o.cost_yen, o.shipping_yen, o.discount_yen
       FROM rb_orders o
       JOIN orders src ON src.id = o.order_id
       LEFT JOIN reasons c ON c.id = src.cancel_reason_id
       LEFT JOIN LATERAL (SELECT reason_text FROM order_returns x WHERE x.order_id = o.order_id
                          ORDER BY x.returned_at DESC LIMIT 1) r ON true""",
    """INSERT INTO report_order_months (tenant_id, month, medium_key, staff_key, prefecture,
           orders, sales_yen, cost_yen, shipping_yen)
       SELECT :tenant, month, medium_key, staff_key, prefecture,
              count(*) FILTER (WHERE status <> 'cancelled'),
              coalesce(sum(sales_yen) FILTER (WHERE status <> 'cancelled'), 0),
              coalesce(sum(cost_yen) FILTER (WHERE status <> 'cancelled'), 0),
              coalesce(sum(shipping_yen) FILTER (WHERE status <> 'cancelled'), 0)
       FROM rb_orders GROUP BY month, medium_key, staff_key, prefecture""",
    """INSERT INTO report_customer_months (tenant_id, month, customer_id, orders, sales_yen,
           cost_yen)
       SELECT :tenant, month, customer_id, count(*) FILTER (WHERE status <> 'cancelled'),
              coalesce(sum(sales_yen) FILTER (WHERE status <> 'cancelled'), 0),
              coalesce(sum(cost_yen) FILTER (WHERE status <> 'cancelled'), 0)
       FROM rb_orders GROUP BY month, customer_id""",
    """INSERT INTO report_product_months (tenant_id, month, product_id, medium_key, prefecture,
           product_name, quantity, returned_quantity, sales_yen, cost_yen)
       SELECT :tenant, month, product_id, medium_key, prefecture,
              (array_agg(product_name ORDER BY ordered_at DESC))[1],
              coalesce(sum(quantity) FILTER (WHERE status <> 'cancelled'), 0),
              coalesce(sum(returned_quantity) FILTER (WHERE status <> 'cancelled'), 0),
              coalesce(sum(amount_yen - returned_yen) FILTER (WHERE status <> 'cancelled'), 0),
              coalesce(sum(unit_cost_yen * (quantity - returned_quantity))
                       FILTER (WHERE status <> 'cancelled'), 0)
       FROM rb_items GROUP BY month, product_id, medium_key, prefecture""",
    # SurveyAnswered: every answer × each product of its order, in the order's month
    """INSERT INTO report_survey_months (tenant_id, month, question_id, answer, product_id,
           question_text, product_name, answers)
       SELECT :tenant, p.month, a.question_id, a.answer, p.product_id, max(a.question_text),
              max(p.product_name), count(*)
       FROM survey_answers a
       JOIN (SELECT DISTINCT ON (order_id, product_id) order_id, product_id, product_name, month
             FROM rb_lines ORDER BY order_id, product_id, line_no DESC) p
         ON p.order_id = a.order_id
       WHERE a.tenant_id = :tenant
       GROUP BY p.month, a.question_id, a.answer, p.product_id""",
)

_CLAIM = """
INSERT INTO inbox (consumer, event_id)
SELECT CASE x.routing_key {cases} END, x.event_id FROM outbox x
WHERE x.tenant_id = :tenant AND x.routing_key IN ({keys})
ON CONFLICT DO NOTHING
""".format(
    cases=" ".join(f"WHEN '{k}' THEN '{c}'" for k, c in REPORTED.items()),
    keys=", ".join(f"'{k}'" for k in REPORTED),
)

_LAST = """
SELECT x.event_id, x.envelope->>'event_type' AS event_type,
       (x.envelope->>'occurred_at')::timestamptz AS occurred_at, count(*) OVER () AS events
FROM outbox x WHERE x.tenant_id = :tenant AND x.routing_key IN ({keys})
ORDER BY (x.envelope->>'occurred_at')::timestamptz DESC, x.id DESC LIMIT 1
""".format(keys=", ".join(f"'{k}'" for k in REPORTED))

_FRESH = """
INSERT INTO report_freshness (tenant_id, last_event_id, last_event_type, last_occurred_at,
    applied_at, events_applied, rebuilt_at)
VALUES (:tenant, :event_id, :event_type, :occurred_at, :now, :events, :now)
ON CONFLICT (tenant_id) DO UPDATE SET last_event_id = excluded.last_event_id,
    last_event_type = excluded.last_event_type, last_occurred_at = excluded.last_occurred_at,
    applied_at = excluded.applied_at, events_applied = excluded.events_applied,
    rebuilt_at = excluded.rebuilt_at
"""


async def tenants(engine: AsyncEngine) -> list[UUID]:
    """Every tenant with orders here."""
    async with engine.connect() as conn:
        rows = await conn.execute(sa.text("SELECT DISTINCT tenant_id FROM orders ORDER BY 1"))
        return [r[0] for r in rows]


async def rebuild(engine: AsyncEngine, tenant_id: UUID) -> Rebuilt:
    """The tenant's reporting model replaced by what its tables hold (see the module)."""
    key, params = report_lock(tenant_id), {"tenant": tenant_id}
    async with engine.connect() as conn:
        # the lock first, in a transaction of its own (the session keeps it), so that the
        # snapshot below is taken once every handler in flight has committed
        await conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": key})
        await conn.commit()
        try:
            rr = await conn.execution_options(isolation_level="REPEATABLE READ")
            async with rr.begin():
                return await _rebuild(rr, tenant_id, params)
        finally:
            await conn.execution_options(isolation_level="READ COMMITTED")
            await conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": key})
            await conn.commit()


async def _add_bundle_items(conn: Any, tenant_id: UUID) -> None:
    """Each bundle line's items into ``rb_items``, split and returned as the handlers do."""
    found = (await conn.execute(sa.text(_BUNDLES))).all()
    if not found:
        return
    items_of = await components_of(conn, tenant_id, found)
    rows = []
    for r, components in zip(found, items_of, strict=True):
        line = SetLine(r.product_id, r.product_name, r.line_no, r.quantity, r.amount_yen)
        items = bundles.split(line, components)
        if r.returned_quantity:
            model.take_back(
                items, model.Returned(r.product_id, r.returned_quantity, r.returned_yen)
            )
        rows += [{**vars(ln), "order_id": r.order_id} for ln in items]
    await conn.execute(sa.text(_ADD_ITEM), rows)


async def _rebuild(conn: Any, tenant_id: UUID, params: dict[str, Any]) -> Rebuilt:
    now = datetime.now(UTC)
    for table in _TABLES:
        await conn.execute(sa.text(f"DELETE FROM {table} WHERE tenant_id = :tenant"), params)
    await conn.execute(sa.text(_LINES), params)
    await conn.execute(sa.text(_ITEMS), params)
    await _add_bundle_items(conn, tenant_id)
    await conn.execute(sa.text(_ORDERS), params)
    for sql in _FILL:
        await conn.execute(sa.text(sql), params)
    orders = await conn.scalar(sa.text("SELECT count(*) FROM rb_orders"))
    await conn.execute(sa.text(_CLAIM), params)
    last = (await conn.execute(sa.text(_LAST), params)).first()
    if last is None:  # nothing ever happened: no freshness to state
        await conn.execute(
            sa.text("DELETE FROM report_freshness WHERE tenant_id = :tenant"), params
        )
        events = 0
    else:
        events = last.events
        await conn.execute(sa.text(_FRESH), {**params, "event_id": last.event_id,
                           "event_type": last.event_type, "occurred_at": last.occurred_at,
                           "now": now, "events": events})  # fmt: skip
    return Rebuilt(tenant_id=tenant_id, orders=orders or 0, events=events, rebuilt_at=now)
