"""Composition root of the orders service."""

from kit.bus import Bus
from kit.runtime import ServiceRuntime
from kit.settings import CommonSettings
from kit.telemetry import Telemetry

from orders.adapters.unit_of_work import OrdersUnitOfWork
from orders.handlers import HANDLERS
from orders.settings import OrdersSettings

# unique index → the request's field it guards: a concurrent write that won it answers 409
# naming the field (two products given one code at once), never a 500.
UNIQUE_FIELDS = {"products_code": "code", "shipping_fees_prefecture": "prefecture"}


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
        unique_fields=UNIQUE_FIELDS,
        bus=bus,
        telemetry=telemetry,
    )
