"""Composition root of the customer service."""

from kit.bus import Bus
from kit.mail import mail_worker
from kit.runtime import ServiceRuntime
from kit.settings import CommonSettings
from kit.telemetry import Telemetry

from customer.adapters.unit_of_work import CustomerUnitOfWork
from customer.entrypoints.jobs import ImportRunner
from customer.entrypoints.rank_worker import RankWorker
from customer.handlers import HANDLERS
from customer.settings import CustomerSettings


def build_runtime(
    settings: CustomerSettings | None = None,
    *,
    common: CommonSettings | None = None,
    bus: Bus | None = None,
    telemetry: Telemetry | None = None,
) -> ServiceRuntime:
    settings = settings or CustomerSettings()
    runtime = ServiceRuntime(
        name="customer",
        settings=settings,
        common=common or CommonSettings(),
        migrations_package="customer.migrations",
        uow_class=CustomerUnitOfWork,
        handlers=HANDLERS,
        bus=bus,
        telemetry=telemetry,
    )
    # Any replica's import worker finishes any replica's uploads.
    runtime.add_worker(
        lambda rt: ImportRunner(
            rt,
            lease_s=settings.import_lease_s,
            poll_s=settings.import_poll_s,
            max_jobs=settings.import_max_jobs,
            parsers=settings.import_parsers,
            parsers_idle_s=settings.import_parsers_idle_s,
        )
    )
    runtime.add_worker(mail_worker)  # the booking site's temporary passwords
    runtime.add_worker(lambda rt: RankWorker(rt, poll_s=settings.rank_poll_s))  # daily ranks
    return runtime
