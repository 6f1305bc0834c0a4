"""Signed webhooks in the public API (issue 16; docs/gateway.md): a tenant's endpoints, their
secrets (shown once, at creation and rotation), the delivery log and replays. 管理者 only:
a 一般 user gets 403, another tenant's endpoint 404 (before the role, as everywhere)."""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from kit.clock import JST, JstDatetime
from pydantic import BaseModel, ConfigDict, Field

from gateway.adapters.unit_of_work import GatewayUnitOfWork
from gateway.adapters.webhook_orm import WebhookEndpoint
from gateway.domain import webhooks
from gateway.entrypoints.accounts_api import ADMIN, AdminStaff
from gateway.entrypoints.deps import CurrentStaff
from gateway.use_cases import webhooks as use_cases

router = APIRouter(prefix="/api/v1/webhooks", tags=["Webhook"])


class EndpointWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Annotated[str, Field(min_length=1, max_length=2000)]
    event_types: Annotated[list[str], Field(max_length=100)]
    description: Annotated[str, Field(max_length=200)] = ""
    active: bool = True


class EndpointRead(BaseModel):
    id: UUID
    url: str
    description: str
    event_types: list[str]
    status: Literal["active", "disabled"]
    disabled_reason: str | None
    disabled_at: JstDatetime | None
    failing_since: JstDatetime | None
    # during a rotation the previous secret still signs until then
    previous_secret_until: JstDatetime | None
    created_at: JstDatetime


class EndpointWithSecret(EndpointRead):
    secret: str = Field(description="whsec_… — この応答でのみ表示されます")


class EventType(BaseModel):
    type: str
    label: str


class AttemptRead(BaseModel):
    attempted_at: JstDatetime
    status_code: int | None
    error: str | None
    latency_ms: int


class DeliveryRead(BaseModel):
    id: int
    event_id: UUID
    event_type: str
    replayed: bool
    status: Literal["pending", "delivered", "failed"]
    attempts: list[AttemptRead]
    next_attempt_at: JstDatetime | None
    created_at: JstDatetime


class ReplayWrite(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    start: datetime = Field(alias="from")
    end: datetime = Field(alias="to")


class ReplayRead(BaseModel):
    id: UUID
    events: int


def _read(e: WebhookEndpoint) -> EndpointRead:
    return EndpointRead(
        id=e.id, url=e.url, description=e.description, event_types=list(e.event_types),
        status=e.status, disabled_reason=e.disabled_reason, disabled_at=e.disabled_at,  # type: ignore[arg-type]
        failing_since=e.failing_since, previous_secret_until=e.previous_secret_until,
        created_at=e.created_at,
    )  # fmt: skip


def _delivery(row: use_cases.DeliveryRow) -> DeliveryRead:
    d = row.delivery
    attempts = [AttemptRead(attempted_at=a.attempted_at, status_code=a.status_code,
                            error=a.error, latency_ms=a.latency_ms) for a in row.attempts]  # fmt: skip
    return DeliveryRead(
        id=d.id, event_id=d.event_id, event_type=d.routing_key, replayed=d.replay_id is not None,
        status=d.status, attempts=attempts, created_at=d.created_at,  # type: ignore[arg-type]
        next_attempt_at=d.next_attempt_at if d.status == "pending" else None,
    )  # fmt: skip


def _change(body: EndpointWrite) -> use_cases.EndpointChange:
    return use_cases.EndpointChange(body.url, body.event_types, body.description, body.active)


def _allow_http(request: Request) -> bool:
    return request.app.state.runtime.settings.webhook_allow_http


def _now(request: Request) -> datetime:
    return request.app.state.runtime.clock.now()


def _tx(request: Request, tenant_id: UUID):  # type: ignore[no-untyped-def]
    return request.app.state.runtime.transactions(tenant_id=tenant_id)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=JST)  # as staff type it


@router.get("/event-types", openapi_extra=ADMIN)
async def event_types(_: AdminStaff) -> list[EventType]:
    """Every event an endpoint may subscribe to, with the name staff read."""
    return [EventType(type=k, label=webhooks.event_label(k)) for k in webhooks.event_types()]


@router.get("/endpoints", openapi_extra=ADMIN)
async def list_endpoints(admin: AdminStaff, request: Request) -> list[EndpointRead]:
    async with request.app.state.runtime.uow(tenant_id=admin.tenant_id) as uow:
        return [_read(e) for e in await uow.webhooks.endpoints()]


@router.post("/endpoints", status_code=201, openapi_extra=ADMIN)
async def create_endpoint(
    body: EndpointWrite, admin: AdminStaff, request: Request
) -> EndpointWithSecret:
    """The secret is in this answer only. An unknown event type: 422 ``unknown_event_type``
    on ``event_types``; http:// only to the loopback."""

    async def work(uow: GatewayUnitOfWork) -> EndpointWithSecret:
        found, secret = await use_cases.create_endpoint(
            _change(body), allow_http=_allow_http(request), now=_now(request), uow=uow)  # fmt: skip
        return EndpointWithSecret(**_read(found).model_dump(), secret=secret)

    return await _tx(request, admin.tenant_id).run(work)


@router.get("/endpoints/{endpoint_id}", openapi_extra=ADMIN)
async def show_endpoint(endpoint_id: UUID, staff: CurrentStaff, request: Request) -> EndpointRead:
    async with request.app.state.runtime.uow(tenant_id=staff.tenant_id) as uow:
        return _read(await use_cases.endpoint(endpoint_id, admin=staff.is_admin, uow=uow))


@router.put("/endpoints/{endpoint_id}", openapi_extra=ADMIN)
async def update_endpoint(
    endpoint_id: UUID, body: EndpointWrite, staff: CurrentStaff, request: Request
) -> EndpointRead:
    """``active: true`` on a disabled endpoint turns it back on: its waiting deliveries go."""

    async def work(uow: GatewayUnitOfWork) -> EndpointRead:
        return _read(await use_cases.update_endpoint(
            endpoint_id, _change(body), admin=staff.is_admin, allow_http=_allow_http(request),
            now=_now(request), uow=uow))  # fmt: skip

    return await _tx(request, staff.tenant_id).run(work)


@router.delete("/endpoints/{endpoint_id}", status_code=204, openapi_extra=ADMIN)
async def delete_endpoint(endpoint_id: UUID, staff: CurrentStaff, request: Request) -> Response:
    """With its deliveries and their log."""
    await _tx(request, staff.tenant_id).run(
        lambda uow: use_cases.delete_endpoint(endpoint_id, admin=staff.is_admin, uow=uow)
    )
    return Response(status_code=204)


@router.post("/endpoints/{endpoint_id}/rotate-secret", openapi_extra=ADMIN)
async def rotate_secret(
    endpoint_id: UUID, staff: CurrentStaff, request: Request
) -> EndpointWithSecret:
    """A new secret, shown this once; the previous one signs beside it for 24 hours."""

    async def work(uow: GatewayUnitOfWork) -> EndpointWithSecret:
        found, secret = await use_cases.rotate_secret(
            endpoint_id, admin=staff.is_admin, now=_now(request), uow=uow)  # fmt: skip
        return EndpointWithSecret(**_read(found).model_dump(), secret=secret)

    return await _tx(request, staff.tenant_id).run(work)


@router.get("/endpoints/{endpoint_id}/deliveries", openapi_extra=ADMIN)
async def deliveries(
    endpoint_id: UUID, staff: CurrentStaff, request: Request,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[DeliveryRead]:  # fmt: skip
    """The latest deliveries first, each with every attempt (time, status or error class,
    latency in ms)."""
    async with request.app.state.runtime.uow(tenant_id=staff.tenant_id) as uow:
        rows = await use_cases.delivery_log(endpoint_id, admin=staff.is_admin, limit=limit,
                                            uow=uow)  # fmt: skip
        return [_delivery(r) for r in rows]


@router.post("/endpoints/{endpoint_id}/replay", status_code=202, openapi_extra=ADMIN)
async def replay(
    endpoint_id: UUID, body: ReplayWrite, staff: CurrentStaff, request: Request
) -> ReplayRead:
    """The range's events of the endpoint's types again, with their original ``webhook-id``:
    at most 31 days, reaching at most 31 days back (else 422 ``replay_too_long`` /
    ``replay_too_old``). Sent a window at a time, after live deliveries."""

    async def work(uow: GatewayUnitOfWork) -> ReplayRead:
        row, count = await use_cases.replay(
            endpoint_id, admin=staff.is_admin, start=_aware(body.start), end=_aware(body.end),
            now=_now(request), requested_by=staff.user_id, uow=uow)  # fmt: skip
        return ReplayRead(id=row.id, events=count)

    return await _tx(request, staff.tenant_id).run(work)
