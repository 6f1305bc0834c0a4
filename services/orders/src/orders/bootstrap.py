"""Composition root of the orders service."""

from kit.bus import Bus
from kit.runtime import ServiceRuntime
from kit.settings import CommonSettings
from kit.telemetry import Telemetry

from orders.adapters.unit_of_work import OrdersUnitOfWork
from orders.handlers import HANDLERS
from orders.settings import OrdersSettings


def build_runtime(
    settings: OrdersSettings | None = None,
    *,
    common: CommonSettings | None = None,
    bus: Bus | None = None,
    telemetry: Telemetry | None = None,
) -> ServiceRuntime:
    return ServiceRuntime(
        name="orders",
        settings=settings or OrdersSettings(),
        common=common or CommonSettings(),
        migrations_package="orders.migrations",
        uow_class=OrdersUnitOfWork,
        handlers=HANDLERS,
        bus=bus,
        telemetry=telemetry,
    )
