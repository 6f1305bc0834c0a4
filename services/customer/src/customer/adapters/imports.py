"""Import jobs (CUS-8): the row the client polls for progress and the final report."""

from typing import Any
from uuid import UUID

import sqlalchemy as sa
from kit.db import unscoped
from sqlalchemy.ext.asyncio import AsyncSession

from customer.adapters.orm import CustomerImportJob


class ImportJobRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    async def create(
        self,
        *,
        job_id: UUID,
        filename: str,
        digest: str,
        total: int,
        content: bytes,
        options: dict[str, Any],
        created_by: UUID | None,
    ) -> None:
        await self._session.execute(
            sa.insert(CustomerImportJob).values(
                id=job_id,
                tenant_id=self._tenant_id,
                filename=filename,
                file_digest=digest,
                status="queued",
                total=total,
                content=content,
                options=options,
                created_by=created_by,
            )
        )

    async def get(self, *, job_id: UUID) -> CustomerImportJob | None:
        return await self._session.scalar(
            sa.select(CustomerImportJob)
            .where(CustomerImportJob.id == job_id)
            .execution_options(populate_existing=True)
        )

    async def claim(self, *, job_id: UUID) -> CustomerImportJob | None:
        """The job locked for one chunk; None if another worker holds it."""
        return await self._session.scalar(
            sa.select(CustomerImportJob)
            .where(CustomerImportJob.id == job_id)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        )

    async def content(self, *, job_id: UUID) -> bytes:
        return await self._session.scalar(
            sa.select(CustomerImportJob.content).where(CustomerImportJob.id == job_id)
        )

    async def unfinished(self) -> list[tuple[UUID, UUID]]:
        """(job, tenant) of every job a restart interrupted, across tenants."""
        with unscoped(self._session):
            rows = await self._session.execute(
                sa.select(CustomerImportJob.id, CustomerImportJob.tenant_id).where(
                    CustomerImportJob.status.in_(("queued", "running"))
                )
            )
            return [(job_id, tenant_id) for job_id, tenant_id in rows]

    async def progress(self, *, job_id: UUID, values: dict[str, Any]) -> None:
        await self._session.execute(
            sa.update(CustomerImportJob).where(CustomerImportJob.id == job_id).values(**values)
        )

    async def recent(self, *, limit: int = 20) -> list[CustomerImportJob]:
        return list(
            await self._session.scalars(
                sa.select(CustomerImportJob)
                .order_by(CustomerImportJob.created_at.desc())
                .limit(limit)
            )
        )
