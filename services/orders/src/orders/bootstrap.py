"""Composition root of the orders service."""

from kit.bus import Bus
from kit.runtime import ServiceRuntime
from kit.settings import CommonSettings
from kit.telemetry import Telemetry

from orders.adapters.unit_of_work import OrdersUnitOfWork
from orders.entrypoints.subscription_worker import SubscriptionRunner
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
    settings = settings or OrdersSettings()
    runtime = ServiceRuntime(
        name="orders",
        settings=settings,
        common=common or CommonSettings(),
        migrations_package="orders.migrations",
        uow_class=OrdersUnitOfWork,
        handlers=HANDLERS,
        unique_fields=UNIQUE_FIELDS,
        bus=bus,
        telemetry=telemetry,
    )
    if settings.subscription_run_enabled:
        interval = settings.subscription_run_interval_s
        runtime.add_worker(lambda rt: SubscriptionRunner(rt, interval_s=interval))
    return runtime
