"""Composition root of the inquiry service."""

from kit.bus import Bus
from kit.runtime import ServiceRuntime
from kit.settings import CommonSettings
from kit.telemetry import Telemetry

from inquiry.adapters.unit_of_work import InquiryUnitOfWork
from inquiry.handlers import HANDLERS
from inquiry.settings import InquirySettings


def build_runtime(
    settings: InquirySettings | None = None,
    *,
    common: CommonSettings | None = None,
    bus: Bus | None = None,
    telemetry: Telemetry | None = None,
) -> ServiceRuntime:
    return ServiceRuntime(
        name="inquiry",
        settings=settings or InquirySettings(),
        common=common or CommonSettings(),
        migrations_package="inquiry.migrations",
        uow_class=InquiryUnitOfWork,
        handlers=HANDLERS,
        bus=bus,
        telemetry=telemetry,
    )
