"""営業報告 (BKG-9): a report per visit, written after the service, searchable by a part of
the customer's name and a date range."""

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from kit.clock import JST
from kit.errors import NotFound

from booking.adapters.orm import SalesReport
from booking.adapters.unit_of_work import BookingUnitOfWork


def name_key(text: str) -> str:
    """NFKC, no spaces of any width: 「山田 太郎」 and 「山田太郎」 search alike."""
    return "".join(unicodedata.normalize("NFKC", text).split())


async def write_report(
    *, visit_id: UUID, body: str, author: UUID | None, now: datetime, uow: BookingUnitOfWork
) -> SalesReport:
    visit = await uow.visits.get(visit_id=visit_id)
    if visit is None:
        raise NotFound("予定が見つかりません。")
    customer = await uow.customers.get(customer_id=visit.customer_id)
    name = (customer.name if customer else None) or "お客様"
    return await uow.sales_reports.put(
        values={
            "visit_id": visit.id,
            "customer_id": visit.customer_id,
            "customer_name": name,
            "name_search": name_key(name),
            "visit_starts_at": visit.starts_at,
            "body": body,
            "written_by": author,
            "written_at": now,
        }
    )


@dataclass(frozen=True)
class ReportQuery:
    name: str | None = None
    date_from: date | None = None
    date_to: date | None = None  # inclusive, Japan time


async def find_reports(query: ReportQuery, *, uow: BookingUnitOfWork) -> list[SalesReport]:
    since = datetime.combine(query.date_from, datetime.min.time(), JST) if query.date_from else None
    until = (
        datetime.combine(query.date_to + timedelta(days=1), datetime.min.time(), JST)
        if query.date_to
        else None
    )
    name = name_key(query.name) if query.name else None
    return await uow.sales_reports.search(name=name, since=since, until=until, limit=200)
