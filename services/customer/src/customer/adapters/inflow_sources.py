"""SQL of the 流入経路 master (scoped to the tenant by the session, kit.db)."""

from uuid import UUID

import sqlalchemy as sa
from contracts.envelope import new_event_id
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.ext.asyncio import AsyncSession

from customer.adapters.orm import Customer, InflowSource


class InflowSourceRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    async def all(self) -> list[InflowSource]:
        query = sa.select(InflowSource).order_by(InflowSource.position, InflowSource.name)
        return list(await self._session.scalars(query))

    async def get(self, *, source_id: UUID, for_update: bool = False) -> InflowSource | None:
        query = sa.select(InflowSource).where(InflowSource.id == source_id)
        return await self._session.scalar(query.with_for_update() if for_update else query)

    async def by_name(self, *, name: str) -> InflowSource | None:
        return await self._session.scalar(sa.select(InflowSource).where(InflowSource.name == name))

    async def ensure(self, names: list[str]) -> None:
        """The names a customer carries are entries (an import's or the API's new ones join
        the master, after the others)."""
        if not names:
            return
        last = await self._session.scalar(sa.select(sa.func.max(InflowSource.position)))
        start = (last if last is not None else -1) + 1
        rows = [{"tenant_id": self._tenant_id, "id": new_event_id(), "name": n,
                 "position": start + i} for i, n in enumerate(dict.fromkeys(names))]  # fmt: skip
        await self._session.execute(
            pg.insert(InflowSource).values(rows)
            .on_conflict_do_nothing(constraint="customer_inflow_sources_name")
        )  # fmt: skip

    async def add(self, *, name: str) -> bool:
        last = await self._session.scalar(sa.select(sa.func.max(InflowSource.position)))
        result = await self._session.execute(
            pg.insert(InflowSource)
            .values(tenant_id=self._tenant_id, id=new_event_id(), name=name,
                    position=(last if last is not None else -1) + 1)
            .on_conflict_do_nothing(constraint="customer_inflow_sources_name")
            .returning(InflowSource.id)
        )  # fmt: skip
        return result.first() is not None

    async def flush(self) -> None:
        await self._session.flush()

    async def rename_on_customers(self, *, old: str, new: str) -> int:
        """Every customer carrying ``old`` carries ``new`` instead (in its place, once)."""
        rows = (
            await self._session.execute(
                sa.select(Customer.id, Customer.inflow_sources)
                .where(Customer.inflow_sources.contains([old]))
                .with_for_update()
            )
        ).all()
        for customer_id, sources in rows:
            renamed = list(dict.fromkeys(new if s == old else s for s in sources))
            await self._session.execute(
                sa.update(Customer).where(Customer.id == customer_id)
                .values(inflow_sources=renamed, updated_at=sa.func.now())
                .execution_options(synchronize_session=False)
            )  # fmt: skip
        return len(rows)
