"""Workers in the kit: a service declares its background loops with ``add_worker``; the
runtime starts them after the database, stops them before closing it, and shows each one's
health figure in readiness. Only a service that declares mail has a mail queue."""

import uuid

import pytest
from kit.bus import InMemoryBus
from kit.mail import MailUnitOfWork, mail_worker
from kit.runtime import ServiceRuntime
from kit.settings import CommonSettings, ServiceSettings
from kit.uow import UnitOfWork
from kit.worker import Worker

pytestmark = pytest.mark.database


class Counting(Worker):
    """A worker that records what the runtime asked of it."""

    def __init__(self, runtime: ServiceRuntime, log: list[str], name: str = "counting") -> None:
        assert runtime.engine is not None, "built once the database is up"
        self.name, self._log = name, log

    async def start(self) -> None:
        self._log.append(f"start {self.name}")

    async def stop(self) -> None:
        self._log.append(f"stop {self.name}")

    async def health(self) -> dict[str, int]:
        return {f"{self.name}_figure": 7}


def _runtime(url: str, uow_class: type[UnitOfWork] = UnitOfWork, **common) -> ServiceRuntime:  # type: ignore[no-untyped-def]
    return ServiceRuntime(
        name="inquiry",
        settings=ServiceSettings(database_url=url, port=0),
        common=CommonSettings(bus="memory", **common),
        migrations_package="inquiry.migrations",  # any service's schema has the kit tables
        uow_class=uow_class,
        bus=InMemoryBus(namespace="t", retry_delays_ms=[10]),
    )


async def test_declared_workers_start_after_the_relay_stop_before_it_and_report_health(
    database_factory,
) -> None:  # type: ignore[no-untyped-def]
    log: list[str] = []
    runtime = _runtime(database_factory("workers"))
    runtime.add_worker(lambda rt: Counting(rt, log, "first"))
    runtime.add_worker(lambda rt: Counting(rt, log, "second"))
    await runtime.start()
    try:
        assert list(runtime.workers) == ["outbox", "first", "second"]
        assert log == ["start first", "start second"]
        ready = await runtime.readiness()
        assert ready["outbox_lag"] == 0
        assert ready["first_figure"] == ready["second_figure"] == 7
        assert "mail_lag" not in ready  # this service declared no mail
    finally:
        await runtime.stop()
    assert log[2:] == ["stop second", "stop first"]
    assert runtime.workers == {}


async def test_two_workers_of_one_name_are_refused(database_factory) -> None:  # type: ignore[no-untyped-def]
    runtime = _runtime(database_factory("workers"))
    runtime.add_worker(lambda rt: Counting(rt, []))
    runtime.add_worker(lambda rt: Counting(rt, []))
    with pytest.raises(ValueError, match="counting"):
        await runtime.start()
    await runtime.stop()


async def test_only_a_service_that_declares_mail_has_a_mail_queue(database_factory) -> None:  # type: ignore[no-untyped-def]
    plain = _runtime(database_factory("workers"))
    await plain.start()
    try:
        async with plain.uow(tenant_id=uuid.uuid4()) as uow:
            assert not hasattr(uow, "mail")
    finally:
        await plain.stop()


async def test_a_mailing_service_reports_the_mails_waiting_without_an_smtp_server(
    database_factory,
) -> None:  # type: ignore[no-untyped-def]
    runtime = ServiceRuntime(
        name="booking",
        settings=ServiceSettings(database_url=database_factory("workers"), port=0),
        common=CommonSettings(bus="memory", smtp_host=None),
        migrations_package="booking.migrations",  # booking's schema has the mail outbox
        uow_class=MailUnitOfWork,
        bus=InMemoryBus(namespace="t", retry_delays_ms=[10]),
    )
    runtime.add_worker(mail_worker)
    await runtime.start()
    try:
        async with runtime.uow(tenant_id=uuid.uuid4()) as uow:
            assert isinstance(uow, MailUnitOfWork)
            await uow.mail.add(
                tenant_id=uow.tenant_id, recipient="a@example.com", subject="s", body="b"
            )
            await uow.commit()
        assert (await runtime.readiness())["mail_lag"] == 1
    finally:
        await runtime.stop()
