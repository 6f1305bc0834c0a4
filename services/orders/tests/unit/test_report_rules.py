"""ORD-6's pure rules: the month range (defaults, 36 months, reversed, malformed, all errors at
once) and what a return takes out of an order (split over its lines, costs with it)."""

import uuid
from datetime import UTC, date, datetime

import pytest
from kit.errors import Invalid
from orders.domain import reporting as model
from orders.domain.report_range import month_range


def test_an_unset_range_is_the_twelve_months_to_this_one() -> None:
    span = month_range(None, None, today=date(2026, 12, 2))
    assert (span.first, span.last, span.months) == (date(2026, 1, 1), date(2026, 12, 1), 12)
    assert month_range("2025-03", None, today=date(2026, 12, 2)).last == date(2026, 2, 1)
    assert month_range(None, "2025-03", today=date(2026, 12, 2)).first == date(2024, 4, 1)
    assert month_range("2024-01", "2026-12", today=date(2026, 12, 2)).months == 36


@pytest.mark.parametrize(
    ("first", "last", "code"),
    [("2024-01", "2027-01", "range_too_long"), ("2026-05", "2026-04", "range_reversed"),
     ("2026-00", "2026/04", "invalid_month"), ("1999-12", "2026-01", "invalid_month")],
)  # fmt: skip
def test_a_bad_range_names_its_fields(first: str, last: str, code: str) -> None:
    with pytest.raises(Invalid) as refused:
        month_range(first, last, today=date(2026, 12, 2))
    assert refused.value.code == code and not refused.value.message.isascii()
    assert {e["field"] for e in refused.value.errors or []} <= {"from_month", "to_month"}
    assert refused.value.errors


def test_a_return_takes_its_amount_and_cost_out_of_the_lines_of_its_product() -> None:
    tonic = uuid.uuid4()
    fact = model.OrderFact(
        order_id=uuid.uuid4(), customer_id=uuid.uuid4(), ordered_at=datetime(2026, 11, 30, 16, tzinfo=UTC),
        medium_key=model.NONE, staff_key=model.NONE, prefecture="佐賀県", discount_yen=500,
        shipping_yen=700, lines=(model.LineFact(tonic, "トニック", 2, 6000, 1000),
                                 model.LineFact(tonic, "トニック", 1, 3000, 1000)),
    )  # fmt: skip
    assert fact.month == date(2026, 12, 1)  # 16:00 UTC is the next day in Japan
    assert (fact.sales_yen, fact.cost_yen) == (8500, 3000)
    after, deltas = model.returned(fact, [model.Returned(tonic, 3, 9000)])
    assert [ln.kept_quantity for ln in after.lines] == [0, 0]
    assert (deltas.order.sales_yen, deltas.order.cost_yen, deltas.order.orders) == (-9000, -3000, 0)
    assert after.sales_yen == -500  # the discount stays with the order, as the refund leaves it
    cancelled = model.cancelled(after)
    assert (cancelled.order.orders, cancelled.order.sales_yen, cancelled.order.cost_yen) == (
        -1,
        500,
        0,
    )
    assert [p.quantity for p in cancelled.products] == [-2, -1]


def test_every_reporting_handler_takes_the_reporting_lock() -> None:
    """A handler that writes the reporting model and is missing from REPORT_CONSUMERS would
    run beside a rebuild (decision 91): the contacts' handler (decision 93) is one of them."""
    from orders.adapters.report_rebuild import REPORT_CONSUMERS
    from orders.handlers import HANDLERS

    names = {f"orders.{h.__name__}" for hs in HANDLERS.values() for h in hs}
    reporting = {n for n in names if n.startswith("orders.report_")}
    assert "orders.report_contact_recorded" in reporting
    assert reporting == set(REPORT_CONSUMERS)
