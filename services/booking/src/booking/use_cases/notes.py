"""通知先 (BKG-8): every new reservation is recorded as a notification to each of the store's
destinations, in the reservation's own transaction. 営業報告 (BKG-9): a report per visit,
searchable by a part of the customer's name and a date range."""

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from contracts.envelope import new_event_id
from kit.errors import Invalid, NotFound

from booking.adapters.orm import Notification, NotificationTarget, SalesReport, Visit
from booking.adapters.unit_of_work import BookingUnitOfWork
from booking.domain.slots import JST, WEEKDAYS
from booking.use_cases.stores import get_store


async def add_target(
    *, store_id: UUID, name: str, email: str, uow: BookingUnitOfWork
) -> NotificationTarget:
    await get_store(store_id=store_id, uow=uow)
    if "@" not in email:
        raise Invalid(
            "メールアドレスの形式が正しくありません。例: tamachi@example.com", field="email"
        )
    target = NotificationTarget(id=new_event_id(), store_id=store_id, name=name, email=email)
    uow.notifications.add(target)
    await uow.notifications.flush()
    return target


async def remove_target(*, target_id: UUID, uow: BookingUnitOfWork) -> None:
    if not await uow.notifications.remove_target(target_id=target_id):
        raise NotFound("通知先が見つかりません。")


async def notify_new_visit(
    visit: Visit, *, customer_name: str | None, now: datetime, uow: BookingUnitOfWork
) -> None:
    start = visit.starts_at.astimezone(JST)
    when = f"{start:%Y/%m/%d}({WEEKDAYS[start.weekday()]}) {start:%H:%M}"
    who = f"{customer_name or 'お客様'} 様"
    subject = f"【新規予約】{when} {who}" + ("（要確認: 重複）" if visit.conflict else "")
    body = f"新しい予約が入りました。\n日時: {when}\nお客様: {who}\n"
    for target in await uow.notifications.targets(store_id=visit.store_id):
        uow.notifications.add(
            Notification(
                id=new_event_id(),
                target_id=target.id,
                visit_id=visit.id,
                email=target.email,
                subject=subject,
                body=body,
                created_at=now,
                sent_at=None,
            )
        )


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
