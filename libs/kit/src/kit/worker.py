"""Background work of a service (decision 21). A service registers its workers with
``ServiceRuntime.add_worker``; the runtime starts them once the database and bus are up,
stops them before it closes those, and adds each one's health figure to ``/readyz``. A
worker traces its real work (a trace per event published, mail sent, import chunk), never
its polling.

``NotifiedWorker`` is the common kind: a loop that drains rows a transaction left behind
(outbox events, queued mails), woken by LISTEN/NOTIFY on its channel at commit, polling as a
fallback, backing off after a failure. Subclasses say what one round does."""

import asyncio
import contextlib
import time
from typing import Any

import asyncpg

from kit.logging import get_logger

log = get_logger("kit.worker")


class Worker:
    """What the runtime needs of a background worker."""

    name: str
    # time.monotonic() when the last round finished without an error (the metrics' worker
    # age); None: none yet, or a worker that does not run in rounds
    last_round_at: float | None = None

    async def start(self) -> None:
        raise NotImplementedError

    async def stop(self) -> None:
        raise NotImplementedError

    def wake(self) -> None:
        """Work was just queued here: start on it now rather than at the next poll."""

    async def health(self) -> dict[str, Any]:
        """Figures for ``/readyz`` (e.g. ``{"outbox_lag": 0}``); asked only while the
        database answers."""
        return {}


class NotifiedWorker(Worker):
    def __init__(self, *, name: str, dsn: str, channel: str, poll_interval_s: float) -> None:
        self.name = name
        self._dsn = dsn
        self._channel = channel
        self._poll = poll_interval_s
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._listener: asyncpg.Connection | None = None

    async def drain_once(self) -> int:
        """Handle one batch; returns how many rows were done (0: nothing left)."""
        raise NotImplementedError

    def failed(self, exc: Exception) -> None:
        """A round raised; the rows stay for the next round."""
        log.exception("background worker error", channel=self._channel)

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"worker:{self._channel}")
        self._task.add_done_callback(self._report_unexpected_end)

    async def stop(self) -> None:
        task = self._task
        # A library under the round (an SMTP or AMQP client) may turn a cancellation into
        # its own error, which the round then handles as a failed send: ask until it ends.
        while task is not None and not task.done():
            task.cancel()
            await asyncio.wait({task}, timeout=1.0)
        if task is not None and not task.cancelled() and task.exception() is not None:
            log.warning("background worker ended with an error", channel=self._channel)
        await self._close_listener()

    def wake(self) -> None:
        self._wake.set()

    async def _run(self) -> None:
        backoff = self._poll
        while True:
            await self._ensure_listener()
            # Cleared before the round, not after: a NOTIFY that arrives while a round runs
            # (its rows committed after the round looked) starts the next round at once.
            self._wake.clear()
            try:
                while await self.drain_once():
                    pass
                self.last_round_at = time.monotonic()
                backoff = self._poll
            except Exception as exc:
                self.failed(exc)
                backoff = min(backoff * 2, 10.0)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=backoff)

    async def _ensure_listener(self) -> None:
        if self._listener is not None and not self._listener.is_closed():
            return
        try:
            self._listener = await asyncpg.connect(self._dsn)
            await self._listener.add_listener(self._channel, lambda *_: self._wake.set())
        except Exception as exc:  # polling still works without LISTEN
            log.warning("LISTEN unavailable; polling", error=type(exc).__name__)
            self._listener = None

    async def _close_listener(self) -> None:
        if self._listener is not None:
            with contextlib.suppress(Exception):
                await self._listener.close()
            self._listener = None

    def _report_unexpected_end(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error(
                "background worker stopped", channel=self._channel, error=repr(task.exception())
            )
