"""What the orders service's repositories share: the session and the tenant its new rows get."""

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession


class TenantRows:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    def add(self, row: object) -> None:
        row.tenant_id = self._tenant_id  # type: ignore[attr-defined]
        self._session.add(row)

    async def flush(self) -> None:
        await self._session.flush()
