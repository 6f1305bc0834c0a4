"""A service's running parts: database, migrations, bus, outbox relay and the other
workers it declares, consumer, telemetry. The HTTP app and the embedded host both drive it
through start()/stop()."""

import asyncio
import gc
from collections.abc import Callable, Mapping
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from kit import clock, db, migrations
from kit.bus import Bus, InMemoryBus, RabbitBus
from kit.consumer import EventConsumer, HandlerMap
from kit.logging import get_logger
from kit.metrics import ServiceMetrics
from kit.relay import OutboxRelay
from kit.settings import CommonSettings, ServiceSettings
from kit.telemetry import Telemetry, build_telemetry
from kit.transactions import Transactions
from kit.uow import UnitOfWork
from kit.worker import Worker

log = get_logger("kit.runtime")

# Builds a worker once the runtime has its engine and bus (e.g. ``kit.mail.mail_worker``).
WorkerFactory = Callable[["ServiceRuntime"], Worker]
READY_TIMEOUT_S = 3.0


def build_bus(common: CommonSettings) -> Bus:
    if common.bus == "memory":
        return InMemoryBus(namespace=common.bus_namespace, retry_delays_ms=common.retry_delays_ms)
    return RabbitBus(
        url=common.amqp_url, namespace=common.bus_namespace, retry_delays_ms=common.retry_delays_ms
    )


class ServiceRuntime:
    def __init__(
        self,
        *,
        name: str,
        settings: ServiceSettings,
        common: CommonSettings,
        migrations_package: str,
        uow_class: type[UnitOfWork] = UnitOfWork,
        handlers: HandlerMap | None = None,
        unique_fields: Mapping[str, str] | None = None,
        bus: Bus | None = None,
        telemetry: Telemetry | None = None,
    ) -> None:
        """``unique_fields``: unique index → the request's field it guards, for the 409 the
        boundary answers when a concurrent write won the index (kit.transactions)."""
        self.name = name
        self.settings = settings
        self.common = common
        self._migrations = migrations_package
        self._uow_class = uow_class
        self._handlers = handlers or {}
        self.unique_fields: Mapping[str, str] = unique_fields or {}
        self._owns_bus = bus is None
        self.bus = bus if bus is not None else build_bus(common)
        self.telemetry = telemetry or build_telemetry(name, common=common)
        self.metrics = ServiceMetrics(name)
        self.engine: AsyncEngine | None = None
        self.sessions: async_sessionmaker | None = None
        self.relay: OutboxRelay | None = None
        self.workers: dict[str, Worker] = {}  # by name, in the order they started
        # The time workers go by; a test moves it with a kit.clock.ManualClock.
        self.clock: clock.Clock = clock.SYSTEM
        self._worker_factories: list[WorkerFactory] = []
        self._on_start: list[Callable[[], Any]] = []
        self._on_stop: list[Callable[[], Any]] = []

    @property
    def consumer_queue(self) -> str | None:
        """The service's queue on the bus (without the namespace), if it consumes events."""
        return f"{self.name}.events" if self._handlers else None

    def uow(
        self, *, tenant_id: UUID | None, store_scope: tuple[UUID, ...] | None = None
    ) -> UnitOfWork:
        assert self.sessions is not None, "runtime not started"
        return self._uow_class(
            self.sessions, producer=self.name, tenant_id=tenant_id, store_scope=store_scope
        )

    def transactions(
        self, *, tenant_id: UUID | None, store_scope: tuple[UUID, ...] | None = None
    ) -> Transactions[Any]:
        """The boundary: each ``run(work)`` one committed (and retried) unit of work."""
        return Transactions(self, tenant_id=tenant_id, store_scope=store_scope)

    async def start(self) -> None:
        url = self.settings.database_url
        if self.settings.create_database:
            await db.ensure_database(url)
        self.engine = db.create_engine(url, pool_size=self.settings.db_pool_size)
        self.telemetry.instrument_engine(self.engine)
        self.sessions = db.session_factory(self.engine)
        await migrations.upgrade(self.engine, self._migrations)
        if self._owns_bus:
            await self.bus.start()
        self.relay = OutboxRelay(
            engine=self.engine,
            database_url=url,
            bus=self.bus,
            producer=self.name,
            tracer=self.telemetry.tracer,
            poll_interval_s=self.common.outbox_poll_interval_s,
        )
        await self._start_workers()
        if self._handlers:
            consumer = EventConsumer(
                service=self.name,
                handlers=self._handlers,
                transactions=self.transactions,
                tracer=self.telemetry.tracer,
                metrics=self.metrics,
            )
            await self.bus.subscribe(
                consumer.subscription(
                    prefetch=self.common.consumer_prefetch, batch=self.common.consumer_batch
                )
            )
        for fn in self._on_start:
            result = fn()
            if hasattr(result, "__await__"):
                await result
        # What start-up built (modules, ORM mappers, the app, pydantic schemas) lives as long
        # as the process: frozen, the collector's full passes stop walking it each time
        # (they took a quarter of a bulk import's CPU). Refcounting still frees it.
        gc.collect()
        gc.freeze()
        log.info("service started", service=self.name)

    def add_worker(self, factory: WorkerFactory) -> None:
        """A background loop of this service (the outbox relay is every service's own)."""
        self._worker_factories.append(factory)

    async def _start_workers(self) -> None:
        assert self.relay is not None
        for worker in (self.relay, *(build(self) for build in self._worker_factories)):
            if worker.name in self.workers:
                raise ValueError(f"two workers named {worker.name!r}")
            await worker.start()
            self.workers[worker.name] = worker

    def on_start(self, fn: Callable[[], Any]) -> None:
        """Run after the database and bus are up (e.g. build clients, seed demo data)."""
        self._on_start.append(fn)

    def on_stop(self, fn: Callable[[], Any]) -> None:
        self._on_stop.append(fn)

    async def stop(self) -> None:
        for fn in reversed(self._on_stop):
            result = fn()
            if hasattr(result, "__await__"):
                await result
        for worker in reversed(list(self.workers.values())):  # the relay last
            await worker.stop()
        self.workers.clear()
        if self._owns_bus:
            await self.bus.close()
        if self.engine is not None:
            await self.engine.dispose()
        self.telemetry.shutdown()

    async def readiness(self) -> dict[str, Any]:
        """Database and broker each answer within READY_TIMEOUT_S, or the service is not
        ready: a server that stopped answering (not only one that refuses) fails it too."""
        checks: dict[str, Any] = {}
        try:
            assert self.engine is not None
            await asyncio.wait_for(self._select_one(), READY_TIMEOUT_S)
            checks["database"] = "ok"
        except Exception as exc:
            checks["database"] = f"error: {type(exc).__name__}"
        try:
            ready = await asyncio.wait_for(self.bus.is_ready(), READY_TIMEOUT_S)
        except Exception:
            ready = False
        checks["bus"] = "ok" if ready else "error: not connected"
        if checks["database"] == "ok":
            for worker in self.workers.values():
                checks.update(await worker.health())
        return checks

    async def _select_one(self) -> None:
        assert self.engine is not None
        async with self.engine.connect() as conn:
            await conn.execute(sa.text("SELECT 1"))
