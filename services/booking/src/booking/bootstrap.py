"""Composition root of the booking service."""

from kit.bus import Bus
from kit.mail import mail_worker
from kit.runtime import ServiceRuntime
from kit.settings import CommonSettings
from kit.telemetry import Telemetry

from booking.adapters.unit_of_work import BookingUnitOfWork
from booking.handlers import HANDLERS
from booking.settings import BookingSettings


def build_runtime(
    settings: BookingSettings | None = None,
    *,
    common: CommonSettings | None = None,
    bus: Bus | None = None,
    telemetry: Telemetry | None = None,
) -> ServiceRuntime:
    runtime = ServiceRuntime(
        name="booking",
        settings=settings or BookingSettings(),
        common=common or CommonSettings(),
        migrations_package="booking.migrations",
        uow_class=BookingUnitOfWork,
        handlers=HANDLERS,
        bus=bus,
        telemetry=telemetry,
    )
    runtime.add_worker(mail_worker)  # 通知先 notifications
    return runtime
