"""/api/v1/public: what partners reach without a staff session — a portal's availability and
the salon booking site (予約サイト). Rate-limited per client and tenant; the client is the
peer, or behind a trusted proxy the address it forwards (domain/client_address.py)."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.responses import JSONResponse
from kit.inputs import Day
from limits import RateLimitItem, RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from pydantic import BaseModel, ConfigDict, Field

from gateway.domain.client_address import client_address
from gateway.entrypoints.booking_api import BOOKING
from gateway.entrypoints.deps import ServicesDep, UowDep
from gateway.use_cases import public_booking
from gateway.use_cases.public_booking import STORE_NOT_FOUND, Answer

router = APIRouter(prefix="/api/v1/public", tags=["public"])

# In memory, per replica: with N gateway replicas a client gets N times these; a shared
# storage (limits supports Redis) would make them global.
_limiter = MovingWindowRateLimiter(MemoryStorage())
PUBLIC_RATE = RateLimitItemPerMinute(120)
RESERVATION_RATE = RateLimitItemPerMinute(20)


def rate_limited(rate: RateLimitItem, name: str) -> Any:
    """A dependency, so that it counts before the body is validated: malformed posts count
    against the limit too."""

    async def check(request: Request, tenant: str) -> None:
        client = client_address(
            request.client.host if request.client else None,
            request.headers.getlist("x-forwarded-for"),
            trusted=request.app.state.runtime.settings.trusted_proxies,
        )
        if not _limiter.hit(rate, name, tenant, client):
            raise HTTPException(
                status.HTTP_429_TOO_MANY_REQUESTS,
                "リクエストが多すぎます。しばらくしてから再度お試しください。",
                headers={"retry-after": "60"},
            )

    return Depends(check)


def _answer(answer: Answer) -> JSONResponse:
    return JSONResponse(answer.body, status_code=answer.status)


StoreCode = Annotated[str, Query(max_length=20)]


# Reached without a session: the document says so (and the rate limits above).
PUBLIC = {"security": []}


@router.get(
    "/{tenant}/availability",
    dependencies=[rate_limited(PUBLIC_RATE, "availability")],
    response_model=public_booking.ListedCalendar,
    openapi_extra=PUBLIC,
)
async def public_availability(
    tenant: str,
    store_code: StoreCode,
    day: Day,
    uow: UowDep,
    services: ServicesDep,
    days: Annotated[int, Query(ge=1, le=14)] = 7,
    property_code: Annotated[str | None, Query(max_length=50)] = None,
) -> Any:
    """The portal's view: remaining groups of each listed property per slot."""
    store = await public_booking.find_store(tenant_slug=tenant, store_code=store_code, uow=uow)
    found = store and await public_booking.calendar(store, day=day, days=days, services=services)
    if not found:
        return _answer(STORE_NOT_FOUND)
    return public_booking.listed_view(found, property_code=property_code)


@router.get(
    "/{tenant}/salon",
    dependencies=[rate_limited(PUBLIC_RATE, "salon")],
    response_model=public_booking.SalonCalendar,
    openapi_extra=PUBLIC,
)
async def salon_availability(
    tenant: str,
    store_code: StoreCode,
    day: Day,
    uow: UowDep,
    services: ServicesDep,
    days: Annotated[int, Query(ge=1, le=14)] = 7,
) -> JSONResponse:
    """The booking site's view: menus, staff and who is free per slot (予約サイト)."""
    store = await public_booking.find_store(tenant_slug=tenant, store_code=store_code, uow=uow)
    if store is None:
        return _answer(STORE_NOT_FOUND)
    return _answer(
        await public_booking.salon_availability(store, day=day, days=days, services=services)
    )


class GuestWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=100)]
    name_kana: Annotated[str | None, Field(max_length=100)] = None
    email: Annotated[str, Field(min_length=3, max_length=254)]
    phone: Annotated[str, Field(min_length=1, max_length=30)]


class ReservationWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    store_code: Annotated[str, Field(min_length=1, max_length=20)]
    menu_id: UUID
    staff_member_id: UUID | None = None  # 指名なし
    starts_at: datetime
    guest: GuestWrite


_CONFIRMED = BOOKING.answers("POST", "/public/holds/{hold_id}/reservation")


@router.post(
    "/{tenant}/reservations",
    dependencies=[rate_limited(RESERVATION_RATE, "reservations")],
    status_code=_CONFIRMED["status_code"],
    openapi_extra={**_CONFIRMED["openapi_extra"], **PUBLIC},
)
async def reserve(
    tenant: str, body: ReservationWrite, uow: UowDep, services: ServicesDep
) -> JSONResponse:
    """A guest books a salon menu; a full slot and a blacklisted guest get the same 409."""
    store = await public_booking.find_store(tenant_slug=tenant, store_code=body.store_code, uow=uow)
    if store is None:
        return _answer(STORE_NOT_FOUND)
    payload = body.model_dump(mode="json", exclude={"store_code"})
    return _answer(await public_booking.reserve(store, body=payload, services=services))
