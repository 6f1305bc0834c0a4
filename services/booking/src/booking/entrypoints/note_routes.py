"""通知先 (notification destinations), recorded notifications and 営業報告 (sales reports)."""

from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, status
from kit.auth import CurrentPrincipal
from kit.clock import JstDatetime
from kit.inputs import Day
from pydantic import BaseModel, ConfigDict, Field

from booking.entrypoints.deps import StaffOnly, TxDep, UowDep
from booking.use_cases import notes, notifications, queries

router = APIRouter(dependencies=[StaffOnly])


class TargetWrite(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    email: Annotated[str, Field(min_length=3, max_length=254)]


class TargetRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    store_id: UUID
    name: str
    email: str


class NotificationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    store_id: UUID | None
    visit_id: UUID | None
    inquiry_id: UUID | None
    email: str
    subject: str
    body: str
    created_at: JstDatetime
    sent_at: JstDatetime | None  # when the mail server took it; None while it waits or retries
    attempts: int


class ReportWrite(BaseModel):
    body: Annotated[str, Field(min_length=1, max_length=10_000)]


class ReportRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    visit_id: UUID
    customer_id: UUID
    customer_name: str
    visit_starts_at: JstDatetime
    body: str
    written_by: UUID | None
    written_at: JstDatetime
    customer_caution: bool = False  # ❗ and the blacklist mark wherever staff see the name
    customer_blacklisted: bool = False


@router.get("/stores/{store_id}/notification-targets")
async def targets(store_id: UUID, uow: UowDep) -> list[TargetRead]:
    return [
        TargetRead.model_validate(t)
        for t in await queries.notification_targets(store_id=store_id, uow=uow)
    ]


# 管理者 only (notifications.TARGETS_ADMIN_ONLY), checked once the store or target is found.
@router.post("/stores/{store_id}/notification-targets", status_code=status.HTTP_201_CREATED)
async def add_target(
    store_id: UUID, body: TargetWrite, tx: TxDep, principal: CurrentPrincipal
) -> TargetRead:
    target = await tx.run(
        lambda uow: notifications.add_target(
            store_id=store_id, name=body.name, email=body.email, principal=principal, uow=uow
        )
    )
    return TargetRead.model_validate(target)


@router.delete("/notification-targets/{target_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_target(target_id: UUID, tx: TxDep, principal: CurrentPrincipal) -> None:
    await tx.run(
        lambda uow: notifications.remove_target(target_id=target_id, principal=principal, uow=uow)
    )


@router.get("/visits/{visit_id}/notifications")
async def visit_notifications(visit_id: UUID, uow: UowDep) -> list[NotificationRead]:
    rows = await queries.notifications(visit_id=visit_id, uow=uow)
    return [NotificationRead.model_validate(n) for n in rows]


@router.get("/stores/{store_id}/notifications")
async def store_notifications(
    store_id: UUID, uow: UowDep, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> list[NotificationRead]:
    """通知履歴: the store's latest notifications, newest first, with their mail status."""
    rows = await queries.notifications(store_id=store_id, limit=limit, uow=uow)
    return [NotificationRead.model_validate(n) for n in rows]


@router.put("/visits/{visit_id}/sales-report")
async def write_report(
    visit_id: UUID, body: ReportWrite, tx: TxDep, principal: CurrentPrincipal
) -> ReportRead:
    now = datetime.now(UTC)
    report = await tx.run(
        lambda uow: notes.write_report(
            visit_id=visit_id, body=body.body, author=principal.user_id, now=now, uow=uow
        )
    )
    return ReportRead.model_validate(report)


@router.get("/sales-reports")
async def find_reports(
    uow: UowDep,
    name: Annotated[str | None, Query(max_length=100)] = None,
    date_from: Day | None = None,
    date_to: Day | None = None,
) -> list[ReportRead]:
    query = notes.ReportQuery(name=name, date_from=date_from, date_to=date_to)
    reports = await notes.find_reports(query, uow=uow)
    customers = await queries.customers(customer_ids={r.customer_id for r in reports}, uow=uow)
    found = []
    for report in reports:
        read = ReportRead.model_validate(report)
        if (customer := customers.get(report.customer_id)) is not None:
            read.customer_caution = customer.caution
            read.customer_blacklisted = customer.blacklisted
        found.append(read)
    return found
