"""The import worker's parser processes (issue 15): a chunk's staged rows are parsed in a
process pool, split across its processes, so that a machine with N cores parses on N−1 of
them while the service process writes (parsing is ~all Python: one core did both).

The pool is spawned ("spawn": never a fork of the asyncio process, its threads and sockets)
at the first chunk that needs it and shut down once no chunk has been parsed for
``idle_s``, so that an idle service keeps its memory. What crosses the boundary is the
chunk's cells (tuples of str) and the ParsedRows (plain frozen dataclasses). A parser
process that dies breaks the pool: the chunk is parsed again on the loop and the next chunk
gets a new pool — no row is lost, none is parsed into the job twice. Size 0 parses on the
event loop only, as before; so do chunks of at most INLINE_UP_TO rows (a six-row file
spawns nothing)."""

import asyncio
import functools
import multiprocessing
import signal
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from kit.logging import get_logger

from customer.domain.importing import ParsedRow, parse_row, parse_rows

log = get_logger("customer.imports")


def _parser_started() -> None:
    # Ctrl-C reaches the whole process group: the service stops its pool itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class ParserPool:
    INLINE_UP_TO = 200  # rows: parsed on the loop in ~10 ms, less than a process's start
    MIN_PIECE = 100  # rows per task: fewer, and the pickling outweighs the parsing
    SLICE = 100  # rows parsed on the loop between two turns of it

    def __init__(self, *, size: int, idle_s: float) -> None:
        self.size = size
        self._idle_s = idle_s
        self._pool: ProcessPoolExecutor | None = None
        self._busy = 0  # chunks in the pool now: never shut down under them
        self._used_at = time.monotonic()
        self.stats = {"pools_started": 0, "pool_chunks": 0, "inline_chunks": 0, "broken": 0}

    async def parse(self, rows: Sequence[tuple[str, ...]], *, first_line: int) -> list[ParsedRow]:
        """``rows`` parsed as the file's lines from ``first_line`` on, the same wherever."""
        if self.size == 0 or len(rows) <= self.INLINE_UP_TO:
            return await self._inline(rows, first_line)
        pool = self._started()
        self._busy += 1
        try:
            parsed = await self._in(pool, rows, first_line)
            self.stats["pool_chunks"] += 1
            return parsed
        except BrokenProcessPool:
            # Killed (OOM killer, an operator): this chunk again here; a new pool next time.
            self.stats["broken"] += 1
            log.warning("import parser process died", rows=len(rows))
            if self._pool is pool:
                self._pool = None
                pool.shutdown(wait=False, cancel_futures=True)
            return await self._inline(rows, first_line)
        finally:
            self._busy -= 1
            self._used_at = time.monotonic()

    def pids(self) -> list[int]:
        """The pool's live processes (for /readyz and the benchmark's memory figures)."""
        processes = getattr(self._pool, "_processes", None) or {}
        return [pid for pid, p in list(processes.items()) if p.is_alive()]

    def close_if_idle(self) -> None:
        """Shut the pool down when no chunk has been parsed in it for ``idle_s``."""
        idle = time.monotonic() - self._used_at > self._idle_s
        if self._pool is not None and not self._busy and idle:
            pool, self._pool = self._pool, None
            pool.shutdown(wait=False)

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.size,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_parser_started,
            )
            self.stats["pools_started"] += 1
        return self._pool

    async def _in(
        self, pool: ProcessPoolExecutor, rows: Sequence[tuple[str, ...]], first_line: int
    ) -> list[ParsedRow]:
        """The chunk split across the pool's processes, its pieces put back in order."""
        loop = asyncio.get_running_loop()
        step = max(self.MIN_PIECE, -(-len(rows) // self.size))
        pieces = []
        try:
            for at in range(0, len(rows), step):
                task = functools.partial(
                    parse_rows, rows[at : at + step], first_line=first_line + at
                )
                pieces.append(loop.run_in_executor(pool, task))
        finally:  # every piece awaited, even when a later one could not be submitted
            results = await asyncio.gather(*pieces, return_exceptions=True)
        parsed: list[ParsedRow] = []
        for result in results:
            if isinstance(result, BaseException):
                raise result
            parsed += result
        return parsed

    async def _inline(self, rows: Sequence[tuple[str, ...]], first_line: int) -> list[ParsedRow]:
        """On the event loop, a slice at a time: requests get in between."""
        self.stats["inline_chunks"] += 1
        parsed: list[ParsedRow] = []
        for at in range(0, len(rows), self.SLICE):
            parsed += [
                parse_row(values, line=first_line + at + n)
                for n, values in enumerate(rows[at : at + self.SLICE])
            ]
            await asyncio.sleep(0)
        return parsed
