"""A service's running parts: database, migrations, bus, outbox relay, consumer, telemetry.
The HTTP app and the embedded host both drive it through start()/stop()."""

import gc
from collections.abc import Callable
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from kit import db, migrations
from kit.bus import Bus, InMemoryBus, RabbitBus
from kit.consumer import EventConsumer, HandlerMap
from kit.logging import get_logger
from kit.mail import MailSender, SmtpMailer, mail_table
from kit.relay import OutboxRelay
from kit.settings import CommonSettings, ServiceSettings
from kit.telemetry import Telemetry, build_telemetry
from kit.uow import UnitOfWork

log = get_logger("kit.runtime")


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
        bus: Bus | None = None,
        telemetry: Telemetry | None = None,
        sends_mail: bool = False,
    ) -> None:
        self.name = name
        self.settings = settings
        self.common = common
        self._migrations = migrations_package
        self._uow_class = uow_class
        self._handlers = handlers or {}
        self._owns_bus = bus is None
        self.bus = bus if bus is not None else build_bus(common)
        self.telemetry = telemetry or build_telemetry(name, otlp_endpoint=common.otlp_endpoint)
        self.engine: AsyncEngine | None = None
        self.sessions: async_sessionmaker | None = None
        self.relay: OutboxRelay | None = None
        # A service that queues mail (kit.mail) sends it when an SMTP server is configured;
        # without one the mails wait, counted in readiness as ``mail_lag``.
        self.sends_mail = sends_mail
        self.mail_sender: MailSender | None = None
        self.extras: dict[str, Any] = {}  # service-specific clients (e.g. the gateway's)
        self._on_start: list[Callable[[], Any]] = []
        self._on_stop: list[Callable[[], Any]] = []

    def uow(self, *, tenant_id: UUID | None) -> UnitOfWork:
        assert self.sessions is not None, "runtime not started"
        return self._uow_class(self.sessions, producer=self.name, tenant_id=tenant_id)

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
        await self.relay.start()
        await self._start_mail_sender()
        if self._handlers:
            consumer = EventConsumer(
                service=self.name,
                handlers=self._handlers,
                uow_factory=self.uow,
                tracer=self.telemetry.tracer,
            )
            await self.bus.subscribe(consumer.subscription())
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

    async def _start_mail_sender(self) -> None:
        if not self.sends_mail:
            return
        if not self.common.smtp_host:
            log.warning("no SMTP server configured; mails wait in the outbox", service=self.name)
            return
        assert self.engine is not None
        self.mail_sender = MailSender(
            engine=self.engine,
            database_url=self.settings.database_url,
            mailer=SmtpMailer(self.common),
            producer=self.name,
            poll_interval_s=self.common.mail_poll_interval_s,
        )
        await self.mail_sender.start()

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
        if self.mail_sender is not None:
            await self.mail_sender.stop()
        if self.relay is not None:
            await self.relay.stop()
        if self._owns_bus:
            await self.bus.close()
        if self.engine is not None:
            await self.engine.dispose()
        self.telemetry.shutdown()

    async def readiness(self) -> dict[str, Any]:
        checks: dict[str, Any] = {}
        try:
            assert self.engine is not None
            async with self.engine.connect() as conn:
                await conn.execute(sa.text("SELECT 1"))
            checks["database"] = "ok"
        except Exception as exc:
            checks["database"] = f"error: {type(exc).__name__}"
        checks["bus"] = "ok" if await self.bus.is_ready() else "error: not connected"
        if self.relay is not None and checks["database"] == "ok":
            checks["outbox_lag"] = await self.relay.lag()
        if self.sends_mail and checks["database"] == "ok":
            checks["mail_lag"] = await self._mail_lag()
        return checks

    async def _mail_lag(self) -> int:
        assert self.engine is not None
        async with self.engine.connect() as conn:
            count = await conn.scalar(
                sa.select(sa.func.count()).where(mail_table.c.sent_at.is_(None))
            )
        return int(count or 0)
