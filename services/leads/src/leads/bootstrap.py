"""Composition root of the leads service."""

from kit.bus import Bus
from kit.runtime import ServiceRuntime
from kit.settings import CommonSettings
from kit.telemetry import Telemetry

from leads.adapters.unit_of_work import LeadsUnitOfWork
from leads.handlers import HANDLERS
from leads.settings import LeadsSettings


def build_runtime(
    settings: LeadsSettings | None = None,
    *,
    common: CommonSettings | None = None,
    bus: Bus | None = None,
    telemetry: Telemetry | None = None,
) -> ServiceRuntime:
    return ServiceRuntime(
        name="leads",
        settings=settings or LeadsSettings(),
        common=common or CommonSettings(),
        migrations_package="leads.migrations",
        uow_class=LeadsUnitOfWork,
        handlers=HANDLERS,
        bus=bus,
        telemetry=telemetry,
    )
