"""The gateway's own part of the public API (/api/v1): sign-in, who is calling, the tenant's
stores, and the AsyncAPI document of the events."""

from typing import Annotated, Literal
from uuid import UUID

from contracts.asyncapi import asyncapi_document
from fastapi import APIRouter, Form, HTTPException, Request, status
from pydantic import BaseModel

from gateway.entrypoints.deps import CurrentStaff, TxDep
from gateway.entrypoints.signin import throttled_sign_in

router = APIRouter(prefix="/api/v1", tags=["アカウント"])


class TokenAnswer(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"


class StoreAnswer(BaseModel):
    """A store/office (事業所・店舗): its id for the booking API, its code for the portal."""

    id: UUID
    code: str
    name: str
    active: bool = True  # false: 廃止 (kept so old records can name it)


class MeAnswer(BaseModel):
    user_id: UUID
    tenant_id: UUID
    email: str
    display_name: str
    role: Literal["admin", "general"]
    company: str
    business_types: list[str]
    stores: list[StoreAnswer]  # 所属店舗: a 一般 user's store-owned data is theirs only
    current_store: StoreAnswer | None  # the header's store (POST /api/v1/me/store)


@router.post("/auth/token", openapi_extra={"security": []})
async def issue_token(
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    tx: TxDep,
    request: Request,
) -> TokenAnswer:
    """Throttled: after repeated failures for one account or from one address, 429."""
    signed = await throttled_sign_in(request, tx, email=username, password=password)
    if signed is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "メールアドレスまたはパスワードが正しくありません。",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return TokenAnswer(access_token=signed.token)


@router.get("/me")
async def me(staff: CurrentStaff) -> MeAnswer:
    return MeAnswer(
        user_id=staff.user_id, tenant_id=staff.tenant_id, email=staff.email,
        display_name=staff.display_name, role=staff.role,  # type: ignore[arg-type]
        company=staff.company, business_types=list(staff.business_types),
        stores=[StoreAnswer(id=s.id, code=s.code, name=s.name) for s in staff.stores],
        current_store=(StoreAnswer(id=staff.store.id, code=staff.store.code,
                                   name=staff.store.name) if staff.store else None),
    )  # fmt: skip


@router.get("/stores")
async def stores(staff: CurrentStaff, request: Request) -> list[StoreAnswer]:
    async with request.app.state.runtime.uow(tenant_id=staff.tenant_id) as uow:
        return [StoreAnswer(id=s.id, code=s.code, name=s.name, active=s.active)
                for s in await uow.accounts.stores()]  # fmt: skip


@router.get("/asyncapi.json", include_in_schema=False)
async def asyncapi() -> dict:
    """The events, the partners' queues and the webhooks (docs/events/asyncapi.json)."""
    return asyncapi_document()


@router.get("/openapi.json", include_in_schema=False)
async def openapi(request: Request) -> dict:
    """The one document of /api/v1 (docs/api/openapi.json; also at /openapi.json)."""
    return request.app.openapi()
