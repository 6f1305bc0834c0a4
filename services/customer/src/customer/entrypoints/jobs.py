"""The import worker every replica runs beside its HTTP app: it leases unfinished jobs from
customer_import_jobs (any replica's uploads; jobs whose worker died once their lease has
expired) and imports them chunk by chunk, each chunk in its own unit of work. Woken at once
by an upload to this replica, otherwise it polls. The file's rows are parsed in a thread,
the next chunk while the current one is being written, so the event loop stays free."""

import asyncio
import contextlib
import os
import socket
from concurrent.futures import ThreadPoolExecutor
from uuid import UUID, uuid4

from kit.logging import get_logger
from kit.runtime import ServiceRuntime

from customer.domain.importing import ParsedRow, parse_row, read_rows
from customer.use_cases import import_job

log = get_logger("customer.imports")


class ImportRunner:
    def __init__(
        self,
        runtime: ServiceRuntime,
        *,
        lease_s: float = 60.0,
        poll_s: float = 2.0,
        max_jobs: int = 2,
    ) -> None:
        self._runtime = runtime
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{uuid4().hex[:8]}"
        self._lease_s = lease_s
        self._poll_s = poll_s
        self._max_jobs = max_jobs
        self._wake = asyncio.Event()
        self._loop_task: asyncio.Task[None] | None = None
        self._tasks: dict[UUID, asyncio.Task[None]] = {}
        # One thread: chunks are parsed one after the other, the next while one is written.
        self._parsing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-parse")

    async def start(self) -> None:
        self._loop_task = asyncio.create_task(self._claim_loop(), name="import-worker")

    def wake(self) -> None:
        """A job was just queued here: claim it now rather than at the next poll."""
        self._wake.set()

    async def stop(self) -> None:
        """Stop claiming; running jobs are given back (not failed) for any worker to finish."""
        tasks = [t for t in (self._loop_task, *self._tasks.values()) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._loop_task = None
        self._parsing.shutdown(wait=False, cancel_futures=True)

    async def _claim_loop(self) -> None:
        while True:
            try:
                while len(self._tasks) < self._max_jobs:
                    async with self._runtime.uow(tenant_id=None) as uow:
                        claimed = await import_job.claim_next(
                            worker=self.worker,
                            lease_s=self._lease_s,
                            uow=uow,  # type: ignore[arg-type]
                        )
                    if claimed is None:
                        break
                    self._start(claimed)
            except Exception as exc:  # the database is away: try again at the next poll
                log.warning("import claim failed", error=type(exc).__name__)
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._poll_s)

    def _start(self, claimed: import_job.Claimed) -> None:
        task = asyncio.create_task(self._run(claimed.job_id, claimed.tenant_id))
        self._tasks[claimed.job_id] = task

        def _done(_: asyncio.Task[None]) -> None:
            self._tasks.pop(claimed.job_id, None)
            self._wake.set()  # room for the next job

        task.add_done_callback(_done)

    async def _run(self, job_id: UUID, tenant_id: UUID) -> None:
        try:
            async with self._runtime.uow(tenant_id=tenant_id) as uow:
                found = await import_job.job_file(job_id, uow=uow)  # type: ignore[arg-type]
            if found is None:
                return
            filename, content = found
            loop = asyncio.get_running_loop()
            rows = await loop.run_in_executor(self._parsing, _read, filename, content)
            parser = _AheadParser(rows, executor=self._parsing)
            try:
                while True:
                    async with self._runtime.uow(tenant_id=tenant_id) as uow:
                        done = await import_job.run_chunk(
                            job_id, worker=self.worker, lease_s=self._lease_s,
                            parse=parser.parse, uow=uow,  # type: ignore[arg-type]
                        )  # fmt: skip
                    if done:
                        return
            finally:
                parser.cancel()
        except asyncio.CancelledError:
            await self._give_back(job_id, tenant_id, failed=False)
            raise
        except Exception as exc:  # no personal data: the job id and the error type only
            log.error("import job failed", job_id=str(job_id), error=type(exc).__name__)
            await self._give_back(job_id, tenant_id, failed=True)

    async def _give_back(self, job_id: UUID, tenant_id: UUID, *, failed: bool) -> None:
        with contextlib.suppress(Exception):  # else its lease expires and another takes it
            async with self._runtime.uow(tenant_id=tenant_id) as uow:
                await import_job.release(job_id, worker=self.worker, failed=failed, uow=uow)  # type: ignore[arg-type]


class _AheadParser:
    """Parses chunks in a thread; asked for one chunk, it starts on the next, which is then
    ready by the time the current one is written."""

    def __init__(self, rows: list[list[str]], *, executor: ThreadPoolExecutor) -> None:
        self._rows = rows
        self._executor = executor
        self._ahead: tuple[int, int, asyncio.Future[list[ParsedRow]]] | None = None

    async def parse(self, start: int, size: int) -> list[ParsedRow]:
        if self._ahead is not None and self._ahead[:2] == (start, size):
            future = self._ahead[2]
        else:
            self.cancel()
            future = self._submit(start, size)
        nxt = start + size
        self._ahead = (nxt, size, self._submit(nxt, size)) if nxt < len(self._rows) else None
        return await future

    def cancel(self) -> None:
        if self._ahead is not None:
            self._ahead[2].cancel()
            self._ahead = None

    def _submit(self, start: int, size: int) -> asyncio.Future[list[ParsedRow]]:
        chunk = self._rows[start : start + size]
        return asyncio.get_running_loop().run_in_executor(self._executor, _parse, chunk, start + 2)


def _read(filename: str, content: bytes) -> list[list[str]]:
    return read_rows(filename=filename, content=content)


def _parse(chunk: list[list[str]], first_line: int) -> list[ParsedRow]:
    return [parse_row(values, line=first_line + n) for n, values in enumerate(chunk)]
