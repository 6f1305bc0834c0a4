"""The booking site's customer accounts (called by the gateway's site as role ``public``;
the signed-in customer is the token's subject, never a body field)."""

from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, status
from kit.auth import CurrentPrincipal, Principal
from kit.errors import Forbidden
from pydantic import BaseModel, ConfigDict, Field

from customer.entrypoints.deps import TxDep
from customer.use_cases import site_accounts
from customer.use_cases.site_accounts import SiteLinks

router = APIRouter(prefix="/site-accounts")


async def _site(principal: CurrentPrincipal) -> Principal:
    if principal.role != "public":
        raise Forbidden("この操作は予約サイトからのみ行えます。")
    return principal


async def _signed_in(principal: CurrentPrincipal) -> UUID:
    if principal.role != "public" or principal.user_id is None:
        raise Forbidden("ログインしてください。")
    return principal.user_id


_public = [Depends(_site)]
SignedInCustomer = Annotated[UUID, Depends(_signed_in)]
Text = Annotated[str, Field(max_length=500)]


class Links(BaseModel):
    model_config = ConfigDict(extra="forbid")

    shop: Annotated[str, Field(min_length=1, max_length=200)]
    login_url: Text
    reset_url: Text


class Registration(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=100)]
    name_kana: Annotated[str | None, Field(max_length=100)] = None
    email: Annotated[str, Field(min_length=3, max_length=254)]
    phone: Annotated[str, Field(min_length=1, max_length=30)]
    store_id: UUID | None = None
    links: Links


class BookingAccount(BaseModel):
    model_config = ConfigDict(extra="forbid")

    customer_id: UUID
    email: Annotated[str, Field(min_length=3, max_length=254)]
    links: Links


class SignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Annotated[str, Field(max_length=254)]
    password: Annotated[str, Field(max_length=128)]


class SignedInRead(BaseModel):
    customer_id: UUID
    name: str
    email: str
    must_change: bool


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: Annotated[str, Field(max_length=128)]
    new_password: Annotated[str, Field(max_length=128)]


class Reset(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Annotated[str, Field(max_length=254)]
    links: Links


class Opened(BaseModel):
    mailed: bool


def _links(links: Links) -> SiteLinks:
    return SiteLinks(**links.model_dump())


@router.post("", status_code=status.HTTP_202_ACCEPTED, dependencies=_public)
async def register(body: Registration, tx: TxDep) -> None:
    """The same 202 whether the mail was new, a customer's or an account's (seed 003)."""
    given = body.model_dump(exclude={"links"})
    links, now = _links(body.links), datetime.now(UTC)
    await tx.run(lambda uow: site_accounts.register(**given, links=links, now=now, uow=uow))


@router.post("/for-booking", dependencies=_public)
async def open_for_booking(body: BookingAccount, tx: TxDep) -> Opened:
    links, now = _links(body.links), datetime.now(UTC)
    mailed = await tx.run(lambda uow: site_accounts.open_for_booking(
        customer_id=body.customer_id, email=body.email, links=links, now=now, uow=uow))  # fmt: skip
    return Opened(mailed=mailed)


@router.post("/sign-in", dependencies=_public)
async def sign_in(body: SignIn, tx: TxDep) -> SignedInRead:
    now = datetime.now(UTC)
    signed = await tx.run(
        lambda uow: site_accounts.sign_in(
            email=body.email, password=body.password, now=now, uow=uow
        )
    )
    return SignedInRead(**signed.__dict__)


@router.post("/password", status_code=status.HTTP_204_NO_CONTENT)
async def change_password(body: PasswordChange, customer_id: SignedInCustomer, tx: TxDep) -> None:
    now = datetime.now(UTC)
    await tx.run(lambda uow: site_accounts.change_password(
        customer_id=customer_id, **body.model_dump(), now=now, uow=uow))  # fmt: skip


@router.post("/reset", status_code=status.HTTP_202_ACCEPTED, dependencies=_public)
async def reset(body: Reset, tx: TxDep) -> None:
    """The same 202 for an unknown mail."""
    links, now = _links(body.links), datetime.now(UTC)
    await tx.run(lambda uow: site_accounts.reset(email=body.email, links=links, now=now, uow=uow))
