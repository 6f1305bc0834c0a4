"""LEAD-1's public endpoints, reached through the gateway by mail clients and property
pages: no service token, the signed token is the credential. Whatever happens behind them
they answer at once with the same answer (a 1×1 GIF, a 204): a forged or expired token, a
flood, a bad body or a slow database is counted nowhere and looks like any other hit."""

import asyncio
import json
from datetime import UTC, datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Request, Response, status
from kit.errors import NotFound
from kit.http import NO_STORE, TRANSPARENT_GIF
from kit.logging import get_logger
from kit.runtime import ServiceRuntime
from kit.transactions import Transactions
from pydantic import BaseModel, Field, ValidationError

from leads.adapters.tracking_guard import Tracking
from leads.domain import tracking
from leads.domain.machine import Hit, parse_address
from leads.use_cases.tracking import Beacon, record_open, record_view

router = APIRouter(prefix="/track", tags=["tracking"])
log = get_logger("leads.tracking")

PIXEL = TRANSPARENT_GIF
BUDGET_S = 1.0  # beyond it the hit is dropped and answered
MAX_BODY = 2_048
MAX_DWELL_S = 3 * 60 * 60  # a page left open overnight says nothing about interest


class BeaconBody(BaseModel):
    view_id: UUID
    page: Literal["property_detail", "nearby_report"]
    property_code: Annotated[str, Field(min_length=1, max_length=40)]
    property_name: Annotated[str, Field(max_length=100)] = ""
    dwell_s: Annotated[int, Field(ge=0, le=MAX_DWELL_S)] = 0
    liked: bool = False


def _hit(request: Request, now: datetime) -> Hit:
    """The address the gateway saw (the last X-Forwarded-For entry it appended), else the peer."""
    forwarded = request.headers.get("x-forwarded-for", "")
    peer = (
        forwarded.rsplit(",", 1)[-1]
        if forwarded
        else (request.client.host if request.client else None)
    )
    return Hit(
        at=now,
        method=request.method,
        user_agent=request.headers.get("user-agent", "")[:512],
        address=parse_address(peer),
    )  # fmt: skip


def _admit(request: Request, token: str, now: datetime) -> tuple[ServiceRuntime, Tracking, tracking.TrackingClaims, Hit] | None:  # fmt: skip
    runtime: ServiceRuntime = request.app.state.runtime
    kit: Tracking = runtime.tracking  # type: ignore[attr-defined]  # a LeadsRuntime
    hit = _hit(request, now)
    if not kit.guard.allow(address=str(hit.address), token=token):
        return None
    claims = tracking.verify(token, secret=kit.secret, now=now)
    return (runtime, kit, claims, hit) if claims else None


async def _within_budget(work) -> None:  # type: ignore[no-untyped-def]
    try:
        async with asyncio.timeout(BUDGET_S):
            await work
    except Exception as exc:  # the answer never depends on it; no address or token logged
        log.warning("tracking hit dropped", error=type(exc).__name__)


@router.api_route("/open/{token}.gif", methods=["GET", "HEAD"], include_in_schema=False)
async def open_pixel(token: str, request: Request) -> Response:
    now = datetime.now(UTC)
    admitted = _admit(request, token, now)
    if admitted is not None:
        runtime, kit, claims, hit = admitted
        tx = Transactions(runtime, tenant_id=claims.tenant_id)
        apple = kit.egress.ranges()
        await _within_budget(tx.run(lambda uow: record_open(claims, hit, apple=apple, uow=uow)))
    return Response(PIXEL, media_type="image/gif", headers=NO_STORE)


@router.post("/view/{token}", status_code=status.HTTP_204_NO_CONTENT, include_in_schema=False)
async def view_beacon(token: str, request: Request) -> Response:
    """navigator.sendBeacon posts text/plain: the body is read as JSON whatever its type."""
    now = datetime.now(UTC)
    admitted = _admit(request, token, now)
    body = await request.body() if admitted is not None else b""
    if admitted is not None and len(body) <= MAX_BODY:
        runtime, _, claims, hit = admitted
        try:
            beacon = Beacon(**BeaconBody.model_validate(json.loads(body)).model_dump())
        except (ValueError, ValidationError, TypeError):
            beacon = None
        if beacon is not None:
            tx = Transactions(runtime, tenant_id=claims.tenant_id)
            await _within_budget(tx.run(lambda uow: record_view(claims, hit, beacon, uow=uow)))
    return Response(status_code=status.HTTP_204_NO_CONTENT, headers=NO_STORE)


class ListingPage(BaseModel):
    """What the property's public page shows (WEB販売図面): the listing's facts."""

    property_id: UUID
    code: str | None
    name: str
    kind: str | None
    prefecture: str | None
    city: str | None
    station: str | None
    price_yen: int | None
    layout: str | None
    size_m2: float | None


@router.get("/page/{token}/{property_id}", include_in_schema=False)
async def listing_page(token: str, property_id: UUID, request: Request) -> ListingPage:
    """The facts of a listing for the reader the token names (the gateway renders the page
    and its beacon); a forged or expired token, or a listing not of its tenant: 404."""
    runtime: ServiceRuntime = request.app.state.runtime
    kit: Tracking = runtime.tracking  # type: ignore[attr-defined]
    claims = tracking.verify(token, secret=kit.secret, now=datetime.now(UTC))
    if claims is None:
        raise NotFound("ページが見つかりません。")
    async with runtime.uow(tenant_id=claims.tenant_id) as uow:
        found = await uow.listings.many(property_ids=[property_id])  # type: ignore[attr-defined]
        if not found:
            raise NotFound("ページが見つかりません。")
        return ListingPage.model_validate(found[0], from_attributes=True)
