"""Runs import jobs beside the HTTP app: one task per job, chunk by chunk, each chunk in its
own unit of work. Jobs a restart interrupted resume at start-up (their file is in the row)."""

import asyncio
from uuid import UUID

from kit.logging import get_logger
from kit.runtime import ServiceRuntime

from customer.use_cases import importing

log = get_logger("customer.imports")


class ImportRunner:
    def __init__(self, runtime: ServiceRuntime) -> None:
        self._runtime = runtime
        self._tasks: dict[UUID, asyncio.Task] = {}

    def schedule(self, job_id: UUID, *, tenant_id: UUID) -> None:
        if job_id not in self._tasks:
            task = asyncio.create_task(self._run(job_id, tenant_id))
            self._tasks[job_id] = task
            task.add_done_callback(lambda _: self._tasks.pop(job_id, None))

    async def _run(self, job_id: UUID, tenant_id: UUID) -> None:
        parsed: dict[UUID, list[list[str]]] = {}  # the file is read once per run, not per chunk
        try:
            while True:
                async with self._runtime.uow(tenant_id=tenant_id) as uow:
                    done = await importing.run_chunk(job_id, uow=uow, parsed_file=parsed)  # type: ignore[arg-type]
                    if done:
                        return
                await asyncio.sleep(0)  # let requests (progress polls) in between chunks
        except Exception as exc:  # no personal data: the job id and the error type only
            log.error("import job failed", job_id=str(job_id), error=type(exc).__name__)
            async with self._runtime.uow(tenant_id=tenant_id) as uow:
                await uow.imports.progress(job_id=job_id, values={"status": "failed"})  # type: ignore[attr-defined]
                await uow.commit()

    async def resume(self) -> None:
        async with self._runtime.uow(tenant_id=None) as uow:
            unfinished = await uow.imports.unfinished()  # type: ignore[attr-defined]
        for job_id, tenant_id in unfinished:
            self.schedule(job_id, tenant_id=tenant_id)

    async def wait(self, job_id: UUID) -> None:
        task = self._tasks.get(job_id)
        if task is not None:
            await asyncio.shield(task)

    async def stop(self) -> None:
        for task in list(self._tasks.values()):
            task.cancel()
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)
