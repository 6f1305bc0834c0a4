"""Who is calling the gateway: staff by session (bearer token or cookie)."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from kit.runtime import ServiceRuntime
from kit.transactions import Transactions

from gateway.adapters.unit_of_work import GatewayUnitOfWork
from gateway.clients.transport import ServiceClients
from gateway.use_cases.accounts import Staff, staff_for_token

SESSION_COOKIE = "crm_session"


async def gateway_uow(request: Request) -> AsyncIterator[GatewayUnitOfWork]:
    runtime: ServiceRuntime = request.app.state.runtime
    async with runtime.uow(tenant_id=None) as uow:
        yield uow  # type: ignore[misc]


UowDep = Annotated[GatewayUnitOfWork, Depends(gateway_uow)]
"""For reading (sessions, accounts): never committed."""


async def gateway_transactions(request: Request) -> Transactions[GatewayUnitOfWork]:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime.transactions(tenant_id=None)


TxDep = Annotated[Transactions[GatewayUnitOfWork], Depends(gateway_transactions)]
"""The kit's boundary for the gateway's own writes (sign-in, audit, secrets)."""


async def services(request: Request) -> ServiceClients:
    return request.app.state.runtime.services


ServicesDep = Annotated[ServiceClients, Depends(services)]


def session_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token:
        return token
    return request.cookies.get(SESSION_COOKIE)


async def optional_staff(request: Request) -> Staff | None:
    token = session_token(request)
    if not token:
        return None
    runtime: ServiceRuntime = request.app.state.runtime
    # A unit of its own, closed before the route runs: most routes then call a service, and a
    # connection held across that call would cap the gateway at its pool size (10) of
    # requests in flight.
    async with runtime.uow(tenant_id=None) as uow:
        return await staff_for_token(token, uow=uow)  # type: ignore[arg-type]


# How a caller proves who it is, as the OpenAPI document names it: the token of
# POST /api/v1/auth/token, or the web client's session cookie. ``session_token`` reads them.
BEARER = HTTPBearer(auto_error=False, scheme_name="token",
                    description="POST /api/v1/auth/token で得たトークン")  # fmt: skip
SESSION = APIKeyCookie(name=SESSION_COOKIE, auto_error=False, scheme_name="session",
                       description="ウェブ画面のログインセッション")  # fmt: skip


async def api_staff(
    staff: Annotated[Staff | None, Depends(optional_staff)],
    _token: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)],
    _session: Annotated[str | None, Depends(SESSION)],
) -> Staff:
    if staff is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "ログインが必要です。",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return staff


CurrentStaff = Annotated[Staff, Depends(api_staff)]
OptionalStaff = Annotated[Staff | None, Depends(optional_staff)]
