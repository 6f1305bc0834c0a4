"""CUS-3 criteria → one SELECT on customers (every booking figure is a column of the read
model, so no query crosses a service). Tenant scoping is added by the session."""

from typing import Any
from uuid import UUID

import sqlalchemy as sa
from kit.db import in_store_scope
from kit.japanese import escape_like

from customer.adapters.orm import Customer, CustomerEmail, CustomerPhone, CustomerVisit
from customer.domain.search import LAST_DIGITS, Range, SearchCriteria

TRIGRAM = 3
# Each sort ends with the id in the same direction, so that one index per sort (migration
# 0002, "customers_sort_*") hands the first page over in order without sorting every match.
_ORDER: dict[str, list[Any]] = {
    "first_inquiry_desc": [
        Customer.first_inquiry_at.desc().nulls_last(),
        Customer.created_at.desc(),
        Customer.id.desc(),
    ],
    "created_desc": [Customer.created_at.desc(), Customer.id.desc()],
    "created_asc": [Customer.created_at.asc(), Customer.id.asc()],
    "kana_asc": [Customer.kana_search.asc(), Customer.id.asc()],
    "last_visit_desc": [Customer.last_visit_at.desc().nulls_last(), Customer.id.desc()],
    "visit_count_desc": [Customer.visit_count.desc(), Customer.id.desc()],
    "customer_number_asc": [Customer.customer_number.asc(), Customer.id.asc()],
}


def search_statement(
    c: SearchCriteria, *, store_scope: tuple[UUID, ...] | None = None
) -> tuple[sa.Select, list[Any]]:
    """``store_scope``: a 一般 user's stores (their customers and those of no store); the
    exports are the admin's, unscoped."""
    query = sa.select(Customer).where(
        in_store_scope(Customer.store_id, store_scope, unassigned=True)
    )
    for condition in _conditions(c):
        query = query.where(condition)
    return query, _ORDER[c.sort]


def _conditions(c: SearchCriteria) -> list[Any]:
    out: list[Any] = []
    out.append(
        Customer.withdrawn_at.is_not(None) if c.withdrawn else Customer.withdrawn_at.is_(None)
    )
    if c.text:
        # Trigram indexes (when pg_trgm exists) serve fragments of 3+ characters anywhere in
        # the name; a 2-character fragment has no trigram, so it matches the start of the
        # name, kana or LINE name (a btree prefix scan) instead of reading every row.
        escaped = escape_like(c.text)
        pattern = f"%{escaped}%" if len(c.text) >= TRIGRAM else f"{escaped}%"
        out.append(
            sa.or_(
                Customer.name_search.like(pattern, escape="\\"),
                Customer.kana_search.like(pattern, escape="\\"),
                Customer.line_search.like(pattern, escape="\\"),
            )
        )
    if c.email_key:
        out.append(
            Customer.id.in_(
                sa.select(CustomerEmail.customer_id).where(CustomerEmail.email_key == c.email_key)
            )
        )
    if c.phone_digits:
        # ANY of the customer's numbers (seed 002: landline or mobile find the same person);
        # four digits are the end of a number, as people remember it (「下4桁」).
        digits = c.phone_digits
        match = (
            CustomerPhone.digits.like(f"%{digits}")
            if len(digits) == LAST_DIGITS
            else CustomerPhone.digits == digits
        )
        out.append(Customer.id.in_(sa.select(CustomerPhone.customer_id).where(match)))
    if c.customer_number:
        out.append(Customer.customer_number == c.customer_number)
    if c.follow_up_status:
        out.append(Customer.follow_up_status == c.follow_up_status)
    if c.assignee_id:
        out.append(Customer.assignee_id == c.assignee_id)
    if c.assigned is not None:
        out.append(
            Customer.assignee_id.is_not(None) if c.assigned else Customer.assignee_id.is_(None)
        )
    out += _between(Customer.first_inquiry_at, c.first_inquiry, half_open=True)
    out += _between(Customer.created_at, c.registered, half_open=True)
    out += _between(Customer.last_visit_at, c.last_visit, half_open=True)
    out += _between(Customer.cancel_count, c.cancel_count)
    out += _between(Customer.reservation_count, c.reservation_count)
    out += _between(Customer.visit_count, c.visit_count)
    if c.reservation_status or not c.reservation_date.empty:
        visit = sa.select(CustomerVisit.visit_id).where(CustomerVisit.customer_id == Customer.id)
        if c.reservation_status:
            visit = visit.where(CustomerVisit.status == c.reservation_status)
        for condition in _between(CustomerVisit.starts_at, c.reservation_date, half_open=True):
            visit = visit.where(condition)
        out.append(visit.exists())
    if c.menu_id or c.staff_member_id:
        # Seed 003's メニュー and スタッフ: a visit, reserved or used, not cancelled (indexes
        # customer_visits_menu / _staff_member, migration 0004).
        salon = sa.select(CustomerVisit.visit_id).where(
            CustomerVisit.customer_id == Customer.id, CustomerVisit.cancelled.is_(False)
        )
        if c.menu_id:
            salon = salon.where(CustomerVisit.menu_id == c.menu_id)
        if c.staff_member_id:
            salon = salon.where(CustomerVisit.staff_member_id == c.staff_member_id)
        out.append(salon.exists())
    if c.last_menu_id:
        out.append(Customer.last_menu_id == c.last_menu_id)
    if c.frequency_days and c.frequency_visits:
        # Average over the customer's history, at least one period long: visits × N days ≥
        # M × days since the first visit (seed 003: 「60日に1回以上」).
        days = sa.func.greatest(
            sa.extract("epoch", sa.func.now() - Customer.first_visit_at) / 86400,
            c.frequency_days,
        )
        out.append(Customer.first_visit_at.is_not(None))
        out.append(Customer.visit_count * c.frequency_days >= c.frequency_visits * days)
    if c.last_minute_cancel is not None:
        out.append(
            Customer.last_minute_cancel_count > 0
            if c.last_minute_cancel
            else Customer.last_minute_cancel_count == 0
        )
    if c.line_linked is not None:
        out.append(
            Customer.line_name.is_not(None) if c.line_linked else Customer.line_name.is_(None)
        )
    for flag in ("caution", "blacklisted", "phone_registration"):
        value = getattr(c, flag)
        if value is not None:
            out.append(getattr(Customer, flag).is_(value))
    return out


def _between(column: Any, bounds: Range, *, half_open: bool = False) -> list[Any]:
    out = []
    if bounds.low is not None:
        out.append(column >= bounds.low)
    if bounds.high is not None:
        out.append(column < bounds.high if half_open else column <= bounds.high)
    return out
