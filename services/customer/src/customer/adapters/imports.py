"""Import jobs (CUS-8): the row the client polls for progress and the final report."""

from datetime import timedelta
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from kit.db import copy_rows, unscoped
from sqlalchemy.ext.asyncio import AsyncSession

from customer.adapters.orm import CustomerImportIssue, CustomerImportJob, CustomerImportRow

OVERWRITING = "overwriting"  # 「上書きする」: the duplicates' rows replace the registered
# A job a worker holds (or is waiting for one): importing rows, or overwriting duplicates.
ACTIVE = ("queued", "running", OVERWRITING)


class ImportJobRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    async def create(
        self,
        *,
        job_id: UUID,
        filename: str,
        options: dict[str, Any],
        created_by: UUID | None,
    ) -> None:
        """The job, before its rows (``stage_rows``); ``finish_upload`` sets its size."""
        await self._session.execute(
            sa.insert(CustomerImportJob).values(
                id=job_id,
                tenant_id=self._tenant_id,
                filename=filename,
                file_digest="",
                status="queued",
                total=0,
                content=None,
                options=options,
                created_by=created_by,
            )
        )

    async def finish_upload(self, *, job_id: UUID, digest: str, total: int) -> None:
        await self._session.execute(
            sa.update(CustomerImportJob)
            .where(CustomerImportJob.id == job_id)
            .values(file_digest=digest, total=total, content=None)
        )

    async def stage_rows(self, *, job_id: UUID, rows: list[tuple[int, tuple[str, ...]]]) -> None:
        """(line, cells) of the file, in one COPY."""
        await copy_rows(
            self._session,
            CustomerImportRow.__tablename__,
            columns=("tenant_id", "job_id", "line", "cells"),
            records=[(self._tenant_id, job_id, line, list(cells)) for line, cells in rows],
        )

    async def rows(self, *, job_id: UUID, first_line: int, size: int) -> list[tuple[str, ...]]:
        """``size`` rows of the file from ``first_line`` on (the header is line 1)."""
        r = CustomerImportRow
        result = await self._session.execute(
            sa.select(r.cells)
            .where(r.job_id == job_id, r.line >= first_line, r.line < first_line + size)
            .order_by(r.line)
        )
        return [tuple(cells) for (cells,) in result]

    async def rows_at(self, *, job_id: UUID, lines: list[int]) -> dict[int, tuple[str, ...]]:
        r = CustomerImportRow
        result = await self._session.execute(
            sa.select(r.line, r.cells).where(r.job_id == job_id, r.line.in_(lines))
        )
        return {line: tuple(cells) for line, cells in result}

    async def has_rows(self, *, job_id: UUID) -> bool:
        r = CustomerImportRow
        found = await self._session.scalar(sa.select(r.line).where(r.job_id == job_id).limit(1))
        return found is not None

    async def drop_rows(self, *, job_id: UUID) -> None:
        """The file's rows, once nothing will read them again (finished, nothing to
        overwrite)."""
        await self._session.execute(
            sa.delete(CustomerImportRow).where(CustomerImportRow.job_id == job_id)
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

    async def claim_next(
        self, *, worker: str, lease_s: float, max_failures: int
    ) -> tuple[UUID, UUID, str, int] | None:
        """Lease to ``worker`` the oldest unfinished job that no live worker holds: never
        leased, given back, or leased by a worker that died (its lease expired; that counts
        as a failure). Across tenants. SKIP LOCKED: a job whose chunk is being imported is
        not even waited for. (job, tenant, status, failures); the status is "failed" once
        the job has failed ``max_failures`` times."""
        job = CustomerImportJob
        waiting = (
            sa.select(job.id)
            .where(
                job.status.in_(ACTIVE),
                sa.or_(job.lease_until.is_(None), job.lease_until < sa.func.now()),
            )
            .order_by(job.created_at)
            .limit(1)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        failures = job.failures + sa.case((job.lease_until.is_(None), 0), else_=1)
        given_up = failures >= max_failures
        with unscoped(self._session):
            row = (
                await self._session.execute(
                    sa.update(job)
                    .where(job.id == waiting)
                    .values(
                        worker=worker,
                        lease_until=sa.case(
                            (given_up, None), else_=sa.func.now() + timedelta(seconds=lease_s)
                        ),
                        failures=failures,
                        # an overwrite stays one; a queued import starts running
                        status=sa.case(
                            (given_up, "failed"),
                            (job.status == OVERWRITING, OVERWRITING),
                            else_="running",
                        ),
                        finished_at=sa.case((given_up, sa.func.now()), else_=None),
                    )
                    .returning(job.id, job.tenant_id, job.status, job.failures)
                    .execution_options(synchronize_session=False)
                )
            ).first()
        return (row[0], row[1], row[2], row[3]) if row else None

    async def lock(self, *, job_id: UUID) -> CustomerImportJob | None:
        """The job, locked until the unit ends (one chunk at a time, whoever asks)."""
        return await self._session.scalar(
            sa.select(CustomerImportJob)
            .where(CustomerImportJob.id == job_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )

    async def release(self, *, job_id: UUID, worker: str, failed: bool, max_failures: int) -> None:
        """Give the job back so that any worker takes it at once; an error counts as a
        failure, and the job fails for good at ``max_failures``."""
        job = CustomerImportJob
        failures = job.failures + (1 if failed else 0)
        given_up = failures >= max_failures
        await self._session.execute(
            sa.update(job)
            .where(job.id == job_id, job.worker == worker, job.status.in_(ACTIVE))
            .values(
                lease_until=None,
                failures=failures,
                status=sa.case((given_up, "failed"), else_=job.status),
                finished_at=sa.case((given_up, sa.func.now()), else_=job.finished_at),
            )
            .execution_options(synchronize_session=False)
        )

    async def progress(
        self, *, job_id: UUID, values: dict[str, Any], lease_s: float | None = None
    ) -> None:
        """Counters and status; ``lease_s`` renews the lease from the database's clock (the
        one the claim compares with), ending it when the job is no longer running."""
        if lease_s is not None:
            running = values.get("status", "running") in ACTIVE
            values = {
                **values,
                "lease_until": sa.func.now() + timedelta(seconds=lease_s) if running else None,
            }
        await self._session.execute(
            sa.update(CustomerImportJob).where(CustomerImportJob.id == job_id).values(**values)
        )

    async def add_issues(self, *, job_id: UUID, issues: list[dict[str, Any]]) -> None:
        """A chunk's errors and duplicates (dicts of kind, line, name, email, reason and
        customer_id), appended in one COPY."""
        if not issues:
            return
        columns = ("kind", "line", "name", "email", "reason", "customer_id")
        await copy_rows(
            self._session,
            CustomerImportIssue.__tablename__,
            columns=("tenant_id", "job_id", *columns),
            records=[(self._tenant_id, job_id, *(i.get(c) for c in columns)) for i in issues],
        )

    async def issues(
        self, *, job_id: UUID, kind: str, limit: int | None = None
    ) -> list[CustomerImportIssue]:
        return list(
            await self._session.scalars(
                sa.select(CustomerImportIssue)
                .where(CustomerImportIssue.job_id == job_id, CustomerImportIssue.kind == kind)
                .order_by(CustomerImportIssue.line, CustomerImportIssue.id)
                .limit(limit)
            )
        )

    async def issue_counts(self, *, job_id: UUID) -> dict[str, int]:
        rows = await self._session.execute(
            sa.select(CustomerImportIssue.kind, sa.func.count())
            .where(CustomerImportIssue.job_id == job_id)
            .group_by(CustomerImportIssue.kind)
        )
        return {kind: count for kind, count in rows}

    async def delete_issues(self, *, ids: list[int]) -> None:
        await self._session.execute(
            sa.delete(CustomerImportIssue).where(CustomerImportIssue.id.in_(ids))
        )

    async def recent(self, *, limit: int = 20) -> list[CustomerImportJob]:
        return list(
            await self._session.scalars(
                sa.select(CustomerImportJob)
                .order_by(CustomerImportJob.created_at.desc())
                .limit(limit)
            )
        )
