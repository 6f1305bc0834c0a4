"""SQL of salon menus and staff members."""

from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from booking.adapters.orm import Menu, StaffMember


class SalonRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    def add(self, row: Menu | StaffMember) -> None:
        row.tenant_id = self._tenant_id  # type: ignore[assignment]
        self._session.add(row)

    async def flush(self) -> None:
        await self._session.flush()

    async def menu(self, *, menu_id: UUID) -> Menu | None:
        return await self._session.scalar(sa.select(Menu).where(Menu.id == menu_id))

    async def staff_member(self, *, staff_member_id: UUID) -> StaffMember | None:
        return await self._session.scalar(
            sa.select(StaffMember).where(StaffMember.id == staff_member_id)
        )

    async def menus(self, *, store_id: UUID, include_retired: bool = False) -> list[Menu]:
        query = sa.select(Menu).where(Menu.store_id == store_id)
        if not include_retired:
            query = query.where(Menu.retired_at.is_(None))
        return list(await self._session.scalars(query.order_by(Menu.name, Menu.id)))

    async def staff_members(
        self, *, store_id: UUID, include_retired: bool = False
    ) -> list[StaffMember]:
        query = sa.select(StaffMember).where(StaffMember.store_id == store_id)
        if not include_retired:
            query = query.where(StaffMember.retired_at.is_(None))
        return list(await self._session.scalars(query.order_by(StaffMember.name, StaffMember.id)))
