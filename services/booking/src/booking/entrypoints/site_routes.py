"""The booking site's signed-in customer (role ``public``, the customer as the token's
subject — never a body field): my reservations, change and cancel within the store's
window (docs/booking.md, 予約サイト)."""

from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends
from kit.auth import CurrentPrincipal
from kit.clock import JstDatetime
from kit.errors import Forbidden
from pydantic import BaseModel, ConfigDict, Field

from booking.entrypoints.deps import TxDep, UowDep
from booking.use_cases import site_visits
from booking.use_cases.site_visits import MyVisit, SiteMail

router = APIRouter(prefix="/public/my")


async def _customer(principal: CurrentPrincipal) -> UUID:
    if principal.role != "public" or principal.user_id is None:
        raise Forbidden("この操作は予約サイトにログインしたお客様のみ行えます。")
    return principal.user_id


SiteCustomer = Annotated[UUID, Depends(_customer)]


class SiteMailWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Annotated[str, Field(min_length=3, max_length=254)]
    shop: Annotated[str, Field(min_length=1, max_length=200)]
    site_url: Annotated[str, Field(max_length=500)]
    contact: Annotated[str, Field(max_length=600)] = ""  # the store's address and phone

    def mail(self) -> SiteMail:
        return SiteMail(**self.model_dump())


class MyCancel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mail: SiteMailWrite | None = None


class MyMove(BaseModel):
    model_config = ConfigDict(extra="forbid")

    starts_at: datetime
    mail: SiteMailWrite | None = None


class MyVisitRead(BaseModel):
    id: UUID
    store_id: UUID
    starts_at: JstDatetime
    ends_at: JstDatetime
    status: str
    menu_id: UUID | None
    menu_name: str | None
    duration_minutes: int | None
    price_yen: int | None
    staff_member_id: UUID | None
    staff_member_name: str | None
    changeable_until: JstDatetime
    changeable: bool

    @classmethod
    def of(cls, mine: MyVisit) -> "MyVisitRead":
        v, menu, member = mine.visit, mine.menu, mine.member
        return cls(
            id=v.id, store_id=v.store_id, starts_at=v.starts_at, ends_at=v.ends_at,
            status=v.status, menu_id=v.menu_id, menu_name=menu.name if menu else None,
            duration_minutes=menu.duration_minutes if menu else None,
            price_yen=menu.price_yen if menu else None, staff_member_id=v.staff_member_id,
            staff_member_name=member.name if member else None,
            changeable_until=mine.changeable_until, changeable=mine.changeable,
        )  # fmt: skip


async def _one(customer_id: UUID, visit_id: UUID, *, now: datetime, uow) -> MyVisitRead:  # type: ignore[no-untyped-def]
    mine = await site_visits.my_visits(customer_id=customer_id, now=now, uow=uow)
    return MyVisitRead.of(next(m for m in mine if m.visit.id == visit_id))


@router.get("/visits")
async def my_visits(customer_id: SiteCustomer, uow: UowDep) -> list[MyVisitRead]:
    now = datetime.now(UTC)
    return [
        MyVisitRead.of(m)
        for m in await site_visits.my_visits(customer_id=customer_id, now=now, uow=uow)
    ]


@router.post("/visits/{visit_id}/cancel")
async def cancel(
    visit_id: UUID, body: MyCancel, customer_id: SiteCustomer, tx: TxDep
) -> MyVisitRead:
    now, mail = datetime.now(UTC), body.mail.mail() if body.mail else None

    async def run(uow) -> MyVisitRead:  # type: ignore[no-untyped-def]
        await site_visits.cancel_mine(
            customer_id=customer_id, visit_id=visit_id, mail=mail, now=now, uow=uow
        )
        return await _one(customer_id, visit_id, now=now, uow=uow)

    return await tx.run(run)


@router.patch("/visits/{visit_id}")
async def move(visit_id: UUID, body: MyMove, customer_id: SiteCustomer, tx: TxDep) -> MyVisitRead:
    now, mail = datetime.now(UTC), body.mail.mail() if body.mail else None

    async def run(uow) -> MyVisitRead:  # type: ignore[no-untyped-def]
        await site_visits.move_mine(customer_id=customer_id, visit_id=visit_id,
                                    starts_at=body.starts_at, mail=mail, now=now, uow=uow)  # fmt: skip
        return await _one(customer_id, visit_id, now=now, uow=uow)

    return await tx.run(run)
