"""The public booking site's guests (called by the gateway for a partner, never by staff)."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends
from kit.auth import CurrentPrincipal
from kit.errors import Forbidden
from pydantic import BaseModel, Field

from customer.entrypoints.deps import TxDep
from customer.use_cases.guests import identify_guest

router = APIRouter()


async def _public_site(principal: CurrentPrincipal) -> None:
    if principal.role not in ("public", "system"):
        raise Forbidden("この操作は予約サイトからのみ行えます。")


class GuestWrite(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    name_kana: Annotated[str | None, Field(max_length=100)] = None
    email: Annotated[str, Field(min_length=3, max_length=254)]
    phone: Annotated[str, Field(min_length=1, max_length=30)]
    store_id: UUID | None = None


class GuestRead(BaseModel):
    customer_id: UUID
    created: bool


@router.post("/guests", dependencies=[Depends(_public_site)])
async def identify(body: GuestWrite, tx: TxDep) -> GuestRead:
    given = body.model_dump()
    customer_id, created = await tx.run(lambda uow: identify_guest(**given, uow=uow))
    return GuestRead(customer_id=customer_id, created=created)
