"""パートナー連携 (GW-4, decision 104): an admin's partners of the tenant, each reading the
tenant's events of its chosen types from its own RabbitMQ queue. The password is in the
answer of the creation and of a rotation only."""

from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request, Response
from kit.bus.feeds import FeedAccess, PartnerFeeds
from kit.errors import Forbidden
from pydantic import BaseModel, ConfigDict, Field

from gateway.entrypoints.accounts_api import ADMIN
from gateway.entrypoints.deps import CurrentStaff
from gateway.entrypoints.webhooks_api import ReplayWrite  # the same range, the same bounds
from gateway.use_cases import partners
from gateway.use_cases.accounts import Staff

router = APIRouter(prefix="/api/v1", tags=["パートナー連携"])


async def partner_admin(staff: CurrentStaff) -> Staff:
    if not staff.is_admin:
        raise Forbidden(partners.ADMIN_ONLY, code="admin_only")
    return staff


AdminStaff = Annotated[Staff, Depends(partner_admin)]


class PartnerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=100)]
    # routing keys of the AsyncAPI document (GET /api/v1/asyncapi.json), e.g. customer.merged.v1
    event_types: list[Annotated[str, Field(max_length=100)]] = Field(min_length=1, max_length=200)


class PartnerRead(BaseModel):
    id: UUID
    name: str
    event_types: list[str]
    queue: str
    created_at: datetime
    rotated_at: datetime | None


class FeedCredentials(BaseModel):
    """Shown once: the password is not kept by the gateway."""

    amqp_url: str
    username: str
    password: str
    queue: str


class PartnerCreated(PartnerRead):
    credentials: FeedCredentials


def _read(p: partners.PartnerRow) -> PartnerRead:
    return PartnerRead(id=p.id, name=p.name, event_types=list(p.event_types), queue=p.queue,
                       created_at=p.created_at, rotated_at=p.rotated_at)  # fmt: skip


def _credentials(a: FeedAccess) -> FeedCredentials:
    return FeedCredentials(amqp_url=a.amqp_url, username=a.username, password=a.password,
                           queue=a.queue)  # fmt: skip


def _feeds(request: Request) -> PartnerFeeds:
    return request.app.state.runtime.partner_feeds


@router.get("/partners", openapi_extra=ADMIN)
async def list_partners(admin: AdminStaff, request: Request) -> list[PartnerRead]:
    async with request.app.state.runtime.uow(tenant_id=admin.tenant_id) as uow:
        return [_read(p) for p in await partners.partners(uow=uow)]


@router.post("/partners", status_code=201, openapi_extra=ADMIN)
async def create_partner(
    body: PartnerCreate, admin: AdminStaff, request: Request
) -> PartnerCreated:
    """An unknown event type: 422 ``unknown_event_type`` on ``event_types``; the embedded
    mode (no RabbitMQ): 409 ``amqp_unavailable``."""
    tx = request.app.state.runtime.transactions(tenant_id=admin.tenant_id)
    spec = partners.NewPartner(body.name, body.event_types)
    partner, access = await tx.run(lambda uow: partners.create_partner(
        spec, tenant_id=admin.tenant_id, feeds=_feeds(request), uow=uow))  # fmt: skip
    return PartnerCreated(**_read(partner).model_dump(), credentials=_credentials(access))


@router.post("/partners/{partner_id}/rotate", openapi_extra=ADMIN)
async def rotate_partner(partner_id: UUID, staff: CurrentStaff, request: Request) -> PartnerCreated:
    """A new password; the partner's open connections are closed."""
    tx = request.app.state.runtime.transactions(tenant_id=staff.tenant_id)
    partner, access = await tx.run(lambda uow: partners.rotate_partner(
        partner_id=partner_id, admin=staff.is_admin, feeds=_feeds(request),
        now=datetime.now(UTC), uow=uow))  # fmt: skip
    return PartnerCreated(**_read(partner).model_dump(), credentials=_credentials(access))


@router.delete("/partners/{partner_id}", status_code=204, openapi_extra=ADMIN)
async def delete_partner(partner_id: UUID, staff: CurrentStaff, request: Request) -> Response:
    """Its open connections are closed, its RabbitMQ user and queue removed."""
    tx = request.app.state.runtime.transactions(tenant_id=staff.tenant_id)
    await tx.run(lambda uow: partners.delete_partner(
        partner_id=partner_id, admin=staff.is_admin, feeds=_feeds(request), uow=uow))  # fmt: skip
    return Response(status_code=204)


class ReplayRead(BaseModel):
    id: UUID
    partner_id: UUID
    range_from: datetime
    range_to: datetime
    events: int


@router.post("/partners/{partner_id}/replay", status_code=202, openapi_extra=ADMIN)
async def replay_partner(
    partner_id: UUID, body: ReplayWrite, staff: CurrentStaff, request: Request
) -> ReplayRead:
    """The partner's events of ``[from, to)`` sent again to its queue with their original ids
    and the header ``crm-replay`` (at most 31 days, within the last 31): 422 ``replay_too_long``,
    ``replay_too_old``, ``replay_range`` or ``replay_future`` otherwise."""
    runtime = request.app.state.runtime
    tx = runtime.transactions(tenant_id=staff.tenant_id)
    row = await tx.run(lambda uow: partners.replay(
        partner_id=partner_id, admin=staff.is_admin, start=body.start, end=body.end,
        now=runtime.clock.now(), requested_by=staff.user_id, uow=uow))  # fmt: skip
    return ReplayRead(id=row.id, partner_id=row.partner_id, range_from=row.range_from,
                      range_to=row.range_to, events=row.events)  # fmt: skip
