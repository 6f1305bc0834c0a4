"""The import worker every replica runs beside its HTTP app: it leases unfinished jobs from
customer_import_jobs (any replica's uploads; jobs whose worker died once their lease has
expired) and imports them chunk by chunk, each chunk one transaction of the kit's boundary
(kit.transactions: committed here, retried on a deadlock). Woken at once
by an upload to this replica, otherwise it polls. The file's rows (kept one per row since the
upload) are read and parsed ahead: the next chunk while the current one is being written, in
the worker's parser processes (entrypoints/import_parsers.py; or on the event loop, in slices
between which it serves requests). Memory holds two chunks, whatever the size of the file."""

import asyncio
import contextlib
import os
import socket
import time
from collections.abc import Awaitable, Callable
from uuid import UUID, uuid4

from kit.logging import get_logger
from kit.runtime import ServiceRuntime
from kit.transactions import Transactions
from kit.worker import Worker
from opentelemetry.instrumentation.utils import suppress_instrumentation

from customer.adapters.unit_of_work import CustomerUnitOfWork
from customer.domain.importing import ParsedRow
from customer.entrypoints.import_parsers import ParserPool
from customer.use_cases import import_job

log = get_logger("customer.imports")


class ImportRunner(Worker):
    name = "imports"

    def __init__(
        self,
        runtime: ServiceRuntime,
        *,
        lease_s: float = 60.0,
        poll_s: float = 2.0,
        max_jobs: int = 2,
        parsers: int = 0,
        parsers_idle_s: float = 60.0,
    ) -> None:
        self._runtime = runtime
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{uuid4().hex[:8]}"
        self._lease_s = lease_s
        self._poll_s = poll_s
        self._max_jobs = max_jobs
        self._wake = asyncio.Event()
        self._loop_task: asyncio.Task[None] | None = None
        self._tasks: dict[UUID, asyncio.Task[None]] = {}
        self.parsers = ParserPool(size=parsers, idle_s=parsers_idle_s)  # shared by its jobs

    async def start(self) -> None:
        self._loop_task = asyncio.create_task(self._claim_loop(), name="import-worker")

    def wake(self) -> None:
        """A job was just queued here: claim it now rather than at the next poll."""
        self._wake.set()

    async def health(self) -> dict[str, int]:
        return {
            "import_jobs_running": len(self._tasks),
            "import_parser_processes": len(self.parsers.pids()),
        }

    async def stop(self) -> None:
        """Stop claiming; running jobs are given back (not failed) for any worker to finish."""
        tasks = [t for t in (self._loop_task, *self._tasks.values()) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._loop_task = None
        await self.parsers.close()

    async def _claim_loop(self) -> None:
        while True:
            try:
                while len(self._tasks) < self._max_jobs:
                    # Polling is no business flow: no spans for it (as for the outbox relay).
                    with suppress_instrumentation():
                        claimed = await self._claim()
                    if claimed is None:
                        break
                    self._start(claimed)
                self.last_round_at = time.monotonic()  # the metrics' worker age
                self.parsers.close_if_idle()  # its processes' memory back after a while
            except Exception as exc:  # the database is away: try again at the next poll
                log.warning("import claim failed", error=type(exc).__name__)
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._poll_s)

    async def _claim(self) -> import_job.Claimed | None:
        tx: Transactions[CustomerUnitOfWork] = self._runtime.transactions(tenant_id=None)
        return await tx.run(
            lambda uow: import_job.claim_next(worker=self.worker, lease_s=self._lease_s, uow=uow)
        )

    def _start(self, claimed: import_job.Claimed) -> None:
        if claimed.job_id in self._tasks:
            return  # its own job, whose lease ran out between two slow chunks: still on it
        task = asyncio.create_task(self._run(claimed.job_id, claimed.tenant_id))
        self._tasks[claimed.job_id] = task

        def _done(_: asyncio.Task[None]) -> None:
            self._tasks.pop(claimed.job_id, None)
            self._wake.set()  # room for the next job

        task.add_done_callback(_done)

    async def _run(self, job_id: UUID, tenant_id: UUID) -> None:
        try:
            tx: Transactions[CustomerUnitOfWork] = self._runtime.transactions(tenant_id=tenant_id)
            if not await tx.run(lambda uow: import_job.prepare(job_id, uow=uow)):
                return

            async def fetch(start: int, size: int) -> list[tuple[str, ...]]:
                async with self._runtime.uow(tenant_id=tenant_id) as uow:
                    return await uow.imports.rows(  # type: ignore[attr-defined]
                        job_id=job_id, first_line=start + 2, size=size
                    )

            parser = _AheadParser(fetch, self.parsers)
            tracer = self._runtime.telemetry.tracer
            try:
                while True:
                    # A trace per chunk: its statements, and the events it emits continue it.
                    with tracer.start_as_current_span(
                        "customer import chunk", attributes={"crm.import.job_id": str(job_id)}
                    ):
                        done = await tx.run(
                            lambda uow: import_job.run_chunk(
                                job_id, worker=self.worker, lease_s=self._lease_s,
                                parse=parser.parse, uow=uow,
                            )
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
            tx: Transactions[CustomerUnitOfWork] = self._runtime.transactions(tenant_id=tenant_id)
            await tx.run(
                lambda uow: import_job.release(job_id, worker=self.worker, failed=failed, uow=uow)
            )


class _AheadParser:
    """Reads and parses the file's chunks one ahead: asked for one chunk, it starts on the
    next as a task, which runs while the current chunk is written — in the parser processes,
    or on the event loop between the current chunk's statements (a parsing thread would hold
    the GIL and make the loop's every socket call wait for it)."""

    def __init__(
        self, fetch: Callable[[int, int], Awaitable[list[tuple[str, ...]]]], parsers: ParserPool
    ) -> None:
        self._fetch = fetch
        self._parsers = parsers
        self._ahead: tuple[int, int, asyncio.Task[list[ParsedRow]]] | None = None

    async def parse(self, start: int, size: int) -> list[ParsedRow]:
        if self._ahead is not None and self._ahead[:2] == (start, size):
            task = self._ahead[2]
        else:
            self.cancel()
            task = asyncio.create_task(self._parse(start, size))
        parsed = await task
        if len(parsed) == size:  # more may follow: the next chunk, read while this is written
            nxt = start + size
            self._ahead = (nxt, size, asyncio.create_task(self._parse(nxt, size)))
        else:
            self._ahead = None
        return parsed

    def cancel(self) -> None:
        if self._ahead is not None:
            self._ahead[2].cancel()
            self._ahead = None

    async def _parse(self, start: int, size: int) -> list[ParsedRow]:
        rows = await self._fetch(start, size)
        return await self._parsers.parse(rows, first_line=start + 2)  # the header is line 1
