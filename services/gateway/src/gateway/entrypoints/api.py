"""The public API (/api/v1): thin routes in front of the services."""

from typing import Annotated
from uuid import UUID

from contracts.asyncapi import asyncapi_document
from contracts.customer_search import CustomerSearchPage
from fastapi import APIRouter, Form, HTTPException, Query, Request, Response, status

from gateway.entrypoints.deps import CurrentStaff, ServicesDep, TxDep
from gateway.use_cases import accounts
from gateway.use_cases.customer_master import as_query

router = APIRouter(prefix="/api/v1")


def _relay(response) -> Response:  # type: ignore[no-untyped-def]
    return Response(
        content=response.content,
        status_code=response.status_code,
        media_type=response.headers.get("content-type", "application/json"),
    )


@router.post("/auth/token")
async def issue_token(
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    tx: TxDep,
    request: Request,
) -> dict[str, str]:
    ttl = request.app.state.runtime.settings.session_ttl_hours
    signed = await tx.run(
        lambda uow: accounts.sign_in(email=username, password=password, ttl_hours=ttl, uow=uow)
    )
    if signed is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "メールアドレスまたはパスワードが正しくありません。",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return {"access_token": signed.token, "token_type": "bearer"}


@router.get("/customers")
async def list_customers(
    staff: CurrentStaff, services: ServicesDep, search: Annotated[CustomerSearchPage, Query()]
) -> Response:
    """The customer list: every criterion of the search contract (seed 003's simple and
    advanced search), checked as a schema here and for its meaning by the customer service."""
    return _relay(
        await services.call(
            "customer", "GET", "/customers", principal=staff.principal(), params=as_query(search)
        )
    )


@router.get("/customers/{customer_id}")
async def get_customer(customer_id: UUID, staff: CurrentStaff, services: ServicesDep) -> Response:
    return _relay(
        await services.call(
            "customer", "GET", f"/customers/{customer_id}", principal=staff.principal()
        )
    )


@router.get("/me")
async def me(staff: CurrentStaff) -> dict[str, str]:
    return {
        "user_id": str(staff.user_id),
        "tenant_id": str(staff.tenant_id),
        "email": staff.email,
        "display_name": staff.display_name,
        "role": staff.role,
    }


@router.get("/stores")
async def stores(staff: CurrentStaff, request: Request) -> list[dict[str, str]]:
    """The tenant's stores/offices (事業所・店舗): ids for the booking API, codes the portal uses."""
    async with request.app.state.runtime.uow(tenant_id=staff.tenant_id) as uow:
        return [
            {"id": str(s.id), "code": s.code, "name": s.name} for s in await uow.accounts.stores()
        ]


@router.get("/asyncapi.json", include_in_schema=False)
async def asyncapi() -> dict:
    return asyncapi_document()
